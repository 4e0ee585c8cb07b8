// The permission matrix of the Discord dialect (issue 14 item 2): every operation the OpenAPI document lists under
// /api/v10 (v9 is the same routes) has a row saying who may call it, and ten callers try each: nobody (no token), a
// user outside the guild, a member without the permission, a member with it by a role, a member with it by the same
// role whose channel overwrite denies it, the owner, the instance admin (outside the guild: being admin of the
// server gives no power inside a guild), a bot outside the guild, a bot in it with the permission, a banned user.
// Before each row, @everyone loses exactly the row's permissions and the grants above hold exactly them. A route
// without a row fails the last test, so a new route cannot ship without saying who may use it.

import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { png } from '../../support/images.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Account, addBot, CODE, createBot, createGuild, type GuildFixture, join, people } from '../harmony/fixtures.ts';

type Actor = 'anonymous' | 'outsider' | 'without' | 'role' | 'denied' | 'owner' | 'admin' | 'botOut' | 'botIn' | 'banned';
const ACTORS: Actor[] = ['anonymous', 'outsider', 'without', 'role', 'denied', 'owner', 'admin', 'botOut', 'botIn', 'banned'];
const DESCRIBE: Record<Actor, string> = {
  anonymous: 'no token',
  outsider: 'a user outside the guild',
  without: 'a member without the permission',
  role: 'a member with the permission by a role',
  denied: 'a member with it by a role but denied by a channel overwrite',
  owner: 'the owner',
  admin: 'the instance admin (not a member)',
  botOut: 'a bot not in the guild',
  botIn: 'a bot in the guild with the permission',
  banned: 'a banned user',
};

/**
 * - `global`: any caller with a token; the guild does not matter.
 * - `guild`: a guild-level permission; channel overwrites neither grant nor deny it.
 * - `channel`: a permission in the matrix channel, where the denied member's overwrite takes it away.
 * - `token`: the webhook's token in the path is the credential; no Authorization, so every caller gets the same.
 * - `app`: only the application's own bot (the bot in the guild) manages its commands.
 */
type Scope = 'global' | 'guild' | 'channel' | 'token' | 'app';
type Outcome = [status: number, code?: number];
type Request = { path: string; body?: unknown };
type Row = {
  route: string;
  scope: Scope;
  /** v1 permission names the route needs ([] for none). */
  needs: string[];
  ok: number;
  request: (caller: Account | null, actor: Actor) => Promise<Request> | Request;
  after?: (caller: Account | null, actor: Actor, status: number) => Promise<void>;
  overrides?: Partial<Record<Actor, Outcome>>;
};

const BASE = ['read_messages', 'send_messages', 'read_message_history', 'add_reactions', 'create_instant_invite', 'change_nickname'];

let server: TestServer;
let guild: GuildFixture;
let channel: string;
let grantRoleId: string;
let lowRoleId: string;
const who = {} as Record<Exclude<Actor, 'anonymous'>, Account>;
let victim: Account;
let exile: Account;
let pal: Account;
let hookToken: string;
let hookId: string;

const v10 = (suffix: string) => `/api/v10${suffix}`;
const g = (suffix = '') => v10(`/guilds/${guild.id}${suffix}`);
const c = (suffix = '') => v10(`/channels/${channel}${suffix}`);
const THUMBS = '%F0%9F%91%8D';
const owner = () => who.owner;

async function ownerDo(method: string, path: string, body?: unknown): Promise<any> {
  const res = await server.api(method, path, { token: owner().token, scheme: 'Bearer', ...(body === undefined ? {} : { body }) });
  if (res.status >= 300) throw new Error(`${method} ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
const freshMessage = async () => (await ownerDo('POST', c('/messages'), { content: 'target' })).id as string;
const isMember = async (account: Account) => (await server.api('GET', g(`/members/${account.id}`), { token: owner().token, scheme: 'Bearer' })).status === 200;

async function restore(account: Account): Promise<void> {
  if (await isMember(account)) return;
  await server.api('DELETE', g(`/bans/${account.id}`), { token: owner().token, scheme: 'Bearer' });
  if (account.scheme === 'Bot') await addBot(server, owner(), guild, account, []);
  else await join(server, owner(), guild, account);
  if (account === who.role || account === who.denied) await ownerDo('PUT', g(`/members/${account.id}/roles/${grantRoleId}`));
}

/** A thread of the matrix channel, made by the owner, that everyone who may view the channel may see. */
async function freshThread(): Promise<string> {
  return (await ownerDo('POST', c('/threads'), { name: 'matrix thread', type: 11 })).id;
}

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  const [admin, o, r, d, wo, out, ban, v, e, p] = await people(
    server,
    'admin',
    'owner',
    'withrole',
    'denied',
    'without',
    'outsider',
    'banned',
    'victim',
    'exile',
    'pal',
  );
  Object.assign(who, { admin, owner: o, role: r, denied: d, without: wo, outsider: out, banned: ban });
  [victim, exile, pal] = [v, e, p];
  guild = await createGuild(server, o, 'Discord Matrix');
  channel = (await ownerDo('POST', `/api/v1/guilds/${guild.id}/channels`, { name: 'matrix' })).id;
  await join(server, o, guild, r, d, wo, ban, v, e);
  grantRoleId = (await ownerDo('POST', `/api/v1/guilds/${guild.id}/roles`, { name: 'grant' })).id;
  for (const member of [r, d]) await ownerDo('PUT', `/api/v1/guilds/${guild.id}/members/${member.id}/roles/${grantRoleId}`);
  lowRoleId = (await ownerDo('POST', `/api/v1/guilds/${guild.id}/roles`, { name: 'low' })).id;
  who.botIn = await createBot(server, admin, 'botin');
  who.botOut = await createBot(server, admin, 'botout');
  await addBot(server, o, guild, who.botIn, []);
  await ownerDo('PUT', `/api/v1/guilds/${guild.id}/bans/${ban.id}`);
  await ownerDo('PUT', `/api/v1/guilds/${guild.id}/bans/${e.id}`);
  await server.api('PATCH', '/api/v1/users/@me/settings', { token: p.token, scheme: 'Bearer', body: { allow_dms_from: 'everyone' } });
  const hook = await ownerDo('POST', c('/webhooks'), { name: 'matrix hook' });
  [hookId, hookToken] = [hook.id, hook.token];
}, 30_000);
afterAll(() => server.stop());

async function grant(needs: string[]): Promise<void> {
  await ownerDo('PATCH', `/api/v1/guilds/${guild.id}/roles/${guild.id}`, { permissions: BASE.filter((p) => !needs.includes(p)) });
  await ownerDo('PATCH', `/api/v1/guilds/${guild.id}/roles/${grantRoleId}`, { permissions: needs });
  await ownerDo('PUT', `/api/v1/channels/${channel}/permissions/${who.denied.id}`, { type: 1, deny: needs });
  await addBot(server, owner(), guild, who.botIn, needs);
}

const OUTSIDE: Actor[] = ['outsider', 'admin', 'botOut', 'banned'];

function expected(row: Row, actor: Actor): Outcome {
  const override = row.overrides?.[actor];
  if (override) return override;
  if (row.scope === 'token') return [row.ok];
  if (actor === 'anonymous') return [401, CODE.general];
  if (row.scope === 'global') return [row.ok];
  if (row.scope === 'app') return actor === 'botIn' ? [row.ok] : [403, CODE.missingAccess];
  if (OUTSIDE.includes(actor)) return [403, CODE.missingAccess];
  if (actor === 'owner' || actor === 'role' || actor === 'botIn' || row.needs.length === 0) return [row.ok];
  if (actor === 'denied' && row.scope === 'guild') return [row.ok];
  // Without VIEW_CHANNEL the channel is out of sight altogether: Missing Access rather than Missing Permissions.
  if (row.scope === 'channel' && row.needs.includes('read_messages')) return [403, CODE.missingAccess];
  return [403, CODE.missingPermissions];
}

const appCommands = (scope: 'global' | 'guild', suffix = '') =>
  v10(`/applications/${who.botIn.id}${scope === 'guild' ? `/guilds/${guild.id}` : ''}/commands${suffix}`);
const COMMAND = { name: 'matrix', description: 'a command of the matrix' };
async function aCommand(scope: 'global' | 'guild'): Promise<string> {
  const res = await server.api('POST', appCommands(scope), { token: who.botIn.token, scheme: 'Bot', body: COMMAND });
  if (res.status !== 200 && res.status !== 201) throw new Error(`command: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}
/** The owner runs the bot's global command; the interaction's id and token come from the event the bot is sent. */
async function anInteraction(): Promise<{ id: string; token: string }> {
  let created: { id: string; token: string } | null = null;
  const stop = server.harmony.core.hub.subscribe((e) => {
    if (e.type === 'interaction.create') created = { id: e.interaction.id, token: e.token };
  });
  try {
    const res = await server.api('POST', v10('/interactions'), {
      token: owner().token,
      scheme: 'Bearer',
      body: { type: 2, application_id: who.botIn.id, guild_id: guild.id, channel_id: channel, data: { id: await aCommand('global'), name: 'matrix', type: 1 } },
    });
    if (res.status !== 204 || !created) throw new Error(`interaction: ${res.status} ${JSON.stringify(res.body)}`);
    return created;
  } finally {
    stop();
  }
}

const commandRows = (scope: 'global' | 'guild'): Row[] => {
  const base = scope === 'global' ? '/applications/{applicationId}/commands' : '/applications/{applicationId}/guilds/{guildId}/commands';
  const row = (route: string, ok: number, request: Row['request']): Row => ({ route, scope: 'app', needs: [], ok, request });
  return [
    row(`GET ${base}`, 200, () => ({ path: appCommands(scope) })),
    row(`POST ${base}`, 201, async () => {
      await server.api('PUT', appCommands(scope), { token: who.botIn.token, scheme: 'Bot', body: [] });
      return { path: appCommands(scope), body: COMMAND };
    }),
    row(`PUT ${base}`, 200, () => ({ path: appCommands(scope), body: [COMMAND] })),
    row(`GET ${base}/{commandId}`, 200, async () => ({ path: appCommands(scope, `/${await aCommand(scope)}`) })),
    row(`PATCH ${base}/{commandId}`, 200, async () => ({ path: appCommands(scope, `/${await aCommand(scope)}`), body: { description: 'changed' } })),
    row(`DELETE ${base}/{commandId}`, 204, async () => ({ path: appCommands(scope, `/${await aCommand(scope)}`) })),
  ];
};

const hook = (suffix = '') => v10(`/webhooks/${hookId}/${hookToken}${suffix}`);
const hookMessage = async () => (await server.api('POST', hook('?wait=true'), { body: { content: 'by the hook' } })).body.id as string;

const EMOJI_IMAGE = `data:image/png;base64,${Buffer.from(png()).toString('base64')}`;
/** A custom emoji of the matrix guild, uploaded by the owner for the row. */
const freshEmoji = async () => (await ownerDo('POST', g('/emojis'), { name: 'target', image: EMOJI_IMAGE })).id as string;

const ROWS: Row[] = [
  // ---- gateway and the application ----
  { route: 'GET /gateway', scope: 'token', needs: [], ok: 200, request: () => ({ path: v10('/gateway') }) },
  { route: 'GET /gateway/bot', scope: 'global', needs: [], ok: 200, request: () => ({ path: v10('/gateway/bot') }) },
  ...['/applications/@me', '/oauth2/applications/@me'].map(
    (path): Row => ({
      route: `GET ${path}`,
      scope: 'global',
      needs: [],
      ok: 200,
      request: () => ({ path: v10(path) }),
      // The application is a bot's: a person's token has none (Unknown Application).
      overrides: Object.fromEntries((['outsider', 'without', 'role', 'denied', 'owner', 'admin', 'banned'] as const).map((a) => [a, [404, 10002]])),
    }),
  ),
  ...commandRows('global'),
  ...commandRows('guild'),
  {
    route: 'GET /applications/{applicationId}/guilds/{guildId}/commands/permissions',
    scope: 'app',
    needs: [],
    ok: 200,
    request: () => ({ path: appCommands('guild', '/permissions') }),
  },
  {
    route: 'GET /applications/{applicationId}/guilds/{guildId}/commands/{commandId}/permissions',
    scope: 'app',
    needs: [],
    // Harmony has no per-command overwrites: Unknown application command permissions, to the application only.
    ok: 404,
    request: async () => ({ path: appCommands('guild', `/${await aCommand('guild')}/permissions`) }),
  },
  // ---- users ----
  { route: 'GET /users/@me', scope: 'global', needs: [], ok: 200, request: () => ({ path: v10('/users/@me') }) },
  { route: 'PATCH /users/@me', scope: 'global', needs: [], ok: 200, request: () => ({ path: v10('/users/@me'), body: {} }) },
  { route: 'GET /users/@me/guilds', scope: 'global', needs: [], ok: 200, request: () => ({ path: v10('/users/@me/guilds') }) },
  {
    route: 'DELETE /users/@me/guilds/{guildId}',
    scope: 'guild',
    needs: [],
    ok: 204,
    request: () => ({ path: v10(`/users/@me/guilds/${guild.id}`) }),
    after: async (caller, _, status) => {
      if (status === 204 && caller) await restore(caller);
    },
    overrides: { owner: [400, CODE.invalidGuild] },
  },
  {
    route: 'POST /users/@me/channels',
    scope: 'global',
    needs: [],
    ok: 200,
    request: () => ({ path: v10('/users/@me/channels'), body: { recipient_id: pal.id } }),
  },
  { route: 'GET /users/{userId}', scope: 'global', needs: [], ok: 200, request: () => ({ path: v10(`/users/${pal.id}`) }) },
  // ---- the guild ----
  { route: 'GET /guilds/{guildId}', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g() }) },
  { route: 'PATCH /guilds/{guildId}', scope: 'guild', needs: ['manage_guild'], ok: 200, request: () => ({ path: g(), body: { description: 'changed' } }) },
  { route: 'GET /guilds/{guildId}/channels', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/channels') }) },
  {
    route: 'POST /guilds/{guildId}/channels',
    scope: 'guild',
    needs: ['manage_channels'],
    ok: 201,
    request: () => ({ path: g('/channels'), body: { name: 'made' } }),
  },
  {
    route: 'PATCH /guilds/{guildId}/channels',
    scope: 'guild',
    needs: ['manage_channels'],
    ok: 204,
    request: () => ({ path: g('/channels'), body: [{ id: guild.generalId, position: 0 }] }),
  },
  { route: 'GET /guilds/{guildId}/roles', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/roles') }) },
  { route: 'POST /guilds/{guildId}/roles', scope: 'guild', needs: ['manage_roles'], ok: 200, request: () => ({ path: g('/roles'), body: { name: 'made' } }) },
  {
    route: 'PATCH /guilds/{guildId}/roles',
    scope: 'guild',
    needs: ['manage_roles'],
    ok: 200,
    request: () => ({ path: g('/roles'), body: [{ id: lowRoleId, position: 1 }] }),
  },
  { route: 'GET /guilds/{guildId}/roles/{roleId}', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g(`/roles/${lowRoleId}`) }) },
  {
    route: 'PATCH /guilds/{guildId}/roles/{roleId}',
    scope: 'guild',
    needs: ['manage_roles'],
    ok: 200,
    request: () => ({ path: g(`/roles/${lowRoleId}`), body: { color: 7 } }),
  },
  {
    route: 'DELETE /guilds/{guildId}/roles/{roleId}',
    scope: 'guild',
    needs: ['manage_roles'],
    ok: 204,
    request: async () => ({ path: g(`/roles/${(await ownerDo('POST', `/api/v1/guilds/${guild.id}/roles`, { name: 'doomed' })).id}`) }),
  },
  // ---- custom emoji: anyone in the guild reads them, MANAGE_GUILD_EXPRESSIONS changes them ----
  { route: 'GET /guilds/{guildId}/emojis', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/emojis') }) },
  {
    route: 'POST /guilds/{guildId}/emojis',
    scope: 'guild',
    needs: ['manage_guild_expressions'],
    ok: 201,
    request: () => ({ path: g('/emojis'), body: { name: 'made', image: EMOJI_IMAGE } }),
  },
  { route: 'GET /guilds/{guildId}/emojis/{emojiId}', scope: 'guild', needs: [], ok: 200, request: async () => ({ path: g(`/emojis/${await freshEmoji()}`) }) },
  {
    route: 'PATCH /guilds/{guildId}/emojis/{emojiId}',
    scope: 'guild',
    needs: ['manage_guild_expressions'],
    ok: 200,
    request: async () => ({ path: g(`/emojis/${await freshEmoji()}`), body: { name: 'renamed' } }),
  },
  {
    route: 'DELETE /guilds/{guildId}/emojis/{emojiId}',
    scope: 'guild',
    needs: ['manage_guild_expressions'],
    ok: 204,
    request: async () => ({ path: g(`/emojis/${await freshEmoji()}`) }),
  },
  { route: 'GET /guilds/{guildId}/invites', scope: 'guild', needs: ['manage_guild'], ok: 200, request: () => ({ path: g('/invites') }) },
  // ---- interactions: the picker's index (what the caller may run), running a command (people), answering (the token) ----
  { route: 'GET /guilds/{guildId}/application-command-index', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/application-command-index') }) },
  {
    route: 'GET /channels/{channelId}/application-command-index',
    scope: 'channel',
    needs: ['read_messages'],
    ok: 200,
    request: () => ({ path: c('/application-command-index') }),
  },
  {
    route: 'POST /interactions',
    scope: 'channel',
    needs: ['use_application_commands'],
    ok: 204,
    // People run commands; a bot cannot (Discord's user-client route).
    overrides: { botIn: [403, CODE.missingAccess] },
    request: async () => ({
      path: v10('/interactions'),
      body: { type: 2, application_id: who.botIn.id, guild_id: guild.id, channel_id: channel, data: { id: await aCommand('global'), name: 'matrix', type: 1 } },
    }),
  },
  {
    route: 'POST /interactions/{interactionId}/{token}/callback',
    scope: 'token',
    needs: [],
    ok: 204,
    request: async () => {
      const { id, token } = await anInteraction();
      return { path: v10(`/interactions/${id}/${token}/callback`), body: { type: 4, data: { content: 'answered' } } };
    },
  },
  {
    route: 'POST /channels/{channelId}/messages/{messageId}/ack',
    scope: 'channel',
    needs: ['read_messages'],
    ok: 200,
    request: async () => ({ path: c(`/messages/${await freshMessage()}/ack`), body: {} }),
  },
  { route: 'GET /guilds/{guildId}/audit-logs', scope: 'guild', needs: ['view_audit_log'], ok: 200, request: () => ({ path: g('/audit-logs') }) },
  // Guild search reads only the channels where the caller holds READ_MESSAGE_HISTORY: a member who can read none finds nothing (200).
  {
    route: 'GET /guilds/{guildId}/messages/search',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 200,
    request: () => ({ path: g('/messages/search?content=target') }),
    overrides: { without: [200], denied: [200] },
  },
  // ---- members and bans ----
  { route: 'GET /guilds/{guildId}/members', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/members') }) },
  {
    route: 'PATCH /guilds/{guildId}/members/@me',
    scope: 'guild',
    needs: ['change_nickname'],
    ok: 200,
    request: () => ({ path: g('/members/@me'), body: { nick: 'me' } }),
  },
  { route: 'GET /guilds/{guildId}/members/{userId}', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g(`/members/${victim.id}`) }) },
  {
    route: 'PATCH /guilds/{guildId}/members/{userId}',
    scope: 'guild',
    needs: ['manage_nicknames'],
    ok: 200,
    request: () => ({ path: g(`/members/${victim.id}`), body: { nick: 'renamed' } }),
  },
  {
    route: 'DELETE /guilds/{guildId}/members/{userId}',
    scope: 'guild',
    needs: ['kick_members'],
    ok: 204,
    request: async () => {
      await restore(victim);
      return { path: g(`/members/${victim.id}`) };
    },
  },
  {
    route: 'PUT /guilds/{guildId}/members/{userId}/roles/{roleId}',
    scope: 'guild',
    needs: ['manage_roles'],
    ok: 204,
    request: async () => {
      await restore(victim);
      return { path: g(`/members/${victim.id}/roles/${lowRoleId}`) };
    },
  },
  {
    route: 'DELETE /guilds/{guildId}/members/{userId}/roles/{roleId}',
    scope: 'guild',
    needs: ['manage_roles'],
    ok: 204,
    request: () => ({ path: g(`/members/${victim.id}/roles/${lowRoleId}`) }),
  },
  { route: 'GET /guilds/{guildId}/bans', scope: 'guild', needs: ['ban_members'], ok: 200, request: () => ({ path: g('/bans') }) },
  { route: 'GET /guilds/{guildId}/bans/{userId}', scope: 'guild', needs: ['ban_members'], ok: 200, request: () => ({ path: g(`/bans/${exile.id}`) }) },
  {
    route: 'PUT /guilds/{guildId}/bans/{userId}',
    scope: 'guild',
    needs: ['ban_members'],
    ok: 204,
    request: async () => {
      await restore(victim);
      return { path: g(`/bans/${victim.id}`), body: {} };
    },
    after: async () => restore(victim),
  },
  {
    route: 'DELETE /guilds/{guildId}/bans/{userId}',
    scope: 'guild',
    needs: ['ban_members'],
    ok: 204,
    request: async () => {
      await ownerDo('PUT', `/api/v1/guilds/${guild.id}/bans/${exile.id}`);
      return { path: g(`/bans/${exile.id}`) };
    },
    after: async () => {
      await ownerDo('PUT', `/api/v1/guilds/${guild.id}/bans/${exile.id}`);
    },
  },
  // ---- channels ----
  { route: 'GET /channels/{channelId}', scope: 'channel', needs: ['read_messages'], ok: 200, request: () => ({ path: c() }) },
  { route: 'PATCH /channels/{channelId}', scope: 'channel', needs: ['manage_channels'], ok: 200, request: () => ({ path: c(), body: { topic: 'changed' } }) },
  {
    route: 'DELETE /channels/{channelId}',
    scope: 'channel',
    needs: ['manage_channels'],
    ok: 200,
    request: async () => {
      // A channel of its own per caller, carrying the same denying overwrite as the matrix channel.
      const doomed = (await ownerDo('POST', `/api/v1/guilds/${guild.id}/channels`, { name: 'doomed' })).id;
      await ownerDo('PUT', `/api/v1/channels/${doomed}/permissions/${who.denied.id}`, { type: 1, deny: ['manage_channels'] });
      return { path: v10(`/channels/${doomed}`) };
    },
  },
  {
    route: 'PUT /channels/{channelId}/permissions/{overwriteId}',
    scope: 'channel',
    needs: ['manage_roles'],
    ok: 204,
    request: () => ({ path: c(`/permissions/${victim.id}`), body: { type: 1, allow: '0', deny: '0' } }),
    after: async () => restore(victim),
  },
  {
    route: 'DELETE /channels/{channelId}/permissions/{overwriteId}',
    scope: 'channel',
    needs: ['manage_roles'],
    ok: 204,
    request: () => ({ path: c(`/permissions/${victim.id}`) }),
  },
  { route: 'GET /channels/{channelId}/invites', scope: 'channel', needs: ['manage_channels'], ok: 200, request: () => ({ path: c('/invites') }) },
  {
    route: 'POST /channels/{channelId}/invites',
    scope: 'channel',
    needs: ['create_instant_invite'],
    ok: 200,
    request: () => ({ path: c('/invites'), body: {} }),
  },
  { route: 'POST /channels/{channelId}/typing', scope: 'channel', needs: ['send_messages'], ok: 204, request: () => ({ path: c('/typing') }) },
  // ---- messages ----
  {
    route: 'POST /channels/{channelId}/messages',
    scope: 'channel',
    needs: ['send_messages'],
    ok: 200,
    request: () => ({ path: c('/messages'), body: { content: 'hello' } }),
  },
  { route: 'GET /channels/{channelId}/messages', scope: 'channel', needs: ['read_message_history'], ok: 200, request: () => ({ path: c('/messages') }) },
  {
    route: 'POST /channels/{channelId}/messages/bulk-delete',
    scope: 'channel',
    needs: ['manage_messages'],
    ok: 204,
    request: async () => ({ path: c('/messages/bulk-delete'), body: { messages: [await freshMessage(), await freshMessage()] } }),
  },
  {
    route: 'GET /channels/{channelId}/messages/{messageId}',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 200,
    request: async () => ({ path: c(`/messages/${await freshMessage()}`) }),
  },
  {
    route: 'PATCH /channels/{channelId}/messages/{messageId}',
    scope: 'channel',
    needs: [],
    ok: 200,
    request: async () => ({ path: c(`/messages/${await freshMessage()}`), body: { content: 'edited' } }),
    // Only the author edits; the owner wrote every target message.
    overrides: { without: [403, 50005], role: [403, 50005], denied: [403, 50005], botIn: [403, 50005] },
  },
  {
    route: 'DELETE /channels/{channelId}/messages/{messageId}',
    scope: 'channel',
    needs: ['manage_messages'],
    ok: 204,
    request: async () => ({ path: c(`/messages/${await freshMessage()}`) }),
  },
  {
    route: 'GET /channels/{channelId}/messages/search',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 200,
    request: () => ({ path: c('/messages/search?content=target') }),
  },
  ...(['/pins', '/messages/pins'] as const).flatMap((base): Row[] => [
    { route: `GET /channels/{channelId}${base}`, scope: 'channel', needs: ['read_message_history'], ok: 200, request: () => ({ path: c(base) }) },
    {
      route: `PUT /channels/{channelId}${base}/{messageId}`,
      scope: 'channel',
      needs: ['manage_messages'],
      ok: 204,
      request: async () => ({ path: c(`${base}/${await freshMessage()}`) }),
    },
    {
      route: `DELETE /channels/{channelId}${base}/{messageId}`,
      scope: 'channel',
      needs: ['manage_messages'],
      ok: 204,
      request: async () => {
        const id = await freshMessage();
        await ownerDo('PUT', c(`/pins/${id}`));
        return { path: c(`${base}/${id}`) };
      },
    },
  ]),
  // ---- reactions ----
  {
    route: 'PUT /channels/{channelId}/messages/{messageId}/reactions/{emoji}/@me',
    scope: 'channel',
    needs: ['add_reactions'],
    ok: 204,
    request: async () => ({ path: c(`/messages/${await freshMessage()}/reactions/${THUMBS}/@me`) }),
  },
  {
    route: 'DELETE /channels/{channelId}/messages/{messageId}/reactions/{emoji}/@me',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 204,
    request: async () => ({ path: c(`/messages/${await freshMessage()}/reactions/${THUMBS}/@me`) }),
  },
  {
    route: 'DELETE /channels/{channelId}/messages/{messageId}/reactions/{emoji}/{userId}',
    scope: 'channel',
    needs: ['manage_messages'],
    ok: 204,
    request: async () => {
      const id = await freshMessage();
      await ownerDo('PUT', c(`/messages/${id}/reactions/${THUMBS}/@me`));
      return { path: c(`/messages/${id}/reactions/${THUMBS}/${owner().id}`) };
    },
  },
  {
    route: 'GET /channels/{channelId}/messages/{messageId}/reactions/{emoji}',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 200,
    request: async () => ({ path: c(`/messages/${await freshMessage()}/reactions/${THUMBS}`) }),
  },
  {
    route: 'DELETE /channels/{channelId}/messages/{messageId}/reactions/{emoji}',
    scope: 'channel',
    needs: ['manage_messages'],
    ok: 204,
    request: async () => ({ path: c(`/messages/${await freshMessage()}/reactions/${THUMBS}`) }),
  },
  {
    route: 'DELETE /channels/{channelId}/messages/{messageId}/reactions',
    scope: 'channel',
    needs: ['manage_messages'],
    ok: 204,
    request: async () => ({ path: c(`/messages/${await freshMessage()}/reactions`) }),
  },
  // ---- threads ----
  {
    route: 'POST /channels/{channelId}/messages/{messageId}/threads',
    scope: 'channel',
    needs: ['create_public_threads'],
    ok: 201,
    request: async () => ({ path: c(`/messages/${await freshMessage()}/threads`), body: { name: 'from a message' } }),
  },
  {
    route: 'POST /channels/{channelId}/threads',
    scope: 'channel',
    needs: ['create_private_threads'],
    ok: 201,
    request: () => ({ path: c('/threads'), body: { name: 'private one' } }),
  },
  {
    route: 'PUT /channels/{channelId}/thread-members/@me',
    scope: 'channel',
    needs: ['read_messages'],
    ok: 204,
    request: async () => ({ path: v10(`/channels/${await freshThread()}/thread-members/@me`) }),
  },
  {
    route: 'DELETE /channels/{channelId}/thread-members/@me',
    scope: 'channel',
    needs: ['read_messages'],
    ok: 204,
    request: async () => ({ path: v10(`/channels/${await freshThread()}/thread-members/@me`) }),
  },
  {
    route: 'PUT /channels/{channelId}/thread-members/{userId}',
    scope: 'channel',
    needs: ['send_messages_in_threads'],
    ok: 204,
    request: async () => ({ path: v10(`/channels/${await freshThread()}/thread-members/${victim.id}`) }),
  },
  {
    route: 'DELETE /channels/{channelId}/thread-members/{userId}',
    scope: 'channel',
    needs: ['manage_threads'],
    ok: 204,
    request: async () => {
      const thread = await freshThread();
      await ownerDo('PUT', v10(`/channels/${thread}/thread-members/${victim.id}`));
      return { path: v10(`/channels/${thread}/thread-members/${victim.id}`) };
    },
  },
  {
    route: 'GET /channels/{channelId}/thread-members/{userId}',
    scope: 'channel',
    needs: ['read_messages'],
    ok: 200,
    request: async () => ({ path: v10(`/channels/${await freshThread()}/thread-members/${owner().id}`) }),
  },
  {
    route: 'GET /channels/{channelId}/thread-members',
    scope: 'channel',
    needs: ['read_messages'],
    ok: 200,
    request: async () => ({ path: v10(`/channels/${await freshThread()}/thread-members`) }),
  },
  { route: 'GET /guilds/{guildId}/threads/active', scope: 'guild', needs: [], ok: 200, request: () => ({ path: g('/threads/active') }) },
  {
    route: 'GET /channels/{channelId}/threads/archived/public',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 200,
    request: () => ({ path: c('/threads/archived/public') }),
  },
  {
    route: 'GET /channels/{channelId}/threads/archived/private',
    scope: 'channel',
    needs: ['manage_threads'],
    ok: 200,
    request: () => ({ path: c('/threads/archived/private') }),
  },
  {
    route: 'GET /channels/{channelId}/users/@me/threads/archived/private',
    scope: 'channel',
    needs: ['read_message_history'],
    ok: 200,
    request: () => ({ path: c('/users/@me/threads/archived/private') }),
  },
  // ---- invites ----
  {
    route: 'GET /invites/{code}',
    scope: 'global',
    needs: [],
    ok: 200,
    request: async () => ({ path: v10(`/invites/${(await ownerDo('POST', c('/invites'), {})).code}`) }),
  },
  {
    route: 'DELETE /invites/{code}',
    scope: 'guild',
    needs: ['manage_guild'],
    ok: 200,
    request: async () => ({ path: v10(`/invites/${(await ownerDo('POST', c('/invites'), {})).code}`) }),
  },
  // ---- webhooks (15 per channel: created ones are deleted again) ----
  {
    route: 'POST /channels/{channelId}/webhooks',
    scope: 'channel',
    needs: ['manage_webhooks'],
    ok: 200,
    request: (_, actor) => ({ path: c('/webhooks'), body: { name: `hook by ${actor}` } }),
    after: async (caller, _, status) => {
      if (status !== 200 || !caller) return;
      for (const w of await ownerDo('GET', c('/webhooks'))) if (w.name.startsWith('hook by')) await ownerDo('DELETE', v10(`/webhooks/${w.id}`));
    },
  },
  { route: 'GET /channels/{channelId}/webhooks', scope: 'channel', needs: ['manage_webhooks'], ok: 200, request: () => ({ path: c('/webhooks') }) },
  { route: 'GET /guilds/{guildId}/webhooks', scope: 'guild', needs: ['manage_webhooks'], ok: 200, request: () => ({ path: g('/webhooks') }) },
  { route: 'GET /webhooks/{webhookId}', scope: 'channel', needs: ['manage_webhooks'], ok: 200, request: () => ({ path: v10(`/webhooks/${hookId}`) }) },
  {
    route: 'PATCH /webhooks/{webhookId}',
    scope: 'channel',
    needs: ['manage_webhooks'],
    ok: 200,
    request: (_, actor) => ({ path: v10(`/webhooks/${hookId}`), body: { name: `renamed by ${actor}` } }),
  },
  {
    route: 'DELETE /webhooks/{webhookId}',
    scope: 'channel',
    needs: ['manage_webhooks'],
    ok: 204,
    request: async (_, actor) => ({ path: v10(`/webhooks/${(await ownerDo('POST', c('/webhooks'), { name: `doomed ${actor}` })).id}`) }),
    after: async () => {
      for (const w of await ownerDo('GET', c('/webhooks'))) if (w.name.startsWith('doomed')) await ownerDo('DELETE', v10(`/webhooks/${w.id}`));
    },
  },
  // The token routes: whoever holds the token, with or without an Authorization header of any kind.
  { route: 'GET /webhooks/{webhookId}/{token}', scope: 'token', needs: [], ok: 200, request: () => ({ path: hook() }) },
  { route: 'PATCH /webhooks/{webhookId}/{token}', scope: 'token', needs: [], ok: 200, request: () => ({ path: hook(), body: { name: 'by token' } }) },
  { route: 'POST /webhooks/{webhookId}/{token}', scope: 'token', needs: [], ok: 204, request: () => ({ path: hook(), body: { content: 'by token' } }) },
  {
    route: 'GET /webhooks/{webhookId}/{token}/messages/{messageId}',
    scope: 'token',
    needs: [],
    ok: 200,
    request: async () => ({ path: hook(`/messages/${await hookMessage()}`) }),
  },
  {
    route: 'PATCH /webhooks/{webhookId}/{token}/messages/{messageId}',
    scope: 'token',
    needs: [],
    ok: 200,
    request: async () => ({ path: hook(`/messages/${await hookMessage()}`), body: { content: 'edited by token' } }),
  },
  {
    route: 'DELETE /webhooks/{webhookId}/{token}/messages/{messageId}',
    scope: 'token',
    needs: [],
    ok: 204,
    request: async () => ({ path: hook(`/messages/${await hookMessage()}`) }),
  },
  {
    route: 'DELETE /webhooks/{webhookId}/{token}',
    scope: 'token',
    needs: [],
    ok: 204,
    request: async (_, actor) => {
      const doomed = await ownerDo('POST', c('/webhooks'), { name: `token doomed ${actor}` });
      return { path: v10(`/webhooks/${doomed.id}/${doomed.token}`) };
    },
  },
];

for (const row of ROWS) {
  const [method, template] = row.route.split(' ') as [string, string];
  describe(`${method} /api/v10${template}`, () => {
    beforeAll(async () => {
      await grant(row.scope === 'guild' || row.scope === 'channel' ? row.needs : []);
    });
    for (const actor of ACTORS) {
      const [status, code] = expected(row, actor);
      it(`answers ${DESCRIBE[actor]} with ${status}${code === undefined ? '' : ` (code ${code})`}`, async () => {
        const caller = actor === 'anonymous' ? null : who[actor];
        const { path, body } = await row.request(caller, actor);
        const auth = caller ? { token: caller.token, scheme: caller.scheme } : {};
        const res = await server.api(method, path, { ...auth, ...(body === undefined ? {} : { body }) });
        const outcome = { status: res.status, ...(code === undefined ? {} : { code: res.body?.code }) };
        expect(outcome, JSON.stringify(res.body)).toEqual({ status, ...(code === undefined ? {} : { code }) });
        await row.after?.(caller, actor, res.status);
      });
    }
  });
}

it('has a row for every operation the OpenAPI document lists under /api/v10, and no row for one it does not', async () => {
  const doc = (await server.api('GET', '/docs/json')).body as { paths: Record<string, Record<string, unknown>> };
  const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
    path.startsWith('/api/v10/') ? Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.slice('/api/v10'.length)}`) : [],
  );
  const rows = ROWS.map((r) => r.route);
  expect(listed.filter((r) => !rows.includes(r))).toEqual([]);
  expect(rows.filter((r) => !listed.includes(r))).toEqual([]);
  expect(new Set(rows).size).toBe(rows.length);
  // /api/v9 serves the same operations (hidden from the document), so the rows cover it too.
  const registered = new Set((server.harmony.app.routes as { method: string; path: string }[]).map((r) => `${r.method} ${r.path}`));
  const v9 = rows.map((r) => {
    const [method, path] = r.split(' ') as [string, string];
    return `${method} /api/v9${path.replace(/\{(\w+)\}/g, ':$1')}`;
  });
  expect(v9.filter((r) => !registered.has(r))).toEqual([]);
});
