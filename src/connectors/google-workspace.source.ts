import { fetchWithRetry, CredentialRejectedError, jsonBody, RemoteError, type RetryPolicy } from './connector-http.js';
import { GOOGLE_API_ROOT, googleScopes, type GoogleSecrets, type GoogleSettings } from './connector.domain.js';
import type { ConnectorCursors } from './connectors.repository.js';
import { googleAccessToken } from './google-auth.js';
import type { Page, StreamSource } from './stream-source.js';

/** Devices a page asks for (the Directory API allows up to 300). */
const DEVICE_PAGE = 200;
/** Activities a page asks for (the Reports API's most). */
const ACTIVITY_PAGE = 1000;
/** How far back the first run reads login activity (Google keeps about 180 days). */
const FIRST_LOGINS_DAYS = 30;

const DAY_MS = 86_400_000;

/** A Google Workspace connector's session: one access token for the run, asked for when first needed. */
export class GoogleSession {
  private token: Promise<string> | null = null;

  constructor(
    private readonly settings: GoogleSettings,
    private readonly secrets: GoogleSecrets,
    private readonly policy: RetryPolicy,
  ) {}

  get apiRoot(): string {
    return this.settings.apiRootUrl ?? GOOGLE_API_ROOT;
  }

  /** GETs a Google API URL as the admin. */
  async get<T>(url: string, what: string, signal?: AbortSignal): Promise<T> {
    return jsonBody<T>(await this.request(url, { method: 'GET' }, what, signal), what);
  }

  /** Sends a change (a device update, an action) as the admin; any answer but 2xx is an error. */
  async send(method: 'PUT' | 'POST', url: string, body: unknown, what: string, signal?: AbortSignal): Promise<void> {
    const response = await this.request(
      url,
      { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      what,
      signal,
    );
    await response.body?.cancel();
    if (!response.ok) throw new RemoteError(`${what} answered HTTP ${response.status}`);
  }

  /**
   * A 401 is first taken for an access token that expired during a long run: a new one is asked for
   * once. A 401 again, or a 403 other than a quota one, means the delegation is gone or never covered this
   * scope: no retry helps.
   */
  private async request(url: string, init: RequestInit, what: string, signal?: AbortSignal, renewed = false): Promise<Response> {
    this.token ??= googleAccessToken(
      this.secrets.serviceAccountKey,
      this.settings.adminEmail,
      googleScopes(this.settings.writeBack),
      this.policy,
      signal,
    );
    const token = await this.token.catch((error: unknown) => {
      this.token = null;
      throw error;
    });
    const headers = { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` };
    const response = await fetchWithRetry(url, { ...init, headers }, { ...this.policy, transient: googleQuotaAnswer }, signal);
    if (response.status === 401 && !renewed) {
      await response.body?.cancel();
      this.token = null;
      return this.request(url, init, what, signal, true);
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new CredentialRejectedError(`${what} answered HTTP ${response.status}: the admin or the delegated scopes no longer allow it`);
    }
    return response;
  }
}

/** Google's per-user and per-project quota reasons: a 403 that passes, unlike a refused delegation. */
const QUOTA_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded']);

/** A 403 whose error body names a quota reason (Google's documented error format) is retried like a 429. */
async function googleQuotaAnswer(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: { status?: unknown; errors?: { reason?: unknown }[] } } | null;
  if (body?.error?.status === 'RESOURCE_EXHAUSTED') return true;
  return (body?.error?.errors ?? []).some((e) => typeof e.reason === 'string' && QUOTA_REASONS.has(e.reason));
}

interface DeviceList {
  chromeosdevices?: unknown;
  nextPageToken?: unknown;
}

interface ActivityList {
  items?: unknown;
  nextPageToken?: unknown;
}

const token = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/**
 * The Directory API's Chrome OS devices (full projection), in full the first time, then only those
 * that synced since a day before the previous run began (the `sync:` query takes dates).
 */
export function chromeDevicesSource(session: GoogleSession, cursors: ConnectorCursors): StreamSource {
  return {
    start: () =>
      Promise.resolve<Record<string, string>>(cursors.devicesSyncedSince ? { query: `sync:${cursors.devicesSyncedSince}..` } : {}),
    async page(params, cursor, signal): Promise<Page> {
      const url = new URL(`${session.apiRoot}/admin/directory/v1/customer/my_customer/devices/chromeos`);
      url.searchParams.set('projection', 'FULL');
      url.searchParams.set('maxResults', String(DEVICE_PAGE));
      if (params['query']) url.searchParams.set('query', params['query']);
      if (cursor) url.searchParams.set('pageToken', cursor);
      const body = await session.get<DeviceList>(url.toString(), 'The Directory API (Chrome OS devices)', signal);
      const items = body.chromeosdevices ?? [];
      if (!Array.isArray(items)) throw new RemoteError('The Directory API answered a device list without a chromeosdevices array');
      return { items, next: token(body.nextPageToken) };
    },
  };
}

/** The day before a run begins: where the next incremental device query starts. */
export function devicesSyncedSince(runStartedAt: Date): string {
  return new Date(runStartedAt.getTime() - DAY_MS).toISOString().slice(0, 10);
}

/**
 * The Reports API's login activity (every event: login_success, login_failure, logout, ...) from the
 * newest event the previous run stored, or the last 30 days the first time. Google answers newest first.
 */
export function loginActivitySource(session: GoogleSession, cursors: ConnectorCursors, now: () => Date): StreamSource {
  return {
    start: () => Promise.resolve({ startTime: cursors.loginsFrom ?? new Date(now().getTime() - FIRST_LOGINS_DAYS * DAY_MS).toISOString() }),
    async page(params, cursor, signal): Promise<Page> {
      const url = new URL(`${session.apiRoot}/admin/reports/v1/activity/users/all/applications/login`);
      url.searchParams.set('maxResults', String(ACTIVITY_PAGE));
      url.searchParams.set('startTime', params['startTime']);
      if (cursor) url.searchParams.set('pageToken', cursor);
      const body = await session.get<ActivityList>(url.toString(), 'The Reports API (login activity)', signal);
      const items = body.items ?? [];
      if (!Array.isArray(items)) throw new RemoteError('The Reports API answered an activity list without an items array');
      let newest: string | null = null;
      for (const item of items as { id?: { time?: unknown } }[]) {
        const time = item?.id?.time;
        if (typeof time === 'string' && !Number.isNaN(Date.parse(time)) && (newest === null || Date.parse(time) > Date.parse(newest)))
          newest = time;
      }
      return { items, next: token(body.nextPageToken), newest };
    },
  };
}
