import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, redact, type AppConfig } from '../../config/app-config.js';
import { ensureDatabase, runMigrations } from '../../database/database-setup.js';
import { QueueService } from '../../queue/queue.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { IMPORT_KINDS, type ImportKind } from '../import-plan.js';
import type { ImportProgress } from '../batch-pipeline.js';
import { ImportRunner } from '../import-runner.js';
import { ImportsRepository, type ImportRow } from '../imports.repository.js';
import { ImportsService } from '../imports.service.js';
import { ImportCliModule } from './import-cli.module.js';

const HELP = `Usage: npm run import -- --kind KIND --district DISTRICT FILE
       npm run import -- --kind KIND --district DISTRICT --dry-run FILE
       npm run import -- --resume IMPORT_ID

Imports FILE into DISTRICT in this process, with the code the worker runs, straight against
DATABASE_URL: no upload and no worker, for files too large to upload. Build first (npm run build).
Work that follows a completed import (the gap scan after login-events, chromeos-devices or
hotspot-usage) is added to the queues at REDIS_URL for the workers; if Redis does not answer, the
import still completes and the worker's hourly reconciler queues that work later.

Options:
  --kind KIND          ${IMPORT_KINDS.join(' | ')}
  --district DISTRICT  the district's id or code
  --dry-run            report what the import would create, update and withdraw, writing nothing to
                       the district's tables (the import is recorded, marked as a dry run)
  --resume IMPORT_ID   finish an import this command started and did not end (killed, interrupted);
                       it resumes after its last committed batch
  --batch-rows N       rows per batch and transaction (default: IMPORT_BATCH_ROWS, or 20000)
  --json               print the summary as one JSON object
  -h, --help           show this help

A progress bar is drawn on a terminal, one line per few seconds otherwise; the summary (the counts
the API shows, and the first row errors) is printed at the end. The import is listed with the
district's other imports (GET /api/v1/imports/{id}, all its row errors at .../errors).

Environment: DATABASE_URL (postgres://postgres@127.0.0.1:5432/reconnect), REDIS_URL
(redis://127.0.0.1:6379), QUEUE_PREFIX (reconnect), IMPORT_BATCH_ROWS.
A bulk roster that would withdraw more than the district's rosterWithdrawalLimitPercent of its active
students applies the rest and stops before withdrawing; an admin confirms with
POST /api/v1/imports/{id}/confirm.
Exit status: 0 completed (with or without row errors), 1 failed (or the file refused at once: its format,
encoding or header; nothing is recorded then), 2 bad arguments, 3 awaits confirmation.`;

class UsageError extends Error {}

interface CliArgs {
  kind?: ImportKind;
  district?: string;
  file?: string;
  resume?: string;
  batchRows?: string;
  json: boolean;
  dryRun: boolean;
}

function parse(argv: string[]): CliArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      district: { type: 'string' },
      resume: { type: 'string' },
      'batch-rows': { type: 'string' },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (values.resume) {
    if (positionals.length || values.kind || values.district || values['dry-run'])
      throw new UsageError('--resume takes no FILE, --kind, --district or --dry-run');
    return { resume: values.resume, batchRows: values['batch-rows'], json: values.json, dryRun: false };
  }
  if (!values.kind || !(IMPORT_KINDS as readonly string[]).includes(values.kind))
    throw new UsageError(`--kind must be one of ${IMPORT_KINDS.join(', ')}`);
  if (!values.district) throw new UsageError('--district is required');
  if (positionals.length !== 1) throw new UsageError('give exactly one FILE');
  return {
    kind: values.kind as ImportKind,
    district: values.district,
    file: positionals[0],
    batchRows: values['batch-rows'],
    json: values.json,
    dryRun: values['dry-run'],
  };
}

const number = (n: number): string => n.toLocaleString('en-US');

/** A bar redrawn in place on a terminal; a plain line every few seconds in a log. */
class ProgressReporter {
  private lastLine = 0;
  private readonly started = Date.now();

  constructor(private readonly tty: boolean) {}

  update({ totals, part }: ImportProgress): void {
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(totals.rows / seconds) : 0;
    const percent = Math.floor(totals.progress * 100);
    const counts = `${number(totals.rows)} rows (${number(totals.created)} created, ${number(totals.updated)} updated, ${number(totals.unchanged)} unchanged, ${number(totals.failed)} failed)`;
    if (this.tty) {
      const width = 24;
      const filled = Math.round((percent / 100) * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)}%  ${counts}  ${number(rate)} rows/s \x1b[K`,
      );
    } else if (Date.now() - this.lastLine >= 2000) {
      this.lastLine = Date.now();
      process.stderr.write(`${percent}% ${part} ${counts} ${number(rate)} rows/s\n`);
    }
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}

async function summary(row: ImportRow, repository: ImportsRepository, seconds: number, json: boolean): Promise<string> {
  const errors = await repository.errors(row.id, 10, null);
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const counts = {
    rows: row.rows,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    failed: row.failed,
    skipped: row.skipped,
  };
  if (json) {
    return JSON.stringify({
      id: row.id,
      status: row.status,
      dryRun: row.dryRun,
      counts,
      stats: row.stats,
      warnings: row.warnings,
      errorSummary: row.errorSummary,
      seconds,
      peakRssMb: peakMb,
      errors,
    });
  }
  const figures = [...Object.entries(counts), ...Object.entries(row.stats)];
  // Wide enough for the longest counter name (manifestsCreated), with a space after it.
  const width = Math.max(16, ...figures.map(([name]) => name.length + 1));
  const lines = [
    `${row.dryRun ? 'dry run ' : ''}import ${row.id} (${row.kind}, ${row.fileName}): ${row.status} in ${seconds.toFixed(1)} s, ${number(Math.round(row.rows / Math.max(seconds, 0.001)))} rows/s, peak memory ${peakMb} MB`,
    ...figures.map(([name, value]) => `  ${name.padEnd(width)}${number(value)}`),
  ];
  if (row.ignoredColumns.length) lines.push(`  ignored columns: ${row.ignoredColumns.join(', ')}`);
  lines.push(...row.warnings.map((w) => `  warning: ${w.part ? `${w.part} ` : ''}column "${w.column}": ${w.message}`));
  if (row.errorSummary) lines.push(`  ${row.errorSummary}`);
  if (errors.length) {
    lines.push(
      `  row errors${row.failed > errors.length ? ` (the first ${errors.length}; all at GET /api/v1/imports/${row.id}/errors)` : ''}:`,
    );
    const unit = row.inputFormat === 'json' ? 'item' : 'line';
    lines.push(...errors.map((e) => `    ${e.part ? `${e.part} ` : ''}${unit} ${e.line}${e.field ? ` ${e.field}` : ''}: ${e.message}`));
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  let args: CliArgs | 'help';
  let config: AppConfig;
  try {
    args = parse(process.argv.slice(2));
    if (args === 'help') {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    config = loadConfig({ ...process.env, ...(args.batchRows ? { IMPORT_BATCH_ROWS: args.batchRows } : {}) });
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`import: ${(error as Error).message}\n\n${HELP}\n`);
      return 2;
    }
    throw error;
  }
  await ensureDatabase(config.databaseUrl);
  if (config.migrationsRun) await runMigrations(config.databaseUrl);
  const app = await NestFactory.createApplicationContext(ImportCliModule.register(config), { logger: false, abortOnError: false });
  try {
    const cli = args;
    let importId = cli.resume;
    if (!importId) {
      try {
        importId = await app.get(ImportsService).createLocal(cli.district!, cli.kind!, cli.file!, cli.dryRun);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (error instanceof DomainError && error.code === 'import_file_refused') {
          // Refused as it was read, as an upload would be: nothing was recorded.
          const problems = error.errors.map((e) => `  ${e.line ? `line ${e.line} ` : ''}${e.field}: ${e.message}\n`).join('');
          process.stderr.write(`import: ${error.message}\n${problems}`);
          return 1;
        }
        if (error instanceof DomainError || code === 'ENOENT' || code === 'EISDIR') {
          process.stderr.write(`import: ${error instanceof DomainError ? error.message : `cannot read ${cli.file}`}\n`);
          return 2;
        }
        throw error;
      }
    }
    const id = importId;
    process.once('SIGINT', () => {
      process.stderr.write(`\nimport: interrupted; what was committed stays. Resume with: npm run import -- --resume ${id}\n`);
      process.exit(130);
    });
    const reporter = new ProgressReporter(process.stderr.isTTY === true);
    const started = Date.now();
    const row = await app.get(ImportRunner).run(id, { onProgress: (p) => reporter.update(p) });
    reporter.done();
    if (!row) {
      process.stderr.write(`import: no import ${id}\n`);
      return 2;
    }
    process.stdout.write(`${await summary(row, app.get(ImportsRepository), (Date.now() - started) / 1000, cli.json)}\n`);
    const unqueued = app.get(QueueService).addFailures();
    if (unqueued.jobs) {
      process.stderr.write(
        `import: warning: ${unqueued.jobs} follow-up job(s) of this import (such as a gap scan) could not be queued in Redis at ` +
          `${redact(config.redisUrl)} (${unqueued.lastError}). The import itself is complete; the worker's hourly reconciler ` +
          'will queue the follow-up.\n',
      );
    }
    return row.status === 'completed' ? 0 : row.status === 'needs_confirmation' ? 3 : 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
