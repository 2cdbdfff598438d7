import { CredentialRejectedError, fetchWithRetry, jsonBody, RemoteError, type RetryPolicy } from './connector-http.js';
import type { OneRosterSecrets, OneRosterSettings } from './connector.domain.js';
import { clientCredentialsToken } from './oneroster-auth.js';
import type { Page, StreamSource } from './stream-source.js';

/** Records a page asks for (OneRoster's own default is 100). */
const PAGE_LIMIT = 100;

const PATHS = { '1.1': '/ims/oneroster/v1p1', '1.2': '/ims/oneroster/rostering/v1p2' } as const;
type Version = keyof typeof PATHS;

/** A roster item as the page file keeps it: an org of /schools or a user of /students. */
export interface RosterItem {
  t: 'org' | 'user';
  v: unknown;
}

/** The base URL's own version when it already ends in one (`.../ims/oneroster/v1p1`). */
function versionOf(baseUrl: string): Version | null {
  if (/\/v1p2$/.test(baseUrl)) return '1.2';
  if (/\/v1p1$/.test(baseUrl)) return '1.1';
  return null;
}

class RosterSession {
  private token: Promise<string> | null = null;

  constructor(
    private readonly settings: OneRosterSettings,
    private readonly secrets: OneRosterSecrets,
    private readonly policy: RetryPolicy,
  ) {}

  endpoint(version: Version, collection: string): string {
    const base = this.settings.baseUrl;
    return versionOf(base) ? `${base}/${collection}` : `${base}${PATHS[version]}/${collection}`;
  }

  /** A 401 is first taken for an expired access token (a new one is asked for once); again, or a 403, the client is refused. */
  async get(url: string, signal?: AbortSignal, renewed = false): Promise<Response> {
    this.token ??= clientCredentialsToken(this.settings.tokenUrl, this.settings.clientId, this.secrets.clientSecret, this.policy, signal);
    const token = await this.token.catch((error: unknown) => {
      this.token = null;
      throw error;
    });
    const response = await fetchWithRetry(
      url,
      { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
      this.policy,
      signal,
    );
    if (response.status === 401 && !renewed) {
      await response.body?.cancel();
      this.token = null;
      return this.get(url, signal, true);
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new CredentialRejectedError(`The roster server answered HTTP ${response.status} for ${new URL(url).pathname}`);
    }
    return response;
  }
}

/**
 * OneRoster REST: every school (/schools), then every student (/students), paged with limit and
 * offset. The version is the base URL's own, or found at the start: 1.2 where the server offers it, else 1.1.
 */
export function rosterSource(settings: OneRosterSettings, secrets: OneRosterSecrets, policy: RetryPolicy): StreamSource {
  const session = new RosterSession(settings, secrets, policy);
  return {
    async start(signal): Promise<Record<string, string>> {
      const own = versionOf(settings.baseUrl);
      if (own) return { version: own };
      const probe = await session.get(`${session.endpoint('1.2', 'schools')}?limit=1&offset=0`, signal);
      await probe.body?.cancel();
      if (probe.ok) return { version: '1.2' };
      if (probe.status === 404) return { version: '1.1' };
      throw new RemoteError(`The roster server answered HTTP ${probe.status} for its schools`);
    },
    async page(params, cursor, signal): Promise<Page> {
      const version = params['version'] as Version;
      const [collection, at] = (cursor ?? 'schools:0').split(':') as ['schools' | 'students', string];
      const offset = Number(at);
      const url = `${session.endpoint(version, collection)}?limit=${PAGE_LIMIT}&offset=${offset}`;
      const response = await session.get(url, signal);
      const key = collection === 'schools' ? 'orgs' : 'users';
      const body = await jsonBody<Record<string, unknown>>(response, `The roster server's /${collection}`);
      const records = body[key];
      if (!Array.isArray(records)) throw new RemoteError(`The roster server's /${collection} answered without a ${key} array`);
      const total = Number(response.headers.get('x-total-count'));
      const more = records.length >= PAGE_LIMIT && !(Number.isFinite(total) && total > 0 && offset + records.length >= total);
      const next = more ? `${collection}:${offset + records.length}` : collection === 'schools' ? 'students:0' : null;
      const items: RosterItem[] = records.map((v: unknown) => ({ t: collection === 'schools' ? 'org' : 'user', v }));
      return { items, next };
    },
  };
}
