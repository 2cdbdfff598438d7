import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

/**
 * Where CPU time goes during a phase, from /proc (Linux): the machine's busy and iowait time, the
 * PostgreSQL server processes' time, and that of named child processes. On another OS, or without
 * /proc, every figure is null and the benchmark still runs.
 */
export interface CpuSnapshot {
  at: number;
  machine: { busy: number; iowait: number; total: number } | null;
  /** Every PostgreSQL process (server and backends, exited ones included), and the live backends of other databases. */
  postgres: { total: number; otherDatabases: number } | null;
  processes: Record<string, number | null>;
}

export interface CpuUse {
  wallSeconds: number;
  /** Seconds of CPU used by all processes, out of wallSeconds × cores available. */
  machineBusySeconds: number | null;
  iowaitSeconds: number | null;
  /** PostgreSQL for this benchmark: all of it but the live backends of other databases (approximate). */
  postgresSeconds: number | null;
  /** Backends of other databases: someone else's load on the same server. */
  postgresOtherSeconds: number | null;
  processSeconds: Record<string, number | null>;
}

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // getconf is missing: 100 is the Linux default.
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** A process's live children (an API started with API_PROCESSES > 1 serves from its children). */
export function childPids(pid: number): number[] {
  const children = read(`/proc/${pid}/task/${pid}/children`);
  return children ? children.trim().split(/\s+/).filter(Boolean).map(Number) : [];
}

/** utime + stime of a process and its children (live, and exited ones it waited for) in seconds, or null when it has gone. */
export function processSeconds(pid: number): number | null {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  return childPids(pid).reduce((sum, child) => sum + (processSeconds(child) ?? 0), own);
}

/** A live process's peak resident memory (VmHWM), or null. */
export function peakRssMb(pid: number): number | null {
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? '');
  return hwm ? Math.round(Number(hwm[1]) / 1024) : null;
}

/** A backend's title: "postgres: 15/main: USER DATABASE HOST(PORT) STATE". */
const BACKEND = /^postgres: [^:]+: \S+ (\S+) (?:\S+\(\d+\)|\[local\])/;

function postgresSeconds(database: string): CpuSnapshot['postgres'] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  let total = 0;
  let otherDatabases = 0;
  for (const pid of entries) {
    const stat = read(`/proc/${pid}/stat`);
    if (!stat || !stat.includes('(postgres)')) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Own time plus that of exited children (backends that ended during the phase).
    const seconds = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
    total += seconds;
    const title = read(`/proc/${pid}/cmdline`)?.replace(/\0/g, ' ') ?? '';
    const db = BACKEND.exec(title)?.[1];
    if (db && db !== database) otherDatabases += seconds;
  }
  return { total, otherDatabases };
}

export function cpuSnapshot(database: string, pids: Record<string, number | undefined> = {}): CpuSnapshot {
  const stat = read('/proc/stat');
  let machine: CpuSnapshot['machine'] = null;
  if (stat) {
    const values = stat.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values;
    const busy = user + nice + system + irq + softirq + steal;
    machine = { busy: busy / ticksPerSecond, iowait: iowait / ticksPerSecond, total: (busy + idle + iowait) / ticksPerSecond };
  }
  const processes: Record<string, number | null> = {};
  for (const [name, pid] of Object.entries(pids)) processes[name] = pid ? processSeconds(pid) : null;
  return { at: Date.now(), machine, postgres: postgresSeconds(database), processes };
}

const diff = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined ? null : Math.round((b - a) * 100) / 100;

export function cpuUse(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  const processSecondsUsed: Record<string, number | null> = {};
  for (const name of Object.keys(after.processes)) processSecondsUsed[name] = diff(before.processes[name], after.processes[name]);
  const pgTotal = diff(before.postgres?.total, after.postgres?.total);
  // A backend of another database that ends during the phase leaves the sum; never below zero.
  const pgOther = Math.max(0, diff(before.postgres?.otherDatabases, after.postgres?.otherDatabases) ?? 0);
  return {
    wallSeconds: (after.at - before.at) / 1000,
    machineBusySeconds: diff(before.machine?.busy, after.machine?.busy),
    iowaitSeconds: diff(before.machine?.iowait, after.machine?.iowait),
    // A process that ends between two snapshots takes its time out of the sum: never report less than nothing.
    postgresSeconds: pgTotal === null ? null : Math.max(0, Math.round((pgTotal - pgOther) * 100) / 100),
    postgresOtherSeconds: pgTotal === null ? null : pgOther,
    processSeconds: processSecondsUsed,
  };
}

/** The share of the machine's CPU in use over `ms` milliseconds, or null without /proc. */
export async function busyShare(ms: number): Promise<number | null> {
  const a = cpuSnapshot('').machine;
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuSnapshot('').machine;
  if (!a || !b || b.total === a.total) return null;
  return (b.busy - a.busy) / (b.total - a.total);
}

export interface Machine {
  cpuModel: string;
  cores: number;
  ramGb: number;
  os: string;
  node: string;
}

export function machine(): Machine {
  const info = read('/proc/cpuinfo');
  const model = info?.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const hypervisor = info?.includes(' hypervisor') ? ' (virtual machine)' : '';
  return {
    cpuModel: `${model.trim()}${hypervisor}`,
    cores: cpus().length,
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
  };
}
