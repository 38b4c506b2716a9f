// Signing in as a demo account through the real flow lives in tools/http/sign-in.ts, shared with
// bench/; re-exported here for the tests, with signedInClients, which only tests need.
import { signIn } from '../../tools/http/sign-in.ts';
import type { RunningApp } from './app.ts';
import type { TestClient } from './http-client.ts';

export { demoAccount, providerFor, signIn, signInUntilCallback, startSignIn } from '../../tools/http/sign-in.ts';

/**
 * One signed-in client per demo account and app, signed in on first use. `app` is a getter
 * because test files start their app in beforeAll.
 */
export function signedInClients(app: () => RunningApp) {
  const clients = new Map<string, TestClient>();
  return async function as(sub: string, on: RunningApp = app()): Promise<TestClient> {
    const key = `${on.baseUrl} ${sub}`;
    if (!clients.has(key)) clients.set(key, (await signIn(on, sub)).client);
    return clients.get(key)!;
  };
}
