import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { PUBLIC_KEY, ROLES_KEY } from '../src/auth/access.decorators.js';
import { buildOpenApi } from '../src/app.factory.js';
import { TokensService } from '../src/auth/tokens.service.js';
import { logger } from '../src/common/logging/logger.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ worker: false, env: { JSON_BODY_LIMIT: '64kb' } });
});
afterAll(async () => {
  await t?.close();
});

async function createDistrict(code: string): Promise<string> {
  const rows = (await t.db.query(`INSERT INTO districts (name, code) VALUES ($1, $1) RETURNING id`, [code])) as { id: string }[];
  return rows[0]!.id;
}

describe('health', () => {
  it('answers live and ready without a token', async () => {
    await t.http().get('/health/live').expect(200, { status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
  });
});

describe('access', () => {
  it('refuses a request without a token with a problem document', async () => {
    const res = await t.http().get('/api/v1/tokens').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'missing_token', type: '/problems/missing_token', title: 'Unauthorized' });
    expect(res.body.requestId).toEqual(res.headers['x-request-id']);
  });

  it('logs one line per request: its id, method, path without the query, status and time', async () => {
    // Tests log nothing (LOG_LEVEL silent): at info for this one, with the lines caught instead of written.
    const level = logger.level;
    logger.level = 'info';
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      await t
        .http()
        .get('/api/v1/students?q=Ann%20Example')
        .set(...bearer(t.adminToken))
        .set('X-Request-Id', 'access-line-1')
        .expect(200);
      await t.http().get('/api/v1/tokens?email=ann@example.org').set('X-Request-Id', 'access-line-2').expect(401);
      const line = async (spy: typeof info, id: string) => {
        // Written when the answer is done, which can be just after the client has it.
        for (let i = 0; i < 50 && !spy.mock.calls.some(([fields]) => JSON.stringify(fields).includes(id)); i += 1)
          await new Promise((resolve) => setTimeout(resolve, 10));
        return spy.mock.calls.find(([fields]) => JSON.stringify(fields).includes(id));
      };
      expect(await line(info, 'access-line-1')).toEqual([
        {
          req: { id: 'access-line-1', method: 'GET', path: '/api/v1/students' },
          res: { statusCode: 200 },
          responseTime: expect.any(Number),
        },
        'request completed',
      ]);
      expect(await line(warn, 'access-line-2')).toEqual([
        { req: { id: 'access-line-2', method: 'GET', path: '/api/v1/tokens' }, res: { statusCode: 401 }, responseTime: expect.any(Number) },
        'request completed',
      ]);
      expect(JSON.stringify([...info.mock.calls, ...warn.mock.calls])).not.toMatch(/Ann|ann@example/);
    } finally {
      info.mockRestore();
      warn.mockRestore();
      logger.level = level;
    }
  });

  it('refuses an unknown token', async () => {
    const res = await t
      .http()
      .get('/api/v1/tokens')
      .set(...bearer('nope'))
      .expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('declares who may call every route, and refuses every non-public route without a token', async () => {
    const discovery = t.app.get(DiscoveryService);
    const scanner = t.app.get(MetadataScanner);
    const undeclared: string[] = [];
    for (const wrapper of discovery.getControllers()) {
      const instance = wrapper.instance as object;
      const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name] as object;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const declared =
          Reflect.getMetadata(PUBLIC_KEY, handler) ??
          Reflect.getMetadata(PUBLIC_KEY, wrapper.metatype as object) ??
          Reflect.getMetadata(ROLES_KEY, handler) ??
          Reflect.getMetadata(ROLES_KEY, wrapper.metatype as object);
        if (declared === undefined) undeclared.push(`${wrapper.name}.${name}`);
      }
    }
    expect(undeclared).toEqual([]);

    const document = buildOpenApi(t.app);
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      (['get', 'post', 'patch', 'put', 'delete'] as const).filter((m) => item[m]).map((m) => ({ path, method: m })),
    );
    expect(operations.length).toBeGreaterThan(3);
    // The token sign-in is the one public API route: it takes a token in its body, not a header.
    const signIn = (o: { path: string; method: string }) => o.path === '/api/v1/sessions' && o.method === 'post';
    for (const { path, method } of operations.filter((o) => o.path.startsWith('/api/v1') && !signIn(o))) {
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await t.http()[method](url);
      expect({ path, method, status: res.status }).toEqual({ path, method, status: 401 });
    }
  });

  it('documents every route with its responses, and every body with a schema', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    const missing: string[] = [];
    for (const [path, item] of Object.entries(res.body.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [method, op] of Object.entries(item)) {
        const responses = op['responses'] as Record<string, { content?: unknown; description?: string }>;
        const success = Object.entries(responses).find(([code]) => code.startsWith('2'));
        if (!success || (code204(success[0]) ? false : !success[1].content)) missing.push(`${method} ${path}: response`);
        if (['post', 'patch', 'put'].includes(method) && !op['requestBody'] && !path.endsWith('/revoke')) {
          missing.push(`${method} ${path}: request body`);
        }
      }
    }
    expect(missing).toEqual([]);
    await t.http().get('/api/docs').expect(200);
  });
});

function code204(code: string): boolean {
  return code === '204';
}

describe('tokens', () => {
  it('lets a state admin create a district token whose secret is shown once and stored hashed', async () => {
    const districtId = await createDistrict('tok-a');
    const created = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(t.adminToken))
      .send({ name: 'Help desk', role: 'helpdesk', districtId })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'Help desk', role: 'helpdesk', districtId, revokedAt: null });
    expect(created.body.secret).toMatch(/^rct_/);

    const stored = (await t.db.query(`SELECT encode(secret_hash, 'hex') AS h FROM api_tokens WHERE id = $1`, [created.body.id])) as {
      h: string;
    }[];
    expect(stored[0]!.h).not.toContain(created.body.secret);
    const listed = await t
      .http()
      .get('/api/v1/tokens')
      .set(...bearer(t.adminToken))
      .expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

    const me = await t
      .http()
      .get('/api/v1/tokens/me')
      .set(...bearer(created.body.secret))
      .expect(200);
    expect(me.body.id).toBe(created.body.id);
    // A help desk token may not manage tokens.
    const denied = await t
      .http()
      .get('/api/v1/tokens')
      .set(...bearer(created.body.secret))
      .expect(403);
    expect(denied.body.code).toBe('role_not_allowed');

    const audit = (await t.db.query(`SELECT action FROM audit_events WHERE entity_id = $1`, [created.body.id])) as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['create']);
  });

  it('confines a district admin to their own district and stops revoked tokens at once', async () => {
    const own = await createDistrict('tok-b');
    const other = await createDistrict('tok-c');
    const admin = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(t.adminToken))
      .send({ name: 'DA', role: 'district_admin', districtId: own })
      .expect(201);
    const secret = admin.body.secret as string;

    const tech = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(secret))
      .send({ name: 'Tech', role: 'tech' })
      .expect(201);
    expect(tech.body.districtId).toBe(own);
    const elsewhere = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(secret))
      .send({ name: 'Tech', role: 'tech', districtId: other })
      .expect(404);
    expect(elsewhere.body.code).toBe('district_not_found');
    const escalate = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(secret))
      .send({ name: 'S', role: 'state_admin' })
      .expect(403);
    expect(escalate.body.code).toBe('role_not_allowed');

    const listed = await t
      .http()
      .get('/api/v1/tokens')
      .set(...bearer(secret))
      .expect(200);
    expect(new Set(listed.body.data.map((d: { districtId: string }) => d.districtId))).toEqual(new Set([own]));

    await t
      .http()
      .post(`/api/v1/tokens/${tech.body.id}/revoke`)
      .set(...bearer(secret))
      .expect(200);
    await t
      .http()
      .get('/api/v1/tokens/me')
      .set(...bearer(tech.body.secret))
      .expect(401);
  });

  it('answers 422 naming the field for a district that does not exist, and writes nothing', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM api_tokens`)) as { n: number }[];
    const res = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(t.adminToken))
      .send({ name: 'x', role: 'tech', districtId: '00000000-0000-4000-8000-000000000000' })
      .expect(422);
    expect(res.body.errors).toEqual([{ field: 'districtId', message: 'no such district' }]);
    const after = (await t.db.query(`SELECT count(*)::int AS n FROM api_tokens`)) as { n: number }[];
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('bad input', () => {
  it('rejects unknown fields and wrong types, naming each field', async () => {
    const res = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(t.adminToken))
      .send({ name: 5, role: 'wizard', colour: 'red' })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['colour', 'name', 'role']));
  });

  it('rejects malformed JSON and oversized bodies as problems', async () => {
    const malformed = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(t.adminToken))
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(malformed.body.code).toBe('malformed_json');
    const big = await t
      .http()
      .post('/api/v1/tokens')
      .set(...bearer(t.adminToken))
      .send({ name: 'x'.repeat(100 * 1024), role: 'tech' })
      .expect(413);
    expect(big.body.code).toBe('payload_too_large');
  });

  it('answers an unknown route with a problem, and a bad id with a 400 naming it', async () => {
    const missing = await t
      .http()
      .get('/api/v1/nothing-here')
      .set(...bearer(t.adminToken))
      .expect(404);
    expect(missing.body.code).toBe('route_not_found');
    const badId = await t
      .http()
      .post('/api/v1/tokens/not-a-uuid/revoke')
      .set(...bearer(t.adminToken))
      .expect(400);
    expect(badId.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });
});

describe('unexpected errors', () => {
  it('answer 500 with the request id and nothing of the internals', async () => {
    const spy = jest
      .spyOn(t.app.get(TokensService), 'list')
      .mockRejectedValueOnce(new Error('connection to 10.0.0.5 failed: password for app'));
    const res = await t
      .http()
      .get('/api/v1/tokens')
      .set(...bearer(t.adminToken))
      .set('X-Request-Id', 'trace-me-1')
      .expect(500);
    spy.mockRestore();
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 500, code: 'internal_error', requestId: 'trace-me-1' });
    expect(JSON.stringify(res.body)).not.toMatch(/10\.0\.0\.5|password|stack/);
  });
});
