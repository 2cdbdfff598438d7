import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { Clock } from '../src/common/clock.js';
import { PENDING_PURPOSE } from '../src/auth/oidc.domain.js';
import { seal, unseal } from '../src/auth/secret-box.js';
import { Seed } from './support/seed.js';
import { bearer, createStaffUser, startTestApp, tokenFor, type TestApp } from './support/test-app.js';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, TestIdp } from './support/test-idp.js';

const PUBLIC_URL = 'http://reconnect.test';
const SAME_ORIGIN: [string, string] = ['Origin', PUBLIC_URL];
const secretsKey = randomBytes(32);

/** The cookie a response sets, as `name=value` for a Cookie header. */
function cookieFrom(res: Response, name: string): string {
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const found = raw.find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${res.status} ${JSON.stringify(res.headers)}`);
  return found.split(';')[0]!;
}

describe('staff sign-in', () => {
  let t: TestApp;
  let idp: TestIdp;
  let seed: Seed;
  let lincoln: { id: string; code: string; schoolA: string; schoolB: string };
  let riverside: { id: string; code: string; school: string };
  let address = 0;
  /** Each test signs in from an address of its own, so their refusals do not add up to a lock-out. */
  const nextAddress = (): [string, string] => ['X-Forwarded-For', `198.51.100.${(address += 1)}`];

  const staffUser = (body: Record<string, unknown>, token = t.adminToken): Promise<string> => createStaffUser(t, body, token);

  /** start → provider (login, consent) → callback, as a browser would; returns the callback's answer. */
  async function signIn(sub: string, start = `/auth/oidc/start?email=${encodeURIComponent(sub.slice(4))}`, from = nextAddress()) {
    const started = await t
      .http()
      .get(start)
      .set(...from);
    expect(started.status).toBe(303);
    const back = await idp.authorize(started.headers['location'] as string, sub);
    expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}/auth/oidc/callback`);
    return t
      .http()
      .get(`/auth/oidc/callback${back.search}`)
      .set('Cookie', cookieFrom(started, 'reconnect_oidc'))
      .set(...from);
  }

  async function sessionOf(sub: string): Promise<string> {
    const res = await signIn(sub);
    expect([res.status, res.headers['x-refusal-reason']]).toEqual([303, undefined]);
    return cookieFrom(res, 'reconnect_session');
  }

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        PUBLIC_URL,
        SECRETS_KEY: secretsKey.toString('base64'),
        OIDC_ALLOW_HTTP: 'true',
        SIGN_IN_MAX_FAILURES: '4',
        SIGN_IN_LOCK_MINUTES: '1',
      },
    });
    idp = await TestIdp.start(`${PUBLIC_URL}/auth/oidc/callback`);
    seed = new Seed(t.db);
    const d1 = await seed.district();
    const d2 = await seed.district();
    const code = async (id: string) =>
      ((await t.db.query(`SELECT code FROM districts WHERE id = $1`, [id])) as { code: string }[])[0]!.code;
    lincoln = { id: d1, code: await code(d1), schoolA: await seed.school(d1), schoolB: await seed.school(d1) };
    riverside = { id: d2, code: await code(d2), school: await seed.school(d2) };
    const put = await t
      .http()
      .put(`/api/v1/districts/${lincoln.id}/identity-provider`)
      .set(...bearer(t.adminToken))
      .send({ issuer: idp.issuer, clientId: IDP_CLIENT_ID, clientSecret: IDP_CLIENT_SECRET, allowedDomains: ['lincoln.org'] });
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await idp?.close();
    await t?.close();
  });

  describe('identity provider settings', () => {
    it('shows the provider without its secret, which is stored encrypted', async () => {
      const res = await t
        .http()
        .get(`/api/v1/districts/${lincoln.id}/identity-provider`)
        .set(...bearer(t.adminToken));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ issuer: idp.issuer, clientId: IDP_CLIENT_ID, allowedDomains: ['lincoln.org'] });
      expect(res.body.redirectUri).toBe(`${PUBLIC_URL}/auth/oidc/callback`);
      expect(JSON.stringify(res.body)).not.toContain(IDP_CLIENT_SECRET);
      const [row] = (await t.db.query(`SELECT client_secret_encrypted FROM district_identity_providers WHERE district_id = $1`, [
        lincoln.id,
      ])) as { client_secret_encrypted: Buffer }[];
      expect(row!.client_secret_encrypted.toString('latin1')).not.toContain(IDP_CLIENT_SECRET);
      const audit = await t
        .http()
        .get(`/api/v1/audit-events?entityType=identity_provider&entityId=${lincoln.id}`)
        .set(...bearer(t.adminToken));
      expect(JSON.stringify(audit.body)).not.toContain(IDP_CLIENT_SECRET);
    });

    it('refuses an issuer that does not answer, and another district admin', async () => {
      const bad = await t
        .http()
        .put(`/api/v1/districts/${riverside.id}/identity-provider`)
        .set(...bearer(t.adminToken))
        .send({ issuer: 'http://127.0.0.1:9/nothing', clientId: 'x', clientSecret: 'y', allowedDomains: [] });
      expect([bad.status, bad.body.code]).toEqual([422, 'identity_provider_unreachable']);
      const admin = await tokenFor(t, 'district_admin', riverside.id);
      const other = await t
        .http()
        .get(`/api/v1/districts/${lincoln.id}/identity-provider`)
        .set(...bearer(admin));
      expect(other.status).toBe(404);
    });
  });

  describe('the code flow', () => {
    it('signs an active staff user in, records the sign-in, and names them in the audit trail', async () => {
      const userId = await staffUser({ email: 'Teacher@Lincoln.org', name: 'Terry Teacher', role: 'tech', districtId: lincoln.id });
      const sub = idp.account('teacher@lincoln.org');
      const started = await t.http().get(`/auth/oidc/start?email=teacher%40lincoln.org&returnTo=%2Fconsole%2Ftickets`);
      const authorizeUrl = new URL(started.headers['location'] as string);
      expect(authorizeUrl.origin).toBe(idp.issuer);
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorizeUrl.searchParams.get('scope')).toBe('openid email profile');
      expect(started.headers['set-cookie']![0]).toMatch(/HttpOnly/);
      const back = await idp.authorize(authorizeUrl.href, sub);
      const res = await t.http().get(`/auth/oidc/callback${back.search}`).set('Cookie', cookieFrom(started, 'reconnect_oidc'));
      expect([res.status, res.headers['location']]).toEqual([303, '/console/tickets']);
      const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('reconnect_session='))!;
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Lax/);
      const session = cookieFrom(res, 'reconnect_session');

      const me = await t.http().get('/api/v1/sessions/current').set('Cookie', session);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ via: 'session', role: 'tech', districtId: lincoln.id, token: null });
      expect(me.body.staffUser).toMatchObject({ id: userId, email: 'teacher@lincoln.org' });
      expect(me.body.staffUser.lastSignInAt).not.toBeNull();

      const student = await seed.student(lincoln.id, lincoln.schoolA);
      const patched = await t
        .http()
        .patch(`/api/v1/students/${student}`)
        .set('Cookie', session)
        .set(...SAME_ORIGIN)
        .send({ grade: '10' });
      expect(patched.status).toBe(200);
      const audit = await t
        .http()
        .get(`/api/v1/audit-events?entityType=student&entityId=${student}`)
        .set(...bearer(t.adminToken));
      expect(audit.body.data[0]).toMatchObject({
        actor: 'teacher@lincoln.org',
        actorStaffUserId: userId,
        actorTokenId: null,
        requestId: patched.headers['x-request-id'],
      });
      const signIns = await t
        .http()
        .get(`/api/v1/audit-events?entityType=staff_user&entityId=${userId}`)
        .set(...bearer(t.adminToken));
      expect(signIns.body.data.map((e: { action: string }) => e.action)).toContain('sign_in');
      // The callback's own id: it signed in before any principal existed.
      expect(signIns.body.data.find((e: { action: string }) => e.action === 'sign_in')).toMatchObject({
        requestId: res.headers['x-request-id'],
      });
    });

    it('finds the district by its code too', async () => {
      await staffUser({ email: 'coder@lincoln.org', name: 'C', role: 'helpdesk', districtId: lincoln.id });
      const res = await signIn(idp.account('coder@lincoln.org'), `/auth/oidc/start?district=${lincoln.code}`);
      expect(res.status).toBe(303);
    });

    it('refuses a callback whose state does not match', async () => {
      await staffUser({ email: 'state@lincoln.org', name: 'S', role: 'tech', districtId: lincoln.id });
      const sub = idp.account('state@lincoln.org');
      const from = nextAddress();
      const started = await t
        .http()
        .get('/auth/oidc/start?email=state%40lincoln.org')
        .set(...from);
      const back = await idp.authorize(started.headers['location'] as string, sub);
      back.searchParams.set('state', 'forged-state');
      const res = await t
        .http()
        .get(`/auth/oidc/callback${back.search}`)
        .set('Cookie', cookieFrom(started, 'reconnect_oidc'))
        .set(...from);
      expect([res.status, res.headers['x-refusal-reason']]).toEqual([400, 'state_mismatch']);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('Please start again');
      expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('reconnect_session=');
    });

    it('refuses an ID token whose nonce is not the one sent', async () => {
      const sub = idp.account('state@lincoln.org');
      const from = nextAddress();
      const started = await t
        .http()
        .get('/auth/oidc/start?email=state%40lincoln.org')
        .set(...from);
      const back = await idp.authorize(started.headers['location'] as string, sub);
      const sealed = Buffer.from(cookieFrom(started, 'reconnect_oidc').split('=')[1]!, 'base64url');
      const pending = JSON.parse(unseal(secretsKey, sealed, PENDING_PURPOSE)!) as Record<string, unknown>;
      const tampered = seal(secretsKey, JSON.stringify({ ...pending, nonce: 'another-nonce' }), PENDING_PURPOSE).toString('base64url');
      const res = await t
        .http()
        .get(`/auth/oidc/callback${back.search}`)
        .set('Cookie', `reconnect_oidc=${tampered}`)
        .set(...from);
      expect([res.status, res.headers['x-refusal-reason']]).toEqual([400, 'nonce_mismatch']);
    });

    it('refuses a callback without the sign-in started in this browser', async () => {
      const res = await t
        .http()
        .get('/auth/oidc/callback?code=abc&state=def')
        .set(...nextAddress());
      expect([res.status, res.headers['x-refusal-reason']]).toEqual([400, 'sign_in_expired']);
    });

    it("refuses another district's account, an unverified email, an unknown person and a foreign domain", async () => {
      await staffUser({ email: 'moved@lincoln.org', name: 'M', role: 'tech', districtId: riverside.id });
      const other = await signIn(idp.account('moved@lincoln.org'), `/auth/oidc/start?district=${lincoln.code}`);
      expect([other.status, other.headers['x-refusal-reason']]).toEqual([403, 'other_district']);
      expect(other.text).toContain('different school district');

      await staffUser({ email: 'unverified@lincoln.org', name: 'U', role: 'tech', districtId: lincoln.id });
      const unverified = await signIn(idp.account('unverified@lincoln.org', { email_verified: false }));
      expect([unverified.status, unverified.headers['x-refusal-reason']]).toEqual([403, 'email_unverified']);

      const unknown = await signIn(idp.account('stranger@lincoln.org'), `/auth/oidc/start?district=${lincoln.code}`);
      expect([unknown.status, unknown.headers['x-refusal-reason']]).toEqual([403, 'unknown_account']);
      expect(unknown.text).toContain('Reconnect has no account');

      await staffUser({ email: 'home@gmail.example', name: 'H', role: 'tech', districtId: lincoln.id });
      const foreign = await signIn(idp.account('home@gmail.example'));
      expect([foreign.status, foreign.headers['x-refusal-reason']]).toEqual([403, 'wrong_domain']);
    });

    it('refuses a disabled user, and ends the session of one disabled while signed in', async () => {
      const id = await staffUser({ email: 'leaver@lincoln.org', name: 'L', role: 'tech', districtId: lincoln.id });
      const session = await sessionOf(idp.account('leaver@lincoln.org'));
      expect((await t.http().get('/api/v1/sessions/current').set('Cookie', session)).status).toBe(200);
      const disabled = await t
        .http()
        .patch(`/api/v1/staff/${id}`)
        .set(...bearer(t.adminToken))
        .send({ active: false });
      expect(disabled.status).toBe(200);
      const after = await t.http().get('/api/v1/sessions/current').set('Cookie', session);
      expect([after.status, after.body.code]).toEqual([401, 'session_expired']);
      const again = await signIn(idp.account('leaver@lincoln.org'));
      expect([again.status, again.headers['x-refusal-reason']]).toEqual([403, 'account_disabled']);
    });
  });

  describe('sessions', () => {
    let userId: string;
    beforeAll(async () => {
      userId = await staffUser({ email: 'desk@lincoln.org', name: 'D', role: 'helpdesk', districtId: lincoln.id });
      idp.account('desk@lincoln.org');
    });

    it('ends after the idle timeout, without waiting', async () => {
      const session = await sessionOf('sub-desk@lincoln.org');
      const clock = t.app.get(Clock);
      const now = Date.now();
      const spy = jest.spyOn(clock, 'now').mockReturnValue(new Date(now + 29 * 60_000));
      expect((await t.http().get('/api/v1/sessions/current').set('Cookie', session)).status).toBe(200);
      spy.mockReturnValue(new Date(now + 29 * 60_000 + 31 * 60_000));
      expect((await t.http().get('/api/v1/sessions/current').set('Cookie', session)).status).toBe(401);
      spy.mockRestore();
    });

    it('ends after the absolute limit, however active', async () => {
      const session = await sessionOf('sub-desk@lincoln.org');
      const clock = t.app.get(Clock);
      const start = Date.now();
      const spy = jest.spyOn(clock, 'now');
      for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
        spy.mockReturnValue(new Date(start + minutes * 60_000));
        expect((await t.http().get('/api/v1/sessions/current').set('Cookie', session)).status).toBe(200);
      }
      spy.mockReturnValue(new Date(start + 12 * 60 * 60_000 + 60_000));
      expect((await t.http().get('/api/v1/sessions/current').set('Cookie', session)).status).toBe(401);
      spy.mockRestore();
    });

    it('signs out, and signs out everywhere', async () => {
      const one = await sessionOf('sub-desk@lincoln.org');
      const out = await t
        .http()
        .delete('/api/v1/sessions/current')
        .set('Cookie', one)
        .set(...SAME_ORIGIN);
      expect(out.status).toBe(204);
      expect(out.headers['set-cookie']?.toString()).toMatch(/reconnect_session=;/);
      expect((await t.http().get('/api/v1/sessions/current').set('Cookie', one)).status).toBe(401);

      const a = await sessionOf('sub-desk@lincoln.org');
      const b = await sessionOf('sub-desk@lincoln.org');
      const everywhere = await t
        .http()
        .delete('/api/v1/sessions')
        .set('Cookie', a)
        .set(...SAME_ORIGIN);
      expect(everywhere.status).toBe(200);
      expect(everywhere.body.ended).toBeGreaterThanOrEqual(2);
      expect((await t.http().get('/api/v1/sessions/current').set('Cookie', b)).status).toBe(401);
      const audit = await t
        .http()
        .get(`/api/v1/audit-events?entityType=staff_user&entityId=${userId}`)
        .set(...bearer(t.adminToken));
      expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['sign_out', 'sign_out_everywhere']));
    });

    it('ends sessions when the role or the school scope changes', async () => {
      const session = await sessionOf('sub-desk@lincoln.org');
      await t
        .http()
        .patch(`/api/v1/staff/${userId}`)
        .set(...bearer(t.adminToken))
        .send({ role: 'attendance' })
        .expect(200);
      expect((await t.http().get('/api/v1/sessions/current').set('Cookie', session)).status).toBe(401);
      const next = await sessionOf('sub-desk@lincoln.org');
      await t
        .http()
        .patch(`/api/v1/staff/${userId}`)
        .set(...bearer(t.adminToken))
        .send({ name: 'Dee' })
        .expect(200);
      expect((await t.http().get('/api/v1/sessions/current').set('Cookie', next)).status).toBe(200);
      await t
        .http()
        .patch(`/api/v1/staff/${userId}`)
        .set(...bearer(t.adminToken))
        .send({ schoolIds: [lincoln.schoolA] })
        .expect(200);
      expect((await t.http().get('/api/v1/sessions/current').set('Cookie', next)).status).toBe(401);
    });

    it('refuses a cross-site change made with the cookie, and lets the same request through with a bearer token', async () => {
      const session = await sessionOf('sub-coder@lincoln.org');
      const body = { name: 'Lab', code: `lab-${address}`, districtId: lincoln.id };
      const evil = await t.http().post('/api/v1/schools').set('Cookie', session).set('Origin', 'https://evil.example').send(body);
      expect([evil.status, evil.body.code]).toEqual([403, 'cross_site_request']);
      expect(evil.headers['content-type']).toMatch(/application\/problem\+json/);
      const fetchSite = await t
        .http()
        .patch(`/api/v1/staff/${userId}`)
        .set('Cookie', session)
        .set('Sec-Fetch-Site', 'cross-site')
        .send({ name: 'x' });
      expect([fetchSite.status, fetchSite.body.code]).toEqual([403, 'cross_site_request']);
      // `Origin: null` is what Chromium sends under Referrer-Policy: no-referrer: only Sec-Fetch-Site can vouch for it.
      const opaque = await t.http().post('/api/v1/schools').set('Cookie', session).set('Origin', 'null').send(body);
      expect([opaque.status, opaque.body.code]).toEqual([403, 'cross_site_request']);
      const sandboxed = await t
        .http()
        .post('/api/v1/schools')
        .set('Cookie', session)
        .set('Origin', 'null')
        .set('Sec-Fetch-Site', 'cross-site')
        .send(body);
      expect([sandboxed.status, sandboxed.body.code]).toEqual([403, 'cross_site_request']);
      const bare = await t.http().delete('/api/v1/sessions/current').set('Cookie', session);
      expect([bare.status, bare.body.code]).toEqual([403, 'cross_site_request']);
      const reads = await t.http().get('/api/v1/sessions/current').set('Cookie', session).set('Origin', 'https://evil.example');
      expect(reads.status).toBe(200);
      const withToken = await t
        .http()
        .get('/api/v1/tokens/me')
        .set(...bearer(t.adminToken))
        .set('Origin', 'https://evil.example');
      expect(withToken.status).toBe(200);
    });

    it('answers another district’s records as not found', async () => {
      const session = await sessionOf('sub-coder@lincoln.org');
      const foreign = await seed.student(riverside.id, riverside.school);
      const res = await t.http().get(`/api/v1/students/${foreign}`).set('Cookie', session);
      expect([res.status, res.body.code]).toEqual([404, 'student_not_found']);
      const staff = await t.http().get(`/api/v1/staff/${userId}`).set('Cookie', session);
      expect(staff.status).toBe(403);
    });
  });

  describe('school scope', () => {
    it("confines a school technician to their schools' students and devices", async () => {
      await staffUser({ email: 'schooltech@lincoln.org', name: 'ST', role: 'tech', districtId: lincoln.id, schoolIds: [lincoln.schoolA] });
      const session = await sessionOf(idp.account('schooltech@lincoln.org'));
      const mine = await seed.student(lincoln.id, lincoln.schoolA);
      const theirs = await seed.student(lincoln.id, lincoln.schoolB);
      const myDevice = await seed.device(lincoln.id, lincoln.schoolA);
      const theirDevice = await seed.device(lincoln.id, lincoln.schoolB);
      const get = (url: string) => t.http().get(url).set('Cookie', session);
      expect((await get(`/api/v1/students/${mine}`)).status).toBe(200);
      expect([(await get(`/api/v1/students/${theirs}`)).status, (await get(`/api/v1/devices/${theirDevice}`)).status]).toEqual([404, 404]);
      const students = await get(`/api/v1/students?limit=500`);
      expect(students.body.data.every((s: { schoolId: string }) => s.schoolId === lincoln.schoolA)).toBe(true);
      const devices = await get(`/api/v1/devices?limit=500`);
      expect(devices.body.data.map((d: { id: string }) => d.id)).toContain(myDevice);
      expect(devices.body.data.map((d: { id: string }) => d.id)).not.toContain(theirDevice);
      const patch = await t
        .http()
        .patch(`/api/v1/students/${theirs}`)
        .set('Cookie', session)
        .set(...SAME_ORIGIN)
        .send({ grade: '11' });
      expect(patch.status).toBe(404);
      const issue = await t
        .http()
        .post('/api/v1/assignments')
        .set('Cookie', session)
        .set(...SAME_ORIGIN)
        .send({ deviceId: theirDevice, studentId: mine });
      expect([issue.status, issue.body.code]).toEqual([422, 'device_not_found']);

      await seed.assign(lincoln.id, theirDevice, theirs);
      expect((await get(`/api/v1/assignments?deviceId=${theirDevice}`)).body.data).toEqual([]);
      expect((await get(`/api/v1/students/${theirs}/equipment`)).status).toBe(404);
      const imports = await get('/api/v1/imports');
      expect([imports.status, imports.body.code]).toEqual([403, 'outside_school_scope']);
      // A staff user's own session has no token: /tokens/me says so, /sessions/current says who it is.
      const me = await get('/api/v1/tokens/me');
      expect([me.status, me.body.code]).toEqual([404, 'no_token_in_session']);
      const current = await get('/api/v1/sessions/current');
      expect(current.body).toMatchObject({ via: 'session', schoolIds: [lincoln.schoolA], token: null, staffUser: { role: 'tech' } });
    });
  });

  describe('token sign-in', () => {
    it('opens a session with an admin token, and can be switched off', async () => {
      const res = await t
        .http()
        .post('/api/v1/sessions')
        .set(...SAME_ORIGIN)
        .set(...nextAddress())
        .send({ token: t.adminToken });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ via: 'session', role: 'state_admin', staffUser: null, token: { name: 'bootstrap admin' } });
      const signIns = await t
        .http()
        .get('/api/v1/audit-events?entityType=api_token&limit=100')
        .set(...bearer(t.adminToken));
      expect(signIns.body.data.map((e: { requestId: string }) => e.requestId)).toContain(res.headers['x-request-id']);
      const session = cookieFrom(res, 'reconnect_session');
      const me = await t.http().get('/api/v1/sessions/current').set('Cookie', session);
      expect(me.body.token.name).toBe('bootstrap admin');
      const form = await t
        .http()
        .post('/sign-in/token')
        .set(...SAME_ORIGIN)
        .type('form')
        .send({ token: t.adminToken, returnTo: '/console' });
      expect([form.status, form.headers['location']]).toEqual([303, '/console']);

      t.config.tokenSignIn = false;
      try {
        const off = await t
          .http()
          .post('/api/v1/sessions')
          .set(...SAME_ORIGIN)
          .send({ token: t.adminToken });
        expect([off.status, off.body.code]).toEqual([403, 'token_sign_in_disabled']);
      } finally {
        t.config.tokenSignIn = true;
      }
    });

    it('serves an accessible sign-in page', async () => {
      const page = await t.http().get('/sign-in?returnTo=%2Fconsole');
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      expect(page.text).toContain('<html lang="en">');
      expect(page.text).toContain('<label for="email">');
      expect(page.text).toContain('action="/auth/oidc/start"');
      expect(page.text).toContain('action="/sign-in/token"');
      expect(page.text).toContain('value="/console"');
    });

    it('slows down, then refuses an address that keeps failing, for a while only', async () => {
      const from: [string, string] = ['X-Forwarded-For', '203.0.113.9'];
      for (let i = 0; i < 4; i += 1) {
        const bad = await t
          .http()
          .post('/api/v1/sessions')
          .set(...SAME_ORIGIN)
          .set(...from)
          .send({ token: `wrong-${i}` });
        expect(bad.status).toBe(401);
      }
      const locked = await t
        .http()
        .post('/api/v1/sessions')
        .set(...SAME_ORIGIN)
        .set(...from)
        .send({ token: t.adminToken });
      expect([locked.status, locked.body.code]).toEqual([429, 'too_many_attempts']);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
      const bearerLocked = await t
        .http()
        .get('/api/v1/students')
        .set(...from)
        .set(...bearer('not-a-token'));
      expect(bearerLocked.status).toBe(429);
      const elsewhere = await t
        .http()
        .post('/api/v1/sessions')
        .set(...SAME_ORIGIN)
        .set(...nextAddress())
        .send({ token: t.adminToken });
      expect(elsewhere.status).toBe(201);
    });
  });

  describe('staff accounts', () => {
    it('lets a district admin manage their district up to district admin, and a state admin everything', async () => {
      const admin = await tokenFor(t, 'district_admin', lincoln.id);
      const created = await t
        .http()
        .post('/api/v1/staff')
        .set(...bearer(admin))
        .send({ email: 'deputy@lincoln.org', name: 'Deputy', role: 'district_admin' });
      expect([created.status, created.body.districtId]).toEqual([201, lincoln.id]);
      const state = await t
        .http()
        .post('/api/v1/staff')
        .set(...bearer(admin))
        .send({ email: 'boss@lincoln.org', name: 'Boss', role: 'state_admin' });
      expect([state.status, state.body.code]).toEqual([403, 'role_not_allowed']);
      const raise = await t
        .http()
        .patch(`/api/v1/staff/${created.body.id}`)
        .set(...bearer(admin))
        .send({ role: 'state_admin' });
      expect(raise.status).toBe(403);
      const elsewhere = await t
        .http()
        .post('/api/v1/staff')
        .set(...bearer(admin))
        .send({ email: 'x@riverside.org', name: 'X', role: 'tech', districtId: riverside.id });
      expect(elsewhere.status).toBe(404);
      const duplicate = await t
        .http()
        .post('/api/v1/staff')
        .set(...bearer(admin))
        .send({ email: 'DEPUTY@lincoln.org', name: 'Again', role: 'tech' });
      expect([duplicate.status, duplicate.body.code]).toEqual([409, 'duplicate_staff_email']);
      const foreignSchool = await t
        .http()
        .post('/api/v1/staff')
        .set(...bearer(admin))
        .send({ email: 'scoped@lincoln.org', name: 'S', role: 'tech', schoolIds: [riverside.school] });
      expect([foreignSchool.status, foreignSchool.body.code]).toEqual([422, 'school_not_found']);
      const riversideUser = await staffUser({ email: 'r@riverside.org', name: 'R', role: 'tech', districtId: riverside.id });
      expect(
        (
          await t
            .http()
            .get(`/api/v1/staff/${riversideUser}`)
            .set(...bearer(admin))
        ).status,
      ).toBe(404);
      const list = await t
        .http()
        .get('/api/v1/staff?limit=2')
        .set(...bearer(admin));
      expect(list.status).toBe(200);
      expect(list.body.data.every((u: { districtId: string }) => u.districtId === lincoln.id)).toBe(true);
      const next = await t
        .http()
        .get(`/api/v1/staff?limit=2&cursor=${list.body.nextCursor as string}`)
        .set(...bearer(admin));
      expect(next.body.data[0].id).not.toBe(list.body.data[1].id);
      const tech = await tokenFor(t, 'tech', lincoln.id);
      expect(
        (
          await t
            .http()
            .get('/api/v1/staff')
            .set(...bearer(tech))
        ).status,
      ).toBe(403);
      const stateAdmin = await t
        .http()
        .post('/api/v1/staff')
        .set(...bearer(t.adminToken))
        .send({ email: 'state@ct.example', name: 'State', role: 'state_admin' });
      expect([stateAdmin.status, stateAdmin.body.districtId]).toEqual([201, null]);
    });

    it('stops a token when its owner is disabled', async () => {
      const owner = await staffUser({ email: 'owner@lincoln.org', name: 'O', role: 'tech', districtId: lincoln.id });
      const created = await t
        .http()
        .post('/api/v1/tokens')
        .set(...bearer(t.adminToken))
        .send({ name: 'owned', role: 'tech', districtId: lincoln.id, staffUserId: owner });
      expect([created.status, created.body.staffUserId]).toEqual([201, owner]);
      const token = created.body.secret as string;
      expect(
        (
          await t
            .http()
            .get('/api/v1/tokens/me')
            .set(...bearer(token))
        ).status,
      ).toBe(200);
      await t
        .http()
        .patch(`/api/v1/staff/${owner}`)
        .set(...bearer(t.adminToken))
        .send({ active: false })
        .expect(200);
      expect(
        (
          await t
            .http()
            .get('/api/v1/tokens/me')
            .set(...bearer(token))
        ).status,
      ).toBe(401);
    });
  });
});
