import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const IDP_CLIENT_ID = 'reconnect-test';
export const IDP_CLIENT_SECRET = 'reconnect-test-client-secret';

/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1, with a scripted login: `authorize`
 * follows the provider's redirects as a browser would, signs in as `account`, consents, and returns
 * the redirect back to the relying party.
 */
export class TestIdp {
  private nextAccount = '';
  private readonly jar = new Map<string, string>();

  private constructor(
    private readonly server: Server,
    private readonly provider: Provider,
    readonly issuer: string,
    private readonly accounts: Map<string, Record<string, unknown>>,
  ) {}

  static async start(redirectUri: string): Promise<TestIdp> {
    let handle: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
    const server = createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const accounts = new Map<string, Record<string, unknown>>();
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: IDP_CLIENT_ID,
          client_secret: IDP_CLIENT_SECRET,
          redirect_uris: [redirectUri],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      findAccount: (_ctx, sub) => {
        const claims = accounts.get(sub);
        return claims ? { accountId: sub, claims: () => ({ sub, ...claims }) } : undefined;
      },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      cookies: { keys: ['reconnect-test-cookie-key'] },
      pkce: { required: () => true },
    });
    const idp = new TestIdp(server, provider, issuer, accounts);
    const callback = provider.callback();
    handle = (req, res) => {
      if (req.url?.startsWith('/interaction/')) {
        idp.interact(req, res).catch((error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        });
      } else {
        void callback(req, res);
      }
    };
    return idp;
  }

  /** Adds a person the provider knows; `sub` is derived from the email. */
  account(email: string, claims: Record<string, unknown> = {}): string {
    const sub = `sub-${email}`;
    this.accounts.set(sub, { email, email_verified: true, name: email, ...claims });
    return sub;
  }

  /** Follows the authorization URL through login and consent as `sub`; returns where the provider sends the browser back. */
  async authorize(authorizationUrl: string, sub: string): Promise<URL> {
    this.nextAccount = sub;
    this.jar.clear();
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 12; hop += 1) {
      if (url.origin !== this.issuer) return url;
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const cookie of res.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const at = pair!.indexOf('=');
        this.jar.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`the provider answered ${res.status} without a redirect: ${await res.text()}`);
      url = new URL(location, url);
    }
    throw new Error('too many redirects at the provider');
  }

  private async interact(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      await this.provider.interactionFinished(req, res, { login: { accountId: this.nextAccount } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = new this.provider.Grant({ accountId: this.nextAccount, clientId: details.params['client_id'] as string });
    grant.addOIDCScope('openid email profile');
    await this.provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
