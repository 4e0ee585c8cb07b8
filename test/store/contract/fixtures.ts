// Rows the contract tests build on, written through the stores themselves (never raw SQL), so both engines get
// exactly the same data. Ids are snowflake-sized (above 2^60) so nothing passes for a small number by accident.
import type { Channel } from '../../../src/domain/channels.ts';
import type { Message } from '../../../src/domain/messages.ts';
import type { Role } from '../../../src/domain/roles.ts';
import type { Stores } from './engines.ts';

let next = 1_300_000_000_000_000_000n;

/** A new snowflake-shaped id, increasing: later ids sort after earlier ones, as real snowflakes do. */
export function snowflake(): string {
  next += 4096n;
  return next.toString();
}

export async function addUser(s: Stores, fields: { username?: string; bot?: boolean; admin?: boolean; id?: string; createdAt?: number } = {}) {
  const id = fields.id ?? snowflake();
  await s.users.insert({
    id,
    username: fields.username ?? `user${id.slice(-6)}`,
    passwordHash: fields.bot ? null : 'argon2-hash',
    bot: fields.bot ?? false,
    admin: fields.admin ?? false,
    createdAt: fields.createdAt ?? 1_700_000_000_000,
  });
  return id;
}

export const everyoneRole = (guildId: string, permissions = 1024n): Role => ({
  id: guildId,
  guildId,
  name: '@everyone',
  permissions,
  position: 0,
  color: 0,
  hoist: false,
  mentionable: false,
  botId: null,
});

/** A guild owned by `ownerId`, with its @everyone role and the owner as a member. */
export async function addGuild(s: Stores, ownerId: string, name = 'Guild') {
  const id = snowflake();
  await s.guilds.insertGuild({ id, name, ownerId, icon: null, description: null, createdAt: 1_700_000_000_000 });
  await s.guilds.insertRole(everyoneRole(id));
  await s.guilds.insertMember(id, ownerId, 1_700_000_000_000);
  return id;
}

export async function addChannel(s: Stores, guildId: string | null, fields: Partial<Pick<Channel, 'name' | 'type' | 'position' | 'topic'>> = {}) {
  const id = snowflake();
  await s.channels.insert({
    id,
    guildId,
    type: fields.type ?? (guildId === null ? 1 : 0),
    name: fields.name ?? (guildId === null ? null : 'general'),
    topic: fields.topic ?? null,
    position: fields.position ?? 0,
    lastMessageId: null,
    createdAt: 1_700_000_000_000,
  });
  return id;
}

export function message(channelId: string, guildId: string | null, authorId: string, fields: Partial<Message> = {}): Message {
  return {
    id: snowflake(),
    channelId,
    guildId,
    authorId,
    content: 'hello',
    replyTo: null,
    mentionEveryone: false,
    mentions: [],
    mentionRoles: [],
    pinned: false,
    nonce: null,
    embeds: [],
    components: [],
    suppressEmbeds: false,
    editedAt: null,
    createdAt: 1_700_000_000_000,
    webhook: null,
    interaction: null,
    ...fields,
  };
}

export async function addMessage(s: Stores, channelId: string, guildId: string | null, authorId: string, fields: Partial<Message> = {}) {
  const m = message(channelId, guildId, authorId, fields);
  await s.messages.insert(m);
  return m;
}
