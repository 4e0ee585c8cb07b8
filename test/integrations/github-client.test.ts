import { afterAll, beforeEach, describe, expect, it } from 'bun:test';
import { GitHubClient, isValidGitHubUsername } from '../../src/integrations/github-client.ts';

// A recorded `GET https://api.github.com/users/octocat` body, every field GitHub sends.
const fixture = await Bun.file(new URL('../fixtures/github-user.json', import.meta.url)).json();

const T0 = 1_700_000_000_000; // the fake clock's start, Unix ms
const RESET = T0 / 1000 + 600; // X-RateLimit-Reset is in Unix seconds

type Hit = { path: string; headers: Headers };
const hits: Hit[] = [];
let releaseStalled: () => void = () => {};
const stalled = new Promise<void>((resolve) => {
  releaseStalled = resolve;
});

const limitHeaders = (remaining: number) => ({
  'content-type': 'application/json; charset=utf-8',
  'x-ratelimit-limit': '60',
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': String(RESET),
  'x-ratelimit-used': String(60 - remaining),
  'x-ratelimit-resource': 'core',
});

// Stands in for api.github.com, mounted under /api/v3 like GitHub Enterprise to prove the base URL keeps its path.
const server = Bun.serve({
  port: 0,
  async fetch(request) {
    const url = new URL(request.url);
    hits.push({ path: url.pathname, headers: request.headers });
    const user = url.pathname.replace(/^\/api\/v3\/users\//, '');
    switch (user) {
      case 'octocat':
        return Response.json(fixture, { headers: limitHeaders(59) });
      case 'last-call':
        return Response.json(fixture, { headers: limitHeaders(0) });
      case 'limited':
        return Response.json(
          {
            message:
              "API rate limit exceeded for 203.0.113.7. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)",
            documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
          },
          { status: 403, headers: limitHeaders(0) },
        );
      case 'secondary':
        return Response.json(
          {
            message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api',
          },
          { status: 403, headers: { 'retry-after': '30' } },
        );
      case 'secondary-no-header':
        return Response.json({ message: 'You have exceeded a secondary rate limit.' }, { status: 403 });
      case 'too-many':
        return Response.json({ message: 'Too Many Requests' }, { status: 429, headers: { 'retry-after': '120' } });
      case 'too-many-bare':
        return new Response('', { status: 429 });
      case 'forbidden':
        return Response.json({ message: 'Forbidden' }, { status: 403 });
      case 'broken':
        return Response.json({ message: 'Server Error' }, { status: 502 });
      case 'not-json':
        return new Response('<html>portal login</html>', { headers: { 'content-type': 'text/html' } });
      case 'not-a-user':
        return Response.json({ message: 'ok' });
      case 'stall':
        await stalled;
        return Response.json(fixture);
      case 'stall-body':
        return new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"login":"stall-body",'));
              // By then the client has cancelled the stream; closing it again would throw.
              void stalled.then(() => {
                try {
                  controller.close();
                } catch {}
              });
            },
          }),
          { headers: { 'content-type': 'application/json' } },
        );
      default:
        return Response.json(
          {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest/users/users#get-a-user',
            status: '404',
          },
          { status: 404, headers: limitHeaders(58) },
        );
    }
  },
});

afterAll(() => {
  releaseStalled();
  server.stop(true);
});

let now = T0;
const clock = { now: () => now };

function client(options: { token?: string; timeoutMs?: number } = {}) {
  return new GitHubClient({ baseUrl: `${server.url.origin}/api/v3/`, clock, ...options });
}

beforeEach(() => {
  hits.length = 0;
  now = T0;
});

const OCTOCAT = {
  id: 583231,
  username: 'octocat',
  avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
  url: 'https://github.com/octocat',
  company: '@github',
  blog: 'https://github.blog',
  bio: null,
  public_repos: 8,
};

describe('GitHubClient.fetchUser', () => {
  it("maps the recorded GitHub user to the seed's profile", async () => {
    expect(await client().fetchUser('octocat')).toEqual({ ok: true, profile: OCTOCAT });
    expect(hits.map((h) => h.path)).toEqual(['/api/v3/users/octocat']);
  });

  it('sends the GitHub media type, a User-Agent and no Authorization without a token', async () => {
    await client().fetchUser('octocat');
    const headers = hits[0]?.headers;
    expect(headers?.get('accept')).toBe('application/vnd.github+json');
    expect(headers?.get('user-agent')).toBe('harmony');
    expect(headers?.get('x-github-api-version')).toBe('2022-11-28');
    expect(headers?.has('authorization')).toBe(false);
  });

  it('sends the token as a Bearer Authorization when configured', async () => {
    await client({ token: 'ghp_exampleexampleexample' }).fetchUser('octocat');
    expect(hits[0]?.headers.get('authorization')).toBe('Bearer ghp_exampleexampleexample');
  });

  it('answers not_found for a 404', async () => {
    expect(await client().fetchUser('no-such-user')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('refuses invalid usernames before any request', async () => {
    const github = client();
    for (const name of ['', '-octo', 'octo-', 'oct--cat', 'a'.repeat(40), 'octo_cat', 'octo cat', '../admin', 'octo%2fcat']) {
      expect(await github.fetchUser(name)).toEqual({ ok: false, reason: 'invalid_username' });
    }
    expect(hits).toHaveLength(0);
  });

  describe('rate limits', () => {
    it('answers rate_limited on a 403 with X-RateLimit-Remaining 0 and waits for X-RateLimit-Reset', async () => {
      const github = client();
      expect(await github.fetchUser('limited')).toEqual({ ok: false, reason: 'rate_limited', retryAt: RESET * 1000 });
      now = RESET * 1000 - 1;
      expect(await github.fetchUser('octocat')).toEqual({ ok: false, reason: 'rate_limited', retryAt: RESET * 1000 });
      expect(hits).toHaveLength(1);
      now = RESET * 1000;
      expect(await github.fetchUser('octocat')).toEqual({ ok: true, profile: OCTOCAT });
      expect(hits).toHaveLength(2);
    });

    it('returns the profile that used the last request, then waits for the reset', async () => {
      const github = client();
      expect((await github.fetchUser('last-call')).ok).toBe(true);
      expect(await github.fetchUser('octocat')).toEqual({ ok: false, reason: 'rate_limited', retryAt: RESET * 1000 });
      expect(hits).toHaveLength(1);
    });

    it('honours Retry-After on a secondary-limit 403', async () => {
      const github = client();
      expect(await github.fetchUser('secondary')).toEqual({ ok: false, reason: 'rate_limited', retryAt: T0 + 30_000 });
      now = T0 + 29_999;
      expect((await github.fetchUser('octocat')).ok).toBe(false);
      now = T0 + 30_000;
      expect((await github.fetchUser('octocat')).ok).toBe(true);
      expect(hits).toHaveLength(2);
    });

    it('honours Retry-After on a 429', async () => {
      expect(await client().fetchUser('too-many')).toEqual({
        ok: false,
        reason: 'rate_limited',
        retryAt: T0 + 120_000,
      });
    });

    it('waits a minute after a 429 or a rate-limit 403 that names no time', async () => {
      expect(await client().fetchUser('too-many-bare')).toEqual({
        ok: false,
        reason: 'rate_limited',
        retryAt: T0 + 60_000,
      });
      expect(await client().fetchUser('secondary-no-header')).toEqual({
        ok: false,
        reason: 'rate_limited',
        retryAt: T0 + 60_000,
      });
    });

    it('treats a 403 that is not about rate limits as unavailable, without blocking later calls', async () => {
      const github = client();
      expect(await github.fetchUser('forbidden')).toEqual({ ok: false, reason: 'unavailable' });
      expect((await github.fetchUser('octocat')).ok).toBe(true);
    });
  });

  describe('failures', () => {
    it('answers unavailable for a 5xx', async () => {
      expect(await client().fetchUser('broken')).toEqual({ ok: false, reason: 'unavailable' });
    });

    it('answers unavailable for a 200 that is not JSON or not a user', async () => {
      expect(await client().fetchUser('not-json')).toEqual({ ok: false, reason: 'unavailable' });
      expect(await client().fetchUser('not-a-user')).toEqual({ ok: false, reason: 'unavailable' });
    });

    it('answers unavailable when nothing listens', async () => {
      const github = new GitHubClient({ baseUrl: 'http://127.0.0.1:1', clock });
      expect(await github.fetchUser('octocat')).toEqual({ ok: false, reason: 'unavailable' });
    });

    it('gives up after the timeout when GitHub does not answer', async () => {
      const started = performance.now();
      expect(await client({ timeoutMs: 100 }).fetchUser('stall')).toEqual({ ok: false, reason: 'unavailable' });
      expect(performance.now() - started).toBeLessThan(2000);
    });

    it('gives up after the timeout when the body stalls after the headers', async () => {
      const started = performance.now();
      expect(await client({ timeoutMs: 100 }).fetchUser('stall-body')).toEqual({ ok: false, reason: 'unavailable' });
      expect(performance.now() - started).toBeLessThan(2000);
    });

    it('defaults to a 5 second timeout', async () => {
      // Driven through an injected fetch so the test need not wait 5 s: it reports the signal's deadline.
      let aborted = false;
      const github = new GitHubClient({
        baseUrl: 'https://api.github.com',
        clock,
        fetch: (_url, init) =>
          new Promise((_, reject) => {
            init.signal?.addEventListener('abort', () => {
              aborted = true;
              reject(init.signal?.reason);
            });
          }),
      });
      const pending = github.fetchUser('octocat');
      await Bun.sleep(4500);
      expect(aborted).toBe(false);
      expect(await pending).toEqual({ ok: false, reason: 'unavailable' });
      expect(aborted).toBe(true);
    }, 10_000);
  });
});

describe('isValidGitHubUsername', () => {
  it('accepts 1-39 letters, digits and single inner hyphens', () => {
    for (const name of ['a', 'octocat', 'Octo-Cat-9', 'a'.repeat(39), '0']) expect(isValidGitHubUsername(name)).toBe(true);
  });
});
