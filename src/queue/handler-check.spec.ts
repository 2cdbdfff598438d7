import { describe, expect, it } from '@jest/globals';
import { checkHandlers } from './handler-check.js';
import { QUEUE_JOBS } from './queue.registry.js';

describe('checkHandlers', () => {
  const registry = { imports: ['import.run'], 'gap-scans': ['gap-scan.run', 'gap-scan.schedule'] };

  it('accepts exactly one handler per job', () => {
    const handlers = [
      { queue: 'imports' as const, name: 'import.run' },
      { queue: 'gap-scans' as const, name: 'gap-scan.run' },
      { queue: 'gap-scans' as const, name: 'gap-scan.schedule' },
    ];
    expect(checkHandlers(handlers, registry)).toEqual([]);
  });

  it('names a job with no handler, one with two, and a handler for no job', () => {
    const handlers = [
      { queue: 'imports' as const, name: 'import.run' },
      { queue: 'imports' as const, name: 'import.run' },
      { queue: 'gap-scans' as const, name: 'gap-scan.run' },
      { queue: 'gap-scans' as const, name: 'gap-scan.typo' },
    ];
    expect(checkHandlers(handlers, registry)).toEqual([
      'job imports/import.run has 2 handlers',
      'job gap-scans/gap-scan.schedule has no handler',
      'handler for gap-scans/gap-scan.typo names no registered job',
    ]);
  });

  it('checks the real registry by default', () => {
    expect(checkHandlers([]).length).toBe(Object.values(QUEUE_JOBS).flat().length);
  });
});
