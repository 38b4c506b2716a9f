// A recorded contract of GOV.UK Notify's documented REST API (https://docs.notifications.service.gov.uk/rest-api.html:
// "Send an email", "Get the status of one message", "Get the status of multiple messages",
// "API keys", "Error codes"), served on loopback for test/notify-transport.test.ts. It is NOT
// Notify: Notify has no local server, so the tests check our client's requests against what
// Notify documents, and our handling of the answers Notify documents, nothing more.
//
// Every request is checked against the contract (URL, method, headers, the token's claims and
// signature, the JSON body's fields); a request that breaks it is recorded in `violations` and
// answered 400, so a test fails if the client drifts from the documented API.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A test API key: "key name-service id-secret" (documented form), and its parts. */
export const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
export const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
export const API_KEY = `portal_test_key-${SERVICE_ID}-${SECRET}`;

/** The documented error bodies, verbatim in shape and text. */
export const documentedErrors = {
  invalidEmail: { status: 400, body: { status_code: 400, errors: [{ error: 'ValidationError', message: 'email_address Not a valid email address' }] } },
  teamOnlyKey: { status: 400, body: { status_code: 400, errors: [{ error: 'BadRequestError', message: "Can't send to this recipient using a team-only API key" }] } },
  missingPersonalisation: { status: 400, body: { status_code: 400, errors: [{ error: 'BadRequestError', message: 'Missing personalisation: subject' }] } },
  invalidToken: { status: 403, body: { status_code: 403, errors: [{ error: 'AuthError', message: 'Invalid token: API key not found' }] } },
  clockSkew: { status: 403, body: { status_code: 403, errors: [{ error: 'AuthError', message: 'Error: Your system clock must be accurate to within 30 seconds' }] } },
  rateLimit: { status: 429, body: { status_code: 429, errors: [{ error: 'RateLimitError', message: 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds' }] } },
  dailyLimit: { status: 429, body: { status_code: 429, errors: [{ error: 'TooManyRequestsError', message: 'Exceeded send limits (250000) for today' }] } },
  serverError: { status: 500, body: { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] } },
} as const;

export interface StoredNotification {
  id: string;
  reference: string | null;
  email_address: string;
  template_id: string;
  personalisation: Record<string, string>;
  status: string;
}

/** What to do with the next POST /v2/notifications/email instead of accepting it. */
export type Scripted =
  | { status: number; body: unknown; headers?: Record<string, string> }
  /** Create the notification, then cut the connection before answering (an answer lost on the way). */
  | 'create-then-drop';

export interface NotifyContractServer {
  baseUrl: string;
  notifications: StoredNotification[];
  requests: Array<{ method: string; path: string }>;
  violations: string[];
  script: Scripted[];
  close: () => Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/** The documented authentication: a JWT, HS256, {iss: service id, iat: now ± 30 s}, signed with the secret. */
function checkToken(header: string | undefined): string | undefined {
  const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (!token) return 'Authorization must be "Bearer <JWT>"';
  const [head, claims, signature] = token.split('.');
  if (!head || !claims || !signature) return 'the token must be a JWT';
  const expected = base64url(createHmac('sha256', SECRET).update(`${head}.${claims}`).digest());
  if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return 'the token must be signed with the key’s secret (HS256)';
  const h = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string; typ?: string };
  if (h.alg !== 'HS256' || h.typ !== 'JWT') return 'the token header must be {"typ":"JWT","alg":"HS256"}';
  const c = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { iss?: string; iat?: number };
  if (c.iss !== SERVICE_ID) return 'the token’s iss must be the service id';
  if (typeof c.iat !== 'number' || Math.abs(c.iat - Date.now() / 1000) > 30) return 'the token’s iat must be within 30 seconds of now';
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startNotifyContractServer(): Promise<NotifyContractServer> {
  const state: Omit<NotifyContractServer, 'baseUrl' | 'close'> = { notifications: [], requests: [], violations: [], script: [] };

  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  const violation = (response: ServerResponse, what: string) => {
    state.violations.push(what);
    json(response, 400, { status_code: 400, errors: [{ error: 'ContractViolation', message: what }] });
  };
  const asDocumented = (n: StoredNotification) => ({
    id: n.id, reference: n.reference, email_address: n.email_address, type: 'email', status: n.status,
    template: { version: 1, id: n.template_id, uri: `/v2/template/${n.template_id}/1` },
    body: n.personalisation.body ?? '', subject: n.personalisation.subject ?? '',
    created_at: '2026-12-01 22:00:00.000000', sent_at: null, completed_at: null, is_cost_data_ready: false,
  });

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://notify.invalid');
    state.requests.push({ method: request.method ?? '', path: url.pathname });
    const tokenProblem = checkToken(request.headers.authorization);
    if (tokenProblem) return violation(response, tokenProblem);
    if (!/^NOTIFY-API-NODE-CLIENT\/\d+\.\d+\.\d+$/.test(request.headers['user-agent'] ?? '')) return violation(response, 'User-Agent must be NOTIFY-API-NODE-CLIENT/<version>');

    if (request.method === 'POST' && url.pathname === '/v2/notifications/email') {
      if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) return violation(response, 'Content-Type must be application/json');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(await readBody(request)) as Record<string, unknown>;
      } catch {
        return violation(response, 'the body must be JSON');
      }
      const allowed = ['email_address', 'template_id', 'personalisation', 'reference', 'email_reply_to_id', 'one_click_unsubscribe_url'];
      for (const key of Object.keys(body)) if (!allowed.includes(key)) return violation(response, `unknown field ${key}`);
      if (typeof body.email_address !== 'string') return violation(response, 'email_address (string) is required');
      if (typeof body.template_id !== 'string' || !UUID.test(body.template_id)) return violation(response, 'template_id (UUID) is required');
      if (body.personalisation !== undefined && (typeof body.personalisation !== 'object' || body.personalisation === null)) return violation(response, 'personalisation must be an object');
      if (body.reference !== undefined && (typeof body.reference !== 'string' || body.reference.length > 1000)) return violation(response, 'reference must be a string of at most 1,000 characters');

      const next = state.script.shift();
      if (next && next !== 'create-then-drop') return json(response, next.status, next.body, next.headers);
      const created: StoredNotification = {
        id: randomUUID(), reference: (body.reference as string | undefined) ?? null, email_address: body.email_address,
        template_id: body.template_id, personalisation: (body.personalisation as Record<string, string>) ?? {}, status: 'created',
      };
      state.notifications.push(created);
      if (next === 'create-then-drop') {
        request.socket.destroy();
        return;
      }
      // The documented 201 answer to "Send an email".
      return json(response, 201, {
        id: created.id, reference: created.reference,
        content: { subject: created.personalisation.subject ?? '', body: created.personalisation.body ?? '', from_email: 'council@notifications.service.gov.uk' },
        uri: `https://api.notifications.service.gov.uk/v2/notifications/${created.id}`,
        template: { id: created.template_id, version: 1, uri: `https://api.notifications.service.gov.uk/v2/template/${created.template_id}` },
      });
    }

    if (request.method === 'GET' && url.pathname === '/v2/notifications') {
      for (const key of url.searchParams.keys()) {
        if (!['template_type', 'status', 'reference', 'older_than', 'include_jobs'].includes(key)) return violation(response, `unknown query parameter ${key}`);
      }
      const type = url.searchParams.get('template_type');
      const reference = url.searchParams.get('reference');
      const found = state.notifications.filter((n) => (type === null || type === 'email') && (reference === null || n.reference === reference));
      return json(response, 200, { notifications: found.reverse().map(asDocumented), links: { current: `https://api.notifications.service.gov.uk${url.pathname}${url.search}` } });
    }

    const one = /^\/v2\/notifications\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && one) {
      if (!UUID.test(one[1]!)) return json(response, 400, { status_code: 400, errors: [{ error: 'ValidationError', message: 'id is not a valid UUID' }] });
      const found = state.notifications.find((n) => n.id === one[1]);
      if (!found) return json(response, 404, { status_code: 404, errors: [{ error: 'NoResultFound', message: 'No result found' }] });
      return json(response, 200, asDocumented(found));
    }
    return violation(response, `${request.method} ${url.pathname} is not in the documented API`);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}

/** A well-formed (UUID) Notify template id for the i-th kind, for any number of kinds. */
export const fakeTemplateId = (i: number): string => `${String(i).padStart(8, '0')}-1111-4222-8333-444444444444`;
