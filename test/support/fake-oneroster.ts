import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fault, SeenRequest } from './fake-google.js';

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/**
 * A OneRoster REST server (1.1 at /ims/oneroster/v1p1, or 1.2 at /ims/oneroster/rostering/v1p2 — a 1.1
 * server answers 404 there), with an OAuth 2.0 client-credentials token endpoint (client authenticated
 * by HTTP Basic), /schools and /students paged with limit and offset and X-Total-Count.
 */
export class FakeOneRoster {
  readonly seen: SeenRequest[] = [];
  readonly faults: Fault[] = [];
  readonly clientId = 'reconnect-district';
  clientSecret = `s3cr3t-${randomBytes(8).toString('hex')}`;
  schools: Record<string, unknown>[] = [];
  students: Record<string, unknown>[] = [];
  revoked = false;
  private readonly tokens = new Set<string>();
  private server: Server | null = null;
  private base = '';

  constructor(readonly version: '1.1' | '1.2') {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => send(res, 500, { error: error.message }));
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

  requests(pathPart: string): SeenRequest[] {
    return this.seen.filter((r) => r.path.includes(pathPart));
  }

  private record(url: URL, status: number): void {
    this.seen.push({ at: Date.now(), path: url.pathname, query: Object.fromEntries(url.searchParams.entries()), status });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const index = this.faults.findIndex((f) => url.pathname.includes(f.path));
    if (index >= 0) {
      const fault = this.faults.splice(index, 1)[0]!;
      this.record(url, fault.status);
      return send(res, fault.status, { error: 'injected' }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      const form = new URLSearchParams(await readBody(req));
      const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      const [id, secret] = basic.split(':').map(decodeURIComponent);
      if (form.get('grant_type') !== 'client_credentials') {
        this.record(url, 400);
        return send(res, 400, { error: 'unsupported_grant_type' });
      }
      if (this.revoked || id !== this.clientId || secret !== this.clientSecret) {
        this.record(url, 401);
        return send(res, 401, { error: 'invalid_client' });
      }
      const token = randomBytes(16).toString('hex');
      this.tokens.add(token);
      this.record(url, 200);
      return send(res, 200, { access_token: token, token_type: 'bearer', expires_in: 3600 });
    }
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.tokens.has(bearer) || this.revoked) {
      this.record(url, 401);
      return send(res, 401, { imsx_codeMajor: 'failure', imsx_severity: 'error', imsx_description: 'unauthorized' });
    }
    const prefix = this.version === '1.1' ? '/ims/oneroster/v1p1' : '/ims/oneroster/rostering/v1p2';
    const collection = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length + 1) : null;
    const records = collection === 'schools' ? this.schools : collection === 'students' ? this.students : null;
    if (!records) {
      this.record(url, 404);
      return send(res, 404, { imsx_codeMajor: 'failure', imsx_description: 'not found' });
    }
    const limit = Number(url.searchParams.get('limit') ?? '100');
    const offset = Number(url.searchParams.get('offset') ?? '0');
    this.record(url, 200);
    send(
      res,
      200,
      { [collection === 'schools' ? 'orgs' : 'users']: records.slice(offset, offset + limit) },
      { 'x-total-count': String(records.length) },
    );
  }
}

/** A school as /schools answers it. */
export function rosterSchool(sourcedId: string, name: string, identifier: string): Record<string, unknown> {
  return {
    sourcedId,
    status: 'active',
    dateLastModified: '2026-08-20T12:00:00.000Z',
    name,
    type: 'school',
    identifier,
    parent: { sourcedId: 'district-1', type: 'org' },
  };
}

/** A student as /students answers it, in the server's version. */
export function rosterStudent(
  version: '1.1' | '1.2',
  sourcedId: string,
  school: string,
  values: Record<string, unknown> = {},
): Record<string, unknown> {
  const common = {
    sourcedId,
    status: 'active',
    dateLastModified: '2026-08-20T12:00:00.000Z',
    username: `${sourcedId}@students.district.org`,
    givenName: 'Given',
    familyName: `Family ${sourcedId}`,
    email: `${sourcedId}@students.district.org`,
    grades: ['09'],
    ...values,
  };
  return version === '1.1'
    ? {
        ...common,
        enabledUser: 'true',
        role: 'student',
        identifier: `SIS-${sourcedId}`,
        orgs: [{ href: '', sourcedId: school, type: 'org' }],
      }
    : {
        ...common,
        enabledUser: true,
        userMasterIdentifier: `SIS-${sourcedId}`,
        primaryOrg: { sourcedId: school, type: 'org' },
        roles: [{ roleType: 'primary', role: 'student', org: { sourcedId: school, type: 'org' } }],
      };
}
