import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ADVISORY_LOCKS } from './advisory-locks.js';

describe('advisory lock registry', () => {
  it('gives every lock class its own number', () => {
    const byNumber = new Map<number, string[]>();
    for (const [name, id] of Object.entries(ADVISORY_LOCKS)) byNumber.set(id, [...(byNumber.get(id) ?? []), name]);
    expect([...byNumber.values()].filter((names) => names.length > 1)).toEqual([]);
  });

  it('holds the class the login-events migration spells out', () => {
    const migration = readFileSync('migrations/1764000600000-bulk-load.ts', 'utf8');
    expect(migration).toContain(
      `LOGIN_EVENTS_STUDENTS_LOCK = ${ADVISORY_LOCKS.loginEventsStudents.toLocaleString('en-US').replace(/,/g, '_')};`,
    );
  });
});
