// Routing follows the parsed request path whatever the Host header says, and a request without a usable Host is a
// 400. Raw TCP, because fetch always sends a full Host and HTTP/1.1.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { parsesAsUrl } from '../../src/http/request-target.ts';
import { rawRequest } from '../support/raw-http.ts';
import { register, startServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let adminToken: string;
beforeAll(async () => {
  server = await startServer();
  adminToken = (await register(server, 'admin')).token; // the first account is the instance admin
});
afterAll(() => server.stop());

const get = (path: string, host: string | null, extra = '') =>
  rawRequest(server.url, `GET ${path} HTTP/1.1\r\n${host === null ? '' : `Host: ${host}\r\n`}${extra}Connection: close\r\n\r\n`);
const BAD_HOST = { code: 0, message: '400: Bad Request (missing or invalid Host header)' };

describe('a short Host header', () => {
  it('does not shift the path: GET /zzz/api/v1/admin/settings with Host: x is a 404, not the admin settings', async () => {
    const res = await get('/zzz/api/v1/admin/settings', 'x', `Authorization: Bearer ${adminToken}\r\n`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: { code: 0, message: '404: Not Found' } });
  });

  it.each(['x', 'ab', 'a:1', 'abc'])('routes the real path with Host: %s', async (host) => {
    const res = await get('/api/v1/admin/settings', host, `Authorization: Bearer ${adminToken}\r\n`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { registration: 'open' } });
    expect((await get('/health', host)).status).toBe(200);
  });

  it('leaves a prefixed presence path to the API, which does not know it (the native /user/:id does not match)', async () => {
    const res = await get('/zzz/user/1', 'x');
    expect({ status: res.status, body: res.body }).toEqual({ status: 404, body: { code: 0, message: '404: Not Found' } });
    expect((await get('/user/1', 'x')).body).toMatchObject({ code: 'user_not_monitored' });
  });

  it('routes an absolute-form request target by its path', async () => {
    const res = await get('http://elsewhere.example/health', 'x');
    expect(res.status).toBe(200);
  });
});

describe('a request without a usable Host', () => {
  it.each([
    ['/health', 'the API'],
    ['/', 'a web page (Bun native route)'],
    ['/user/1', 'the public presence read (Bun native route)'],
  ])('answers HTTP/1.0 GET %s (%s) without Host with 400 and code 0', async (path) => {
    const res = await rawRequest(server.url, `GET ${path} HTTP/1.0\r\n\r\n`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: BAD_HOST });
  });

  it.each(['', 'a b', 'user@host'])('answers Host: %p with 400', async (host) => {
    const res = await get('/health', host);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: BAD_HOST });
  });

  // Bun keeps these in request.url ("http://ab:cd/user/1"), which is no URL; the native routes' check decides per
  // origin, so each bad one is asked between good ones: a verdict kept for one Host never answers for another.
  it.each(['', 'a b', 'user@host', 'ab:cd', 'a:99999', '%', ':80', 'exa%20mple', 'a:b:c'])(
    'answers Host: %p with 400 on a native route (/user/1, the public presence read), and a good Host still reads',
    async (host) => {
      // Read (404: not monitored; 429 once this server's rate limit for the address is spent), never the Host's 400.
      const read = async (good: string) => expect([404, 429]).toContain((await get('/user/1', good)).status);
      await read('localhost');
      const res = await get('/user/1', host);
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: BAD_HOST });
      await read('a:1');
    },
  );

  it('serves HTTP/1.0 with a Host header as usual', async () => {
    const res = await rawRequest(server.url, 'GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n');
    expect(res.status).toBe(200);
  });
});

describe('behind a proxy that forwards the public path prefix', () => {
  it('strips the prefix from the parsed path, with a short Host too', async () => {
    const prefixed = await startServer({ publicUrl: 'http://x/harmony' });
    try {
      const ok = await rawRequest(prefixed.url, 'GET /harmony/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(ok.status).toBe(200);
      const shifted = await rawRequest(prefixed.url, 'GET /zz/harmony/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(shifted.status).toBe(404);
    } finally {
      await prefixed.stop();
    }
  });
});

describe('parsesAsUrl (the native routes’ Host check)', () => {
  it('says what URL.canParse says of a request URL, for the same URL asked again too', () => {
    const urls = [
      '/user/1',
      'http://x/user/1',
      'http://a:1/user/1?x=1#y',
      'http://[::1]/user/1',
      'http://exa%20mple/user/1',
      'http://ab:cd/user/1',
      'http://:80/user/1',
      'http://a:99999/user/1',
      'http://%/user/1',
      'http://a:b:c/user/1',
      "http://a'b/user/1",
      'https://h.example/v1/users/1',
      'http://h',
      'http://h/%zz/ /\\\\/..',
    ];
    for (let round = 0; round < 2; round++) for (const url of urls) expect([url, parsesAsUrl(url)]).toEqual([url, URL.canParse(url)]);
  });
});
