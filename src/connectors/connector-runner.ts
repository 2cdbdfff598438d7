import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { unseal } from '../auth/secret-box.js';
import type { Actor } from '../common/actor.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GapScansService } from '../connectivity/gap-scans.service.js';
import { ADVISORY_LOCKS } from '../database/advisory-locks.js';
import { q, run } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { ImportRunner } from '../imports/import-runner.js';
import { ImportsService } from '../imports/imports.service.js';
import { CredentialRejectedError, RemoteError, RemoteUnavailableError } from './connector-http.js';
import {
  connectorSecretPurpose,
  STREAM_IMPORT_KIND,
  type ConnectorSecrets,
  type GoogleSecrets,
  type GoogleSettings,
  type OneRosterSecrets,
  type OneRosterSettings,
  type RunErrorCode,
  type Stream,
} from './connector.domain.js';
import { ConnectorSchedules } from './connector-schedules.js';
import {
  ConnectorsRepository,
  type ConnectorCursors,
  type ConnectorRow,
  type RunRow,
  type StreamProgress,
} from './connectors.repository.js';
import { chromeDevicesSource, devicesSyncedSince, GoogleSession, loginActivitySource } from './google-workspace.source.js';
import { googleAnswerFile, rosterFolder } from './import-files.js';
import { rosterSource } from './oneroster-rest.source.js';
import type { StreamSource } from './stream-source.js';

export interface ConnectorRunOptions {
  signal?: AbortSignal;
  /** False while the queue will retry: a remote that stays unavailable then leaves the run to the next attempt. */
  finalAttempt?: boolean;
}

/** Another worker holds the connector (a stalled job picked up twice): this attempt is retried later. */
export class ConnectorBusyError extends Error {}

/** The import a stream became ended failed: the run fails with its summary. */
class ImportFailedError extends Error {}

/** Statuses an import ends in that count as applied (a bulk roster may wait for an admin to confirm its withdrawals). */
const APPLIED = ['completed', 'needs_confirmation'];

/**
 * Runs one connector run: each stream's pages are fetched into a page file (its cursor and size saved
 * after every page, so a restarted run goes on from the next page and never keeps a page twice), then
 * handed to the imports as a file of the kind the stream feeds, and run through the same ImportRunner
 * as an upload: one code path for what arrives by hand and by connector.
 */
@Injectable()
export class ConnectorRunner {
  private readonly logger = new Logger('connectors');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly connectors: ConnectorsRepository,
    private readonly imports: ImportsService,
    private readonly importRunner: ImportRunner,
    private readonly gapScans: GapScansService,
    private readonly schedules: ConnectorSchedules,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs or resumes the run to its end; the lock is a session's on a connection of its own. */
  async run(runId: string, options: ConnectorRunOptions = {}): Promise<RunRow | null> {
    const found = await this.connectors.findRun(runId, null);
    if (!found) return null;
    const lock = this.db.createQueryRunner();
    await lock.connect();
    try {
      const held = await run<{ ok: boolean }>(
        lock.manager,
        q`SELECT pg_try_advisory_lock(${ADVISORY_LOCKS.connectorRun}, hashtext(${found.connectorId})) AS ok`,
      );
      if (!held.rows[0]?.ok) throw new ConnectorBusyError(`connector ${found.connectorId} is being run elsewhere`);
      try {
        await this.runLocked(runId, options);
      } finally {
        await run(lock.manager, q`SELECT pg_advisory_unlock(${ADVISORY_LOCKS.connectorRun}, hashtext(${found.connectorId}))`);
      }
    } finally {
      await lock.release();
    }
    return this.connectors.findRun(runId, null);
  }

  private async runLocked(runId: string, options: ConnectorRunOptions): Promise<void> {
    const system: Actor = { tokenId: null, name: 'system:connectors' };
    const started = await this.uow.run(system, (tx) => this.connectors.startRun(tx.em, runId));
    if (!started) return;
    const connector = (await this.connectors.find(started.connectorId, null))!;
    const actor: Actor = { tokenId: started.requestedBy, name: `connector:${connector.kind}` };
    const log = { connectorId: connector.id, runId, kind: connector.kind, attempt: started.attempts };
    if (connector.status === 'stopped') {
      await this.fail(
        actor,
        connector,
        started,
        'connector_stopped',
        `The connector is stopped (${connector.stoppedCode}); change its settings to start it again.`,
      );
      return;
    }
    this.logger.log(log, 'connector run started');
    try {
      const secrets = this.secretsOf(connector);
      // One Google session (one access token) for the run's streams.
      const session =
        connector.kind === 'google-workspace'
          ? new GoogleSession(connector.settings as GoogleSettings, secrets as GoogleSecrets, this.config.connectorRetry)
          : null;
      for (const stream of started.streams) {
        const source = this.sourceOf(connector, secrets, session, stream);
        const progress = await this.syncStream(actor, connector, started, stream, source, options);
        started.progress[stream] = progress;
      }
      await this.complete(actor, connector, started);
      this.logger.log({ ...log, itemsRead: started.itemsRead, changed: started.changed }, 'connector run completed');
    } catch (error) {
      if (options.signal?.aborted) {
        this.logger.warn(log, 'connector run interrupted by a shutdown; it resumes from its saved page');
        throw error;
      }
      if (error instanceof CredentialRejectedError) {
        this.logger.warn({ ...log, code: 'credential_rejected' }, 'connector stopped: its credential was refused');
        await this.stop(actor, connector, started, error.message);
        return;
      }
      if (error instanceof RemoteError || error instanceof ImportFailedError) {
        const code: RunErrorCode = error instanceof RemoteError ? 'remote_error' : 'import_failed';
        this.logger.warn({ ...log, code }, 'connector run failed');
        await this.fail(actor, connector, started, code, error.message);
        return;
      }
      const unavailable = error instanceof RemoteUnavailableError;
      const code: RunErrorCode = unavailable ? 'remote_unavailable' : 'unexpected_error';
      const message = unavailable ? error.message : 'An unexpected error stopped the run; the worker log has details.';
      if (options.finalAttempt ?? true) {
        this.logger.error({ ...log, err: error }, 'connector run failed');
        await this.fail(actor, connector, started, code, message);
        return;
      }
      this.logger.warn({ ...log, err: error }, 'connector run attempt failed; it will be retried from its saved page');
      await this.uow.run(actor, (tx) => this.connectors.noteError(tx.em, runId, code, `Attempt ${started.attempts}: ${message} Retrying.`));
      throw error;
    }
  }

  private secretsOf(connector: ConnectorRow): ConnectorSecrets {
    const key = this.config.secretsKey;
    const opened = key && unseal(key, connector.secretsSealed, connectorSecretPurpose(connector.id));
    if (!opened) throw new CredentialRejectedError('The stored secrets cannot be decrypted with SECRETS_KEY; set them again.');
    return JSON.parse(opened) as ConnectorSecrets;
  }

  private sourceOf(connector: ConnectorRow, secrets: ConnectorSecrets, session: GoogleSession | null, stream: Stream): StreamSource {
    if (!session) return rosterSource(connector.settings as OneRosterSettings, secrets as OneRosterSecrets, this.config.connectorRetry);
    return stream === 'devices'
      ? chromeDevicesSource(session, connector.cursors)
      : loginActivitySource(session, connector.cursors, () => this.clock.now());
  }

  /**
   * One stream: its pages to the page file (each page written and synced, then the cursor after it
   * and the file's size saved), then its import, recorded with the run's progress in one transaction.
   */
  private async syncStream(
    actor: Actor,
    connector: ConnectorRow,
    runRow: RunRow,
    stream: Stream,
    source: StreamSource,
    options: ConnectorRunOptions,
  ): Promise<StreamProgress> {
    const { signal } = options;
    let p = runRow.progress[stream] ?? null;
    if (p?.result) return p;
    await mkdir(this.config.importDir, { recursive: true });
    const pagesPath = join(this.config.importDir, `connector-run-${runRow.id}-${stream}.pages`);
    if (!p) {
      p = {
        params: await source.start(signal),
        cursor: null,
        pages: 0,
        items: 0,
        bytes: 0,
        fetched: false,
        newest: null,
        importId: null,
        result: null,
      };
      await this.save(runRow.id, stream, p);
    }
    if (!p.fetched) {
      const file = await open(pagesPath, 'a+');
      try {
        // What a page written after the last saved cursor left behind is cut away: that page is fetched again.
        await file.truncate(p.bytes);
        while (!p.fetched) {
          const page = await source.page(p.params, p.cursor, signal);
          const text = page.items.map((item) => `${JSON.stringify(item)}\n`).join('');
          await file.write(text, p.bytes);
          await file.sync();
          const newest: string | null =
            page.newest && (!p.newest || Date.parse(page.newest) > Date.parse(p.newest)) ? page.newest : p.newest;
          p = {
            ...p,
            cursor: page.next,
            pages: p.pages + 1,
            items: p.items + page.items.length,
            bytes: p.bytes + Buffer.byteLength(text),
            fetched: page.next === null,
            newest,
          };
          await this.save(runRow.id, stream, p);
        }
      } finally {
        await file.close();
      }
    }
    if (!p.importId && p.items === 0) {
      p = { ...p, result: { importStatus: 'nothing_to_import', created: 0, updated: 0, failed: 0, stats: {} } };
      await this.save(runRow.id, stream, p);
      await rm(pagesPath, { force: true });
      return p;
    }
    if (!p.importId) {
      const kind = STREAM_IMPORT_KIND[stream];
      const outPath = join(this.config.importDir, `connector-run-${runRow.id}-${stream}${stream === 'roster' ? '' : '.json'}`);
      await rm(outPath, { force: true, recursive: true });
      if (stream === 'roster') await rosterFolder(pagesPath, outPath);
      else await googleAnswerFile(pagesPath, outPath, stream === 'devices' ? 'chromeosdevices' : 'items');
      const fetched = p;
      let importId = '';
      try {
        await this.imports.createFromConnector(
          actor,
          connector.districtId,
          kind,
          outPath,
          `${connector.kind}-${stream}`,
          async (tx, id) => {
            importId = id;
            await this.connectors.saveProgress(tx.em, runRow.id, stream, { ...fetched, importId: id });
          },
        );
      } catch (error) {
        // The file was refused as it arrived (import_file_refused): what the remote sent cannot be imported.
        if (error instanceof DomainError) throw new ImportFailedError(`The ${kind} import was refused: ${error.message}`);
        throw error;
      }
      p = { ...p, importId };
    }
    await rm(pagesPath, { force: true });
    const ended = await this.importRunner.run(p.importId!, { ...(signal ? { signal } : {}), finalAttempt: options.finalAttempt ?? true });
    if (!ended || !APPLIED.includes(ended.status)) {
      throw new ImportFailedError(`The ${STREAM_IMPORT_KIND[stream]} import ${p.importId} failed: ${ended?.errorSummary ?? 'it is gone'}`);
    }
    p = {
      ...p,
      result: { importStatus: ended.status, created: ended.created, updated: ended.updated, failed: ended.failed, stats: ended.stats },
    };
    await this.save(runRow.id, stream, p);
    return p;
  }

  private save(runId: string, stream: Stream, progress: StreamProgress): Promise<void> {
    return this.connectors.saveProgress(this.db.manager, runId, stream, progress);
  }

  /** The run completes: its counts, where the next run starts, and a gap scan if the roster changed. */
  private async complete(actor: Actor, connector: ConnectorRow, runRow: RunRow): Promise<void> {
    const stats: Record<string, number> = {};
    const cursors: ConnectorCursors = {};
    let itemsRead = 0;
    let changed = 0;
    for (const stream of runRow.streams) {
      const p = runRow.progress[stream]!;
      const streamChanged = (p.result?.created ?? 0) + (p.result?.updated ?? 0);
      itemsRead += p.items;
      changed += streamChanged;
      stats[`${stream}Read`] = p.items;
      stats[`${stream}Changed`] = streamChanged;
      stats[`${stream}Failed`] = p.result?.failed ?? 0;
      const pending = p.result?.stats['withdrawalsPending'];
      if (pending) stats['withdrawalsPending'] = pending;
      if (stream === 'devices') cursors.devicesSyncedSince = devicesSyncedSince(runRow.startedAt ?? this.clock.now());
      if (stream === 'logins') cursors.loginsFrom = p.newest ?? p.params['startTime'];
      if (stream === 'roster') cursors.rosterVersion = p.params['version'];
    }
    runRow.itemsRead = itemsRead;
    runRow.changed = changed;
    const rosterChanged = (stats['rosterChanged'] ?? 0) > 0;
    await this.uow.run(actor, async (tx) => {
      await this.connectors.saveCursors(tx.em, connector.id, cursors);
      await this.connectors.finishRun(tx.em, runRow.id, { status: 'completed', itemsRead, changed, stats, errorCode: null, error: null });
      // Device and login imports ask for their scan themselves; a roster import does not, a roster connector does.
      if (rosterChanged) await this.gapScans.requestAfterImport(tx, connector.districtId);
      tx.audit({
        districtId: connector.districtId,
        entityType: 'connector',
        entityId: connector.id,
        action: 'run',
        after: { runId: runRow.id, itemsRead, changed, imports: runRow.streams.map((s) => runRow.progress[s]?.importId ?? null) },
      });
    });
  }

  private async fail(actor: Actor, connector: ConnectorRow, runRow: RunRow, code: RunErrorCode, message: string): Promise<void> {
    await this.uow.run(actor, async (tx) => {
      await this.connectors.finishRun(tx.em, runRow.id, { ...this.counts(runRow), status: 'failed', errorCode: code, error: message });
      tx.audit({
        districtId: connector.districtId,
        entityType: 'connector',
        entityId: connector.id,
        action: 'run_failed',
        after: { runId: runRow.id, errorCode: code },
      });
    });
  }

  /** A refused credential stops the connector (no more scheduled runs) until its settings change. */
  private async stop(actor: Actor, connector: ConnectorRow, runRow: RunRow, message: string): Promise<void> {
    await this.uow.run(actor, async (tx) => {
      await this.connectors.finishRun(tx.em, runRow.id, {
        ...this.counts(runRow),
        status: 'failed',
        errorCode: 'credential_rejected',
        error: message,
      });
      await this.connectors.stop(tx.em, connector.id, 'credential_rejected', message);
      tx.audit({
        districtId: connector.districtId,
        entityType: 'connector',
        entityId: connector.id,
        action: 'stop',
        before: { status: connector.status },
        after: { status: 'stopped', stoppedCode: 'credential_rejected', runId: runRow.id },
      });
    });
    await this.schedules.remove(connector.id);
  }

  private counts(runRow: RunRow): { itemsRead: number; changed: number; stats: Record<string, number> } {
    let itemsRead = 0;
    for (const stream of runRow.streams) itemsRead += runRow.progress[stream]?.items ?? 0;
    return { itemsRead, changed: 0, stats: {} };
  }
}
