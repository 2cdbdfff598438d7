import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake saw: its path and query, as the tests check paging and incremental queries. */
export interface SeenRequest {
  at: number;
  path: string;
  query: Record<string, string>;
  status: number;
}

/** An answer to give instead of the real one, once, to the next request whose path includes `path`. */
export interface Fault {
  path: string;
  status: number;
  retryAfter?: string;
  /** Google's error reason in the body (`rateLimitExceeded` with a 403 is a quota answer). */
  reason?: string;
  /** Only when the request has this pageToken (undefined: any). */
  pageToken?: string | null;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Google's OAuth 2.0 token endpoint for service accounts, the Directory API's Chrome OS device list and
 * the Reports API's login activity, as documented, on an ephemeral port. The token endpoint verifies
 * the JWT assertion's RS256 signature with the public key of the test key pair, and its iss, aud, sub,
 * scope and lifetime; the lists page with nextPageToken and filter as Google does (sync:, startTime).
 */
export class FakeGoogle {
  readonly seen: SeenRequest[] = [];
  readonly faults: Fault[] = [];
  devices: Record<string, unknown>[] = [];
  activities: Record<string, unknown>[] = [];
  /** Page sizes the fake uses (Google may return fewer than maxResults). */
  devicePage = 2;
  activityPage = 2;
  /** The key was deleted in Google Cloud, or the delegation revoked: the token endpoint answers invalid_grant. */
  revoked = false;
  /** Called before a list request is answered; a test may hold the answer (a promise) or abort the run. */
  beforeList: ((path: string, query: Record<string, string>) => Promise<void> | void) | null = null;
  readonly privateKeyPem: string;
  readonly keyId = randomBytes(20).toString('hex');
  readonly clientEmail = 'reconnect-sync@district-project.iam.gserviceaccount.com';
  readonly adminEmail = 'admin@district.org';
  /** Scopes the token endpoint requires the assertion to ask for. */
  requiredScopes = [
    'https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly',
    'https://www.googleapis.com/auth/admin.reports.audit.readonly',
  ];
  /** Changes the Directory API was asked to make, in order. */
  readonly writes: { method: string; deviceId: string; body: Record<string, unknown> }[] = [];
  private readonly publicKeyPem: string;
  /** Access tokens handed out, with the scopes each was granted. */
  private readonly tokens = new Map<string, string[]>();
  private server: Server | null = null;
  private base = '';

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => send(res, 500, { error: { message: error.message } }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  get url(): string {
    return this.base;
  }

  /** The key file as the Google Cloud console hands it out. */
  keyFile(): Record<string, string> {
    return {
      type: 'service_account',
      project_id: 'district-project',
      private_key_id: this.keyId,
      private_key: this.privateKeyPem,
      client_email: this.clientEmail,
      client_id: '104857600000000000000',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: `${this.base}/token`,
    };
  }

  /** Every access token handed out so far expires (Google's last an hour). */
  expireTokens(): void {
    this.tokens.clear();
  }

  requests(pathPart: string): SeenRequest[] {
    return this.seen.filter((r) => r.path.includes(pathPart));
  }

  private record(req: IncomingMessage, status: number): { path: string; query: Record<string, string> } {
    const url = new URL(req.url ?? '/', this.base);
    const query = Object.fromEntries(url.searchParams.entries());
    this.seen.push({ at: Date.now(), path: url.pathname, query, status });
    return { path: url.pathname, query };
  }

  private fault(path: string, query: Record<string, string>): Fault | null {
    const index = this.faults.findIndex(
      (f) => path.includes(f.path) && (f.pageToken === undefined || (f.pageToken ?? null) === (query['pageToken'] ?? null)),
    );
    return index < 0 ? null : this.faults.splice(index, 1)[0]!;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const query = Object.fromEntries(url.searchParams.entries());
    const fault = this.fault(url.pathname, query);
    if (fault) {
      this.record(req, fault.status);
      send(
        res,
        fault.status,
        {
          error: {
            code: fault.status,
            message: 'injected',
            ...(fault.reason ? { errors: [{ reason: fault.reason, domain: 'usageLimits' }] } : {}),
          },
        },
        fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
      );
      return;
    }
    if (req.method === 'POST' && url.pathname === '/token') return this.token(req, res);
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.tokens.has(auth.slice(7))) {
      this.record(req, 401);
      return send(res, 401, {
        error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' },
      });
    }
    const change = /^\/admin\/directory\/v1\/customer\/my_customer\/devices\/chromeos\/([^/]+)(\/action)?$/.exec(url.pathname);
    if (change && (req.method === 'PUT' || req.method === 'POST'))
      return this.change(req, res, auth.slice(7), decodeURIComponent(change[1]!), !!change[2]);
    if (url.pathname === '/admin/directory/v1/customer/my_customer/devices/chromeos') {
      await this.beforeList?.(url.pathname, query);
      if (query['projection'] !== 'FULL') {
        this.record(req, 400);
        return send(res, 400, { error: { message: 'projection FULL expected by the test' } });
      }
      const since = /^sync:(\d{4}-\d{2}-\d{2})\.\.$/.exec(query['query'] ?? '')?.[1];
      const matching = since ? this.devices.filter((d) => String(d['lastSync']) >= since) : this.devices;
      return this.page(req, res, matching, this.devicePage, 'chromeosdevices', 'admin#directory#chromeosdevices', query);
    }
    if (url.pathname === '/admin/reports/v1/activity/users/all/applications/login') {
      await this.beforeList?.(url.pathname, query);
      const start = query['startTime'];
      if (!start || Number.isNaN(Date.parse(start))) {
        this.record(req, 400);
        return send(res, 400, { error: { message: 'startTime expected by the test' } });
      }
      // Newest first, from startTime on, as the Reports API answers.
      const matching = this.activities
        .filter((a) => Date.parse(String((a['id'] as Record<string, unknown>)['time'])) >= Date.parse(start))
        .sort((a, b) =>
          String((b['id'] as Record<string, unknown>)['time']).localeCompare(String((a['id'] as Record<string, unknown>)['time'])),
        );
      return this.page(req, res, matching, this.activityPage, 'items', 'admin#reports#activities', query);
    }
    this.record(req, 404);
    send(res, 404, { error: { code: 404, message: 'Not Found' } });
  }

  /** chromeosdevices.update (PUT, annotations) and chromeosdevices.action (disable, reenable, deprovision). */
  private async change(req: IncomingMessage, res: ServerResponse, token: string, deviceId: string, action: boolean): Promise<void> {
    const body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
    if (!this.tokens.get(token)!.includes('https://www.googleapis.com/auth/admin.directory.device.chromeos')) {
      this.record(req, 403);
      return send(res, 403, { error: { code: 403, message: 'Request had insufficient authentication scopes.' } });
    }
    const device = this.devices.find((d) => d['deviceId'] === deviceId);
    if (!device) {
      this.record(req, 404);
      return send(res, 404, { error: { code: 404, message: 'Resource Not Found: deviceId' } });
    }
    this.writes.push({ method: req.method!, deviceId, body });
    if (action) {
      const status = { disable: 'DISABLED', reenable: 'ACTIVE', deprovision: 'DEPROVISIONED' }[String(body['action'])];
      if (!status || (body['action'] === 'deprovision' && !body['deprovisionReason'])) {
        this.record(req, 400);
        return send(res, 400, { error: { code: 400, message: 'Invalid action' } });
      }
      device['status'] = status;
      this.record(req, 204);
      res.writeHead(204).end();
      return;
    }
    for (const key of ['annotatedUser', 'annotatedAssetId', 'annotatedLocation']) if (key in body) device[key] = body[key];
    this.record(req, 200);
    send(res, 200, device);
  }

  private page(
    req: IncomingMessage,
    res: ServerResponse,
    all: Record<string, unknown>[],
    size: number,
    key: string,
    kind: string,
    query: Record<string, string>,
  ): void {
    const offset = query['pageToken'] ? Number(Buffer.from(query['pageToken'], 'base64url').toString()) : 0;
    const items = all.slice(offset, offset + Math.min(size, Number(query['maxResults'] ?? size)));
    const next = offset + items.length < all.length ? Buffer.from(String(offset + items.length)).toString('base64url') : undefined;
    this.record(req, 200);
    send(res, 200, { kind, ...(items.length ? { [key]: items } : {}), ...(next ? { nextPageToken: next } : {}) });
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const refuse = (status: number, error: string, description: string): void => {
      this.record(req, status);
      send(res, status, { error, error_description: description });
    };
    if (form.get('grant_type') !== JWT_BEARER) return refuse(400, 'unsupported_grant_type', 'Invalid grant_type');
    const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
    if (!header || !claims || !signature) return refuse(400, 'invalid_grant', 'Invalid JWT');
    const verified = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(this.publicKeyPem, Buffer.from(signature, 'base64url'));
    if (!verified) return refuse(400, 'invalid_grant', 'Invalid JWT Signature.');
    const h = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
    const c = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>;
    const now = Date.now() / 1000;
    if (h['alg'] !== 'RS256' || h['kid'] !== this.keyId) return refuse(400, 'invalid_grant', 'Invalid JWT header');
    if (c['iss'] !== this.clientEmail || c['aud'] !== `${this.base}/token`) return refuse(400, 'invalid_grant', 'Invalid JWT claims');
    if (typeof c['exp'] !== 'number' || typeof c['iat'] !== 'number' || c['exp'] < now || c['exp'] - c['iat'] > 3600)
      return refuse(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes)');
    if (c['sub'] !== this.adminEmail)
      return refuse(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method');
    const scopes = (typeof c['scope'] === 'string' ? c['scope'] : '').split(' ');
    if (!this.requiredScopes.every((s) => scopes.includes(s)))
      return refuse(
        401,
        'unauthorized_client',
        'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
      );
    if (this.revoked) return refuse(400, 'invalid_grant', 'Invalid grant: account not found');
    const token = `ya29.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, scopes);
    this.record(req, 200);
    send(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }
}

/** A Chrome device as the Directory API lists it with projection FULL. */
export function chromeDevice(serial: string, values: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'admin#directory#chromeosdevice',
    deviceId: `dev-${serial}`,
    serialNumber: serial,
    status: 'ACTIVE',
    lastSync: '2026-12-01T14:00:00.000Z',
    osVersion: '131.0.6778.191',
    model: 'Lenovo 300e Chromebook Gen 4',
    orgUnitPath: '/Students',
    autoUpdateThrough: '2032-06-01',
    recentUsers: [],
    ...values,
  };
}

/** A login activity as the Reports API lists it. */
export function loginActivity(
  email: string,
  time: string,
  name = 'login_success',
  qualifier = randomBytes(6).toString('hex'),
): Record<string, unknown> {
  return {
    kind: 'admin#reports#activity',
    id: { time, uniqueQualifier: qualifier, applicationName: 'login', customerId: 'C03az79cb' },
    actor: { email, profileId: '1' },
    ipAddress: '203.0.113.7',
    events: [{ type: 'login', name, parameters: [{ name: 'login_type', value: 'google_password' }] }],
  };
}
