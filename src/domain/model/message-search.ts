// What a message search asks for (Discord's GET /guilds/:id/messages/search), as the domain and every store know it.

export const SEARCH_KINDS = ['image', 'sound', 'video', 'file', 'sticker', 'embed', 'link', 'poll', 'snapshot'] as const;
export const AUTHOR_TYPES = ['user', 'bot', 'webhook'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export type AuthorType = (typeof AUTHOR_TYPES)[number];
/** A `has`/`author_type` value; `negate` is Discord's leading `-` ("has no link"). */
export type Negatable<T extends string> = { value: T; negate: boolean };

export const SEARCH_LIMIT_MAX = 25;
export const SEARCH_OFFSET_MAX = 9975;
export const SEARCH_CONTENT_MAX = 1024;

/** What a caller may ask for; every list matches any of its values. */
export type SearchFilters = {
  content?: string;
  channelIds?: string[];
  authorIds?: string[];
  authorTypes?: Negatable<AuthorType>[];
  mentions?: string[];
  mentionEveryone?: boolean;
  has?: Negatable<SearchKind>[];
  pinned?: boolean;
  /** Exclusive bounds on the message id. */
  minId?: string;
  maxId?: string;
  sortBy: 'timestamp' | 'relevance';
  sortOrder: 'asc' | 'desc';
  offset: number;
  limit: number;
};

/** What the store runs: the filters with the content split into terms, over channels already allowed. */
export type MessageSearchQuery = Omit<SearchFilters, 'content' | 'channelIds'> & { channelIds: readonly string[]; terms: string[] };
