// Classifies IP addresses so the fetcher can refuse to reach anything but the public internet
// (SSRF guard), and parses the operator's allow-list of private ranges. Pure: no DNS, no sockets.
// Ranges follow the IANA special-purpose registries (RFC 6890 and its updates).
import { isIP } from 'node:net';
import { ValidationError } from '../errors.ts';

export type AddressClass =
  | 'public' | 'loopback' | 'private' | 'link_local' | 'unique_local' | 'multicast' | 'unspecified'
  | 'metadata' | 'reserved' | 'broadcast' | 'cgnat' | 'documentation' | 'benchmarking';

/** One range. IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one comparison serves both families. */
export interface CidrRange {
  /** The entry as the operator wrote it. */
  readonly text: string;
  readonly bytes: Uint8Array;
  /** Prefix length over the 128-bit form. */
  readonly prefix: number;
}

export interface CidrList {
  readonly ranges: readonly CidrRange[];
}

/** 16 bytes for any IPv4 or IPv6 text form (brackets and zone ids tolerated), undefined when not an IP. */
function toBytes(ip: string): Uint8Array | undefined {
  let text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const family = isIP(text);
  if (family === 4) return mappedV4(text);
  if (family !== 6) return undefined;
  // isIP has vetted the syntax, so the split below only has to be correct, not defensive.
  const bytes = new Uint8Array(16);
  let tail: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    tail = mappedV4(text.slice(lastColon + 1)).subarray(12);
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = [...headGroups, ...new Array<string>(8 - headGroups.length - restGroups.length).fill('0'), ...restGroups];
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  if (tail) bytes.set(tail, 12);
  return bytes;
}

function mappedV4(dotted: string): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  dotted.split('.').forEach((part, i) => (bytes[12 + i] = Number(part)));
  return bytes;
}

function inRange(bytes: Uint8Array, range: { bytes: Uint8Array; prefix: number }): boolean {
  const whole = range.prefix >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== range.bytes[i]) return false;
  const bits = range.prefix & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return ((bytes[whole] ?? 0) & mask) === ((range.bytes[whole] ?? 0) & mask);
}

function parseRange(entry: string): CidrRange | undefined {
  const slash = entry.indexOf('/');
  const addr = slash < 0 ? entry : entry.slice(0, slash);
  const bytes = isIP(addr) ? toBytes(addr) : undefined;
  if (!bytes) return undefined;
  const isV4 = isIP(addr) === 4;
  const max = isV4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  return { text: entry, bytes, prefix: Number(prefixText) + (isV4 ? 96 : 0) };
}

/** Parses "127.0.0.0/8, ::1/128" (commas and/or spaces). A bare address means that one host. */
export function parseCidrList(spec: string | undefined): CidrList {
  const entries = (spec ?? '').split(/[\s,]+/).filter((e) => e !== '');
  const ranges = entries.map((entry) => {
    const range = parseRange(entry);
    if (!range) {
      throw new ValidationError('invalid_cidr', `"${entry}" is not a valid address range; write it like 10.0.0.0/8 or fd00::/8.`, {
        details: { entry },
      });
    }
    return range;
  });
  return { ranges };
}

export function cidrListContains(list: CidrList, ip: string): boolean {
  const bytes = toBytes(ip);
  return bytes !== undefined && list.ranges.some((r) => inRange(bytes, r));
}

// Ranges whose class is that of an IPv4 address carried inside the IPv6 one, since a
// connection to them may end up at that IPv4 address. `xor` undoes Teredo's obfuscation.
type Rule = { cls: AddressClass } | { embeddedAt: number; xor: number };

function table(rows: ReadonlyArray<readonly [string, Rule]>): ReadonlyArray<{ range: CidrRange; rule: Rule }> {
  return rows.map(([cidr, rule]) => ({ range: parseRange(cidr)!, rule }));
}

const c = (cls: AddressClass): Rule => ({ cls });

// First match wins, so specific entries come before the blocks that contain them.
const RULES = table([
  ['169.254.169.254/32', c('metadata')], // AWS, GCP, Azure, OpenStack
  ['100.100.100.200/32', c('metadata')], // Alibaba Cloud
  ['192.0.0.192/32', c('metadata')], // Oracle Cloud
  ['fd00:ec2::254/128', c('metadata')], // AWS over IPv6
  ['255.255.255.255/32', c('broadcast')],
  ['0.0.0.0/32', c('unspecified')],
  ['0.0.0.0/8', c('reserved')],
  ['10.0.0.0/8', c('private')],
  ['100.64.0.0/10', c('cgnat')],
  ['127.0.0.0/8', c('loopback')],
  ['169.254.0.0/16', c('link_local')],
  ['172.16.0.0/12', c('private')],
  ['192.0.0.0/24', c('reserved')],
  ['192.0.2.0/24', c('documentation')],
  ['192.88.99.0/24', c('reserved')], // deprecated 6to4 relay anycast
  ['192.168.0.0/16', c('private')],
  ['198.18.0.0/15', c('benchmarking')],
  ['198.51.100.0/24', c('documentation')],
  ['203.0.113.0/24', c('documentation')],
  ['224.0.0.0/4', c('multicast')],
  ['240.0.0.0/4', c('reserved')],
  ['::ffff:0:0/96', c('public')], // any other IPv4 address
  ['::/128', c('unspecified')],
  ['::1/128', c('loopback')],
  ['64:ff9b::/96', { embeddedAt: 12, xor: 0 }], // NAT64 (RFC 6052)
  ['2001::/32', { embeddedAt: 12, xor: 0xff }], // Teredo client address (RFC 4380)
  ['2001:2::/48', c('benchmarking')],
  ['2001:db8::/32', c('documentation')],
  ['2001::/23', c('reserved')], // IETF protocol assignments
  ['2002::/16', { embeddedAt: 2, xor: 0 }], // 6to4 (RFC 3056)
  ['3fff::/20', c('documentation')],
  ['2000::/3', c('public')], // global unicast
  ['fc00::/7', c('unique_local')],
  ['fe80::/10', c('link_local')],
  ['fec0::/10', c('private')], // deprecated site-local
  ['ff00::/8', c('multicast')],
  ['::/0', c('reserved')], // IPv4-compatible, 64:ff9b:1::/48, 100::/64 and everything unassigned
]);

function classifyBytes(bytes: Uint8Array): AddressClass {
  const hit = RULES.find(({ range }) => inRange(bytes, range));
  if (!hit) return 'reserved';
  if ('cls' in hit.rule) return hit.rule.cls;
  const v4 = mappedV4('0.0.0.0');
  for (let i = 0; i < 4; i++) v4[12 + i] = (bytes[hit.rule.embeddedAt + i] ?? 0) ^ hit.rule.xor;
  return classifyBytes(v4);
}

/** The class of an IPv4 or IPv6 address in text form; throws ValidationError for anything else. */
export function classifyAddress(ip: string): AddressClass {
  const bytes = toBytes(ip);
  if (!bytes) throw new ValidationError('invalid_address', `"${ip}" is not an IP address.`);
  return classifyBytes(bytes);
}

/**
 * Public addresses are always allowed; others only inside the allow-list. A cloud metadata address
 * must be named on its own (a /32 or /128), so allowing a link-local block never exposes credentials.
 */
export function isAddressAllowed(ip: string, allow: CidrList): boolean {
  const cls = classifyAddress(ip);
  if (cls === 'public') return true;
  const bytes = toBytes(ip)!;
  if (cls === 'metadata') return allow.ranges.some((r) => r.prefix === 128 && inRange(bytes, r));
  return allow.ranges.some((r) => inRange(bytes, r));
}

// RFC 6761: these names always mean this machine, whatever DNS says.
export function isLocalhostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

// The usual names of this machine: one of them stands for another. (127.0.0.2 and the like are not
// offered an alternative: a server listening there is not necessarily the one on 127.0.0.1.)
const THIS_MACHINE = ['127.0.0.1', '::1'];

/**
 * The same address with its host replaced by the loopback address the allow-list lets the hub fetch,
 * when the host is a localhost name, ::1 or 127.0.0.1 and the list leaves it out; otherwise undefined.
 * What a refusal suggests on a machine where ALLOW_PRIVATE_NETWORKS allows loopback.
 */
export function allowedLoopbackAlternative(url: string, allow: CidrList): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const bytes = toBytes(host);
  const thisMachine = isLocalhostName(host) || (bytes !== undefined && THIS_MACHINE.some((ip) => toBytes(ip)!.every((b, i) => b === bytes[i])));
  if (!thisMachine || cidrListContains(allow, host)) return undefined;
  const instead = THIS_MACHINE.find((ip) => cidrListContains(allow, ip));
  if (!instead) return undefined;
  u.hostname = instead.includes(':') ? `[${instead}]` : instead;
  u.hash = '';
  return u.toString();
}
