// A browser stand-in for in-process apps: TestClient's cookie jar and redirect following, with
// requests handed to the app by hono's app.request() instead of a socket, plus short forms that
// read well in route tests. It knows its session's CSRF token, so `post` sends a form as a
// same-origin browser page would (Origin, Sec-Fetch-Site and the csrf_token field that
// checkCsrf in src/auth/access.ts asks for).
import { TestClient } from './http-client.ts';
import { inProcess, type InProcessApp } from './in-process-app.ts';

export interface Page {
  status: number;
  html: string;
  res: Response;
}

export class AppClient extends TestClient {
  constructor(
    readonly app: InProcessApp,
    /** The session's CSRF token; null for an anonymous client. */
    readonly csrfToken: string | null = null,
    /** Where sign-in left this client: home, or the role choice for an account with several. */
    readonly landing: string = '/',
  ) {
    super(inProcess);
  }

  /** A path on this client's app (absolute URLs, e.g. of another node, are kept). */
  url(path: string | URL): URL {
    return new URL(path, this.app.baseUrl);
  }

  /** GET one path, no redirect following. */
  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    const res = await this.request(this.url(path), { headers });
    return { status: res.status, html: await res.text(), res };
  }

  /**
   * POST a form as a same-origin page of the app would, no redirect following. The session's
   * CSRF token is added unless the fields carry one (to send a wrong one, say).
   */
  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    const target = this.url(path);
    const body = new URLSearchParams({ ...(this.csrfToken === null ? {} : { csrf_token: this.csrfToken }), ...fields });
    const res = await this.request(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: target.origin, 'Sec-Fetch-Site': 'same-origin', ...headers },
      body: body.toString(),
    });
    return { status: res.status, html: await res.text(), res };
  }

  /** As TestClient.follow (redirects followed as a browser would), from a path or a URL. */
  override follow(url: string | URL, init: RequestInit = {}, maxHops = 15) {
    return super.follow(this.url(url), init, maxHops);
  }
}
