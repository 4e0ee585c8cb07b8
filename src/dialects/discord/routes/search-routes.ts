// Message search as Discord answers it: GET /guilds/:guildId/messages/search over every channel and thread the
// caller can read, and GET /channels/:channelId/messages/search over one channel (DMs included). List filters take
// repeated keys or commas (`author_id=1&author_id=2`, `has=link,-embed`). Harmony indexes as it writes, so it
// never answers Discord's 202 "index not yet available"; search results carry no `reactions`, as on Discord.
import type { APIMessageSearchResult } from 'discord-api-types/v10';
import { Elysia, type Static, t } from 'elysia';
import {
  AUTHOR_TYPES,
  type Negatable,
  SEARCH_CONTENT_MAX,
  SEARCH_KINDS,
  SEARCH_LIMIT_MAX,
  SEARCH_OFFSET_MAX,
  type SearchFilters,
  type SearchResult,
} from '../../../domain/message-search.ts';
import type { ThreadMember } from '../../../domain/model/channel.ts';
import { FormErrors, invalidField } from '../../../http/api-error.ts';
import { Query } from '../../../http/schemas.ts';
import { isTrue, QueryBoolean, QueryInt, queryInt, Snowflake } from '../schemas.ts';
import { threadChannel, threadMember } from '../serializers/channel.ts';
import type { DiscordRouteDeps } from './deps.ts';

const Ids = t.Optional(t.Array(t.String({ pattern: '^\\d{1,20}$' }), { maxItems: 500, description: 'Snowflakes, as repeated keys or comma-separated' }));
const Words = (what: string) => t.Optional(t.Array(t.String({ maxLength: 16 }), { maxItems: 20, description: what }));

export const SearchQuery = Query({
  content: t.Optional(t.String({ maxLength: SEARCH_CONTENT_MAX, description: 'Words to find (any script; "quoted phrases" kept together)' })),
  author_id: Ids,
  author_type: Words('user, bot or webhook; a leading - excludes'),
  channel_id: Ids,
  mentions: Ids,
  mention_everyone: QueryBoolean,
  has: Words('image, sound, video, file, sticker, embed, link, poll, snapshot; a leading - excludes'),
  pinned: QueryBoolean,
  min_id: t.Optional(Snowflake),
  max_id: t.Optional(Snowflake),
  sort_by: t.Optional(t.String({ description: 'timestamp (default) or relevance' })),
  sort_order: t.Optional(t.String({ description: 'desc (default) or asc' })),
  offset: QueryInt,
  limit: QueryInt,
});

/** A list of Discord enum values, each maybe negated with `-`; an unknown one is a 50035 naming the field. */
function negatable<T extends string>(values: readonly string[] | undefined, known: readonly T[], field: string): Negatable<T>[] | undefined {
  if (values === undefined) return undefined;
  const errors = new FormErrors();
  const parsed = values.map((raw, i) => {
    const negate = raw.startsWith('-');
    const value = (negate ? raw.slice(1) : raw) as T;
    if (!known.includes(value)) errors.add([field, i], 'ENUM_TYPE_COERCE', `Value "${raw}" is not a valid enum value.`);
    return { value, negate };
  });
  errors.throwIfAny();
  return parsed;
}

function oneOf<T extends string>(value: string | undefined, known: readonly T[], field: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!known.includes(value as T)) throw invalidField(field, 'ENUM_TYPE_COERCE', `Value "${value}" is not a valid enum value.`);
  return value as T;
}

const optionalBoolean = (value: string | boolean | undefined) => (value === undefined ? undefined : isTrue(value));

/** The query string as the domain's filters: limit 1-25 (default 25), offset 0-9975. */
export function searchFilters(query: Static<typeof SearchQuery>): SearchFilters {
  return {
    content: query.content,
    channelIds: query.channel_id,
    authorIds: query.author_id,
    authorTypes: negatable(query.author_type, AUTHOR_TYPES, 'author_type'),
    mentions: query.mentions,
    mentionEveryone: optionalBoolean(query.mention_everyone),
    has: negatable(query.has, SEARCH_KINDS, 'has'),
    pinned: optionalBoolean(query.pinned),
    minId: query.min_id,
    maxId: query.max_id,
    sortBy: oneOf(query.sort_by, ['timestamp', 'relevance'] as const, 'sort_by', 'timestamp'),
    sortOrder: oneOf(query.sort_order, ['desc', 'asc'] as const, 'sort_order', 'desc'),
    offset: queryInt(query.offset, 'offset', { min: 0, max: SEARCH_OFFSET_MAX, fallback: 0 }),
    limit: queryInt(query.limit, 'limit', { min: 1, max: SEARCH_LIMIT_MAX, fallback: SEARCH_LIMIT_MAX }),
  };
}

export function searchRoutes({ core, guard, present, detail }: DiscordRouteDeps) {
  const { messageSearch } = core.services;
  const { threads: threadMembers } = core.uow.repos;

  async function answer(search: Promise<SearchResult>, viewerId: string): Promise<APIMessageSearchResult> {
    const result = await search;
    const own = new Map<string, ThreadMember>();
    for (const c of result.threads) {
      const m = await threadMembers.member(c.id, viewerId);
      if (m) own.set(c.id, m);
    }
    const members = [...own.values()].map((m) => threadMember(m));
    const messages = await present.messages(result.messages, viewerId);
    return {
      // Discord's id for its own analytics: nothing is recorded here, but clients expect the key.
      analytics_id: crypto.randomUUID().replaceAll('-', ''),
      doing_deep_historical_index: false,
      total_results: result.total,
      messages: messages.map(({ reactions: _omitted, ...m }) => [m]),
      threads: result.threads.map((c) => threadChannel(c, own.get(c.id) ?? null)),
      members,
    } as APIMessageSearchResult;
  }

  return new Elysia({ detail })
    .use(guard)
    .get(
      '/guilds/:guildId/messages/search',
      ({ caller, params, query }) => answer(messageSearch.guild(params.guildId, caller.user.id, searchFilters(query)), caller.user.id),
      {
        auth: 'any',
        params: t.Object({ guildId: Snowflake }),
        query: SearchQuery,
        detail: {
          summary:
            'Search messages in every channel and thread you can read (VIEW_CHANNEL + READ_MESSAGE_HISTORY): content, author_id, author_type, channel_id, mentions, mention_everyone, has, pinned, min_id/max_id, sort_by/sort_order, offset (max 9975), limit (1-25, default 25)',
        },
      },
    )
    .get(
      '/channels/:channelId/messages/search',
      ({ caller, params, query }) => answer(messageSearch.channel(params.channelId, caller.user.id, searchFilters(query)), caller.user.id),
      {
        auth: 'any',
        params: t.Object({ channelId: Snowflake }),
        query: SearchQuery,
        detail: { summary: 'Search messages in one channel or DM (READ_MESSAGE_HISTORY); the same filters as the guild search' },
      },
    );
}
