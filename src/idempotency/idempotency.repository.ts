import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { q, run } from '../database/sql.js';
import type { ClaimOutcome, StoredAnswer } from './idempotency.domain.js';

/** How long a key is remembered: the draft asks for a stated lifetime; 24 hours covers a day of retries. */
export const KEY_LIFETIME_HOURS = 24;
/** A claim whose request died with its process (no answer, no release) is given up after this. */
const ABANDONED_AFTER_MINUTES = 10;

interface KeyRow {
  fingerprint: string;
  state: 'running' | 'done';
  status_code: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
}

/** idempotency_keys: claimed before the work, answered after it, released when it failed. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims the key in one statement (no check-then-insert): the INSERT wins, or re-takes an expired or
   * abandoned row; otherwise the row another request holds is read back to say what it holds.
   */
  async claim(scope: string, key: string, fingerprint: string): Promise<ClaimOutcome> {
    const claimed = await run(
      this.db.manager,
      q`INSERT INTO idempotency_keys (scope, key, fingerprint, state, expires_at)
        VALUES (${scope}, ${key}, ${fingerprint}, 'running', now() + make_interval(hours => ${KEY_LIFETIME_HOURS}))
        ON CONFLICT (scope, key) DO UPDATE
          SET fingerprint = EXCLUDED.fingerprint, state = 'running', status_code = NULL, response_headers = NULL,
              response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
          WHERE idempotency_keys.expires_at <= now()
             OR (idempotency_keys.state = 'running'
                 AND idempotency_keys.created_at < now() - make_interval(mins => ${ABANDONED_AFTER_MINUTES}))
        RETURNING 1`,
    );
    if (claimed.count) return { kind: 'claimed' };
    const held = await run<KeyRow>(
      this.db.manager,
      q`SELECT fingerprint, state, status_code, response_headers, response_body
          FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}`,
    );
    const row = held.rows[0];
    // Released between the two statements: the caller may simply try again, as for a running request.
    if (!row) return { kind: 'in_progress' };
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.state === 'running') return { kind: 'in_progress' };
    return {
      kind: 'replay',
      answer: { status: row.status_code ?? 200, headers: row.response_headers ?? {}, body: row.response_body },
    };
  }

  async complete(scope: string, key: string, answer: StoredAnswer): Promise<void> {
    await run(
      this.db.manager,
      q`UPDATE idempotency_keys
           SET state = 'done', status_code = ${answer.status}, response_headers = ${JSON.stringify(answer.headers)}::jsonb,
               response_body = ${JSON.stringify(answer.body ?? null)}::jsonb
         WHERE scope = ${scope} AND key = ${key} AND state = 'running'`,
    );
  }

  /** The work failed: the key is free again, so a retry runs the request anew. */
  async release(scope: string, key: string): Promise<void> {
    await run(this.db.manager, q`DELETE FROM idempotency_keys WHERE scope = ${scope} AND key = ${key} AND state = 'running'`);
  }

  /** Keys past their lifetime; run by the scheduled cleanup job. */
  async deleteExpired(): Promise<number> {
    return (await run(this.db.manager, q`DELETE FROM idempotency_keys WHERE expires_at <= now()`)).count;
  }
}
