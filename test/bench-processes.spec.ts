import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { mergeProfiles } from '../bench/pg-profile.js';
import { childPids, processSeconds } from '../bench/proc.js';

// With API_PROCESSES above 1 the API serves from the started process's children: the benchmark's CPU
// figures and statement profiles must count them, not the idle parent alone.
describe('the benchmark counts an API of several processes', () => {
  it('adds the CPU of a process’s children to its own', async () => {
    // A parent that only waits, and two children that spin for a moment.
    const spin = `const end = Date.now() + 300; while (Date.now() < end);`;
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const { spawn } = require('node:child_process'); for (const _ of [1, 2]) spawn(process.execPath, ['-e', ${JSON.stringify(`${spin} setTimeout(() => {}, 5000);`)}]); setTimeout(() => {}, 5000);`,
      ],
      { stdio: 'ignore' },
    );
    try {
      let children: number[] = [];
      while (children.length < 2) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        children = childPids(parent.pid!);
      }
      let total = 0;
      while (total < 0.5) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        total = processSeconds(parent.pid!) ?? 0;
      }
      const own = children.reduce((sum, child) => sum - (processSeconds(child) ?? 0), processSeconds(parent.pid!) ?? 0);
      // The parent's own share is small: most of the total is its children's.
      expect(own).toBeLessThan(total / 2);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('merges the statement profiles of the processes, adding calls and time and keeping the longest', () => {
    expect(
      mergeProfiles([
        [
          { statement: 'SELECT a', calls: 2, ms: 3, maxMs: 2 },
          { statement: 'SELECT b', calls: 1, ms: 1, maxMs: 1 },
        ],
        [{ statement: 'SELECT b', calls: 4, ms: 8, maxMs: 5 }],
        [],
      ]),
    ).toEqual([
      { statement: 'SELECT b', calls: 5, ms: 9, maxMs: 5 },
      { statement: 'SELECT a', calls: 2, ms: 3, maxMs: 2 },
    ]);
  });
});
