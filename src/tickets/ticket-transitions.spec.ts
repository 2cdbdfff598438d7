import { describe, expect, it } from '@jest/globals';
import { TICKET_STATUSES } from './ticket.domain.js';
import { canTransition } from './ticket-transitions.js';

describe('ticket transitions', () => {
  it('lets open work move anywhere but back to itself', () => {
    expect(canTransition('open', 'in_progress')).toBe(true);
    expect(canTransition('waiting', 'resolved')).toBe(true);
    expect(canTransition('open', 'open')).toBe(false);
  });

  it('lets a resolved ticket be reopened or closed, and nothing leave closed', () => {
    expect(canTransition('resolved', 'open')).toBe(true);
    expect(canTransition('resolved', 'in_progress')).toBe(false);
    for (const to of TICKET_STATUSES) expect(canTransition('closed', to)).toBe(false);
  });
});
