// Message search (Discord's GET /guilds/:id/messages/search and /channels/:id/messages/search): which channels the
// caller may search — those where they hold VIEW_CHANNEL and READ_MESSAGE_HISTORY, threads included — and the
// query the store runs there. Ephemeral messages live with their interactions, never in `messages`, so no search
// finds them. The SQL (full-text index included) stays behind MessagesStore.search.
import { missingAccess, missingPermissions, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import type { Channel } from './channels.ts';
import type { Message } from './messages.ts';
import type { SearchFilters } from './model/message-search.ts';
import { has, Permission } from './permissions.ts';
import type { ChannelsRepo, MessagesRepo } from './ports/index.ts';
import type { SearchIndexer } from './search-indexer.ts';

export {
  AUTHOR_TYPES,
  type AuthorType,
  type MessageSearchQuery,
  type Negatable,
  SEARCH_CONTENT_MAX,
  SEARCH_KINDS,
  SEARCH_LIMIT_MAX,
  SEARCH_OFFSET_MAX,
  type SearchFilters,
  type SearchKind,
} from './model/message-search.ts';

export type SearchResult = { total: number; messages: Message[]; threads: Channel[] };

const READ = Permission.ViewChannel | Permission.ReadMessageHistory;

/** `"a phrase" and words` as terms: each quoted phrase is one term, other words one each. */
export function searchTerms(content: string | undefined): string[] {
  if (!content) return [];
  return [...content.matchAll(/"([^"]+)"|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? '').trim()).filter((term) => term.length > 0);
}

export class MessageSearchService {
  constructor(
    private readonly messages: MessagesRepo,
    private readonly channels: ChannelsRepo,
    private readonly access: AccessService,
    private readonly index: Pick<SearchIndexer, 'catchUp'>,
  ) {}

  /**
   * Searches the guild's channels and threads the caller can read. A member who can read none finds nothing;
   * a `channelIds` entry outside the guild is 10003, one they cannot read 50001.
   */
  async guild(guildId: string, userId: string, filters: SearchFilters): Promise<SearchResult> {
    await this.access.guild(guildId, userId);
    const all = [...(await this.channels.ofGuild(guildId)), ...(await this.channels.threadsOfGuild(guildId))];
    const readable: typeof all = [];
    for (const c of all) if (has(await this.access.permissionsIn(c, userId), READ)) readable.push(c);
    let channels = readable;
    if (filters.channelIds?.length) {
      const named = new Set(filters.channelIds);
      for (const channelId of named) {
        if (!all.some((c) => c.id === channelId)) throw unknown.channel();
        if (!readable.some((c) => c.id === channelId)) throw missingAccess();
      }
      channels = readable.filter((c) => named.has(c.id));
    }
    return this.run(channels, filters);
  }

  /** Searches one channel (a DM, group DM, guild channel or thread): VIEW_CHANNEL, then READ_MESSAGE_HISTORY (50013). */
  async channel(channelId: string, userId: string, filters: SearchFilters): Promise<SearchResult> {
    const { channel, permissions } = await this.access.channel(channelId, userId);
    if (!has(permissions, Permission.ReadMessageHistory)) throw missingPermissions();
    return await this.run([channel], filters);
  }

  private async run(channels: readonly Channel[], filters: SearchFilters): Promise<SearchResult> {
    const { content, channelIds: _named, ...rest } = filters;
    // Every message committed before the search is found: what still waits for the index goes in first.
    await this.index.catchUp();
    const { total, messages } = await this.messages.search({ ...rest, channelIds: channels.map((c) => c.id), terms: searchTerms(content) });
    const threadIds = new Set(messages.map((m) => m.channelId));
    const threads = channels.filter((c) => threadIds.has(c.id) && c.thread !== null && c.thread !== undefined);
    return { total, messages, threads };
  }
}
