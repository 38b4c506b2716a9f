// What the auth capability needs to know, assembled once at start-up (server.ts or a test).
import type { ProviderConfig } from './providers-config.ts';
import type { RateLimit } from './rate-limit.ts';
import type { SessionTimeouts } from './sessions.ts';

export interface AuthSettings {
  /** The portal's own origin as users reach it, e.g. https://portal.northbridge.gov.uk */
  publicUrl: string;
  providers: ProviderConfig[];
  timeouts: SessionTimeouts;
  /**
   * Sign-in attempts per client address. A school trust or an emergency department may sit
   * behind one address, so this is a high ceiling against floods, not the brake on one person.
   */
  signInRateLimit: RateLimit;
  /**
   * Sign-ins per account (issuer and subject), counted at the callback once the provider has
   * said who it is: the brake on one account, which locks out no one else. Default
   * DEFAULT_ACCOUNT_SIGN_IN_LIMIT.
   */
  signInAccountRateLimit?: RateLimit;
  /** Secure, __Host- prefixed cookies: on in production (which is always https). */
  secureCookies: boolean;
}

export const sessionCookieName = (settings: Pick<AuthSettings, 'secureCookies'>) =>
  settings.secureCookies ? '__Host-portal_session' : 'portal_session';

export const signInCookieName = (settings: Pick<AuthSettings, 'secureCookies'>) =>
  settings.secureCookies ? '__Secure-portal_sign_in' : 'portal_sign_in';

/** Sign-ins one account may make in ten minutes, where the settings do not say. */
export const DEFAULT_ACCOUNT_SIGN_IN_LIMIT: RateLimit = { limit: 30, windowSeconds: 600 };

/** Sign-in attempts from one client address in ten minutes (SIGN_IN_ADDRESS_RATE_LIMIT's default). */
export const DEFAULT_ADDRESS_SIGN_IN_LIMIT = 600;
