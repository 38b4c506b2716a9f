// Which address a request really came from, behind a council's TLS-terminating proxy or load
// balancer (issue 18, point 4). The socket's address is then the proxy's, and the client's is in
// X-Forwarded-For, which each proxy extends on the right with the address it was connected from:
//
//   X-Forwarded-For: <what the client sent, if anything>, <added by proxy 1>, <added by proxy 2>
//   socket address:  proxy 2 (the one connected to us)
//
// Anything left of the entries our own proxies added was written by the client and proves
// nothing, so the address is found by walking from the right, only as far as trust goes:
//
// - TRUST_PROXY unset: the socket's address; X-Forwarded-For is never read.
// - TRUST_PROXY=2 (a hop count): as many proxies in front of the portal; the address that many
//   hops from the right (1: the last entry). A shorter header gives its leftmost entry.
// - TRUST_PROXY=10.0.0.0/8,192.0.2.7 (addresses or CIDR ranges): walk from the socket leftwards
//   while the address in hand is one of ours; the first that is not is the client.
//
// An entry that is not an address (a proxy that writes ports is fine: "192.0.2.1:4711",
// "[2001:db8::1]:443") stops the walk at the last address we could vouch for: a client's junk
// never becomes "the client", and at worst the request counts as the proxy's.
import { BlockList, isIP } from 'node:net';

export type TrustProxy =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'addresses'; list: BlockList; description: string[] };

export const trustNothing: TrustProxy = { kind: 'none' };

/** More hops than any sane deployment has: a larger number is a typo. */
const MAX_HOPS = 20;

export class TrustProxyError extends Error {
  override name = 'TrustProxyError';
}

/**
 * Reads TRUST_PROXY: empty or unset trusts nothing; a whole number 1–20 is a hop count; otherwise
 * a comma-separated list of IPv4/IPv6 addresses and CIDR ranges. Anything else throws, saying why
 * (the configuration check turns that into a refusal to start).
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? '';
  if (text === '') return trustNothing;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > MAX_HOPS) throw new TrustProxyError(`a hop count must be between 1 and ${MAX_HOPS}`);
    return { kind: 'hops', hops };
  }
  const list = new BlockList();
  const description: string[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const [address, prefix, extra] = item.split('/');
    const canonical = address === undefined ? undefined : canonicalAddress(address);
    if (!canonical || extra !== undefined) {
      throw new TrustProxyError(`"${item}" is not an IP address, a CIDR range (10.0.0.0/8) or a hop count`);
    }
    const family = isIP(canonical) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) {
      list.addAddress(canonical, family);
    } else {
      const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
      if (!(bits >= 0 && bits <= (family === 'ipv6' ? 128 : 32))) throw new TrustProxyError(`"${item}" has an impossible prefix length`);
      list.addSubnet(canonical, bits, family);
    }
    description.push(prefix === undefined ? canonical : `${canonical}/${prefix}`);
  }
  return { kind: 'addresses', list, description };
}

/**
 * An address in one spelling: IPv6 lower-case and compressed, an IPv4-mapped IPv6 address as
 * IPv4 (a dual-stack socket reports ::ffff:192.0.2.1), so one client is one rate-limit bucket
 * whichever way it was written. Undefined for anything that is not an IP address.
 */
export function canonicalAddress(value: string): string | undefined {
  let text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const family = isIP(text);
  if (family === 4) return text.split('.').map(Number).join('.');
  if (family !== 6) return undefined;
  if (text.includes('%')) return undefined; // a zone id means nothing beyond this host
  const compressed = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (mapped) {
    const high = parseInt(mapped[1]!, 16);
    const low = parseInt(mapped[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return compressed;
}

/** One X-Forwarded-For entry as an address, allowing the port some proxies add; else undefined. */
export function forwardedEntry(entry: string): string | undefined {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) return canonicalAddress(bracketed[1]!);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
  return canonicalAddress(withPort ? withPort[1]! : text);
}

function trusted(trust: Extract<TrustProxy, { kind: 'addresses' }>, address: string): boolean {
  return trust.list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address for this request: from the socket, or from X-Forwarded-For as far as
 * TRUST_PROXY allows. 'unknown' when there is no socket address (a request handed to the app
 * in process).
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined | null, trust: TrustProxy): string {
  let current = (socketAddress && canonicalAddress(socketAddress)) || undefined;
  if (!current) return 'unknown';
  if (trust.kind === 'none' || !forwardedFor) return current;
  const entries = forwardedFor.split(',');
  let hops = 0;
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const proxyIsOurs = trust.kind === 'hops' ? hops < trust.hops : trusted(trust, current);
    if (!proxyIsOurs) break;
    const next = forwardedEntry(entries[index]!);
    if (!next) break; // junk: keep the last address we can vouch for
    current = next;
    hops += 1;
  }
  return current;
}

/**
 * The network a client address belongs to, for the request log: IPv4 to /24, IPv6 to /48. Enough
 * to tell which organisation's network a flood of requests comes from, without the one address
 * that can single out a person.
 */
export function clientNetwork(address: string): string {
  const family = isIP(address);
  if (family === 4) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (family !== 6) return 'unknown';
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const network = groups.slice(0, 3).map((group) => parseInt(group, 16).toString(16));
  return `${canonicalAddress(`${network.join(':')}::`)}/48`;
}
