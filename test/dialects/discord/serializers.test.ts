// The pure serializers the REST routes and (later) the discord gateway share: exact Discord shapes from
// domain objects, with no database behind them.
import { describe, expect, it } from 'bun:test';
import { application, applicationFlags } from '../../../src/dialects/discord/serializers/application.ts';
import { channel } from '../../../src/dialects/discord/serializers/channel.ts';
import { memberWithoutUser } from '../../../src/dialects/discord/serializers/member.ts';
import { message } from '../../../src/dialects/discord/serializers/message.ts';
import { presence } from '../../../src/dialects/discord/serializers/presence.ts';
import type { Member } from '../../../src/domain/members.ts';
import type { Message, MessageView } from '../../../src/domain/messages.ts';
import type { Presence } from '../../../src/domain/presence/presence-service.ts';
import type { User } from '../../../src/domain/users.ts';

const GUILD = '1300000000000000000';
const CHANNEL = '1300000000000000001';
const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 6);

/** An uploaded avatar's hash, as the domain keeps it: the v10 user object carries it as is. */
const AVATAR = '0123456789abcdef0123456789abcdef';

const person = (id: string, username: string, extra: Partial<User> = {}): User => ({
  id,
  username,
  globalName: null,
  avatar: AVATAR,
  bot: false,
  system: false,
  admin: false,
  disabled: false,
  deleted: false,
  description: null,
  createdBy: null,
  botIntents: 0,
  createdAt: T0,
  ...extra,
});
const alice = person('1300000000000000010', 'alice');
const bob = person('1300000000000000011', 'bob', { globalName: 'Bobby' });

const msg = (id: string, extra: Partial<Message> = {}): Message => ({
  id,
  channelId: CHANNEL,
  guildId: GUILD,
  authorId: alice.id,
  content: 'hi',
  replyTo: null,
  mentionEveryone: false,
  mentions: [],
  pinned: false,
  nonce: null,
  embeds: [],
  components: [],
  suppressEmbeds: false,
  editedAt: null,
  createdAt: T0,
  webhook: null,
  ...extra,
});

const members = new Map<string, Member>([[alice.id, { guildId: GUILD, userId: alice.id, nick: 'Al', joinedAt: T0, roleIds: ['1300000000000000020'] }]]);
const memberOf = (guildId: string, userId: string) => (guildId === GUILD ? (members.get(userId) ?? null) : null);

describe('message()', () => {
  it('gives a reply to a deleted message type 19, its reference, and referenced_message null', () => {
    const view: MessageView = {
      message: msg('1300000000000000100', { replyTo: '1300000000000000099' }),
      author: alice,
      mentions: [],
      reactions: [],
      attachments: [],
      referenced: null,
    };
    const out = message(view, memberOf);
    expect({ type: out.type, reference: out.message_reference, referenced: out.referenced_message }).toEqual({
      type: 19,
      reference: { type: 0, message_id: '1300000000000000099', channel_id: CHANNEL, guild_id: GUILD },
      referenced: null,
    });
  });

  it('attaches members to the author and to mentions that are members, and leaves others bare', () => {
    const view: MessageView = {
      message: msg('1300000000000000101', { mentions: [alice.id, bob.id] }),
      author: alice,
      mentions: [alice, bob],
      reactions: [],
      attachments: [],
      referenced: null,
    };
    const out = message(view, memberOf);
    expect(out.member?.nick).toBe('Al');
    expect(out.mentions.map((m) => [m.id, m.member?.nick ?? 'none'])).toEqual([
      [alice.id, 'Al'],
      [bob.id, 'none'],
    ]);
    expect(out.mentions[1] as unknown).toEqual({
      id: bob.id,
      username: 'bob',
      discriminator: '0',
      global_name: 'Bobby',
      avatar: AVATAR,
      bot: false,
      public_flags: 0,
    });
  });

  it('leaves guild_id and member out of DM messages, and shows reactions only when there are some', () => {
    const dm = message(
      { message: msg('1300000000000000102', { guildId: null }), author: alice, mentions: [], reactions: [], attachments: [], referenced: null },
      memberOf,
    );
    expect(['guild_id' in dm, 'member' in dm, 'reactions' in dm]).toEqual([false, false, false]);
    const reacted = message(
      {
        message: msg('1300000000000000103'),
        author: alice,
        mentions: [],
        reactions: [{ emoji: '👍', count: 2, me: false }],
        attachments: [],
        referenced: null,
      },
      memberOf,
    );
    expect(reacted.reactions).toEqual([
      { count: 2, count_details: { burst: 0, normal: 2 }, me: false, me_burst: false, emoji: { id: null, name: '👍' }, burst_colors: [] },
    ]);
  });

  it('formats timestamps as ISO-8601 and keeps the nonce', () => {
    const out = message(
      {
        message: msg('1300000000000000104', { editedAt: T0 + 1000, nonce: 'abc' }),
        author: alice,
        mentions: [],
        reactions: [],
        attachments: [],
        referenced: null,
      },
      memberOf,
    );
    expect([out.timestamp, out.edited_timestamp, out.nonce]).toEqual(['2025-01-02T03:04:05.006Z', '2025-01-02T03:04:06.006Z', 'abc']);
  });
});

describe('memberWithoutUser()', () => {
  it('never lists @everyone among the roles', () => {
    expect(memberWithoutUser({ guildId: GUILD, userId: alice.id, nick: null, joinedAt: T0, roleIds: [GUILD, '1300000000000000020'] }).roles).toEqual([
      '1300000000000000020',
    ]);
  });
});

describe('channel()', () => {
  it('lists a DM recipient as the other participant from the viewer side', () => {
    const dm = {
      id: '1300000000000000200',
      guildId: null,
      type: 1,
      name: null,
      topic: null,
      position: 0,
      lastMessageId: null,
      createdAt: T0,
      overwrites: [],
      recipientIds: [alice.id, bob.id],
      thread: null,
    };
    const users = (ids: string[]) => [alice, bob].filter((u) => ids.includes(u.id));
    expect(channel(dm, alice.id, users) as unknown).toEqual({
      id: dm.id,
      type: 1,
      name: null,
      recipients: [{ id: bob.id, username: 'bob', discriminator: '0', global_name: 'Bobby', avatar: AVATAR, bot: false, public_flags: 0 }],
      last_message_id: null,
      flags: 0,
    });
  });
});

describe('presence()', () => {
  it("answers PRESENCE_UPDATE's data with ids for activities", () => {
    const p: Presence = {
      userId: alice.id,
      status: 'dnd',
      activities: [
        { name: 'Custom Status', type: 4, state: 'busy', created_at: 1700000000000 },
        { name: 'Spotify', type: 2, details: 'Song', created_at: 1700000000001 },
      ],
      clientStatus: { desktop: 'dnd' },
      lastSeen: T0,
    };
    expect(presence(p, GUILD) as unknown).toEqual({
      user: { id: alice.id },
      guild_id: GUILD,
      status: 'dnd',
      activities: [
        { id: 'custom', name: 'Custom Status', type: 4, state: 'busy', created_at: 1700000000000 },
        { id: 'spotify:1', name: 'Spotify', type: 2, details: 'Song', created_at: 1700000000001 },
      ],
      client_status: { desktop: 'dnd' },
    });
  });
});

describe('application()', () => {
  it('maps allowed privileged intents to Gateway* flags', () => {
    const bot = person('1300000000000000300', 'robot', { bot: true, botIntents: (1 << 1) | (1 << 8) | (1 << 15) });
    expect(applicationFlags(bot)).toBe((1 << 12) | (1 << 14) | (1 << 18));
    expect(application(bot, null)).toMatchObject({
      id: bot.id,
      name: 'robot',
      flags: (1 << 12) | (1 << 14) | (1 << 18),
      flags_new: String((1 << 12) | (1 << 14) | (1 << 18)),
    });
  });
});
