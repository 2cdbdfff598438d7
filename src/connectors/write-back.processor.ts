import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { unseal } from '../auth/secret-box.js';
import type { Actor } from '../common/actor.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { JobHandler, type HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobPayload } from '../queue/queue.registry.js';
import { CredentialRejectedError, RemoteError } from './connector-http.js';
import { connectorSecretPurpose, type GoogleSecrets, type GoogleSettings } from './connector.domain.js';
import { ConnectorsRepository } from './connectors.repository.js';
import { GoogleSession } from './google-workspace.source.js';
import { WriteBacksRepository, type WriteBackRow } from './write-backs.repository.js';

const ACTOR: Actor = { tokenId: null, name: 'connector:google-write-back' };

/** Outcomes that no retry changes: a refused credential, a device Google does not know, a bad request. */
class FinalFailure extends Error {}

/**
 * Delivers one outbox row to Google Admin: the annotations by a device update, disabling, re-enabling
 * and deprovisioning by a device action. The result, or the error, is audited on the device.
 */
@Injectable()
@JobHandler('connectors', 'connector.write-back')
export class WriteBackProcessor implements HandlesJob<'connectors', 'connector.write-back'> {
  private readonly logger = new Logger('connectors');

  constructor(
    private readonly writeBacks: WriteBacksRepository,
    private readonly connectors: ConnectorsRepository,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(job: Job<JobPayload<'connectors', 'connector.write-back'>>, signal?: AbortSignal): Promise<{ status: string }> {
    const row = await this.writeBacks.find(job.data.writeBackId);
    if (!row || row.status !== 'pending') return { status: row?.status ?? 'gone' };
    // Google must see a device's changes in the order they happened (an issue, then its return).
    if (await this.writeBacks.earlierPending(row)) throw new Error(`write-back ${row.id} waits for an earlier one of its device`);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      await this.deliver(row, signal);
      await this.finish(row, 'delivered', null);
      return { status: 'delivered' };
    } catch (error) {
      if (signal?.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof FinalFailure || error instanceof CredentialRejectedError || error instanceof RemoteError || finalAttempt) {
        this.logger.warn({ writeBackId: row.id, deviceId: row.deviceId, action: row.action }, 'write-back failed');
        await this.finish(row, 'failed', message);
        return { status: 'failed' };
      }
      await this.uow.run(ACTOR, (tx) => this.writeBacks.noteAttempt(tx.em, row.id, message));
      throw error;
    }
  }

  private async deliver(row: WriteBackRow, signal?: AbortSignal): Promise<void> {
    const connector = await this.connectors.find(row.connectorId, null);
    const settings = connector?.settings as GoogleSettings | undefined;
    if (!connector || !settings || settings.writeBack !== 'on') throw new FinalFailure('write-back was switched off before delivery');
    if (connector.status === 'stopped') throw new FinalFailure(`the Google connector is stopped (${connector.stoppedCode})`);
    const key = this.config.secretsKey;
    const opened = key && unseal(key, connector.secretsSealed, connectorSecretPurpose(connector.id));
    if (!opened) throw new FinalFailure('the stored key file cannot be decrypted with SECRETS_KEY');
    const session = new GoogleSession(settings, JSON.parse(opened) as GoogleSecrets, this.config.connectorRetry);
    const device = `${session.apiRoot}/admin/directory/v1/customer/my_customer/devices/chromeos/${encodeURIComponent(row.googleDeviceId)}`;
    if (row.action === 'annotate') {
      await session.send('PUT', `${device}?projection=BASIC`, row.payload, 'The Directory API (device update)', signal);
    } else {
      const body = row.action === 'deprovision' ? { action: 'deprovision', deprovisionReason: 'retiring_device' } : { action: row.action };
      await session.send('POST', `${device}/action`, body, `The Directory API (${row.action})`, signal);
    }
  }

  private async finish(row: WriteBackRow, status: 'delivered' | 'failed', error: string | null): Promise<void> {
    await this.uow.run(ACTOR, async (tx) => {
      await this.writeBacks.finish(tx.em, row.id, status, error);
      tx.audit({
        districtId: row.districtId,
        entityType: 'device',
        entityId: row.deviceId,
        action: 'google_write_back',
        before: { writeBackId: row.id, status: 'pending' },
        after: { writeBackId: row.id, action: row.action, cause: row.cause, mode: row.mode, status, ...(error ? { error } : {}) },
      });
    });
  }
}
