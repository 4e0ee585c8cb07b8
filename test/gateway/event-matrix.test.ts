// The gateway's permission matrix (issue 14 item 2): for every dispatch the gateway knows (DispatchType, the keys of
// the v1 event-name table), one row makes it happen and states whose sessions receive it, on both gateways (v1
// /gateway and Discord's /gateway/discord with every intent). Sessions: the owner; a member with the permissions of
// a role (view_audit_log, ...); the same role but a channel overwrite denying VIEW_CHANNEL in #matrix; a plain
// member; a user outside the guild; the instance admin (outside it too); a bot in the guild; a bot outside it; a
// banned user; and the "subject" member the membership rows act on. After each action a DM to every session is the
// sentinel: frames arrive in order, so what a session has not received by then it never will.

import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { GatewayIntentBits as Intent } from 'discord-api-types/v10';
import { EVENT_NAMES } from '../../src/dialects/harmony/gateway/payloads.ts';
import type { DispatchType } from '../../src/gateway/dispatch.ts';
import { connectV10, type V10Client } from '../dialects/discord/gateway/fixtures.ts';
import { type Account, addBot, createBot, createGuild, type GuildFixture, join, people } from '../dialects/harmony/fixtures.ts';
import { connectAs, type GatewayClient } from '../support/gateway-client.ts';
import { png } from '../support/images.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

type Actor = 'owner' | 'role' | 'denied' | 'without' | 'outsider' | 'admin' | 'botIn' | 'botOut' | 'banned' | 'subject';
const ACTORS: Actor[] = ['owner', 'role', 'denied', 'without', 'outsider', 'admin', 'botIn', 'botOut', 'banned', 'subject'];

/** Every intent a v10 session may ask for; the bots are allowed the privileged ones. */
const ALL_INTENTS = Object.values(Intent)
  .filter((v): v is number => typeof v === 'number')
  .reduce((all, bit) => all | bit, 0);

/** Members who may view #matrix (everyone in the guild but the denied member). */
const VIEWERS: Actor[] = ['owner', 'role', 'without', 'botIn', 'subject'];
/** Everyone in the guild: guild-level events ignore channel overwrites. */
const MEMBERS: Actor[] = ['owner', 'role', 'denied', 'without', 'botIn', 'subject'];
/** Members with VIEW_AUDIT_LOG: the owner, the role (the denied member holds it too) and the bot. */
const AUDITORS: Actor[] = ['owner', 'role', 'denied', 'botIn'];

type Row = {
  /** The v10 event name (the v1 name comes from the gateway's own table). */
  v10: string;
  /** Makes the event happen once. */
  trigger: () => Promise<void>;
  /** Who receives it on each gateway (both when `v1` is absent). */
  receivers: Actor[];
  v1Receivers?: Actor[];
  /** Which frames are this row's (default: every frame of that name since the row began). */
  match?: (d: any) => boolean;
  /** v1 names a thread's channel events THREAD_*, as v10 does. */
  v1Name?: string;
};

let server: TestServer;
let guild: GuildFixture;
let matrix: string;
let grantRoleId: string;
const who = {} as Record<Actor, Account>;
let zed: Account;
const v1 = {} as Record<Actor, GatewayClient>;
const d10 = {} as Record<Actor, V10Client>;

const api = async (caller: Account, method: string, path: string, body?: unknown): Promise<any> => {
  const res = await server.api(method, path, { token: caller.token, scheme: caller.scheme, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300) throw new Error(`${method} ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const owner = () => who.owner;
const g = (suffix = '') => `/api/v1/guilds/${guild.id}${suffix}`;
const THUMBS = '%F0%9F%91%8D';
const post = async (content: string) => (await api(owner(), 'POST', `/api/v1/channels/${matrix}/messages`, { content })).id as string;

beforeAll(async () => {
  // A long heartbeat interval: on a loaded machine a test client that misses a beat must not be closed mid-matrix.
  server = await startServer({ rateLimits: false, heartbeatInterval: 15_000 });
  const [admin, o, r, d, wo, out, ban, sub, z] = await people(
    server,
    'admin',
    'owner',
    'withrole',
    'denied',
    'without',
    'outsider',
    'banned',
    'subject',
    'zed',
  );
  Object.assign(who, { admin, owner: o, role: r, denied: d, without: wo, outsider: out, banned: ban, subject: sub });
  zed = z;
  guild = await createGuild(server, o, 'Event Matrix');
  matrix = (await api(o, 'POST', g('/channels'), { name: 'matrix' })).id;
  await join(server, o, guild, r, d, wo, ban, sub);
  grantRoleId = (await api(o, 'POST', g('/roles'), { name: 'auditors', permissions: ['view_audit_log'] })).id;
  for (const m of [r, d]) await api(o, 'PUT', g(`/members/${m.id}/roles/${grantRoleId}`));
  await api(o, 'PUT', `/api/v1/channels/${matrix}/permissions/${d.id}`, { type: 1, deny: ['read_messages'] });
  who.botIn = await createBot(server, admin, 'botin');
  who.botOut = await createBot(server, admin, 'botout');
  for (const bot of [who.botIn, who.botOut]) {
    await api(admin, 'PATCH', `/api/v1/admin/bots/${bot.id}`, { privileged_intents: { presence: true, members: true, message_content: true } });
  }
  await addBot(server, o, guild, who.botIn, ['read_messages', 'read_message_history', 'view_audit_log']);
  await api(o, 'PUT', g(`/bans/${ban.id}`));
  for (const actor of ACTORS) {
    await api(who[actor], 'PATCH', '/api/v1/users/@me/settings', { allow_dms_from: 'everyone' });
    v1[actor] = await connectAs(server, who[actor].token);
    d10[actor] = await connectV10(server, who[actor].token, ALL_INTENTS);
    // The v10 client heartbeats only when told to; without it every session here ends 22.5 s after READY, which a
    // slower engine (PostgreSQL) reaches mid-matrix.
    d10[actor].startHeartbeat(7_500);
  }
}, 60_000);
afterAll(async () => {
  for (const actor of ACTORS) {
    v1[actor]?.close();
    d10[actor]?.close();
  }
  await server.stop();
});

const dms = new Map<Actor, string>();
let marks = 0;
/** zed DMs every session's user and waits until each session has it. */
async function sync(): Promise<void> {
  const mark = `sync-${++marks}`;
  for (const actor of ACTORS) {
    let dm = dms.get(actor);
    if (!dm) {
      dm = (await api(zed, 'POST', '/api/v1/users/@me/channels', { recipient_id: who[actor].id })).id as string;
      dms.set(actor, dm);
    }
    await api(zed, 'POST', `/api/v1/channels/${dm}/messages`, { content: mark });
  }
  for (const actor of ACTORS) {
    await v1[actor].event('MESSAGE_CREATE', (d) => d.content === mark);
    await d10[actor].dispatch('MESSAGE_CREATE', (d) => d.content === mark);
  }
}

let thread = '';
/** The group DM the recipient rows add someone to and remove them from. */
let group = '';
const subjectSession = () => d10.subject;

/** The bot in the guild's one guild command ("matrix", with an autocompleted option), registered once. */
let matrixCommand: string | null = null;
async function command(): Promise<string> {
  matrixCommand ??= (
    await api(who.botIn, 'POST', `/api/v1/applications/${who.botIn.id}/guilds/${guild.id}/commands`, {
      name: 'matrix',
      description: 'A command of the matrix',
      options: [{ type: 3, name: 'word', description: 'A word', autocomplete: true }],
    })
  ).id as string;
  return matrixCommand;
}

let nonces = 0;
/** The owner runs the command in #matrix (type 2, or 4 to ask for choices); the bot's own frame carries the token. */
async function invoke(type: 2 | 4 = 2): Promise<{ id: string; token: string; nonce: string }> {
  const nonce = `matrix-${++nonces}`;
  const option = type === 4 ? { type: 3, name: 'word', value: 'ma', focused: true } : { type: 3, name: 'word', value: 'matrix' };
  await api(owner(), 'POST', '/api/v1/interactions', {
    type,
    application_id: who.botIn.id,
    guild_id: guild.id,
    channel_id: matrix,
    nonce,
    data: { id: await command(), name: 'matrix', type: 1, options: [option] },
  });
  const frame = await d10.botIn.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.data?.options?.[0]?.value === option.value && !seen.has(f.d.id));
  seen.add(frame.d.id);
  return { id: frame.d.id, token: frame.d.token, nonce };
}
const seen = new Set<string>();
const answer = (interaction: { id: string; token: string }, body: unknown) =>
  server.api('POST', `/api/v1/interactions/${interaction.id}/${interaction.token}/callback`, { body });

const ROWS: Record<DispatchType, Row> = {
  'message.create': {
    v10: 'MESSAGE_CREATE',
    trigger: async () => void (await post('hello matrix')),
    receivers: VIEWERS,
    match: (d) => d.content === 'hello matrix',
  },
  'message.update': {
    v10: 'MESSAGE_UPDATE',
    trigger: async () => void (await api(owner(), 'PATCH', `/api/v1/messages/${await post('to edit')}`, { content: 'edited' })),
    receivers: VIEWERS,
    match: (d) => d.content === 'edited',
  },
  'message.delete': {
    v10: 'MESSAGE_DELETE',
    trigger: async () => void (await api(owner(), 'DELETE', `/api/v1/messages/${await post('to delete')}`)),
    receivers: VIEWERS,
  },
  'message.delete_bulk': {
    v10: 'MESSAGE_DELETE_BULK',
    trigger: async () => void (await api(owner(), 'POST', `/api/v1/channels/${matrix}/messages/bulk-delete`, { messages: [await post('a'), await post('b')] })),
    receivers: VIEWERS,
  },
  'reaction.add': {
    v10: 'MESSAGE_REACTION_ADD',
    trigger: async () => void (await api(owner(), 'PUT', `/api/v1/messages/${await post('react')}/reactions/${THUMBS}`)),
    receivers: VIEWERS,
  },
  'reaction.remove': {
    v10: 'MESSAGE_REACTION_REMOVE',
    trigger: async () => {
      const id = await post('unreact');
      await api(owner(), 'PUT', `/api/v1/messages/${id}/reactions/${THUMBS}`);
      await api(owner(), 'DELETE', `/api/v1/messages/${id}/reactions/${THUMBS}`);
    },
    receivers: VIEWERS,
  },
  'typing.start': { v10: 'TYPING_START', trigger: async () => void (await api(who.role, 'POST', `/api/v1/channels/${matrix}/typing`)), receivers: VIEWERS },
  'member.update': {
    v10: 'GUILD_MEMBER_UPDATE',
    trigger: async () => void (await api(owner(), 'PATCH', g(`/members/${who.subject.id}`), { nick: 'subject nick' })),
    receivers: MEMBERS,
    match: (d) => d.nick === 'subject nick',
  },
  'member.leave': {
    v10: 'GUILD_MEMBER_REMOVE',
    trigger: async () => void (await api(owner(), 'DELETE', g(`/members/${who.subject.id}`))),
    receivers: MEMBERS.filter((a) => a !== 'subject'),
  },
  'guild.unavailable': {
    v10: 'GUILD_DELETE',
    // The kick of the row above told the subject it lost the guild; nobody else heard of it.
    trigger: async () => {},
    receivers: ['subject'],
    match: (d) => d.id === guild.id,
  },
  'member.join': {
    v10: 'GUILD_MEMBER_ADD',
    trigger: async () => join(server, owner(), guild, who.subject),
    receivers: MEMBERS.filter((a) => a !== 'subject'),
  },
  'guild.available': {
    v10: 'GUILD_CREATE',
    // The join of the row above brought the subject the guild; the others had it already.
    trigger: async () => {},
    receivers: ['subject'],
    match: (d) => d.id === guild.id,
  },
  'channel.visible': {
    v10: 'CHANNEL_CREATE',
    trigger: async () => void (await api(owner(), 'POST', g('/channels'), { name: 'fresh' })),
    receivers: MEMBERS,
    match: (d) => d.name === 'fresh',
  },
  'channel.update': {
    v10: 'CHANNEL_UPDATE',
    trigger: async () => void (await api(owner(), 'PATCH', `/api/v1/channels/${matrix}`, { topic: 'new topic' })),
    receivers: VIEWERS,
    match: (d) => d.id === matrix,
  },
  'channel.hidden': {
    v10: 'CHANNEL_DELETE',
    trigger: async () => {
      const fresh = (await api(owner(), 'GET', g('/channels'))).find((ch: any) => ch.name === 'fresh');
      await api(owner(), 'DELETE', `/api/v1/channels/${fresh.id}`);
    },
    receivers: MEMBERS,
  },
  'guild.update': { v10: 'GUILD_UPDATE', trigger: async () => void (await api(owner(), 'PATCH', g(), { description: 'changed' })), receivers: MEMBERS },
  'role.create': {
    v10: 'GUILD_ROLE_CREATE',
    trigger: async () => void (await api(owner(), 'POST', g('/roles'), { name: 'transient' })),
    receivers: MEMBERS,
    match: (d) => d.role.name === 'transient',
  },
  'role.update': {
    v10: 'GUILD_ROLE_UPDATE',
    trigger: async () => {
      const role = (await api(owner(), 'GET', g('/roles'))).find((r: any) => r.name === 'transient');
      await api(owner(), 'PATCH', g(`/roles/${role.id}`), { color: 5 });
    },
    receivers: MEMBERS,
    match: (d) => d.role.name === 'transient',
  },
  'role.delete': {
    v10: 'GUILD_ROLE_DELETE',
    trigger: async () => {
      const role = (await api(owner(), 'GET', g('/roles'))).find((r: any) => r.name === 'transient');
      await api(owner(), 'DELETE', g(`/roles/${role.id}`));
    },
    receivers: MEMBERS,
  },
  'user.update': {
    v10: 'USER_UPDATE',
    trigger: async () => void (await api(who.subject, 'PATCH', '/api/v1/users/@me', { global_name: 'Subject Renamed' })),
    receivers: ['subject'],
  },
  'presence.update': {
    v10: 'PRESENCE_UPDATE',
    trigger: async () => subjectSession().send({ op: 3, d: { status: 'dnd', afk: false, since: null, activities: [] } }),
    receivers: MEMBERS,
    match: (d) => d.user.id === who.subject.id && d.status === 'dnd',
  },
  'emojis.update': {
    v10: 'GUILD_EMOJIS_UPDATE',
    trigger: async () =>
      void (await api(owner(), 'POST', g('/emojis'), { name: 'matrix_emoji', image: `data:image/png;base64,${Buffer.from(png()).toString('base64')}` })),
    receivers: MEMBERS,
  },
  // Interactions go to the application and to the person who ran one, never to the guild at large.
  'interaction.create': {
    v10: 'INTERACTION_CREATE',
    trigger: async () => void (await invoke()),
    receivers: ['owner', 'botIn'],
  },
  'interaction.result': {
    v10: 'INTERACTION_SUCCESS',
    trigger: async () => void (await answer(await invoke(), { type: 5 })),
    receivers: ['owner'],
  },
  'interaction.modal': {
    v10: 'INTERACTION_MODAL_CREATE',
    trigger: async () =>
      void (await answer(await invoke(), {
        type: 9,
        data: { custom_id: 'form', title: 'A form', components: [{ type: 1, components: [{ type: 4, custom_id: 'field', label: 'Field', style: 1 }] }] },
      })),
    receivers: ['owner'],
  },
  'interaction.autocomplete': {
    v10: 'APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE',
    trigger: async () => void (await answer(await invoke(4), { type: 8, data: { choices: [{ name: 'matrix', value: 'matrix' }] } })),
    receivers: ['owner'],
  },
  'ephemeral.message': {
    v10: 'MESSAGE_CREATE',
    trigger: async () => void (await answer(await invoke(), { type: 4, data: { content: 'only the owner', flags: 64 } })),
    receivers: ['owner'],
    match: (d) => d.content === 'only the owner',
  },
  // A person's own read state and notification settings reach only their own sessions (people's, never bots').
  'read_state.ack': {
    v10: 'MESSAGE_ACK',
    trigger: async () => void (await api(owner(), 'POST', `/api/v1/channels/${matrix}/messages/${await post('read me')}/ack`, {})),
    receivers: ['owner'],
  },
  'notification_settings.update': {
    v10: 'USER_GUILD_SETTINGS_UPDATE',
    trigger: async () => void (await api(owner(), 'PATCH', `/api/v1/users/@me/guilds/${guild.id}/settings`, { message_notifications: 1 })),
    receivers: ['owner'],
  },
  // Group DMs are people's (v1); on Discord bots are never in one, so the v10 gateway carries none of it.
  'dm.recipient_add': {
    v10: 'CHANNEL_RECIPIENT_ADD',
    trigger: async () => {
      group = (await api(owner(), 'POST', '/api/v1/users/@me/channels', { recipients: [who.without.id, who.role.id] })).id;
      await api(owner(), 'PUT', `/api/v1/channels/${group}/recipients/${who.subject.id}`);
    },
    receivers: [],
    v1Receivers: ['owner', 'role', 'without', 'subject'],
  },
  'dm.recipient_remove': {
    v10: 'CHANNEL_RECIPIENT_REMOVE',
    trigger: async () => void (await api(owner(), 'DELETE', `/api/v1/channels/${group}/recipients/${who.subject.id}`)),
    receivers: [],
    v1Receivers: ['owner', 'role', 'without', 'subject'],
  },
  'webhooks.update': {
    v10: 'WEBHOOKS_UPDATE',
    trigger: async () => void (await api(owner(), 'POST', `/api/v1/channels/${matrix}/webhooks`, { name: 'matrix hook' })),
    receivers: VIEWERS,
  },
  'thread.members_update': {
    v10: 'THREAD_MEMBERS_UPDATE',
    trigger: async () => {
      thread = (await api(owner(), 'POST', `/api/v1/channels/${matrix}/threads`, { name: 'matrix thread', type: 11 })).id;
      await sync();
      for (const actor of ACTORS) {
        v1[actor].frames.length = 0;
        d10[actor].frames.length = 0;
      }
      await api(owner(), 'PUT', `/api/v1/channels/${thread}/thread-members/${who.subject.id}`);
    },
    receivers: VIEWERS,
  },
  'thread.list_sync': {
    v10: 'THREAD_LIST_SYNC',
    // The denied member's overwrite goes: they gain #matrix, and its active thread with it.
    trigger: async () => void (await api(owner(), 'DELETE', `/api/v1/channels/${matrix}/permissions/${who.denied.id}`)),
    receivers: ['denied'],
  },
  'audit.create': {
    v10: 'GUILD_AUDIT_LOG_ENTRY_CREATE',
    // Putting the overwrite back is audited (an overwrite create).
    trigger: async () => void (await api(owner(), 'PUT', `/api/v1/channels/${matrix}/permissions/${who.denied.id}`, { type: 1, deny: ['read_messages'] })),
    receivers: AUDITORS,
  },
};

/** Each row runs once, in this order (the membership rows build on each other). */
const ORDER = Object.keys(ROWS) as DispatchType[];

const received = (client: GatewayClient | V10Client, t: string, match: (d: any) => boolean) => client.dispatches(t).some((f) => match(f.d));

describe('who receives each dispatch', () => {
  for (const type of ORDER) {
    const row = ROWS[type];
    it(`${EVENT_NAMES[type]} / ${row.v10} (${type})`, async () => {
      // Rows that only read what the previous row caused keep its frames.
      const continues = type === 'guild.unavailable' || type === 'guild.available';
      if (!continues) {
        await sync();
        for (const actor of ACTORS) {
          v1[actor].frames.length = 0;
          d10[actor].frames.length = 0;
        }
      }
      await row.trigger();
      await sync();
      const match = row.match ?? (() => true);
      const v1Name = row.v1Name ?? EVENT_NAMES[type];
      const got = {
        v1: ACTORS.filter((a) => received(v1[a], v1Name, match)),
        v10: ACTORS.filter((a) => received(d10[a], row.v10, match)),
      };
      const want = (list: Actor[]) => ACTORS.filter((a) => list.includes(a));
      expect(got).toEqual({ v1: want(row.v1Receivers ?? row.receivers), v10: want(row.receivers) });
    });
  }
});

it('has a row for every dispatch type the gateway knows', () => {
  expect(Object.keys(ROWS).sort()).toEqual(Object.keys(EVENT_NAMES).sort());
});
