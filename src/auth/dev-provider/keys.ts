// The development identity provider's secrets: its clients' secret, the key that signs its
// cookies and the key that signs its ID tokens. Every worker of `npm start` runs the provider on
// the same port (node:cluster shares it), so they must all hold the same secrets, or a token
// signed by one worker would not verify on another and a cookie set by one would be refused by
// the next. The supervisor makes them once per start and hands them to each worker it forks in
// the environment (PORTAL_DEV_IDENTITY), so a restarted worker keeps them too. A provider started
// on its own (tests) makes its own. Development only: never used with OIDC_PROVIDERS_FILE.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export const DEV_IDENTITY_ENV = 'PORTAL_DEV_IDENTITY';

export interface DevIdentitySecrets {
  clientSecret: string;
  cookieKey: string;
  signingKey: Record<string, unknown>;
}

export function newDevIdentitySecrets(): DevIdentitySecrets {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    clientSecret: randomBytes(24).toString('base64url'),
    cookieKey: randomBytes(32).toString('base64url'),
    signingKey: { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' },
  };
}

/** The secrets the supervisor handed down, if any. */
export function devIdentitySecretsFromEnv(env: NodeJS.ProcessEnv = process.env): DevIdentitySecrets | undefined {
  const value = env[DEV_IDENTITY_ENV];
  return value ? (JSON.parse(value) as DevIdentitySecrets) : undefined;
}
