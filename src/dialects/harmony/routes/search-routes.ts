// GET /guilds/:guildId/messages/search: the web app's and the SDK's message search, over every channel and thread of
// the guild the caller can read (the same domain query as Discord's route, in v1's shape and names), and
// GET /channels/:channelId/messages/search over one channel — the web app's search in a DM or group DM.
import { Elysia, t } from 'elysia';
import {
  SEARCH_CONTENT_MAX,
  SEARCH_KINDS,
  SEARCH_LIMIT_MAX,
  SEARCH_OFFSET_MAX,
  type SearchFilters,
  type SearchKind,
  type SearchResult,
} from '../../../domain/message-search.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { BOT_OR_BEARER, Query, Snowflake } from '../../../http/schemas.ts';
import { ChannelModel, MessageModel, ok } from '../models.ts';
import * as wire from '../serializers.ts';

const Ids = t.Optional(t.Array(Snowflake, { maxItems: 100, description: 'Repeated keys or comma-separated' }));
const Kind = t.String({ pattern: `^-?(${SEARCH_KINDS.join('|')})$` });

export const SearchResultModel = t.Object(
  {
    total: t.Integer({ description: 'How many messages match in all (offset and limit page through them)' }),
    messages: t.Array(MessageModel),
    threads: t.Array(ChannelModel, { description: 'The threads holding any of these messages' }),
  },
  { title: 'SearchResult' },
);

const SearchParams = {
  content: t.Optional(t.String({ maxLength: SEARCH_CONTENT_MAX, description: 'Words that must all appear (any script; "quoted phrases" kept together)' })),
  author_id: Ids,
  mentions: Ids,
  has: t.Optional(t.Array(Kind, { maxItems: 20, description: 'link, embed, file, image, video, sound (sticker, poll, snapshot never match); -kind excludes' })),
  pinned: t.Optional(t.Boolean()),
  before: t.Optional(Snowflake),
  after: t.Optional(Snowflake),
  order: t.Optional(t.Union([t.Literal('newest'), t.Literal('oldest')])),
  offset: t.Optional(t.Integer({ minimum: 0, maximum: SEARCH_OFFSET_MAX })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: SEARCH_LIMIT_MAX })),
};

type SearchParamsQuery = {
  content?: string;
  author_id?: string[];
  channel_id?: string[];
  mentions?: string[];
  has?: string[];
  pinned?: boolean;
  before?: string;
  after?: string;
  order?: 'newest' | 'oldest';
  offset?: number;
  limit?: number;
};

/** v1's query names as the domain's filters. */
function filters(query: SearchParamsQuery): SearchFilters {
  return {
    content: query.content,
    authorIds: query.author_id,
    channelIds: query.channel_id,
    mentions: query.mentions,
    has: query.has?.map((raw) => ({ value: raw.replace(/^-/, '') as SearchKind, negate: raw.startsWith('-') })),
    pinned: query.pinned,
    minId: query.after,
    maxId: query.before,
    sortBy: 'timestamp',
    sortOrder: query.order === 'oldest' ? 'asc' : 'desc',
    offset: query.offset ?? 0,
    limit: query.limit ?? SEARCH_LIMIT_MAX,
  };
}

export function searchRoutes({ core, guard }: RouteDeps) {
  const { messages, messageSearch } = core.services;
  const answer = async (search: Promise<SearchResult>, me: string) => {
    const result = await search;
    return { total: result.total, messages: (await messages.views(result.messages, me)).map(wire.message), threads: result.threads.map(wire.channel) };
  };
  return new Elysia({ detail: { tags: ['Messages'], security: BOT_OR_BEARER } })
    .use(guard)
    .get(
      '/guilds/:guildId/messages/search',
      ({ caller, params, query }) => answer(messageSearch.guild(params.guildId, caller.user.id, filters(query)), caller.user.id),
      {
        response: ok(SearchResultModel),
        auth: 'any',
        params: t.Object({ guildId: Snowflake }),
        query: Query({ ...SearchParams, channel_id: Ids }),
        detail: {
          summary:
            'Search messages in the channels and threads you can read (read_messages + read_message_history): content, author_id, channel_id, mentions, has, pinned, before/after, order, offset (max 9975), limit (1-25, default 25)',
        },
      },
    )
    .get(
      '/channels/:channelId/messages/search',
      ({ caller, params, query }) => answer(messageSearch.channel(params.channelId, caller.user.id, filters(query)), caller.user.id),
      {
        response: ok(SearchResultModel),
        auth: 'any',
        params: t.Object({ channelId: Snowflake }),
        query: Query(SearchParams),
        detail: {
          summary:
            "Search messages in one channel, thread, DM or group DM (read_messages + read_message_history; a DM for its recipients): the guild search's filters without channel_id",
        },
      },
    );
}
