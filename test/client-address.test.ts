// The client's address behind proxies (issue 18, point 4): the pure function of the socket's
// address, X-Forwarded-For and TRUST_PROXY (src/web/client-address.ts), and the TRUST_PROXY
// setting's parsing. Over real HTTP: src/middleware/client-address/index.test.ts and test/proxy.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalAddress, clientAddress, clientNetwork, forwardedEntry, parseTrustProxy, trustNothing } from '../src/web/client-address.ts';

const PROXY = '10.0.0.5';

describe('parseTrustProxy', () => {
  it('trusts nothing when unset or empty', () => {
    expect(parseTrustProxy(undefined)).toEqual({ kind: 'none' });
    expect(parseTrustProxy('  ')).toEqual({ kind: 'none' });
  });

  it('reads a hop count', () => {
    expect(parseTrustProxy('1')).toEqual({ kind: 'hops', hops: 1 });
    expect(parseTrustProxy(' 3 ')).toEqual({ kind: 'hops', hops: 3 });
  });

  it('reads a list of addresses and ranges, IPv4 and IPv6', () => {
    const trust = parseTrustProxy('10.0.0.0/8, 192.0.2.7,2001:DB8::/32, ::1');
    expect(trust.kind).toBe('addresses');
    if (trust.kind !== 'addresses') return;
    expect(trust.description).toEqual(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '::1']);
  });

  it.each([
    ['0', /between 1 and 20/],
    ['21', /between 1 and 20/],
    ['true', /not an IP address/],
    ['*', /not an IP address/],
    ['10.0.0.0/33', /impossible prefix/],
    ['2001:db8::/129', /impossible prefix/],
    ['10.0.0.0/8/1', /not an IP address/],
    ['10.0.0.0/-1', /impossible prefix/],
    ['10.0.0.1,', /not an IP address/],
    ['300.1.1.1', /not an IP address/],
    ['proxy.council.example', /not an IP address/],
  ])('refuses %s', (value, message) => {
    expect(() => parseTrustProxy(value)).toThrow(message);
  });
});

describe('canonicalAddress and forwardedEntry', () => {
  it('spells one address one way', () => {
    expect(canonicalAddress('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(canonicalAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(canonicalAddress('[::1]')).toBe('::1');
    expect(canonicalAddress('fe80::1%eth0')).toBeUndefined();
    expect(canonicalAddress('not an address')).toBeUndefined();
  });

  it('takes off the port a proxy may add (Azure Application Gateway does)', () => {
    expect(forwardedEntry(' 192.0.2.1:51234 ')).toBe('192.0.2.1');
    expect(forwardedEntry('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(forwardedEntry('[2001:db8::1]')).toBe('2001:db8::1');
    expect(forwardedEntry('2001:db8::1')).toBe('2001:db8::1');
    expect(forwardedEntry('unknown')).toBeUndefined();
    expect(forwardedEntry('')).toBeUndefined();
    expect(forwardedEntry('192.0.2.1:port')).toBeUndefined();
  });
});

describe('clientAddress', () => {
  it('without TRUST_PROXY is the socket address, whatever the header says', () => {
    expect(clientAddress(PROXY, '198.51.100.7', trustNothing)).toBe(PROXY);
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.7', trustNothing)).toBe('127.0.0.1');
    expect(clientAddress(undefined, '198.51.100.7', trustNothing)).toBe('unknown');
  });

  it('with a hop count takes the address that many hops from the right', () => {
    const header = '203.0.113.9, 198.51.100.7, 10.1.1.1';
    expect(clientAddress(PROXY, header, parseTrustProxy('1'))).toBe('10.1.1.1');
    expect(clientAddress(PROXY, header, parseTrustProxy('2'))).toBe('198.51.100.7');
    expect(clientAddress(PROXY, header, parseTrustProxy('3'))).toBe('203.0.113.9');
    // Fewer entries than hops: the leftmost, as far as the chain goes.
    expect(clientAddress(PROXY, header, parseTrustProxy('5'))).toBe('203.0.113.9');
    // No header at all: the socket.
    expect(clientAddress(PROXY, undefined, parseTrustProxy('1'))).toBe(PROXY);
  });

  it('with a list walks from the right past our own proxies only', () => {
    const trust = parseTrustProxy('10.0.0.0/8');
    expect(clientAddress(PROXY, '203.0.113.9, 198.51.100.7, 10.1.1.1', trust)).toBe('198.51.100.7');
    // A socket that is not one of ours: its header is not read at all.
    expect(clientAddress('192.0.2.50', '198.51.100.7', trust)).toBe('192.0.2.50');
    // Every entry ours: the leftmost.
    expect(clientAddress(PROXY, '10.9.9.9, 10.1.1.1', trust)).toBe('10.9.9.9');
    expect(clientAddress('::ffff:10.0.0.5', '2001:db8::7', trust)).toBe('2001:db8::7');
  });

  it('stops at junk and keeps the last address it can vouch for', () => {
    expect(clientAddress(PROXY, 'evil', parseTrustProxy('1'))).toBe(PROXY);
    expect(clientAddress(PROXY, '198.51.100.7, <script>, 10.1.1.1', parseTrustProxy('3'))).toBe('10.1.1.1');
    expect(clientAddress(PROXY, '198.51.100.7,,10.1.1.1', parseTrustProxy('10.0.0.0/8'))).toBe('10.1.1.1');
    expect(clientAddress(PROXY, '', parseTrustProxy('1'))).toBe(PROXY);
  });
});

describe('clientNetwork (what the request log keeps)', () => {
  it('keeps the network, never the whole address', () => {
    expect(clientNetwork('198.51.100.77')).toBe('198.51.100.0/24');
    expect(clientNetwork('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8::/48');
    expect(clientNetwork('::1')).toBe('::/48');
    expect(clientNetwork('unknown')).toBe('unknown');
  });
});

// Properties ----------------------------------------------------------------------------------

const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6().map((a) => canonicalAddress(a)!).filter((a) => a.includes(':'));
const address = fc.oneof(ipv4, ipv6).map((a) => canonicalAddress(a)!);
/** Whatever a client might put in the header: addresses, junk, empty entries, commas. */
const junkEntry = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', 'unknown', '[', '::g', '1.2.3', '999.1.1.1', '"x"'));
const clientPart = fc.array(fc.oneof(address, junkEntry), { maxLength: 6 });

describe('properties', () => {
  it('the answer is always a canonical address, or "unknown" without a socket', () => {
    fc.assert(fc.property(fc.option(address, { nil: undefined }), fc.option(fc.string(), { nil: undefined }), fc.integer({ min: 1, max: 5 }), (socket, header, hops) => {
      for (const trust of [trustNothing, parseTrustProxy(String(hops)), parseTrustProxy('10.0.0.0/8,2001:db8::/32')]) {
        const result = clientAddress(socket, header, trust);
        if (socket === undefined) expect(result).toBe('unknown');
        else expect(canonicalAddress(result)).toBe(result);
      }
    }));
  });

  it('without TRUST_PROXY the header never matters', () => {
    fc.assert(fc.property(address, fc.string(), (socket, header) => {
      expect(clientAddress(socket, header, trustNothing)).toBe(socket);
    }));
  });

  it('with n hops, what the client wrote cannot change the answer once n proxies have added theirs', () => {
    fc.assert(fc.property(clientPart, fc.array(address, { minLength: 1, maxLength: 5 }), address, (written, added, socket) => {
      // The proxies in front of us added `added` (the nearest last); the first of them saw the client.
      const hops = added.length;
      const header = [...written, ...added].join(', ');
      expect(clientAddress(socket, header, parseTrustProxy(String(hops)))).toBe(added[0]);
    }));
  });

  it('with a list, the client is the first address from the right that is not ours, whatever came before it', () => {
    const ours = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b, c]) => `10.${a}.${b}.${c}`);
    const notOurs = address.filter((a) => !a.startsWith('10.') && !a.startsWith('2001:db8:') && a !== '2001:db8::');
    fc.assert(fc.property(clientPart, notOurs, fc.array(ours, { maxLength: 4 }), ours, (written, client, chain, socket) => {
      const header = [...written, client, ...chain].join(',');
      expect(clientAddress(socket, header, parseTrustProxy('10.0.0.0/8,2001:db8::/32'))).toBe(client);
    }));
  });
});
