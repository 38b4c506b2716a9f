// clientAddress() puts the client's address on the context once per request, from a real
// socket, reading X-Forwarded-For only as far as TRUST_PROXY allows.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../tools/http/free-port.ts';
import { parseTrustProxy, trustNothing, type TrustProxy } from '../../web/client-address.ts';
import { clientAddress } from './index.ts';

function appTrusting(trust: TrustProxy) {
  const app = new Hono();
  app.use(clientAddress(trust));
  app.get('/', (c) => c.text(c.get('clientAddress')));
  return app;
}

const servers: Server[] = [];
async function listen(trust: TrustProxy): Promise<string> {
  const port = await freePort();
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: appTrusting(trust).fetch, port, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  servers.push(server);
  return `http://127.0.0.1:${port}/`;
}
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  })));
});

const from = (url: string, forwardedFor?: string) =>
  fetch(url, { headers: forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor } }).then((r) => r.text());

describe('clientAddress() over a real socket', () => {
  let untrusting: string;
  let oneHop: string;
  let loopbackProxy: string;
  let otherProxy: string;
  beforeAll(async () => {
    [untrusting, oneHop, loopbackProxy, otherProxy] = await Promise.all([
      listen(trustNothing), listen(parseTrustProxy('1')), listen(parseTrustProxy('127.0.0.1')), listen(parseTrustProxy('10.0.0.0/8')),
    ]);
  });

  it('without TRUST_PROXY is the socket address, whatever X-Forwarded-For says', async () => {
    expect(await from(untrusting)).toBe('127.0.0.1');
    expect(await from(untrusting, '198.51.100.7')).toBe('127.0.0.1');
  });

  it('with a hop count of 1 is the entry the proxy added, not what the client wrote before it', async () => {
    expect(await from(oneHop, '198.51.100.7')).toBe('198.51.100.7');
    expect(await from(oneHop, '203.0.113.1, 198.51.100.7')).toBe('198.51.100.7');
    expect(await from(oneHop)).toBe('127.0.0.1');
    expect(await from(oneHop, 'garbage')).toBe('127.0.0.1');
  });

  it('with a list reads the header only from a listed proxy', async () => {
    expect(await from(loopbackProxy, '203.0.113.1, 198.51.100.7')).toBe('198.51.100.7');
    // The socket (127.0.0.1) is not in 10.0.0.0/8: its header is not believed.
    expect(await from(otherProxy, '198.51.100.7')).toBe('127.0.0.1');
  });
});

it('is "unknown" for a request handed to the app in process (no socket)', async () => {
  const response = await appTrusting(parseTrustProxy('1')).request('/', { headers: { 'X-Forwarded-For': '198.51.100.7' } });
  expect(await response.text()).toBe('unknown');
});
