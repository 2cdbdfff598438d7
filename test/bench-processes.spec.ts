import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { mergeProfiles } from '../bench/pg-profile.js';
import { childPids, processSeconds } from '../bench/proc.js';

// With API_PROCESSES above 1 the API serves from the started process's children: the benchmark's CPU
// figures and statement profiles must count them, not the idle parent alone.
describe('the benchmark counts an API of several processes', () => {
  it('adds the CPU of a process’s children to its own', async () => {
    // A parent that only waits, and two children that each burn 0.3 s of CPU (CPU time, not wall time:
    // on a busy machine a wall-clock spin may get too little CPU to reach the total). Every process
    // lives until its stdin closes, so none outlives the test or its parent.
    const untilStdinCloses = `process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;
    const child = `const t = process.cpuUsage(); while (process.cpuUsage(t).user + process.cpuUsage(t).system < 300000); ${untilStdinCloses}`;
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const { spawn } = require('node:child_process'); for (const _ of [1, 2]) spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: ['pipe', 'ignore', 'ignore'] }); ${untilStdinCloses}`,
      ],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
    // Bounded waits: an unbounded loop would outlive a timed-out test and keep jest from exiting.
    const deadline = Date.now() + 20_000;
    const waitFor = async <T>(what: string, read: () => T, done: (value: T) => boolean): Promise<T> => {
      for (;;) {
        const value = read();
        if (done(value)) return value;
        if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      const children = await waitFor(
        'two children',
        () => childPids(parent.pid!),
        (pids) => pids.length === 2,
      );
      const total = await waitFor(
        '0.5 s of CPU',
        () => processSeconds(parent.pid!) ?? 0,
        (seconds) => seconds >= 0.5,
      );
      const own = children.reduce((sum, pid) => sum - (processSeconds(pid) ?? 0), processSeconds(parent.pid!) ?? 0);
      // The parent's own share is small: most of the total is its children's.
      expect(own).toBeLessThan(total / 2);
    } finally {
      parent.stdin?.end();
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
