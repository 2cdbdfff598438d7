import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../src/config/app-config.js';
import { ImportCliModule } from '../src/imports/cli/import-cli.module.js';
import type { ImportKind } from '../src/imports/import-plan.js';
import { ImportRunner } from '../src/imports/import-runner.js';
import type { ImportCounts } from '../src/imports/imports.repository.js';
import { ImportsService } from '../src/imports/imports.service.js';
import { QUEUE_CONCURRENCY } from '../src/queue/queue.registry.js';
import { mapLimit } from './processes.js';

/**
 * One benchmark child process: runs a list of imports as the worker does, as many at once as its
 * `imports` queue runs (one district's one after another), with the code `npm run import` runs
 * (ImportsService.createLocal, then ImportRunner.run), and prints one JSON line: each import's counts
 * and time, and the process's peak RSS and CPU. One process per kind gives each kind's peak memory on
 * its own.
 */
export interface ImportJob {
  kind: ImportKind;
  /** District id or code. */
  district: string;
  file: string;
}

export interface ImportOutcome extends ImportCounts {
  district: string;
  kind: ImportKind;
  status: string;
  seconds: number;
  errorSummary: string | null;
}

export interface ImportChildResult {
  bootSeconds: number;
  /** From the first import's start to the last one's end. */
  seconds: number;
  maxRssMb: number;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  imports: ImportOutcome[];
}

async function main(): Promise<void> {
  const jobs = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ImportJob[];
  const config = loadConfig();
  const booting = Date.now();
  const app = await NestFactory.createApplicationContext(ImportCliModule.register(config), { logger: false, abortOnError: false });
  const bootSeconds = (Date.now() - booting) / 1000;
  const started = Date.now();
  let imports: ImportOutcome[];
  let ended: number;
  try {
    imports = await mapLimit(jobs, QUEUE_CONCURRENCY.imports, async (job): Promise<ImportOutcome> => {
      const t0 = Date.now();
      const id = await app.get(ImportsService).createLocal(job.district, job.kind, job.file);
      const row = await app.get(ImportRunner).run(id);
      if (!row) throw new Error(`import ${id} vanished`);
      return {
        district: job.district,
        kind: job.kind,
        status: row.status,
        seconds: (Date.now() - t0) / 1000,
        rows: row.rows,
        created: row.created,
        updated: row.updated,
        unchanged: row.unchanged,
        failed: row.failed,
        skipped: row.skipped,
        stats: row.stats,
        errorSummary: row.errorSummary,
      };
    });
    ended = Date.now();
  } finally {
    await app.close();
  }
  const cpu = process.cpuUsage();
  const result: ImportChildResult = {
    bootSeconds,
    seconds: (ended - started) / 1000,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    cpuUserSeconds: cpu.user / 1e6,
    cpuSystemSeconds: cpu.system / 1e6,
    imports,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`import-child: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
