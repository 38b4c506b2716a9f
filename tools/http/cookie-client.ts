// A minimal browser stand-in, for the tests and the benchmark: a cookie jar (by host,
// path-scoped, honouring deletion, like a browser: ports do not separate cookies) and manual
// redirect following, so a caller can walk the real sign-in flow between the portal and the
// identity provider. Requests go over the network by default; test/support/app-client.ts hands
// them to an in-process app instead (hono's app.request()), with the same jar and redirects.
export interface StoredCookie {
  value: string;
  path: string;
  attributes: string;
}

/** Sends one request and returns the response, never following redirects. */
export type Transport = (url: URL, init: RequestInit) => Promise<Response>;

export class CookieClient {
  readonly jar = new Map<string, Map<string, StoredCookie>>();

  constructor(private readonly send: Transport = (url, init) => fetch(url, { ...init, redirect: 'manual' })) {}

  cookieHeader(url: URL): string {
    const cookies = this.jar.get(url.hostname) ?? new Map();
    return [...cookies.entries()]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  cookie(host: string, name: string): StoredCookie | undefined {
    return this.jar.get(host)?.get(name);
  }

  /** Puts a cookie in the jar as if `url` had set it (for a session made without signing in). */
  setCookie(url: URL, name: string, value: string): void {
    this.store(url, [`${name}=${value}; Path=/`]);
  }

  private store(url: URL, setCookies: string[]): void {
    const cookies = this.jar.get(url.hostname) ?? new Map<string, StoredCookie>();
    this.jar.set(url.hostname, cookies);
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) || '/';
      const expired = attributes.some((a) => /^max-age=(0|-)/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, { value, path, attributes: attributes.join('; ') });
    }
  }

  /** One request, no redirect following; cookies sent and stored. */
  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie) headers.set('Cookie', cookie);
    const response = await this.send(target, { ...init, headers });
    this.store(target, response.headers.getSetCookie());
    return response;
  }

  /** Follows redirects (as a browser would: 303 and 302 after POST become GET). */
  async follow(url: string | URL, init: RequestInit = {}, maxHops = 15): Promise<{ response: Response; url: URL; trail: URL[] }> {
    let current = new URL(url);
    let currentInit = init;
    const trail: URL[] = [current];
    for (let hop = 0; hop < maxHops; hop++) {
      const response = await this.request(current, currentInit);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response, url: current, trail };
      await response.arrayBuffer();
      current = new URL(location, current);
      trail.push(current);
      currentInit = response.status === 307 || response.status === 308 ? currentInit : {};
    }
    throw new Error(`too many redirects: ${trail.join(' -> ')}`);
  }

  /** Submits an HTML form (urlencoded) from the page at `pageUrl`, as a same-origin browser would. */
  async submit(pageUrl: URL, action: string, fields: Record<string, string>, extraHeaders: Record<string, string> = {}) {
    const target = new URL(action, pageUrl);
    return this.follow(target, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: target.origin,
        'Sec-Fetch-Site': 'same-origin',
        ...extraHeaders,
      },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

/** The value of a hidden input in an HTML page. */
export function hiddenField(html: string, name: string): string | undefined {
  return new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1];
}
