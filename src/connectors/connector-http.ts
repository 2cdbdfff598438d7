import { setTimeout as sleep } from 'node:timers/promises';

/** The remote refused the credential (401, invalid_grant, a revoked key): retrying will not help. */
export class CredentialRejectedError extends Error {}

/** The remote kept answering 429 or 5xx (or did not answer) through every retry. */
export class RemoteUnavailableError extends Error {}

/** Any other answer the connector cannot use (404, a body that is not what the API documents). */
export class RemoteError extends Error {}

export interface RetryPolicy {
  /** Tries of one request in all; 429, 5xx and network errors are tried again. */
  attempts: number;
  /** The first backoff; each next one doubles, with full jitter. */
  baseDelayMs: number;
  /** No wait is longer, whatever Retry-After asks. */
  maxDelayMs: number;
  /** Other answers that are worth another try, as an API documents them (Google's quota 403s). */
  transient?: (response: Response) => Promise<boolean>;
}

/** What a Retry-After header asks for (seconds or an HTTP date), in milliseconds; null if absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The wait before retry number `retry` (1 for the first): Retry-After if given, else exponential with full jitter. */
export function backoffMs(policy: RetryPolicy, retry: number, retryAfter: number | null, random = Math.random): number {
  if (retryAfter !== null) return Math.min(retryAfter, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * fetch() with the retries every connector request needs: 429 and 5xx (and a connection that fails)
 * are tried again after a backoff honouring Retry-After, up to the policy's attempts; the last such
 * failure is a RemoteUnavailableError. Other answers are returned as they are.
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  policy: RetryPolicy,
  signal?: AbortSignal,
  onRetry?: (info: { status: number | null; delayMs: number; attempt: number }) => void,
): Promise<Response> {
  let last: string;
  for (let attempt = 1; ; attempt += 1) {
    signal?.throwIfAborted();
    let retryAfter: number | null = null;
    let status: number | null = null;
    try {
      const response = await fetch(url, { ...init, ...(signal ? { signal } : {}), redirect: 'error' });
      if (response.status !== 429 && response.status < 500 && !(await policy.transient?.(response))) return response;
      status = response.status;
      retryAfter = retryAfterMs(response.headers.get('retry-after'));
      last = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (error) {
      if (signal?.aborted) throw error;
      last = (error as Error).message;
    }
    if (attempt >= policy.attempts)
      throw new RemoteUnavailableError(`${new URL(url).host} did not answer usefully after ${attempt} tries (${last})`);
    const delayMs = backoffMs(policy, attempt, retryAfter);
    onRetry?.({ status, delayMs, attempt });
    await sleep(delayMs, undefined, signal ? { signal } : {});
  }
}

/** The JSON body of a successful answer; anything else is a RemoteError naming the status. */
export async function jsonBody<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) {
    await response.body?.cancel();
    throw new RemoteError(`${what} answered HTTP ${response.status}`);
  }
  try {
    return (await response.json()) as T;
  } catch {
    throw new RemoteError(`${what} answered something that is not JSON`);
  }
}
