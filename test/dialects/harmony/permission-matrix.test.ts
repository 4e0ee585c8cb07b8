// The permission matrix (issue #2 item 9): for every v1 route, who may call it. Nine callers per route: the guild
// owner; a member granted the route's permission by a role; a member granted it by a member overwrite on the channel;
// a member without it; a bot granted it (its managed role); a bot without it; a non-member; a banned user; a bad token.
// Before each route, @everyone loses exactly that permission and the grants above are set to exactly it.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { dataUri, png } from '../../support/images.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Account, addBot, as, CODE, createBot, createGuild, type GuildFixture, join, PASSWORD, people } from './fixtures.ts';

type Actor = 'owner' | 'role' | 'overwrite' | 'without' | 'botWith' | 'botWithout' | 'outsider' | 'banned' | 'badToken';
const ACTORS: Actor[] = ['owner', 'role', 'overwrite', 'without', 'botWith', 'botWithout', 'outsider', 'banned', 'badToken'];
const DESCRIBE: Record<Actor, string> = {
  owner: 'the owner',
  role: 'a member with the permission via a role',
  overwrite: 'a member with the permission via a channel overwrite',
  without: 'a member without the permission',
  botWith: 'a bot with the permission',
  botWithout: 'a bot without the permission',
  outsider: 'a non-member',
  banned: 'a banned user',
  badToken: 'a bad token',
};

/**
 * - `global`: any signed-in caller (guild membership is irrelevant).
 * - `guild`: a guild-level permission; channel overwrites cannot grant it.
 * - `channel`: a permission in the route's channel; a member overwrite there grants it.
 * - `admin`: instance admins only.
 */
type Scope = 'global' | 'guild' | 'channel' | 'admin';
type Outcome = [status: number, code?: number];
type Request = { path: string; body?: unknown };
type Row = {
  route: string;
  scope: Scope;
  /** The seed permission names the route needs; [] for none. */
  needs: string[];
  ok: number;
  /** People only: bots get 403 whatever they hold. */
  humanOnly?: boolean;
  /** Builds the request for one caller (fresh targets for routes that consume them). */
  request: (caller: Account, actor: Actor) => Promise<Request> | Request;
  /** Puts the world back after a caller succeeded (rejoin after leaving, ...). */
  after?: (caller: Account, actor: Actor, status: number) => Promise<void>;
  /** Outcomes that differ from what scope and needs imply. */
  overrides?: Partial<Record<Actor, Outcome>>;
};

/** What @everyone holds, apart from the permission under test. */
const BASE = ['read_messages', 'send_messages', 'read_message_history', 'add_reactions', 'create_instant_invite', 'change_nickname'];

let server: TestServer;
let guild: GuildFixture;
/** The channel the channel-scoped routes act on; the overwrite member's grant lives here. */
let channel: string;
let grantRoleId: string;
let lowRoleId: string;
const who = {} as Record<Actor, Account>;
let victim: Account;
let exile: Account;
let pal: Account;
let spareBot: Account;
let adminBot: Account;

const api = (caller: Account, method: string, path: string, body?: unknown) => server.api(method, path, as(caller, body));
const owner = () => who.owner;

async function ownerDo(method: string, path: string, body?: unknown): Promise<any> {
  const res = await api(owner(), method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let shared: string | null = null;
/** One webhook for the read and rename rows (creating one per caller would fill the channel's 15). */
const sharedWebhook = async () => {
  shared ??= (await ownerDo('POST', `/api/v1/channels/${channel}/webhooks`, { name: 'shared' })).id as string;
  return shared;
};
const EMOJI_IMAGE = dataUri(png(), 'image/png');
const freshEmoji = async () => (await ownerDo('POST', `/api/v1/guilds/${guild.id}/emojis`, { name: 'target', image: EMOJI_IMAGE })).id as string;
/** A public thread of the matrix channel, made by the owner. */
const freshThread = async () => (await ownerDo('POST', c('/threads'), { name: 'matrix thread' })).id as string;
let joiners = 0;
/** A group DM with pal, owned by the caller (by the owner for callers who cannot have one: bots, a bad token). */
async function groupOf(caller: Account, actor: Actor): Promise<string> {
  const creator = actor === 'botWith' || actor === 'botWithout' || actor === 'badToken' ? owner() : caller;
  const res = await api(creator, 'POST', '/api/v1/users/@me/channels', { recipients: [pal.id] });
  if (res.status !== 200) throw new Error(`group DM failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
const freshMessage = async () => (await ownerDo('POST', `/api/v1/channels/${channel}/messages`, { content: 'target' })).id as string;
const isMember = async (account: Account) => (await api(owner(), 'GET', `/api/v1/guilds/${guild.id}/members/${account.id}`)).status === 200;

/** Puts a person back into the guild (by invite, with their role) or a bot (by its manager), after a kick, ban or leave. */
async function restore(account: Account): Promise<void> {
  if (await isMember(account)) return;
  await api(owner(), 'DELETE', `/api/v1/guilds/${guild.id}/bans/${account.id}`);
  if (account.scheme === 'Bot') await addBot(server, owner(), guild, account, []);
  else await join(server, owner(), guild, account);
  if (account === who.role) await ownerDo('PUT', `/api/v1/guilds/${guild.id}/members/${account.id}/roles/${grantRoleId}`);
}

beforeAll(async () => {
  server = await startServer({ rateLimits: false, discordApi: 'http://127.0.0.1:9' });
  const [o, r, w, wo, out, ban, v, e, p] = await people(
    server,
    'owner',
    'withrole',
    'withoverwrite',
    'without',
    'outsider',
    'banned',
    'victim',
    'exile',
    'pal',
  );
  Object.assign(who, { owner: o, role: r, overwrite: w, without: wo, outsider: out, banned: ban });
  [victim, exile, pal] = [v, e, p];
  who.badToken = { id: '0', token: 'bm90LWEtdG9rZW4.bm90LWEtdG9rZW4tZWl0aGVyLWp1c3QtcGFkZGluZw', scheme: 'Bearer', username: 'nobody' };
  guild = await createGuild(server, o, 'Matrix');
  channel = (await ownerDo('POST', `/api/v1/guilds/${guild.id}/channels`, { name: 'matrix' })).id;
  await join(server, o, guild, r, w, wo, ban, v, e);
  grantRoleId = (await ownerDo('POST', `/api/v1/guilds/${guild.id}/roles`, { name: 'grant' })).id;
  await ownerDo('PUT', `/api/v1/guilds/${guild.id}/members/${r.id}/roles/${grantRoleId}`);
  // Created after the grant role, so it sits below it: the role member may hand it out.
  lowRoleId = (await ownerDo('POST', `/api/v1/guilds/${guild.id}/roles`, { name: 'low' })).id;
  who.botWith = await createBot(server, o, 'botwith');
  who.botWithout = await createBot(server, o, 'botwithout');
  spareBot = await createBot(server, o, 'sparebot');
  adminBot = await createBot(server, o, 'adminbot');
  for (const bot of [who.botWith, who.botWithout]) await addBot(server, o, guild, bot, []);
  await ownerDo('PUT', `/api/v1/guilds/${guild.id}/bans/${ban.id}`);
  await ownerDo('PUT', `/api/v1/guilds/${guild.id}/bans/${e.id}`);
  // pal shares no guild with anyone: opening a DM with them needs their consent (dm-privacy.test.ts).
  expect((await api(p, 'PATCH', '/api/v1/users/@me/settings', { allow_dms_from: 'everyone' })).status).toBe(200);
}, 30_000);
afterAll(() => server.stop());

/** Before each route: @everyone loses exactly `needs`; the role, the overwrite and the bot hold exactly `needs`. */
async function grant(needs: string[]): Promise<void> {
  await ownerDo('PATCH', `/api/v1/guilds/${guild.id}/roles/${guild.id}`, { permissions: BASE.filter((p) => !needs.includes(p)) });
  await ownerDo('PATCH', `/api/v1/guilds/${guild.id}/roles/${grantRoleId}`, { permissions: needs });
  await ownerDo('PUT', `/api/v1/channels/${channel}/permissions/${who.overwrite.id}`, { type: 1, allow: needs });
  await addBot(server, owner(), guild, who.botWith, needs);
  await addBot(server, owner(), guild, who.botWithout, []);
}

function expected(row: Row, actor: Actor): Outcome {
  const override = row.overrides?.[actor];
  if (override) return override;
  if (actor === 'badToken') return [401, CODE.general];
  if (row.humanOnly && (actor === 'botWith' || actor === 'botWithout')) return [403, CODE.missingAccess];
  if (row.scope === 'admin') return actor === 'owner' ? [row.ok] : [403, CODE.missingAccess];
  if (row.scope === 'global') return [row.ok];
  if (actor === 'outsider' || actor === 'banned') return [403, CODE.missingAccess];
  if (actor === 'owner' || row.needs.length === 0) return [row.ok];
  if (actor === 'role' || actor === 'botWith') return [row.ok];
  if (actor === 'overwrite' && row.scope === 'channel') return [row.ok];
  // Without view_channels the channel is out of sight altogether: Missing Access rather than Missing Permissions.
  if (row.scope === 'channel' && row.needs.includes('read_messages') && actor !== 'overwrite') return [403, CODE.missingAccess];
  return [403, CODE.missingPermissions];
}

const g = (suffix = '') => `/api/v1/guilds/${guild.id}${suffix}`;
const c = (suffix = '') => `/api/v1/channels/${channel}${suffix}`;
const THUMBS = '%F0%9F%91%8D';

/** Everyone but the bot itself is refused an application's commands: people, another bot, outsiders. */
const ONLY_THE_APP: Partial<Record<Actor, Outcome>> = Object.fromEntries(
  (['owner', 'role', 'overwrite', 'without', 'botWithout', 'outsider', 'banned'] as const).map((actor) => [actor, [403, CODE.missingAccess]]),
);
const COMMAND = { name: 'matrix', description: 'a command of the matrix' };
/** The commands of the bot with the permission (globally, or in the matrix guild), created for the request. */
const appCommands = (scope: 'global' | 'guild', suffix = '') =>
  `/api/v1/applications/${who.botWith.id}${scope === 'guild' ? `/guilds/${guild.id}` : ''}/commands${suffix}`;
async function aCommand(scope: 'global' | 'guild'): Promise<string> {
  const res = await api(who.botWith, 'POST', appCommands(scope), COMMAND);
  if (res.status !== 200 && res.status !== 201) throw new Error(`command: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}
const commandRows = (scope: 'global' | 'guild'): Row[] => {
  const base = scope === 'global' ? '/applications/:applicationId/commands' : '/applications/:applicationId/guilds/:guildId/commands';
  const row = (route: string, ok: number, request: Row['request']): Row => ({ route, scope: 'global', needs: [], ok, overrides: ONLY_THE_APP, request });
  return [
    row(`GET ${base}`, 200, () => ({ path: appCommands(scope) })),
    row(`POST ${base}`, 201, async () => {
      await api(who.botWith, 'PUT', appCommands(scope), []);
      return { path: appCommands(scope), body: COMMAND };
    }),
    row(`PUT ${base}`, 200, () => ({ path: appCommands(scope), body: [COMMAND] })),
    row(`GET ${base}/:commandId`, 200, async () => ({ path: appCommands(scope, `/${await aCommand(scope)}`) })),
    row(`PATCH ${base}/:commandId`, 200, async () => ({ path: appCommands(scope, `/${await aCommand(scope)}`), body: { description: 'changed' } })),
    row(`DELETE ${base}/:commandId`, 204, async () => ({ path: appCommands(scope, `/${await aCommand(scope)}`) })),
  ];
};

const ROWS: Row[] = [
  // ---- users ----
  { route: 'GET /users/@me', scope: 'global', needs: [], ok: 200, request: () => ({ path: '/api/v1/users/@me' }) },
  { route: 'PATCH /users/@me', scope: 'global', needs: [], ok: 200, request: () => ({ path: '/api/v1/users/@me', body: { global_name: 'Matrix' } }) },
  { route: 'GET /users/@me/settings', scope: 'global', needs: [], ok: 200, request: () => ({ path: '/api/v1/users/@me/settings' }) },
  {
    route: 'PATCH /users/@me/settings',
    scope: 'global',
    needs: [],
    ok: 200,
    request: () => ({ path: '/api/v1/users/@me/settings', body: { allow_dms_from: 'members' } }),
  },
  { route: 'GET /users/@me/guilds', scope: 'global', needs: [], ok: 200, request: () => ({ path: '/api/v1/users/@me/guilds' }) },
  { route: 'GET /users/@me/channels', scope: 'global', needs: [], ok: 200, request: () => ({ path: '/api/v1/users/@me/channels' }) },
  {
    route: 'POST /users/@me/channels',
    scope: 'global',
    needs: [],
    ok: 200,
    request: () => ({ path: '/api/v1/users/@me/channels', body: { recipient_id: pal.id } }),
  },
  // ---- read state and notification settings (what each does is tested in read-states.test.ts) ----
  { route: 'GET /users/@me/read-states', scope: 'global', needs: [], ok: 200, request: () => ({ path: '/api/v1/users/@me/read-states' }) },
  {
    route: 'GET /users/@me/guilds/:guildId/settings',
    scope: 'guild',
    needs: [],
    ok: 200,
    request: () => ({ path: `/api/v1/users/@me/guilds/${guild.id}/settings` }),
  },
  {
    route: 'PATCH /users/@me/guilds/:guildId/settings',
    scope: 'guild',
    needs: [],
    ok: 200,
    request: () => ({ path: `/api/v1/users/@me/guilds/${guild.id}/settings`, body: { message_notifications: 1 } }),
  },
  // ---- the account's own sessions and password (what each does is tested in sessions.test.ts) ----
  { route: 'GET /users/@me/sessions', scope: 'global', needs: [], ok: 200, humanOnly: true, request: () => ({ path: '/api/v1/users/@me/sessions' }) },
  { route: 'DELETE /users/@me/sessions', scope: 'global', needs: [], ok: 204, humanOnly: true, request: () => ({ path: '/api/v1/users/@me/sessions' }) },
  {
    route: 'DELETE /users/@me/sessions/:sessionId',
    scope: 'global',
    needs: [],
    ok: 204,
    humanOnly: true,
    // A second session of the caller's own, opened for this request, is the one signed out.
    request: async (caller, actor) => {
      if (actor === 'badToken') return { path: '/api/v1/users/@me/sessions/1' };
      const { sessions } = server.harmony.core.services;
      await server.harmony.core.uow.write(() => sessions.open(caller.id, { device: 'matrix', address: null }));
      return { path: `/api/v1/users/@me/sessions/${(await sessions.list(caller.id)).find((s) => s.device === 'matrix')?.id}` };
    },
  },
  {
    route: 'PUT /users/@me/password',
    scope: 'global',
    needs: [],
    ok: 204,
    humanOnly: true,
    request: () => ({ path: '/api/v1/users/@me/password', body: { password: PASSWORD, new_password: PASSWORD } }),
  },
  {
    route: 'DELETE /users/@me',
    scope: 'global',
    needs: [],
    // A wrong password: the matrix shows who reaches the check without deleting its callers.
    ok: 400,
    humanOnly: true,
    request: () => ({ path: '/api/v1/users/@me', body: { password: 'not the password' } }),
  },
  // ---- application commands: only the bot itself manages its own; members read what they may use ----
  ...commandRows('global'),
  ...commandRows('guild'),
  { route: 'GET /guilds/:guildId/commands', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/commands') }) },
  // ---- interactions: the picker's index (what the caller may run), and running a command (people only) ----
  { route: 'GET /guilds/:guildId/application-command-index', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/application-command-index') }) },
  {
    route: 'GET /channels/:channelId/application-command-index',
    scope: 'channel',
    needs: [],
    ok: 200,
    request: () => ({ path: c('/application-command-index') }),
  },
  {
    route: 'POST /interactions',
    scope: 'channel',
    needs: ['use_application_commands'],
    ok: 204,
    humanOnly: true,
    request: async () => ({
      path: '/api/v1/interactions',
      body: {
        type: 2,
        application_id: who.botWith.id,
        guild_id: guild.id,
        channel_id: channel,
        data: { id: await aCommand('global'), name: 'matrix', type: 1 },
      },
    }),
  },
  { route: 'GET /users/:userId', scope: 'global', needs: [], ok: 200, request: () => ({ path: `/api/v1/users/${pal.id}` }) },
  {
    route: 'DELETE /users/@me/guilds/:guildId',
    scope: 'guild',
    needs: [],
    ok: 204,
    request: () => ({ path: `/api/v1/users/@me/guilds/${guild.id}` }),
    after: async (caller, _, status) => {
      if (status === 204) await restore(caller);
    },
    overrides: { owner: [400, CODE.invalidGuild] },
  },
  // ---- guilds ----
  { route: 'POST /guilds', scope: 'global', needs: [], ok: 201, request: () => ({ path: '/api/v1/guilds', body: { name: 'Another' } }) },
  { route: 'GET /guilds/:guildId', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g() }) },
  { route: 'PATCH /guilds/:guildId', scope: 'guild', needs: ['manage_guild'], ok: 200, request: () => ({ path: g(), body: { description: 'changed' } }) },
  { route: 'GET /guilds/:guildId/channels', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/channels') }) },
  {
    route: 'POST /guilds/:guildId/channels',
    scope: 'guild',
    needs: ['manage_channels'],
    ok: 201,
    request: () => ({ path: g('/channels'), body: { name: 'made' } }),
  },
  // ---- members ----
  { route: 'GET /guilds/:guildId/members', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/members') }) },
  { route: 'GET /guilds/:guildId/members/:userId', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g(`/members/${victim.id}`) }) },
  {
    route: 'PATCH /guilds/:guildId/members/:userId',
    scope: 'guild',
    needs: ['manage_nicknames'],
    ok: 200,
    request: () => ({ path: g(`/members/${victim.id}`), body: { nick: 'renamed' } }),
  },
  {
    route: 'DELETE /guilds/:guildId/members/:userId',
    scope: 'guild',
    needs: ['kick_members'],
    ok: 204,
    request: async () => {
      await restore(victim);
      return { path: g(`/members/${victim.id}`) };
    },
  },
  {
    route: 'PUT /guilds/:guildId/members/:userId/roles/:roleId',
    scope: 'guild',
    needs: ['manage_roles'],
    ok: 204,
    request: () => ({ path: g(`/members/${victim.id}/roles/${lowRoleId}`) }),
  },
  {
    route: 'DELETE /guilds/:guildId/members/:userId/roles/:roleId',
    scope: 'guild',
    needs: ['manage_roles'],
    ok: 204,
    request: () => ({ path: g(`/members/${victim.id}/roles/${lowRoleId}`) }),
  },
  // ---- bans ----
  { route: 'GET /guilds/:guildId/bans', scope: 'guild', needs: ['ban_members'], ok: 200, request: () => ({ path: g('/bans') }) },
  { route: 'GET /guilds/:guildId/audit-log', scope: 'guild', needs: ['view_audit_log'], ok: 200, request: () => ({ path: g('/audit-log') }) },
  // Search reads only the channels where the caller holds read_message_history: one who can read none finds nothing (200).
  {
    route: 'GET /guilds/:guildId/messages/search',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 200,
    request: () => ({ path: g('/messages/search?content=target') }),
    overrides: { without: [200], botWithout: [200] },
  },
  {
    route: 'PUT /guilds/:guildId/bans/:userId',
    scope: 'guild',
    needs: ['ban_members'],
    ok: 204,
    request: async () => {
      await restore(victim);
      return { path: g(`/bans/${victim.id}`) };
    },
    after: async () => restore(victim),
  },
  {
    route: 'DELETE /guilds/:guildId/bans/:userId',
    scope: 'guild',
    needs: ['ban_members'],
    ok: 204,
    request: async () => {
      await ownerDo('PUT', g(`/bans/${exile.id}`));
      return { path: g(`/bans/${exile.id}`) };
    },
  },
  // ---- roles ----
  { route: 'GET /guilds/:guildId/roles', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/roles') }) },
  { route: 'POST /guilds/:guildId/roles', scope: 'guild', needs: ['manage_roles'], ok: 201, request: () => ({ path: g('/roles'), body: { name: 'made' } }) },
  {
    route: 'PATCH /guilds/:guildId/roles/:roleId',
    scope: 'guild',
    needs: ['manage_roles'],
    ok: 200,
    request: () => ({ path: g(`/roles/${lowRoleId}`), body: { color: 7 } }),
  },
  {
    route: 'DELETE /guilds/:guildId/roles/:roleId',
    scope: 'guild',
    needs: ['manage_roles'],
    ok: 204,
    request: async () => ({ path: g(`/roles/${(await ownerDo('POST', g('/roles'), { name: 'doomed' })).id}`) }),
  },
  // ---- custom emoji ----
  { route: 'GET /guilds/:guildId/emojis', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/emojis') }) },
  { route: 'GET /guilds/:guildId/emojis/:emojiId', scope: 'guild', needs: [], ok: 200, request: async () => ({ path: g(`/emojis/${await freshEmoji()}`) }) },
  {
    route: 'POST /guilds/:guildId/emojis',
    scope: 'guild',
    needs: ['manage_guild_expressions'],
    ok: 201,
    request: () => ({ path: g('/emojis'), body: { name: 'made', image: EMOJI_IMAGE } }),
  },
  {
    route: 'PATCH /guilds/:guildId/emojis/:emojiId',
    scope: 'guild',
    needs: ['manage_guild_expressions'],
    ok: 200,
    request: async () => ({ path: g(`/emojis/${await freshEmoji()}`), body: { name: 'renamed' } }),
  },
  {
    route: 'DELETE /guilds/:guildId/emojis/:emojiId',
    scope: 'guild',
    needs: ['manage_guild_expressions'],
    ok: 204,
    request: async () => ({ path: g(`/emojis/${await freshEmoji()}`) }),
  },
  // ---- guild invites and bots ----
  { route: 'GET /guilds/:guildId/invites', scope: 'guild', needs: ['manage_guild'], ok: 200, request: () => ({ path: g('/invites') }) },
  { route: 'GET /guilds/:guildId/bots', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/bots') }) },
  {
    route: 'PUT /guilds/:guildId/bots/:botId',
    scope: 'guild',
    needs: ['manage_guild'],
    ok: 200,
    humanOnly: true,
    // Each caller adds the bot afresh: one the owner placed on top would be out of the role member's reach (the
    // role hierarchy, tested in role-hierarchy.test.ts).
    request: async () => {
      await api(owner(), 'DELETE', g(`/bots/${spareBot.id}`));
      return { path: g(`/bots/${spareBot.id}`), body: { permissions: [] } };
    },
  },
  {
    route: 'DELETE /guilds/:guildId/bots/:botId',
    scope: 'guild',
    needs: ['manage_guild'],
    ok: 204,
    humanOnly: true,
    request: async (caller, actor) => {
      // The role member removes a bot it placed itself (below its own role); one the owner put on top is out of reach.
      await api(owner(), 'DELETE', g(`/bots/${spareBot.id}`));
      await addBot(server, actor === 'role' ? caller : owner(), guild, spareBot, []);
      return { path: g(`/bots/${spareBot.id}`) };
    },
  },
  // ---- channels ----
  { route: 'GET /channels/:channelId', scope: 'channel', needs: ['read_messages'], ok: 200, request: () => ({ path: c() }) },
  { route: 'PATCH /channels/:channelId', scope: 'channel', needs: ['manage_channels'], ok: 200, request: () => ({ path: c(), body: { topic: 'changed' } }) },
  {
    route: 'DELETE /channels/:channelId',
    scope: 'channel',
    needs: ['manage_channels'],
    ok: 200,
    request: async () => {
      // A channel of its own per caller, carrying the same member overwrite as the matrix channel.
      const doomed = (await ownerDo('POST', g('/channels'), { name: 'doomed' })).id;
      await ownerDo('PUT', `/api/v1/channels/${doomed}/permissions/${who.overwrite.id}`, { type: 1, allow: ['manage_channels'] });
      return { path: `/api/v1/channels/${doomed}` };
    },
  },
  {
    route: 'PUT /channels/:channelId/permissions/:targetId',
    scope: 'channel',
    needs: ['manage_roles'],
    ok: 204,
    request: () => ({ path: c(`/permissions/${victim.id}`), body: { type: 1, allow: [] } }),
    after: async () => restore(victim),
  },
  {
    route: 'DELETE /channels/:channelId/permissions/:targetId',
    scope: 'channel',
    needs: ['manage_roles'],
    ok: 204,
    request: () => ({ path: c(`/permissions/${victim.id}`) }),
  },
  { route: 'GET /channels/:channelId/invites', scope: 'channel', needs: ['manage_channels'], ok: 200, request: () => ({ path: c('/invites') }) },
  {
    route: 'POST /channels/:channelId/invites',
    scope: 'channel',
    needs: ['create_instant_invite'],
    ok: 201,
    request: () => ({ path: c('/invites'), body: {} }),
  },
  // ---- messages ----
  {
    route: 'POST /channels/:channelId/messages',
    scope: 'channel',
    needs: ['send_messages'],
    ok: 200,
    request: () => ({ path: c('/messages'), body: { content: 'hello' } }),
  },
  { route: 'GET /channels/:channelId/messages', scope: 'channel', needs: ['read_message_history'], ok: 200, request: () => ({ path: c('/messages') }) },
  {
    route: 'GET /channels/:channelId/messages/:messageId',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 200,
    request: async () => ({ path: c(`/messages/${await freshMessage()}`) }),
  },
  {
    route: 'POST /channels/:channelId/messages/bulk-delete',
    scope: 'channel',
    needs: ['manage_messages'],
    ok: 204,
    request: async () => ({ path: c('/messages/bulk-delete'), body: { messages: [await freshMessage(), await freshMessage()] } }),
  },
  {
    route: 'POST /channels/:channelId/messages/:messageId/ack',
    scope: 'channel',
    needs: ['read_messages'],
    ok: 200,
    request: async () => ({ path: c(`/messages/${await freshMessage()}/ack`) }),
  },
  // Group DMs: people in the group only (what each does is tested in group-dms.test.ts).
  {
    route: 'PUT /channels/:channelId/recipients/:userId',
    scope: 'global',
    needs: [],
    ok: 204,
    humanOnly: true,
    request: async (caller, actor) => {
      const group = await groupOf(caller, actor);
      const [joiner] = await people(server, `joiner${++joiners}`);
      await api(joiner as Account, 'PATCH', '/api/v1/users/@me/settings', { allow_dms_from: 'everyone' });
      return { path: `/api/v1/channels/${group}/recipients/${(joiner as Account).id}` };
    },
  },
  {
    route: 'DELETE /channels/:channelId/recipients/:userId',
    scope: 'global',
    needs: [],
    ok: 204,
    humanOnly: true,
    request: async (caller, actor) => ({ path: `/api/v1/channels/${await groupOf(caller, actor)}/recipients/${pal.id}` }),
  },
  { route: 'POST /channels/:channelId/typing', scope: 'channel', needs: ['send_messages'], ok: 204, request: () => ({ path: c('/typing') }) },
  { route: 'GET /channels/:channelId/pins', scope: 'channel', needs: ['read_message_history'], ok: 200, request: () => ({ path: c('/pins') }) },
  {
    route: 'GET /channels/:channelId/messages/search',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 200,
    request: () => ({ path: c('/messages/search?content=target') }),
  },
  {
    route: 'PUT /channels/:channelId/pins/:messageId',
    scope: 'channel',
    needs: ['manage_messages'],
    ok: 204,
    request: async () => ({ path: c(`/pins/${await freshMessage()}`) }),
  },
  {
    route: 'DELETE /channels/:channelId/pins/:messageId',
    scope: 'channel',
    needs: ['manage_messages'],
    ok: 204,
    request: async () => {
      const id = await freshMessage();
      await ownerDo('PUT', c(`/pins/${id}`));
      return { path: c(`/pins/${id}`) };
    },
  },
  {
    route: 'PATCH /messages/:messageId',
    scope: 'channel',
    needs: [],
    ok: 200,
    request: async () => ({ path: `/api/v1/messages/${await freshMessage()}`, body: { content: 'edited' } }),
    // Only the author edits; the owner wrote every target message.
    overrides: {
      role: [403, CODE.cannotEditOthers],
      overwrite: [403, CODE.cannotEditOthers],
      without: [403, CODE.cannotEditOthers],
      botWith: [403, CODE.cannotEditOthers],
      botWithout: [403, CODE.cannotEditOthers],
    },
  },
  {
    route: 'DELETE /messages/:messageId',
    scope: 'channel',
    needs: ['manage_messages'],
    ok: 204,
    request: async () => ({ path: `/api/v1/messages/${await freshMessage()}` }),
  },
  // ---- reactions ----
  {
    route: 'PUT /messages/:messageId/reactions/:emoji',
    scope: 'channel',
    needs: ['add_reactions'],
    ok: 204,
    request: async () => ({ path: `/api/v1/messages/${await freshMessage()}/reactions/${THUMBS}` }),
  },
  {
    route: 'DELETE /messages/:messageId/reactions/:emoji',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 204,
    request: async () => ({ path: `/api/v1/messages/${await freshMessage()}/reactions/${THUMBS}` }),
  },
  {
    route: 'DELETE /messages/:messageId/reactions/:emoji/:userId',
    scope: 'channel',
    needs: ['manage_messages'],
    ok: 204,
    request: async () => {
      const id = await freshMessage();
      await ownerDo('PUT', `/api/v1/messages/${id}/reactions/${THUMBS}`);
      return { path: `/api/v1/messages/${id}/reactions/${THUMBS}/${owner().id}` };
    },
  },
  {
    route: 'GET /messages/:messageId/reactions/:emoji',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 200,
    request: async () => ({ path: `/api/v1/messages/${await freshMessage()}/reactions/${THUMBS}` }),
  },
  // ---- webhooks (15 per channel: the rows below leave at most 10 in the matrix channel) ----
  {
    route: 'POST /channels/:channelId/webhooks',
    scope: 'channel',
    needs: ['manage_webhooks'],
    ok: 201,
    request: (_, actor) => ({ path: c('/webhooks'), body: { name: `hook by ${actor}` } }),
  },
  { route: 'GET /channels/:channelId/webhooks', scope: 'channel', needs: ['manage_webhooks'], ok: 200, request: () => ({ path: c('/webhooks') }) },
  { route: 'GET /guilds/:guildId/webhooks', scope: 'guild', needs: ['manage_webhooks'], ok: 200, request: () => ({ path: g('/webhooks') }) },
  {
    route: 'GET /webhooks/:webhookId',
    scope: 'channel',
    needs: ['manage_webhooks'],
    ok: 200,
    request: async () => ({ path: `/api/v1/webhooks/${await sharedWebhook()}` }),
  },
  {
    route: 'PATCH /webhooks/:webhookId',
    scope: 'channel',
    needs: ['manage_webhooks'],
    ok: 200,
    request: async (_, actor) => ({ path: `/api/v1/webhooks/${await sharedWebhook()}`, body: { name: `renamed by ${actor}` } }),
  },
  {
    route: 'DELETE /webhooks/:webhookId',
    scope: 'channel',
    needs: ['manage_webhooks'],
    ok: 204,
    request: async (_, actor) => ({ path: `/api/v1/webhooks/${(await ownerDo('POST', c('/webhooks'), { name: `doomed ${actor}` })).id}` }),
  },
  // ---- threads (of the matrix channel: its overwrite reaches them) ----
  {
    route: 'POST /channels/:channelId/threads',
    scope: 'channel',
    needs: ['create_public_threads'],
    ok: 201,
    request: () => ({ path: c('/threads'), body: { name: 'matrix thread' } }),
  },
  { route: 'GET /channels/:channelId/threads', scope: 'channel', needs: ['read_messages'], ok: 200, request: () => ({ path: c('/threads') }) },
  { route: 'GET /guilds/:guildId/threads', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/threads') }) },
  {
    route: 'GET /channels/:channelId/thread-members',
    scope: 'channel',
    needs: ['read_messages'],
    ok: 200,
    request: async () => ({ path: `/api/v1/channels/${await freshThread()}/thread-members` }),
  },
  {
    route: 'PUT /channels/:channelId/thread-members/@me',
    scope: 'channel',
    needs: ['read_messages'],
    ok: 204,
    request: async () => ({ path: `/api/v1/channels/${await freshThread()}/thread-members/@me` }),
  },
  {
    route: 'DELETE /channels/:channelId/thread-members/@me',
    scope: 'channel',
    needs: ['read_messages'],
    ok: 204,
    request: async () => ({ path: `/api/v1/channels/${await freshThread()}/thread-members/@me` }),
  },
  {
    route: 'PUT /channels/:channelId/thread-members/:userId',
    scope: 'channel',
    needs: ['send_messages_in_threads'],
    ok: 204,
    request: async () => {
      await restore(victim);
      return { path: `/api/v1/channels/${await freshThread()}/thread-members/${victim.id}` };
    },
  },
  {
    route: 'DELETE /channels/:channelId/thread-members/:userId',
    scope: 'channel',
    needs: ['manage_threads'],
    ok: 204,
    request: async () => {
      await restore(victim);
      const thread = await freshThread();
      await ownerDo('PUT', `/api/v1/channels/${thread}/thread-members/${victim.id}`);
      return { path: `/api/v1/channels/${thread}/thread-members/${victim.id}` };
    },
  },
  // ---- invites ----
  {
    route: 'GET /invites/:code',
    scope: 'global',
    needs: [],
    ok: 200,
    request: async () => ({ path: `/api/v1/invites/${(await ownerDo('POST', c('/invites'), {})).code}` }),
  },
  {
    route: 'POST /invites/:code',
    scope: 'guild',
    needs: [],
    ok: 200,
    humanOnly: true,
    request: async () => ({ path: `/api/v1/invites/${(await ownerDo('POST', c('/invites'), {})).code}` }),
    // Accepting an invite is how a non-member joins (they leave again afterwards).
    overrides: { outsider: [200] },
    after: async (caller, actor, status) => {
      if (actor === 'outsider' && status === 200) await api(caller, 'DELETE', `/api/v1/users/@me/guilds/${guild.id}`);
    },
  },
  {
    route: 'DELETE /invites/:code',
    scope: 'guild',
    needs: ['manage_guild'],
    ok: 200,
    request: async () => ({ path: `/api/v1/invites/${(await ownerDo('POST', c('/invites'), {})).code}` }),
  },
  // ---- bot search and administration ----
  { route: 'GET /bots', scope: 'global', needs: [], ok: 200, humanOnly: true, request: () => ({ path: '/api/v1/bots?query=bot' }) },
  { route: 'GET /admin/bots', scope: 'admin', needs: [], ok: 200, request: () => ({ path: '/api/v1/admin/bots' }) },
  {
    route: 'POST /admin/bots',
    scope: 'admin',
    needs: [],
    ok: 201,
    request: (_, actor) => ({ path: '/api/v1/admin/bots', body: { username: `made_by_${actor}` } }),
  },
  {
    route: 'PATCH /admin/bots/:botId',
    scope: 'admin',
    needs: [],
    ok: 200,
    request: () => ({ path: `/api/v1/admin/bots/${adminBot.id}`, body: { privileged_intents: { members: true } } }),
  },
  { route: 'POST /admin/bots/:botId/token', scope: 'admin', needs: [], ok: 200, request: () => ({ path: `/api/v1/admin/bots/${adminBot.id}/token` }) },
  {
    route: 'DELETE /admin/bots/:botId',
    scope: 'admin',
    needs: [],
    ok: 204,
    request: async (_, actor) => ({ path: `/api/v1/admin/bots/${(await createBot(server, owner(), `doomed_${actor}`)).id}` }),
  },
  { route: 'GET /admin/users', scope: 'admin', needs: [], ok: 200, request: () => ({ path: '/api/v1/admin/users' }) },
  {
    route: 'PATCH /admin/users/:userId',
    scope: 'admin',
    needs: [],
    ok: 200,
    request: () => ({ path: `/api/v1/admin/users/${pal.id}`, body: { disabled: false } }),
  },
  { route: 'GET /admin/settings', scope: 'admin', needs: [], ok: 200, request: () => ({ path: '/api/v1/admin/settings' }) },
  { route: 'PATCH /admin/settings', scope: 'admin', needs: [], ok: 200, request: () => ({ path: '/api/v1/admin/settings', body: { registration: 'open' } }) },
  { route: 'GET /admin/discord-bridge', scope: 'admin', needs: [], ok: 200, request: () => ({ path: '/api/v1/admin/discord-bridge' }) },
  {
    route: 'PUT /admin/discord-bridge',
    scope: 'admin',
    needs: [],
    ok: 200,
    // The bridge then tries a "Discord" on a closed loopback port (discordApi below) and keeps retrying: no traffic leaves.
    request: () => ({ path: '/api/v1/admin/discord-bridge', body: { token: 'matrix-bridge-token' } }),
  },
  // Last: it takes the guild away.
  {
    route: 'DELETE /guilds/:guildId',
    scope: 'guild',
    needs: ['administrator'],
    ok: 204,
    request: () => ({ path: g() }),
    // Only the owner deletes a guild, whatever others hold (the owner goes last among the callers that could).
    overrides: { role: [403, CODE.missingPermissions], botWith: [403, CODE.missingPermissions] },
  },
];

/** The owner acts last on the guild deletion, so the other callers meet a guild that still exists. */
const order = (row: Row): Actor[] => (row.route === 'DELETE /guilds/:guildId' ? [...ACTORS.filter((a) => a !== 'owner'), 'owner'] : ACTORS);

for (const row of ROWS) {
  const [method, template] = row.route.split(' ') as [string, string];
  describe(`${method} /api/v1${template}`, () => {
    beforeAll(async () => {
      if (row.scope === 'guild' || row.scope === 'channel') await grant(row.needs);
    });
    for (const actor of order(row)) {
      const [status, code] = expected(row, actor);
      it(`answers ${DESCRIBE[actor]} with ${status}${code === undefined ? '' : ` (code ${code})`}`, async () => {
        const caller = who[actor];
        const { path, body } = await row.request(caller, actor);
        const res = await server.api(method, path, { token: caller.token, scheme: caller.scheme, ...(body === undefined ? {} : { body }) });
        const outcome = { status: res.status, ...(code === undefined ? {} : { code: res.body?.code }) };
        expect(outcome).toEqual({ status, ...(code === undefined ? {} : { code }) });
        await row.after?.(caller, actor, res.status);
      });
    }
  });
}

// Webhook and interaction token routes take no Authorization (the token in the path is the credential): see webhooks.test.ts
// and test/dialects/discord/interactions/.
it('covers every v1 route except logout (tested in auth), the presence settings and the webhook and interaction token routes', () => {
  const covered = new Set(ROWS.map((r) => r.route));
  const routes = (server.harmony.app.routes as { method: string; path: string }[])
    .filter(
      (r) =>
        r.path.startsWith('/api/v1/') &&
        !r.path.includes('*') &&
        !r.path.startsWith('/api/v1/auth/') &&
        !r.path.startsWith('/api/v1/users/@me/presence') &&
        !r.path.startsWith('/api/v1/webhooks/:webhookId/:token') &&
        !r.path.startsWith('/api/v1/interactions/:interactionId/:token'),
    )
    .map((r) => `${r.method} ${r.path.slice('/api/v1'.length)}`);
  expect(routes.filter((r) => !covered.has(r))).toEqual([]);
});
