import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.ts';
import { classifyAddress, cidrListContains, isAddressAllowed, parseCidrList, type AddressClass } from '../../shared/net/addresses.ts';

const TABLE: Array<[string, AddressClass]> = [
  // IPv4
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['93.184.215.14', 'public'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'reserved'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['11.0.0.1', 'public'],
  ['100.63.255.255', 'public'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['100.128.0.0', 'public'],
  ['100.100.100.200', 'metadata'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.0.1', 'link_local'],
  ['169.254.169.254', 'metadata'],
  ['172.15.255.255', 'public'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.0', 'public'],
  ['192.0.0.8', 'reserved'],
  ['192.0.0.192', 'metadata'],
  ['192.0.2.10', 'documentation'],
  ['192.88.99.1', 'reserved'],
  ['192.168.1.1', 'private'],
  ['198.17.255.255', 'public'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['198.20.0.0', 'public'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.99', 'documentation'],
  ['223.255.255.255', 'public'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.254', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  // IPv6
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['2606:4700:4700::1111', 'public'],
  ['2a00:1450:4001:80b::200e', 'public'],
  ['fe80::1', 'link_local'],
  ['fe80::1%eth0', 'link_local'],
  ['febf:ffff::1', 'link_local'],
  ['fc00::1', 'unique_local'],
  ['fd12:3456:789a::1', 'unique_local'],
  ['fd00:ec2::254', 'metadata'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation'],
  ['2001:2::1', 'benchmarking'],
  ['2001:10::1', 'reserved'],
  ['100::1', 'reserved'],
  ['5f00::1', 'reserved'],
  ['::127.0.0.1', 'reserved'], // IPv4-compatible (deprecated)
  ['64:ff9b:1::1', 'reserved'],
  // IPv4 inside IPv6 takes the class of the IPv4 address
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::FFFF:7F00:0002', 'loopback'],
  ['0:0:0:0:0:ffff:a00:1', 'private'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::ffff:8.8.8.8', 'public'],
  ['64:ff9b::127.0.0.1', 'loopback'],
  ['64:ff9b::a9fe:a9fe', 'metadata'],
  ['64:ff9b::c0a8:101', 'private'],
  ['64:ff9b::808:808', 'public'],
  ['2002:7f00:1::', 'loopback'],
  ['2002:a00:1::1', 'private'],
  ['2002:808:808::1', 'public'],
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'], // Teredo client 127.0.0.1 (bits inverted)
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'public'], // Teredo client 8.8.8.8
  ['2001::', 'broadcast'], // Teredo client 255.255.255.255, the zeros written as "::"
  ['2001::5601:fffe', 'link_local'], // Teredo client 169.254.0.1 (bits inverted)
  ['2002::', 'unspecified'], // 6to4 of 0.0.0.0
  ['2002::1', 'unspecified'],
  ['64:ff9b::', 'unspecified'],
];

describe('classifyAddress', () => {
  it.each(TABLE)('%s is %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });

  it.each(['localhost', '127.1', '0x7f.0.0.1', '1.2.3', '::ffff::1', '', '2130706433'])('refuses %j as not an IP', (text) => {
    expect(() => classifyAddress(text)).toThrow(ValidationError);
  });
});

describe('parseCidrList', () => {
  it('reads a comma and space separated list, bare addresses meaning one host', () => {
    const list = parseCidrList(' 127.0.0.0/8, ::1/128  10.1.2.3 ,fd00::/8');
    expect(list.ranges.map((r) => r.text)).toEqual(['127.0.0.0/8', '::1/128', '10.1.2.3', 'fd00::/8']);
    expect(cidrListContains(list, '127.9.9.9')).toBe(true);
    expect(cidrListContains(list, '::1')).toBe(true);
    expect(cidrListContains(list, '::2')).toBe(false);
    expect(cidrListContains(list, '10.1.2.3')).toBe(true);
    expect(cidrListContains(list, '10.1.2.4')).toBe(false);
    expect(cidrListContains(list, 'fdff::1')).toBe(true);
    expect(cidrListContains(list, 'fe00::1')).toBe(false);
  });

  it('gives an empty list for undefined or blank', () => {
    expect(parseCidrList(undefined).ranges).toEqual([]);
    expect(parseCidrList('  ').ranges).toEqual([]);
    expect(cidrListContains(parseCidrList(''), '127.0.0.1')).toBe(false);
  });

  it('matches prefixes that do not fall on a byte boundary', () => {
    const list = parseCidrList('172.16.0.0/12, 2001:db8:8000::/33');
    expect(cidrListContains(list, '172.31.0.1')).toBe(true);
    expect(cidrListContains(list, '172.32.0.1')).toBe(false);
    expect(cidrListContains(list, '2001:db8:8000::1')).toBe(true);
    expect(cidrListContains(list, '2001:db8:7fff::1')).toBe(false);
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    const list = parseCidrList('127.0.0.1/32');
    expect(cidrListContains(list, '::ffff:127.0.0.1')).toBe(true);
    expect(cidrListContains(list, '::ffff:7f00:1')).toBe(true);
    expect(cidrListContains(list, '::ffff:127.0.0.2')).toBe(false);
  });

  it('treats an IPv4 address as inside a range written in IPv4-mapped IPv6 form', () => {
    const list = parseCidrList('::ffff:7f00:0/104');
    expect(cidrListContains(list, '127.0.0.1')).toBe(true);
    expect(cidrListContains(list, '::ffff:127.1.2.3')).toBe(true);
    expect(cidrListContains(list, '128.0.0.1')).toBe(false);
    expect(cidrListContains(list, '::7f00:1')).toBe(false);
  });

  it.each(['10.0.0.0/33', '::1/129', '10.0.0/8', 'localhost', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', '1.2.3.4/abc', 'fe80::/1x'])(
    'names the bad entry %j',
    (bad) => {
      let caught: unknown;
      try {
        parseCidrList(`127.0.0.0/8, ${bad}`);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).code).toBe('invalid_cidr');
      expect((caught as ValidationError).message).toContain(`"${bad}"`);
      expect((caught as ValidationError).details).toEqual({ entry: bad });
    },
  );
});

describe('isAddressAllowed', () => {
  const allow = parseCidrList('127.0.0.1/32, 10.0.0.0/8, 169.254.0.0/16');

  it('always allows public addresses', () => {
    expect(isAddressAllowed('8.8.8.8', parseCidrList(''))).toBe(true);
    expect(isAddressAllowed('2606:4700:4700::1111', parseCidrList(''))).toBe(true);
  });

  it('allows non-public addresses only inside the list', () => {
    expect(isAddressAllowed('127.0.0.1', allow)).toBe(true);
    expect(isAddressAllowed('127.0.0.2', allow)).toBe(false);
    expect(isAddressAllowed('10.20.30.40', allow)).toBe(true);
    expect(isAddressAllowed('192.168.0.1', allow)).toBe(false);
    expect(isAddressAllowed('::1', allow)).toBe(false);
    expect(isAddressAllowed('::ffff:127.0.0.2', allow)).toBe(false);
    expect(isAddressAllowed('127.0.0.1', parseCidrList(undefined))).toBe(false);
  });

  it('does not let NAT64 or 6to4 forms borrow an allowed IPv4 range', () => {
    expect(isAddressAllowed('64:ff9b::7f00:1', allow)).toBe(false);
    expect(isAddressAllowed('2002:7f00:1::', allow)).toBe(false);
  });

  it('keeps cloud metadata out unless the exact address is listed', () => {
    expect(isAddressAllowed('169.254.1.1', allow)).toBe(true);
    expect(isAddressAllowed('169.254.169.254', allow)).toBe(false);
    expect(isAddressAllowed('169.254.169.254', parseCidrList('169.254.169.254'))).toBe(true);
    expect(isAddressAllowed('fd00:ec2::254', parseCidrList('fc00::/7'))).toBe(false);
  });
});
