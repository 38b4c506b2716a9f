// The OpenID Connect relying party: authorization code flow with PKCE, state and nonce, using
// openid-client v6. One client per configured provider; discovery runs on first use and is
// retried on the next sign-in if the provider was unreachable.
import * as client from 'openid-client';
import type { ProviderConfig } from './providers-config.ts';

export interface StartedSignIn {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface FinishedSignIn {
  claims: Record<string, unknown>;
  idToken: string | null;
}

export class OidcClients {
  // Per process, and that is fine with several workers: each fetches the same provider metadata
  // and keys; the sign-in itself (state, nonce, PKCE verifier) is kept in PostgreSQL
  // (./sign-in-attempts.ts), so any worker can finish a sign-in another began.
  private readonly configurations = new Map<string, Promise<client.Configuration>>();

  constructor(
    readonly providers: ProviderConfig[],
    private readonly redirectUri: string,
  ) {}

  provider(id: string): ProviderConfig | undefined {
    return this.providers.find((p) => p.id === id);
  }

  private configuration(provider: ProviderConfig): Promise<client.Configuration> {
    let config = this.configurations.get(provider.id);
    if (!config) {
      config = client.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecretValue, undefined, {
        execute: provider.allowInsecureHttp ? [client.allowInsecureRequests] : [],
        timeout: 10,
      });
      config.catch(() => this.configurations.delete(provider.id));
      this.configurations.set(provider.id, config);
    }
    return config;
  }

  async start(provider: ProviderConfig): Promise<StartedSignIn> {
    const config = await this.configuration(provider);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: provider.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state, nonce, codeVerifier };
  }

  /** Exchanges the code; throws if state, nonce, PKCE or the ID token do not check out. */
  async finish(provider: ProviderConfig, callbackUrl: URL, expected: Omit<StartedSignIn, 'url'>): Promise<FinishedSignIn> {
    const config = await this.configuration(provider);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
    return { claims: { ...tokens.claims() }, idToken: tokens.id_token ?? null };
  }

  /** Where to send the browser to end the provider's session too, if it offers that. */
  async endSessionUrl(provider: ProviderConfig, idToken: string | null, postLogoutRedirectUri: string): Promise<URL | undefined> {
    const config = await this.configuration(provider);
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    const parameters: Record<string, string> = { post_logout_redirect_uri: postLogoutRedirectUri, client_id: provider.clientId };
    if (idToken) parameters.id_token_hint = idToken;
    return client.buildEndSessionUrl(config, parameters);
  }
}
