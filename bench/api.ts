import { performance } from 'node:perf_hooks';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  }

  get code(): string | undefined {
    return (this.body as { code?: string } | null)?.code;
  }
}

export interface Timed<T> {
  body: T;
  ms: number;
  bytes: number;
}

/** The product's HTTP API, as a client with one bearer token sees it. */
export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  as(token: string): Api {
    return new Api(this.baseUrl, token);
  }

  /** One request; any status outside 2xx is an ApiError carrying the problem document. */
  async send<T>(method: string, path: string, body?: unknown): Promise<Timed<T>> {
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a CSV report, a plain error page): kept as text.
    }
    if (res.status < 200 || res.status > 299) throw new ApiError(res.status, parsed, `${method} ${path}`);
    return { body: parsed as T, ms, bytes: Buffer.byteLength(text) };
  }

  async get<T>(path: string): Promise<T> {
    return (await this.send<T>('GET', path)).body;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return (await this.send<T>('POST', path, body)).body;
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await this.send<T>('PATCH', path, body)).body;
  }
}
