// Which address a request is counted under: the peer, unless the peer is a trusted proxy; then the right-most hop
// of X-Forwarded-For (or Forwarded: for=) that is not a trusted proxy.
import { describe, expect, it } from 'bun:test';
import { resolveClientAddress, trustedProxies } from '../../src/http/client-address.ts';
import { postFrom } from '../support/post-from.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

const resolve = (peer: string | undefined, headers: Record<string, string>, trusted: string[] | null = ['127.0.0.1', '10.0.0.0/8']) =>
  resolveClientAddress(peer, new Headers(headers), trustedProxies({ trustedProxies: trusted, publicUrl: null }));

describe('trustedProxies', () => {
  it('trusts loopback by default only when a public URL says a proxy is in front', () => {
    expect(trustedProxies({ trustedProxies: null, publicUrl: null })).toEqual([]);
    expect(trustedProxies({ trustedProxies: null, publicUrl: 'https://chat.example.com' })).toHaveLength(2);
    expect(trustedProxies({ trustedProxies: [], publicUrl: 'https://chat.example.com' })).toEqual([]);
  });
});

describe('resolveClientAddress', () => {
  it('answers the peer and ignores forwarding headers when no proxy is trusted', () => {
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }, [])).toBe('127.0.0.1');
  });

  it('ignores forwarding headers from a peer that is not a trusted proxy', () => {
    expect(resolve('198.51.100.4', { 'x-forwarded-for': '203.0.113.9', forwarded: 'for=203.0.113.10' })).toBe('198.51.100.4');
  });

  it('takes the right-most untrusted hop of X-Forwarded-For from a trusted proxy', () => {
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).toBe('203.0.113.9');
    // The client wrote 6.6.6.6 itself; nginx appended the address it saw, and a second trusted proxy its own.
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.1.1.1' })).toBe('203.0.113.9');
  });

  it('answers the left-most hop when every hop is a trusted proxy', () => {
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '10.0.0.5, 10.0.0.6' })).toBe('10.0.0.5');
  });

  it('stops at the trusted hop that reported something other than an address', () => {
    expect(resolve('127.0.0.1', { 'x-forwarded-for': 'garbage, 10.0.0.6' })).toBe('10.0.0.6');
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '' })).toBe('127.0.0.1');
  });

  it('reads Forwarded: for= (quoted, bracketed, with ports) when there is no X-Forwarded-For', () => {
    expect(resolve('127.0.0.1', { forwarded: 'for=203.0.113.9;proto=https' })).toBe('203.0.113.9');
    expect(resolve('127.0.0.1', { forwarded: 'for="[2001:db8::7]:4711", for=10.0.0.2:80' })).toBe('2001:db8::7');
    expect(resolve('127.0.0.1', { forwarded: 'for=_hidden, for=10.0.0.2' })).toBe('10.0.0.2');
  });

  it('prefers X-Forwarded-For, which nginx and Caddy write, over a Forwarded they pass through', () => {
    expect(resolve('127.0.0.1', { 'x-forwarded-for': '203.0.113.9', forwarded: 'for=6.6.6.6' })).toBe('203.0.113.9');
  });

  it('spells addresses canonically, so one client is one key', () => {
    expect(resolve('::ffff:127.0.0.1', { 'x-forwarded-for': '2001:DB8:0:0::1' })).toBe('2001:db8::1');
    expect(resolve('::ffff:198.51.100.4', {})).toBe('198.51.100.4');
  });
});

describe('a live server counts logins under the resolved client address', () => {
  /** Ten failed logins (each at a name of its own, so no account backs off) as client A, then one as client B. */
  type Send = (headers: Record<string, string>, username: string) => Promise<{ status: number }>;
  async function tenAsAThenOneAsB(server: TestServer, send: Send = viaFetch(server)) {
    for (let i = 0; i < 10; i++) expect((await send({ 'x-forwarded-for': '203.0.113.1' }, `a_${i}`)).status).toBe(401);
    return (await send({ 'x-forwarded-for': '203.0.113.2' }, 'b_0')).status;
  }
  const viaFetch = (server: TestServer) => (headers: Record<string, string>, username: string) =>
    server.api('POST', '/api/v1/auth/login', { body: { username, password: 'wrong password' }, headers });

  it('ignores X-Forwarded-For by default: everyone is the peer, so B is refused', async () => {
    const server = await startServer();
    try {
      expect(await tenAsAThenOneAsB(server)).toBe(429);
    } finally {
      await server.stop();
    }
  }, 30_000);

  it('believes X-Forwarded-For from --trusted-proxies 127.0.0.1: ten bad logins as A do not block B', async () => {
    const server = await startServer({ trustedProxies: ['127.0.0.1'] });
    try {
      expect(await tenAsAThenOneAsB(server)).toBe(401);
      expect((await viaFetch(server)({ 'x-forwarded-for': '203.0.113.1' }, 'a_10')).status).toBe(429);
    } finally {
      await server.stop();
    }
  }, 30_000);

  it('trusts loopback by default once --public-url says a proxy is in front', async () => {
    const server = await startServer({ publicUrl: 'https://chat.example.com' });
    try {
      expect(await tenAsAThenOneAsB(server)).toBe(401);
    } finally {
      await server.stop();
    }
  }, 30_000);

  it('ignores X-Forwarded-For and Forwarded forged by a peer that is not a trusted proxy', async () => {
    const server = await startServer({ trustedProxies: ['127.0.0.1'] });
    try {
      // The test connects from 127.0.0.2, which is not in the list.
      const fromUntrusted = (headers: Record<string, string>, username: string) =>
        postFrom('127.0.0.2', `${server.url}/api/v1/auth/login`, { username, password: 'wrong password' }, headers);
      expect(await tenAsAThenOneAsB(server, fromUntrusted)).toBe(429);
      expect((await fromUntrusted({ forwarded: 'for=203.0.113.3' }, 'c_0')).status).toBe(429);
      // The peer's own bucket is what filled up: a different peer is not affected.
      expect((await viaFetch(server)({}, 'd_0')).status).toBe(401);
    } finally {
      await server.stop();
    }
  }, 30_000);
});
