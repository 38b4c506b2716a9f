// Raising concerns through the app, shared by the concern, front-door and concern-matrix tests.
// Works with either kind of app (real port or in process): only its base URL is needed.
import { randomUUID } from 'node:crypto';
import { hiddenField, type TestClient } from './http-client.ts';

type RunningApp = { baseUrl: string };

/** A complete, valid set of answers about what happened (the child's identifiers are added per test). */
export const goodAnswers = {
  categories: 'neglect',
  category: 'neglect',
  whatHappened: 'Arrived without a coat for the third day running; said there was no food at home.',
  'when-day': '20', 'when-month': '11', 'when-year': '2026',
  childWords: 'There’s nothing in the cupboards.',
  immediateRisk: 'no',
  actionsTaken: 'Breakfast club place offered.',
  parentsAware: 'yes',
  parentsNotAwareReason: '',
  referrerPhone: '01632 960 001',
  referrerEmail: 'dsl@riverside.example',
};

/** A same-origin form POST, as a browser sends it. */
export function postForm(client: TestClient, app: RunningApp, path: string, fields: Record<string, string>) {
  return client.request(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.baseUrl, 'Sec-Fetch-Site': 'same-origin' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Opens the concern form: its CSRF token and a fresh idempotency key. */
export async function openConcernForm(client: TestClient, app: RunningApp, query = '') {
  const res = await client.request(`${app.baseUrl}/concerns/new${query}`);
  const html = await res.text();
  return { res, html, token: hiddenField(html, 'csrf_token')!, key: hiddenField(html, 'idempotencyKey')! };
}

/**
 * Raises a concern and returns its reference. A `category` given alone is the one kind ticked.
 * The form's key is a fresh one, not the form's: the form may be showing the user's draft, whose
 * key belongs to the concern that draft will become.
 */
export async function raiseConcern(client: TestClient, app: RunningApp, fields: Record<string, string>): Promise<string> {
  const form = await openConcernForm(client, app, fields.childId ? `?child=${fields.childId}` : '');
  const categories = fields.categories ?? fields.category ?? goodAnswers.categories;
  const sent = await postForm(client, app, '/concerns', { csrf_token: form.token, idempotencyKey: randomUUID(), childId: '', ...goodAnswers, categories, ...fields });
  const location = sent.headers.get('location');
  if (sent.status !== 303 || !location) throw new Error(`concern not raised: ${sent.status} ${(await sent.text()).slice(0, 500)}`);
  return location.replace('/concerns/', '').replace(/\?sent=1$/, '');
}
