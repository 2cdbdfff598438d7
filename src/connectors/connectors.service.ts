import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, districtFor } from '../auth/scope.js';
import { seal } from '../auth/secret-box.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { cursorKey, DEFAULT_PAGE_SIZE, isTimestamp, isUuidKey, page } from '../common/http/pagination.js';
import { FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, violatedConstraint } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { QueueService } from '../queue/queue.service.js';
import { connectorSecretPurpose, KIND_STREAMS, parseSettings, type ConnectorKind, type ConnectorSecrets } from './connector.domain.js';
import { ConnectorSchedules, scheduleOf } from './connector-schedules.js';
import {
  ConnectorDto,
  ConnectorListDto,
  ConnectorRunDto,
  type ConnectorQueryDto,
  type ConnectorRunAcceptedDto,
  type CreateConnectorDto,
  type PatchConnectorDto,
  type StartRunDto,
} from './connectors.dto.js';
import { ConnectorsRepository, type ConnectorRow } from './connectors.repository.js';
import { WriteBacksRepository } from './write-backs.repository.js';

@Injectable()
export class ConnectorsService {
  constructor(
    private readonly connectors: ConnectorsRepository,
    private readonly writeBacks: WriteBacksRepository,
    private readonly schedules: ConnectorSchedules,
    private readonly queues: QueueService,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(principal: Principal, input: CreateConnectorDto): Promise<ConnectorDto> {
    const districtId = districtFor(principal, input.districtId);
    const parsed = this.parse(input.kind, input.settings, null);
    const id = randomUUID();
    try {
      await this.uow.run(actorOf(principal), async (tx) => {
        await this.connectors.insert(tx.em, {
          id,
          districtId,
          kind: input.kind,
          settings: parsed.settings,
          secretsSealed: this.seal(id, parsed.secrets!),
        });
        // Secrets are never in the audit trail; that they were set is.
        tx.audit({
          districtId,
          entityType: 'connector',
          entityId: id,
          action: 'create',
          after: { kind: input.kind, settings: parsed.settings, secrets: 'set' },
        });
      });
    } catch (error) {
      if (violatedConstraint(error, FOREIGN_KEY_VIOLATION) === 'connectors_district_id_fkey')
        throw referenceNotFound('district_not_found', 'districtId', districtId);
      if (violatedConstraint(error, UNIQUE_VIOLATION) === 'connectors_one_kind_per_district')
        throw domainError('duplicate_connector', input.kind);
      throw error;
    }
    const row = (await this.connectors.find(id, null))!;
    await this.schedules.ensure(row);
    return this.present(row);
  }

  async get(principal: Principal, id: string): Promise<ConnectorDto> {
    return this.present(await this.visible(principal, id));
  }

  async list(principal: Principal, query: ConnectorQueryDto): Promise<ConnectorListDto> {
    const districtId = districtFilter(principal, query.districtId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = cursorKey<[string, string]>(query.cursor, [isTimestamp, isUuidKey]);
    const rows = await this.connectors.list(districtId, limit + 1, after);
    const result = page(rows, limit, (r) => [r.createdAtKey, r.id]);
    return { data: await Promise.all(result.data.map((r) => this.present(r))), nextCursor: result.nextCursor };
  }

  /** Changes settings (a secret given replaces the stored one); a connector stopped for its credential starts again. */
  async patch(principal: Principal, id: string, input: PatchConnectorDto): Promise<ConnectorDto> {
    await this.uow.run(actorOf(principal), async (tx) => {
      const row = await this.connectors.find(id, principal.districtId, tx.em, true);
      if (!row) throw domainError('connector_not_found', id);
      const parsed = this.parse(row.kind, input.settings, row);
      await this.connectors.update(tx.em, id, parsed.settings, parsed.secrets ? this.seal(id, parsed.secrets) : null);
      tx.audit({
        districtId: row.districtId,
        entityType: 'connector',
        entityId: id,
        action: 'update',
        before: { settings: row.settings, status: row.status },
        after: { settings: parsed.settings, status: 'active', ...(parsed.secrets ? { secrets: 'replaced' } : {}) },
      });
    });
    const row = (await this.connectors.find(id, null))!;
    await this.schedules.ensure(row);
    return this.present(row);
  }

  /** Queues a run now (202); one already queued or running is answered 409 naming it. */
  async startRun(principal: Principal, id: string, input: StartRunDto): Promise<ConnectorRunAcceptedDto> {
    const runId = await this.uow.run(actorOf(principal), async (tx) => {
      const row = await this.connectors.find(id, principal.districtId, tx.em);
      if (!row) throw domainError('connector_not_found', id);
      const offered = KIND_STREAMS[row.kind];
      const foreign = (input.streams ?? []).filter((s) => !offered.includes(s));
      if (foreign.length) {
        throw domainError('validation_failed', [{ field: 'streams', message: `a ${row.kind} connector syncs ${offered.join(', ')}` }]);
      }
      // In the connector's own order (devices before logins), whatever order they were asked in.
      const streams = offered.filter((s) => !input.streams || input.streams.includes(s));
      const created = await this.connectors.insertRun(tx.em, {
        connectorId: id,
        districtId: row.districtId,
        trigger: 'manual',
        streams,
        requestedBy: principal.tokenId,
      });
      if (!created) throw domainError('connector_run_in_progress', (await this.connectors.openRun(id, tx.em))?.id ?? 'unknown');
      tx.audit({ districtId: row.districtId, entityType: 'connector', entityId: id, action: 'run_requested', after: { runId: created } });
      tx.enqueue(this.queues.job('connectors', 'connector.run', { runId: created }, { jobId: created }));
      return created;
    });
    return { id: runId, status: 'queued' };
  }

  async getRun(principal: Principal, id: string, runId: string): Promise<ConnectorRunDto> {
    await this.visible(principal, id);
    const run = await this.connectors.findRun(runId, id);
    if (!run) throw domainError('connector_run_not_found', runId);
    return ConnectorRunDto.from(run);
  }

  /** The scheduler's tick: a run unless the connector is stopped or one is open already. */
  async scheduledRun(connectorId: string): Promise<string | null> {
    return this.uow.run({ tokenId: null, name: 'system:connector-schedule' }, async (tx) => {
      const row = await this.connectors.find(connectorId, null, tx.em);
      if (!row || row.status !== 'active') return null;
      const runId = await this.connectors.insertRun(tx.em, {
        connectorId,
        districtId: row.districtId,
        trigger: 'schedule',
        streams: [...KIND_STREAMS[row.kind]],
        requestedBy: null,
      });
      if (runId) tx.enqueue(this.queues.job('connectors', 'connector.run', { runId }, { jobId: runId }));
      return runId;
    });
  }

  /** Every active connector has its scheduler; every run or write-back waiting for a while has its job. */
  async reconcile(): Promise<{ schedulers: number; runsEnsured: number; writeBacksEnsured: number }> {
    const active = await this.connectors.active();
    for (const row of active) await this.schedules.ensure(row);
    let runsEnsured = 0;
    for (const runId of await this.connectors.openRunsOlderThan(300)) {
      if ((await this.queues.ensure(this.queues.job('connectors', 'connector.run', { runId }, { jobId: runId }))) !== 'present')
        runsEnsured += 1;
    }
    let writeBacksEnsured = 0;
    for (const writeBackId of await this.writeBacks.pendingOlderThan(300)) {
      const job = this.queues.job('connectors', 'connector.write-back', { writeBackId }, { jobId: `write-back-${writeBackId}` });
      if ((await this.queues.ensure(job)) !== 'present') writeBacksEnsured += 1;
    }
    return { schedulers: active.length, runsEnsured, writeBacksEnsured };
  }

  private parse(kind: ConnectorKind, input: Record<string, unknown>, current: ConnectorRow | null) {
    const result = parseSettings(kind, input, current?.settings ?? null, this.config.connectorAllowHttp);
    if ('problems' in result) throw domainError('validation_failed', result.problems);
    if (result.parsed.secrets && !this.config.secretsKey) throw domainError('connector_secrets_key_missing');
    return result.parsed;
  }

  private seal(id: string, secrets: ConnectorSecrets): Buffer {
    return seal(this.config.secretsKey!, JSON.stringify(secrets), connectorSecretPurpose(id));
  }

  private async visible(principal: Principal, id: string): Promise<ConnectorRow> {
    const row = await this.connectors.find(id, principal.districtId);
    if (!row) throw domainError('connector_not_found', id);
    return row;
  }

  private async present(row: ConnectorRow): Promise<ConnectorDto> {
    const [nextRunAt, lastRun] = await Promise.all([
      row.status === 'active' ? this.schedules.nextRun(row.id) : Promise.resolve(null),
      this.connectors.lastRun(row.id),
    ]);
    return ConnectorDto.from(row, scheduleOf(row.kind, row.settings), nextRunAt, lastRun);
  }
}
