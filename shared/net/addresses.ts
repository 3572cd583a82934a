// Classifies IP addresses so the fetcher can refuse to reach anything but the public internet
// (SSRF guard), and parses the operator's allow-list of private ranges. Pure: no DNS, no sockets.
// Ranges follow the IANA special-purpose registries (RFC 6890 and its updates). Matching is
// node:net's BlockList, which also matches an IPv4 range against the IPv4-mapped IPv6 form
// (::ffff:a.b.c.d) of its addresses, and an IPv4 address against ::ffff:0:0/96-style ranges.
import { BlockList, isIP } from 'node:net';
import { ValidationError } from '../errors.ts';

export type AddressClass =
  | 'public' | 'loopback' | 'private' | 'link_local' | 'unique_local' | 'multicast' | 'unspecified'
  | 'metadata' | 'reserved' | 'broadcast' | 'cgnat' | 'documentation' | 'benchmarking';

export interface CidrRange {
  /** The entry as the operator wrote it. */
  readonly text: string;
  /** A single host: a bare address, a /32 (IPv4) or a /128 (IPv6). */
  readonly host: boolean;
}

export interface CidrList {
  readonly ranges: readonly CidrRange[];
  /** Every range. */
  readonly all: BlockList;
  /** The single hosts only. */
  readonly hosts: BlockList;
}

type Family = 'ipv4' | 'ipv6';

/** An address as BlockList takes it (brackets and zone ids dropped) with its family; undefined when not an IP. */
function address(ip: string): { text: string; family: Family } | undefined {
  let text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const family = isIP(text);
  return family === 4 ? { text, family: 'ipv4' } : family === 6 ? { text, family: 'ipv6' } : undefined;
}

/** "10.0.0.0/8", "fd00::/8" or a bare address (one host), or undefined when it is none of these. */
function parseRange(entry: string): { text: string; prefix: number; family: Family; host: boolean } | undefined {
  const slash = entry.indexOf('/');
  const addr = slash < 0 ? entry : entry.slice(0, slash);
  const family = isIP(addr);
  if (family === 0) return undefined;
  const max = family === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  const prefix = Number(prefixText);
  return { text: addr, prefix, family: family === 4 ? 'ipv4' : 'ipv6', host: prefix === max };
}

function blockList(ranges: ReadonlyArray<{ text: string; prefix: number; family: Family }>): BlockList {
  const list = new BlockList();
  for (const r of ranges) list.addSubnet(r.text, r.prefix, r.family);
  return list;
}

/** Parses "127.0.0.0/8, ::1/128" (commas and/or spaces). A bare address means that one host. */
export function parseCidrList(spec: string | undefined): CidrList {
  const entries = (spec ?? '').split(/[\s,]+/).filter((e) => e !== '');
  const parsed = entries.map((entry) => {
    const range = parseRange(entry);
    if (!range) {
      throw new ValidationError('invalid_cidr', `"${entry}" is not a valid address range; write it like 10.0.0.0/8 or fd00::/8.`, {
        details: { entry },
      });
    }
    return range;
  });
  return {
    ranges: entries.map((text, i) => ({ text, host: parsed[i]!.host })),
    all: blockList(parsed),
    hosts: blockList(parsed.filter((r) => r.host)),
  };
}

export function cidrListContains(list: CidrList, ip: string): boolean {
  const a = address(ip);
  return a !== undefined && list.all.check(a.text, a.family);
}

// Ranges whose class is that of an IPv4 address carried inside the IPv6 one, since a
// connection to them may end up at that IPv4 address: `embeddedAt` is the 16-bit group where it starts,
// `xor` undoes Teredo's obfuscation.
type Rule = { cls: AddressClass } | { embeddedAt: number; xor: number };

function table(rows: ReadonlyArray<readonly [string, Rule]>): ReadonlyArray<{ list: BlockList; rule: Rule }> {
  return rows.map(([cidr, rule]) => ({ list: blockList([parseRange(cidr)!]), rule }));
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
  ['64:ff9b::/96', { embeddedAt: 6, xor: 0 }], // NAT64 (RFC 6052)
  ['2001::/32', { embeddedAt: 6, xor: 0xffff }], // Teredo client address (RFC 4380)
  ['2001:2::/48', c('benchmarking')],
  ['2001:db8::/32', c('documentation')],
  ['2001::/23', c('reserved')], // IETF protocol assignments
  ['2002::/16', { embeddedAt: 1, xor: 0 }], // 6to4 (RFC 3056)
  ['3fff::/20', c('documentation')],
  ['2000::/3', c('public')], // global unicast
  ['fc00::/7', c('unique_local')],
  ['fe80::/10', c('link_local')],
  ['fec0::/10', c('private')], // deprecated site-local
  ['ff00::/8', c('multicast')],
  ['::/0', c('reserved')], // IPv4-compatible, 64:ff9b:1::/48, 100::/64 and everything unassigned
]);

/**
 * The eight 16-bit groups of an IPv6 address that isIP accepts. The URL parser writes it in its
 * canonical form first (hexadecimal groups only, one "::" for the longest run of zeros).
 */
function ipv6Groups(ip: string): number[] {
  const canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const [head = '', tail = ''] = canonical.split('::');
  const before = head === '' ? [] : head.split(':');
  const after = tail === '' ? [] : tail.split(':');
  return [...before, ...new Array<string>(8 - before.length - after.length).fill('0'), ...after].map((g) => parseInt(g, 16));
}

function classifyParsed(a: { text: string; family: Family }): AddressClass {
  const hit = RULES.find(({ list }) => list.check(a.text, a.family));
  if (!hit) return 'reserved';
  if ('cls' in hit.rule) return hit.rule.cls;
  const groups = ipv6Groups(a.text);
  const high = (groups[hit.rule.embeddedAt] ?? 0) ^ hit.rule.xor;
  const low = (groups[hit.rule.embeddedAt + 1] ?? 0) ^ hit.rule.xor;
  return classifyParsed({ text: `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`, family: 'ipv4' });
}

/** The class of an IPv4 or IPv6 address in text form; throws ValidationError for anything else. */
export function classifyAddress(ip: string): AddressClass {
  const a = address(ip);
  if (!a) throw new ValidationError('invalid_address', `"${ip}" is not an IP address.`);
  return classifyParsed(a);
}

/**
 * Public addresses are always allowed; others only inside the allow-list. A cloud metadata address
 * must be named on its own (a /32 or /128), so allowing a link-local block never exposes credentials.
 */
export function isAddressAllowed(ip: string, allow: CidrList): boolean {
  const cls = classifyAddress(ip);
  if (cls === 'public') return true;
  const a = address(ip)!;
  return (cls === 'metadata' ? allow.hosts : allow.all).check(a.text, a.family);
}

// RFC 6761: these names always mean this machine, whatever DNS says.
export function isLocalhostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

// The usual names of this machine: one of them stands for another. (127.0.0.2 and the like are not
// offered an alternative: a server listening there is not necessarily the one on 127.0.0.1.)
const THIS_MACHINE = ['127.0.0.1', '::1'];
const THIS_MACHINE_LIST = new BlockList();
THIS_MACHINE_LIST.addAddress('127.0.0.1', 'ipv4');
THIS_MACHINE_LIST.addAddress('::1', 'ipv6');

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
  const family = isIP(host);
  const thisMachine = isLocalhostName(host) || (family !== 0 && THIS_MACHINE_LIST.check(host, family === 6 ? 'ipv6' : 'ipv4'));
  if (!thisMachine || cidrListContains(allow, host)) return undefined;
  const instead = THIS_MACHINE.find((ip) => cidrListContains(allow, ip));
  if (!instead) return undefined;
  u.hostname = instead.includes(':') ? `[${instead}]` : instead;
  u.hash = '';
  return u.toString();
}
