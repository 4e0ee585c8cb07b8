// The presence dialect (presence-api.seed.md): GET /user/:id, the K/V REST with the user's API token, and
// the embeddable card. Reads come from the directory's memory; errors are {code, message} with string codes.

import { Elysia, t } from 'elysia';
import type { PresenceSnapshot } from '../../domain/presence/presence-directory.ts';
import { jsonResponse } from '../../http/error-response.ts';
import type { RouteDeps } from '../../http/guard.ts';
import { Query, Snowflake } from '../../http/schemas.ts';
import { discordAvatarUrl } from '../../integrations/discord-bridge/avatar-url.ts';
import { DISCORD_SOURCE } from '../../integrations/discord-bridge/member-mapping.ts';
import { renderPresenceCard } from './card-svg.ts';
import {
  CORS_HEADERS,
  type FaceDeps,
  faceDeps,
  kvError,
  notMonitored,
  type PresenceError,
  rateLimit,
  readJson,
  readValue,
  requireOwner,
  tokenOwner,
  toPresenceError,
} from './presence-http.ts';
import { answerResponse, LIVE_CACHE_CONTROL, type ReadyAnswer, ReadyAnswers, readyAnswer } from './ready-answers.ts';
import { seedPresence } from './serializers.ts';

/** OpenAPI security requirement for the presence API token (declared in app.ts). */
export const PRESENCE_TOKEN: Record<string, string[]>[] = [{ presenceToken: [] }];

/** `{code, message}` (+ `retry_after` on a 429), with CORS so browsers can read the error too. */
export function presenceErrorResponse(error: PresenceError): Response {
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.retryAfter !== undefined) body.retry_after = error.retryAfter;
  return jsonResponse(error.status, body, { ...CORS_HEADERS, ...error.headers });
}

const UserParams = t.Object({ id: Snowflake });
const KeyParams = t.Object({ id: Snowflake, key: t.String({ description: 'A key: 1-255 of a-z, A-Z, 0-9, _ (a leading _ makes it private)' }) });
const NO_STORE = 'no-store';
export const CARD_HEADERS: Record<string, string> = {
  'content-type': 'image/svg+xml; charset=utf-8',
  // Cards are embedded in pages that many people load at once: a few seconds of caching spares the server.
  'cache-control': 'public, max-age=5',
  // An SVG opened directly is a document: it may show images, never run anything.
  'content-security-policy': "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
};

/** The card's linked picture: only a member mirrored from Discord has one (on Discord's CDN). */
function cardAvatarUrl({ user, source }: PresenceSnapshot): string | null {
  return source === DISCORD_SOURCE && user.avatar !== null ? discordAvatarUrl(user.id, user.avatar) : null;
}

/**
 * A Harmony user's uploaded avatar, inlined as a data URI: an SVG shown through <img> loads nothing external, so
 * only an inlined picture appears. Avatars are at most 512 KiB; the card is cached for a few seconds.
 */
async function cardAvatarDataUri(core: RouteDeps['core'], { user, source }: PresenceSnapshot): Promise<string | undefined> {
  if (source === DISCORD_SOURCE || user.avatar === null) return undefined;
  const stored = await core.uow.repos.images.find('avatar', user.id, user.avatar);
  const bytes = stored ? await core.files.get(stored.fileKey) : null;
  return stored && bytes ? `data:${stored.contentType};base64,${Buffer.from(bytes).toString('base64')}` : undefined;
}

/**
 * GET /user/:id's answer: the public one is kept ready as bytes per user (see ready-answers.ts); the owner's own
 * read (private keys included) is built each time, since it is rare and must not share a cache with the public one.
 */
function userReader(directory: PresenceSnapshotSource) {
  const ready = new ReadyAnswers<ReadyAnswer>(directory);
  const build = (id: string, includePrivate: boolean) => {
    const snapshot = directory.snapshot(id, includePrivate);
    return snapshot ? readyAnswer(JSON.stringify(seedPresence(snapshot))) : null;
  };
  return (id: string, authorization: string | undefined): ReadyAnswer => {
    const owner = tokenOwner(directory, authorization);
    const answer = owner === id ? build(id, true) : ready.get(id, 'seed', () => build(id, false));
    if (!answer) throw notMonitored();
    return answer;
  };
}

type PresenceSnapshotSource = FaceDeps['directory'];

/** The ready answers a core's presence faces share: the Elysia routes and the native fast routes read the same cache. */
export type PresenceReaders = {
  user: ReturnType<typeof userReader>;
  /**
   * The card as ready bytes: a promise while it is built (building may read the avatar file), the answer itself once
   * it is, so a read of a built card takes no promise; null when the user is not monitored.
   */
  card: (id: string, theme: 'dark' | 'light') => ReadyAnswer | Promise<ReadyAnswer> | null;
};

const readersOf = new WeakMap<RouteDeps['core'], PresenceReaders>();

export function presenceReaders(core: RouteDeps['core']): PresenceReaders {
  let readers = readersOf.get(core);
  if (readers) return readers;
  const directory = core.services.presenceDirectory;
  // The card reads the avatar file when it is built; kept ready like the JSON, it is built once per change.
  const cards = new ReadyAnswers<Promise<ReadyAnswer>>(directory);
  /** Each build's answer, once it is in. */
  const built = new WeakMap<Promise<ReadyAnswer>, ReadyAnswer>();
  const renderCard = async (snapshot: PresenceSnapshot, theme: 'dark' | 'light') => {
    const { user, presence } = snapshot;
    const svg = renderPresenceCard(
      { displayName: user.globalName ?? user.username, status: presence.status, activities: presence.activities, avatarUrl: cardAvatarUrl(snapshot) },
      { theme, avatarDataUri: await cardAvatarDataUri(core, snapshot) },
    );
    return readyAnswer(svg);
  };
  const build = (snapshot: PresenceSnapshot, theme: 'dark' | 'light') => {
    const building = renderCard(snapshot, theme);
    void building.then(
      (answer) => built.set(building, answer),
      () => {},
    );
    return building;
  };
  readers = {
    user: userReader(directory),
    card: (id, theme) => {
      const building = cards.get(id, `card:${theme}`, () => {
        const snapshot = directory.snapshot(id, false);
        return snapshot ? build(snapshot, theme) : null;
      });
      return building && (built.get(building) ?? building);
    },
  };
  readersOf.set(core, readers);
  return readers;
}

export function presenceApi({ core, limiter }: RouteDeps) {
  const directory = core.services.presenceDirectory;
  const face = faceDeps({ core, limiter });
  const readers = presenceReaders(core);
  const read = readers.user;
  return new Elysia({ normalize: false, detail: { tags: ['Presence API'] } })
    .onError(({ code, error }) => presenceErrorResponse(toPresenceError(code, error)))
    .options('/user/*', () => new Response(null, { status: 204, headers: CORS_HEADERS }), { detail: { hide: true } })
    .onTransform(({ request, set }) => {
      Object.assign(set.headers, CORS_HEADERS);
      return rateLimit(face, request, set.headers);
    })
    .get(
      '/user/:id',
      ({ params, headers, set }) => {
        set.headers['cache-control'] = LIVE_CACHE_CONTROL;
        set.headers['content-type'] = 'application/json';
        return answerResponse(read(params.id, headers.authorization), headers['if-none-match'], set.headers);
      },
      {
        params: UserParams,
        detail: {
          summary: "A user's live presence, K/V and GitHub profile",
          description:
            "Exactly the seed's shape: `{presence: {userId, status, global_name, server_name, avatar, spotifyActivity}, KV, github}`. " +
            "Keys starting with `_` appear only with the user's own API token. 404 `user_not_monitored` until the user opts in. " +
            'Rate limited per client address (X-RateLimit-* headers). `Cache-Control: no-cache` with a strong ETag: ' +
            '`If-None-Match` gets a bodyless 304 while the answer is unchanged.',
          security: [{}, ...PRESENCE_TOKEN],
        },
      },
    )
    .get(
      '/user/:id/card.svg',
      async ({ params, query, headers, set }) => {
        const answer = readers.card(params.id, query.theme ?? 'dark');
        if (!answer) throw notMonitored();
        Object.assign(set.headers, CARD_HEADERS);
        return answerResponse(await answer, headers['if-none-match'], set.headers);
      },
      {
        params: UserParams,
        query: Query({ theme: t.Optional(t.Union([t.Literal('dark'), t.Literal('light')], { description: 'dark (default) or light' })) }),
        detail: {
          summary: 'An embeddable SVG card of the presence',
          description:
            'A 400x120 SVG: avatar, name, status dot, current activity or Spotify song. Use it in `<img src>`. Cached for 5 seconds; carries an ETag, and `If-None-Match` gets a 304 while it is unchanged.',
        },
      },
    )
    .get(
      '/user/:id/kv',
      ({ params, headers, set }) => {
        set.headers['cache-control'] = NO_STORE;
        const owner = tokenOwner(directory, headers.authorization);
        const snapshot = directory.snapshot(params.id, owner === params.id);
        if (!snapshot) throw notMonitored();
        return snapshot.kv;
      },
      {
        params: UserParams,
        detail: {
          summary: "A user's K/V",
          description: "Public keys for everyone; private (`_`) keys too with the user's own API token.",
          security: [{}, ...PRESENCE_TOKEN],
        },
      },
    )
    .put(
      '/user/:id/kv/:key',
      async ({ params, headers, request, set }) => {
        const owner = requireOwner(directory, headers.authorization, params.id);
        const result = await directory.setKv(owner, params.key, await readValue(request, true));
        if (!result.ok) throw kvError(result);
        set.status = 204;
      },
      {
        params: KeyParams,
        parse: 'none',
        detail: {
          summary: 'Set one key',
          description: 'The body is the value as raw text, or JSON `{"value": "..."}` sent as application/json. 204 on success; 400 names the broken rule.',
          security: PRESENCE_TOKEN,
        },
      },
    )
    .patch(
      '/user/:id/kv',
      async ({ params, headers, request, set }) => {
        const owner = requireOwner(directory, headers.authorization, params.id);
        const result = await directory.mergeKv(owner, await readJson(request));
        if (!result.ok) throw kvError(result);
        set.status = 204;
      },
      {
        params: UserParams,
        parse: 'none',
        detail: {
          summary: 'Merge several keys',
          description: 'A flat JSON object of string values, merged all-or-nothing: one bad key or value refuses the whole patch.',
          security: PRESENCE_TOKEN,
        },
      },
    )
    .delete(
      '/user/:id/kv/:key',
      async ({ params, headers, set }) => {
        const owner = requireOwner(directory, headers.authorization, params.id);
        const result = await directory.deleteKv(owner, params.key);
        if (!result.ok) throw kvError(result);
        set.status = 204;
      },
      { params: KeyParams, detail: { summary: 'Delete one key', description: '204 whether or not the key existed.', security: PRESENCE_TOKEN } },
    )
    .all(
      '/user/*',
      ({ request }) => {
        throw toPresenceError('NOT_FOUND', request);
      },
      { detail: { hide: true } },
    );
}
