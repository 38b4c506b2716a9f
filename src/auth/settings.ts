// What the auth capability needs to know, assembled once at start-up (server.ts or a test).
import type { ProviderConfig } from './providers-config.ts';
import type { RateLimit } from './rate-limit.ts';
import type { SessionTimeouts } from './sessions.ts';

export interface AuthSettings {
  /** The portal's own origin as users reach it, e.g. https://portal.northbridge.gov.uk */
  publicUrl: string;
  providers: ProviderConfig[];
  timeouts: SessionTimeouts;
  signInRateLimit: RateLimit;
  /** Secure, __Host- prefixed cookies: on in production (which is always https). */
  secureCookies: boolean;
}

export const sessionCookieName = (settings: Pick<AuthSettings, 'secureCookies'>) =>
  settings.secureCookies ? '__Host-portal_session' : 'portal_session';

export const signInCookieName = (settings: Pick<AuthSettings, 'secureCookies'>) =>
  settings.secureCookies ? '__Secure-portal_sign_in' : 'portal_sign_in';
