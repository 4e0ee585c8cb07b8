import { describe, expect, it } from 'bun:test';
import { canonicalIp, inRange, LOOPBACK_RANGES, parseIp, parseRange } from '../../src/http/ip-range.ts';

const within = (address: string, range: string) => inRange(parseIp(address)!, parseRange(range)!);

describe('canonicalIp', () => {
  it('spells IPv4, IPv4-mapped IPv6 and IPv6 one way each', () => {
    expect(canonicalIp('203.0.113.7')).toBe('203.0.113.7');
    expect(canonicalIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(canonicalIp('::FFFF:7f00:1')).toBe('127.0.0.1');
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(canonicalIp('::')).toBe('::');
    expect(canonicalIp('::1')).toBe('::1');
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1');
    expect(canonicalIp('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8');
  });

  it('refuses what is not an address', () => {
    for (const bad of [
      '',
      'unknown',
      '_hidden',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1::2::3',
      ':1',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      '[::1]',
      '1.2.3.4:80',
    ]) {
      expect({ bad, parsed: canonicalIp(bad) }).toEqual({ bad, parsed: null });
    }
  });
});

describe('parseRange and inRange', () => {
  it('matches IPv4 and IPv6 CIDRs bit by bit', () => {
    expect(within('10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(within('11.0.0.1', '10.0.0.0/8')).toBe(false);
    expect(within('192.168.1.130', '192.168.1.128/25')).toBe(true);
    expect(within('192.168.1.127', '192.168.1.128/25')).toBe(false);
    expect(within('2001:db8::42', '2001:db8::/32')).toBe(true);
    expect(within('2001:db9::42', '2001:db8::/32')).toBe(false);
    expect(within('1.2.3.4', '0.0.0.0/0')).toBe(true);
    expect(within('::ffff:10.0.0.1', '10.0.0.0/8')).toBe(true);
  });

  it('takes a bare address as a range of one', () => {
    expect(within('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(within('127.0.0.2', '127.0.0.1')).toBe(false);
  });

  it('refuses malformed ranges', () => {
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', 'example.com', '10.0.0.0/x']) {
      expect({ bad, parsed: parseRange(bad) }).toEqual({ bad, parsed: null });
    }
  });

  it('counts 127.0.0.0/8 and ::1 as loopback', () => {
    const loopback = (a: string) => LOOPBACK_RANGES.some((r) => inRange(parseIp(a)!, r));
    expect([loopback('127.0.0.1'), loopback('127.9.9.9'), loopback('::1'), loopback('::ffff:127.0.0.1')]).toEqual([true, true, true, true]);
    expect([loopback('128.0.0.1'), loopback('::2'), loopback('10.0.0.1')]).toEqual([false, false, false]);
  });
});
