// Assembles the auth settings at start-up: the configured providers, or (outside production,
// with none configured) the development identity provider.
import type { Config } from '../config/config.ts';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { loadProvidersFile } from './providers-config.ts';
import { DEFAULT_ADDRESS_SIGN_IN_LIMIT, type AuthSettings } from './settings.ts';

export async function startIdentity(config: Config, log: Logger, sql?: Sql): Promise<{ auth: AuthSettings; development: boolean; stop(): Promise<void> }> {
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const common = {
    publicUrl,
    timeouts: { idleMs: config.SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000 },
    signInRateLimit: { limit: config.SIGN_IN_ADDRESS_RATE_LIMIT ?? DEFAULT_ADDRESS_SIGN_IN_LIMIT, windowSeconds: 600 },
    signInAccountRateLimit: { limit: config.SIGN_IN_RATE_LIMIT, windowSeconds: 600 },
    // Also wherever the public address is https (behind a TLS-terminating proxy the portal itself sees http).
    secureCookies: config.NODE_ENV === 'production' || publicUrl.startsWith('https:'),
  };
  if (config.OIDC_PROVIDERS_FILE) {
    const providers = await loadProvidersFile(config.OIDC_PROVIDERS_FILE);
    return { auth: { ...common, providers }, development: false, stop: async () => {} };
  }
  // Loaded only here, so a production process never even loads the development provider.
  const { startDevelopmentIdentity } = await import('./dev-provider/setup.ts');
  const dev = await startDevelopmentIdentity({ port: config.DEV_IDP_PORT ?? config.PORT + 1, publicUrl, log, sql });
  return { auth: { ...common, providers: dev.providers }, development: true, stop: () => dev.close() };
}
