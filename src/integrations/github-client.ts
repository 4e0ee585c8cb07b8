// Fetches the GitHub profile a user links with `.github <username>`. GitHub's API is shared and rate
// limited, so the client remembers when GitHub said "stop" and refuses to call again before then, and it
// never lets a slow or broken answer hang a command: everything ends as a typed result, never a throw.

/** The profile the presence API shows, in the seed's names (`login` -> `username`, `html_url` -> `url`). */
export type GitHubProfile = {
  id: number;
  username: string;
  avatar_url: string;
  url: string;
  company: string | null;
  blog: string | null;
  bio: string | null;
  public_repos: number;
};

export type GitHubFailure =
  /** Not a possible GitHub username; no request was made. */
  | 'invalid_username'
  | 'not_found'
  /** GitHub asked us to wait; `retryAt` (Unix ms) says until when. */
  | 'rate_limited'
  /** Network error, timeout, 5xx, or an answer that is not a GitHub user. */
  | 'unavailable';

export type GitHubUserResult = { ok: true; profile: GitHubProfile } | { ok: false; reason: GitHubFailure; retryAt?: number };

/** The subset of `fetch` the client uses, so tests and Bun's `fetch` (with its extras) both fit. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type GitHubClientOptions = {
  /** e.g. `https://api.github.com`, or a GitHub Enterprise `https://host/api/v3`. */
  baseUrl: string;
  token?: string;
  /** Same shape as `Clock` in src/domain/clock.ts. */
  clock: { now(): number };
  fetch?: FetchLike;
  /** Per request, headers and body included. Default 5000 ms. */
  timeoutMs?: number;
};

/** GitHub's rules: 1-39 characters, letters, digits and single hyphens, no hyphen at either end. */
const USERNAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9]|-(?=[a-zA-Z0-9])){0,38}$/;

export function isValidGitHubUsername(username: string): boolean {
  return USERNAME.test(username);
}

// When GitHub signals a limit without saying until when, its documentation says to wait at least a minute.
const DEFAULT_BACKOFF_MS = 60_000;

export class GitHubClient {
  private readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly clock: { now(): number };
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  /** No request leaves before this instant (Unix ms); 0 when GitHub has not asked us to wait. */
  private blockedUntil = 0;

  constructor(options: GitHubClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token || undefined;
    this.clock = options.clock;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** `GET {baseUrl}/users/{username}`, mapped to the seed's profile. */
  async fetchUser(username: string): Promise<GitHubUserResult> {
    if (!isValidGitHubUsername(username)) return { ok: false, reason: 'invalid_username' };
    if (this.clock.now() < this.blockedUntil) return { ok: false, reason: 'rate_limited', retryAt: this.blockedUntil };

    const headers: Record<string, string> = {
      Accept: 'application/vnd.github+json',
      'User-Agent': 'harmony',
      'X-GitHub-Api-Version': '2022-11-28',
    };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;

    let response: Response;
    let body: unknown;
    try {
      // One signal covers the whole exchange: a server that sends headers and then stalls the body still times out.
      const signal = AbortSignal.timeout(this.timeoutMs);
      response = await this.fetchImpl(`${this.baseUrl}/users/${username}`, { headers, signal, redirect: 'follow' });
      body = await response.json().catch(() => undefined);
    } catch {
      return { ok: false, reason: 'unavailable' };
    }

    const limitedUntil = this.rateLimitUntil(response, body);
    if (limitedUntil !== null) {
      this.blockedUntil = Math.max(this.blockedUntil, limitedUntil);
      // A 2xx that used the last request still carries its profile; only later calls wait.
      if (!response.ok) return { ok: false, reason: 'rate_limited', retryAt: this.blockedUntil };
    }
    if (response.status === 404) return { ok: false, reason: 'not_found' };
    if (!response.ok) return { ok: false, reason: 'unavailable' };
    const profile = toProfile(body);
    return profile ? { ok: true, profile } : { ok: false, reason: 'unavailable' };
  }

  /**
   * When GitHub says to stop, until when (Unix ms); null when it does not. Order from GitHub's docs:
   * `Retry-After` first, then `X-RateLimit-Remaining: 0` with `X-RateLimit-Reset`, then (for a 403/429
   * that is about rate limits but names no time) one minute.
   */
  private rateLimitUntil(response: Response, body: unknown): number | null {
    const now = this.clock.now();
    const limitStatus = response.status === 403 || response.status === 429;
    const retryAfter = response.headers.get('retry-after');
    if (limitStatus && retryAfter !== null) {
      const at = parseRetryAfter(retryAfter, now);
      if (at !== null) return at;
    }
    if (response.headers.get('x-ratelimit-remaining') === '0') {
      const reset = Number(response.headers.get('x-ratelimit-reset'));
      return Number.isFinite(reset) && reset > 0 ? reset * 1000 : now + DEFAULT_BACKOFF_MS;
    }
    if (response.status === 429) return now + DEFAULT_BACKOFF_MS;
    // A 403 is a rate limit only when GitHub says so (secondary limits come without headers).
    if (response.status === 403 && /rate limit/i.test(messageOf(body))) return now + DEFAULT_BACKOFF_MS;
    return null;
  }
}

/** `Retry-After` is either delay-seconds or an HTTP date. */
function parseRetryAfter(value: string, now: number): number | null {
  if (/^\d+$/.test(value.trim())) return now + Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : date;
}

function messageOf(body: unknown): string {
  return typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : '';
}

/** Maps GitHub's user object; null when it does not look like one (a misconfigured base URL, a proxy page). */
function toProfile(body: unknown): GitHubProfile | null {
  if (typeof body !== 'object' || body === null) return null;
  const u = body as Record<string, unknown>;
  if (typeof u.id !== 'number' || !Number.isSafeInteger(u.id)) return null;
  if (typeof u.login !== 'string' || typeof u.avatar_url !== 'string' || typeof u.html_url !== 'string') return null;
  if (typeof u.public_repos !== 'number') return null;
  return {
    id: u.id,
    username: u.login,
    avatar_url: u.avatar_url,
    url: u.html_url,
    company: nullableString(u.company),
    blog: nullableString(u.blog),
    bio: nullableString(u.bio),
    public_repos: u.public_repos,
  };
}

// GitHub sends null for an unset company/bio and "" for an unset blog; both are passed on as GitHub sent them.
function nullableString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
