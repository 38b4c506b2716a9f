// The cookie-keeping HTTP client lives in tools/http/, shared with bench/. Tests know it as
// TestClient.
export { CookieClient as TestClient, hiddenField, type StoredCookie, type Transport } from '../../tools/http/cookie-client.ts';
