import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { QueueService } from '../src/queue/queue.service.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ worker: false });
});
afterAll(async () => {
  await t?.close();
});

const actor = { tokenId: null, name: 'test' };

describe('unit of work', () => {
  it('adds a job only once its transaction has committed, and writes its audit events inside it', async () => {
    const uow = t.app.get(UnitOfWork);
    const queues = t.app.get(QueueService);
    const jobId = randomUUID();
    let seenInsideTransaction: unknown = 'not checked';
    await uow.run(actor, async (tx) => {
      tx.enqueue(queues.job('gap-scans', 'gap-scan.run', { scanId: jobId }, { jobId }));
      tx.audit({ districtId: null, entityType: 'test', entityId: jobId, action: 'commit' });
      seenInsideTransaction = await queues.queue('gap-scans').getJob(jobId);
    });
    expect(seenInsideTransaction).toBeUndefined();
    expect((await queues.queue('gap-scans').getJob(jobId))?.data).toEqual({ scanId: jobId });
    const audit = (await t.db.query(`SELECT actor, action FROM audit_events WHERE entity_id = $1`, [jobId])) as unknown[];
    expect(audit).toEqual([{ actor: 'test', action: 'commit' }]);
  });

  it('adds no job and keeps no audit event when the transaction rolls back', async () => {
    const uow = t.app.get(UnitOfWork);
    const queues = t.app.get(QueueService);
    const jobId = randomUUID();
    await expect(
      uow.run(actor, (tx) => {
        tx.enqueue(queues.job('gap-scans', 'gap-scan.run', { scanId: jobId }, { jobId }));
        tx.audit({ districtId: null, entityType: 'test', entityId: jobId, action: 'rollback' });
        return Promise.reject(new Error('changed my mind'));
      }),
    ).rejects.toThrow('changed my mind');
    expect(await queues.queue('gap-scans').getJob(jobId)).toBeUndefined();
    expect(await t.db.query(`SELECT 1 FROM audit_events WHERE entity_id = $1`, [jobId])).toEqual([]);
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await expect(t.db.query(`UPDATE audit_events SET actor = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
  });
});

describe('readiness', () => {
  it('answers 503 naming Redis while Redis is down, and recovers by itself when it is back', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const startRedis = () =>
      spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    let redis = startRedis();
    const app = await startTestApp({ worker: false, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    try {
      await app.http().get('/health/ready').expect(200);
      const stopped = new Promise((resolve) => redis.once('exit', resolve));
      redis.kill('SIGTERM');
      await stopped;
      const res = await app.http().get('/health/ready').expect(503);
      expect(res.body).toEqual({ status: 'unavailable', postgres: 'up', redis: 'down' });
      await app.http().get('/health/live').expect(200);
      // A write whose job cannot reach Redis still answers (BullMQ alone would wait for Redis), and its
      // record stays queued for the reconciler.
      const scan = await app
        .http()
        .post('/api/v1/gap-scans')
        .set(...bearer(app.adminToken))
        .send({})
        .expect(202);
      const [row] = (await app.db.query(`SELECT status FROM gap_scans WHERE id = $1`, [scan.body.id])) as { status: string }[];
      expect(row?.status).toBe('queued');

      redis = startRedis();
      const deadline = Date.now() + 15000;
      let status = 503;
      while (status !== 200 && Date.now() < deadline) {
        status = (await app.http().get('/health/ready')).status;
      }
      expect(status).toBe(200);
    } finally {
      await app.close();
      redis.kill('SIGTERM');
    }
  });
});
