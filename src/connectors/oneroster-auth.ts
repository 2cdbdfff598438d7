import { CredentialRejectedError, fetchWithRetry, RemoteError, type RetryPolicy } from './connector-http.js';

/**
 * An access token by OAuth 2.0 client credentials (RFC 6749 section 4.4), the client authenticated
 * with HTTP Basic as OneRoster 1.1 and 1.2 require. A refused client (invalid_client, 401) stops the connector.
 */
export async function clientCredentialsToken(
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<string> {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  const response = await fetchWithRetry(
    tokenUrl,
    {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    },
    policy,
    signal,
  );
  const answer = (await response.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown };
  if (response.ok && typeof answer.access_token === 'string') return answer.access_token;
  const error = typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`;
  if ([400, 401, 403].includes(response.status))
    throw new CredentialRejectedError(`The roster server refused the client credentials (${error})`);
  throw new RemoteError(`The roster server's token endpoint answered ${error}`);
}
