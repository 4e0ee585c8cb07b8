// What the presence faces answer on success, for the OpenAPI document: the seed's /user/:id shape, Lanyard's
// envelope, and the web app's presence settings (/api/v1/users/@me/presence). Documentation only (no route
// `response` hook, so nothing is validated at run time); test/http/api-document-responses.test.ts checks
// real answers against these schemas.
import type { TSchema } from '@sinclair/typebox';
import { t } from 'elysia';
import type { SuccessResponse } from '../discord/response-schemas.ts';

const Id = t.String({ pattern: '^\\d{1,20}$' });
const Nullable = <T extends TSchema>(schema: T) => t.Union([schema, t.Null()]);
const Status = t.Union([t.Literal('online'), t.Literal('idle'), t.Literal('dnd'), t.Literal('offline')]);
const Kv = t.Record(t.String(), t.String(), { title: 'PresenceKv', description: 'Key to value; keys starting with _ are private' });

export const GithubProfile = t.Object(
  {
    id: t.Integer(),
    username: t.String(),
    avatar_url: t.String(),
    url: t.String(),
    company: Nullable(t.String()),
    blog: Nullable(t.String()),
    bio: Nullable(t.String()),
    public_repos: t.Integer(),
  },
  { title: 'GithubProfile' },
);

export const SeedPresence = t.Object(
  {
    presence: t.Object({
      userId: Id,
      status: Status,
      global_name: Nullable(t.String()),
      server_name: Nullable(t.String()),
      avatar: Nullable(t.String()),
      spotifyActivity: Nullable(t.Object({})),
    }),
    KV: Kv,
    github: Nullable(GithubProfile),
  },
  { title: 'Presence', description: "The seed's presence shape" },
);

export const LanyardPresence = t.Object(
  {
    success: t.Literal(true),
    data: t.Object({
      discord_user: t.Object({ id: Id, username: t.String(), global_name: Nullable(t.String()), avatar: Nullable(t.String()), discriminator: t.String() }),
      discord_status: Status,
      activities: t.Array(t.Object({})),
      spotify: Nullable(t.Object({})),
      listening_to_spotify: t.Boolean(),
      kv: Kv,
      active_on_discord_web: t.Boolean(),
      active_on_discord_desktop: t.Boolean(),
      active_on_discord_mobile: t.Boolean(),
      last_seen: Nullable(t.Number({ description: 'Unix ms; null if never seen online' })),
    }),
  },
  { title: 'LanyardPresence', description: "Lanyard's {success, data} envelope" },
);

export const PresenceSettings = t.Object(
  { shared: t.Boolean(), has_token: t.Boolean(), github: Nullable(GithubProfile), guild_id: Nullable(Id), url: t.String(), bot_id: Id },
  { title: 'PresenceSettings' },
);

const ok = (schema: TSchema): SuccessResponse[] => [{ status: 200, schema }];
const none: SuccessResponse[] = [{ status: 204 }];
const svg: SuccessResponse[] = [
  { status: 200, description: 'An SVG image (image/svg+xml); 304 while If-None-Match matches', schema: t.String({ contentMediaType: 'image/svg+xml' }) },
];

/** Each presence route, by its full path as the document writes it. */
export const PRESENCE_SUCCESS: Record<string, SuccessResponse[]> = {
  'GET /user/{id}': ok(SeedPresence),
  'GET /user/{id}/card.svg': svg,
  'GET /user/{id}/kv': ok(Kv),
  'PATCH /user/{id}/kv': none,
  'PUT /user/{id}/kv/{key}': none,
  'DELETE /user/{id}/kv/{key}': none,
  'GET /v1/users/@me': ok(LanyardPresence),
  'GET /v1/users/{id}': ok(LanyardPresence),
  'PUT /v1/users/{id}/kv/{key}': none,
  'DELETE /v1/users/{id}/kv/{key}': none,
  'PATCH /v1/users/{id}/kv': none,
  'GET /api/v1/users/@me/presence': ok(PresenceSettings),
  'PUT /api/v1/users/@me/presence': ok(PresenceSettings),
  'POST /api/v1/users/@me/presence/token': [
    { status: 201, schema: t.Object({ token: t.String({ description: 'Shown only in this answer' }) }, { title: 'PresenceToken' }) },
  ],
  'DELETE /api/v1/users/@me/presence/token': none,
  'GET /api/v1/users/@me/presence/kv': ok(Kv),
  'PATCH /api/v1/users/@me/presence/kv': ok(Kv),
  'PUT /api/v1/users/@me/presence/kv/{key}': ok(Kv),
  'DELETE /api/v1/users/@me/presence/kv/{key}': ok(Kv),
  'PUT /api/v1/users/@me/presence/github': ok(PresenceSettings),
  'DELETE /api/v1/users/@me/presence/github': ok(PresenceSettings),
};
