// What the discord-dialect tests build again and again: a guild owned by a person, bots added to it through
// the v1 API with chosen permissions, and for each bot a real @discordjs/rest client pointed at the server.
import { expect } from 'bun:test';
import { DiscordAPIError, REST } from '@discordjs/rest';
import { register, type TestServer } from '../../support/test-server.ts';

export const SNOWFLAKE = /^\d{17,20}$/;
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type Person = { id: string; token: string; username: string };
export type Bot = { id: string; token: string; username: string; rest: REST };
export type Guild = { id: string; generalId: string };

/** A @discordjs/rest client exactly as a discord.js bot would build it, with only `api` changed. */
export function restFor(server: TestServer, token: string | null): REST {
  const rest = new REST({ api: `${server.url}/api`, version: '10' });
  return token === null ? rest : rest.setToken(token);
}

/** Registers people; on a fresh server the first becomes the instance admin. */
export async function people(server: TestServer, ...usernames: string[]): Promise<Person[]> {
  const out: Person[] = [];
  for (const username of usernames) {
    const r = await register(server, username);
    out.push({ id: r.id, token: r.token, username });
  }
  return out;
}

export async function createGuild(server: TestServer, owner: Person, name = 'Compat Guild'): Promise<Guild> {
  const res = await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name } });
  if (res.status !== 201) throw new Error(`create guild: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, generalId: res.body.channels[0].id };
}

/** The admin creates a bot through the v1 admin API. */
export async function createBot(server: TestServer, admin: Person, username: string): Promise<Bot> {
  const res = await server.api('POST', '/api/v1/admin/bots', { token: admin.token, body: { username } });
  if (res.status !== 201) throw new Error(`create bot: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.bot.id, token: res.body.token, username, rest: restFor(server, res.body.token) };
}

/** The owner adds (or re-permissions) a bot with the seed's permission names. */
export async function addBot(server: TestServer, owner: Person, guild: Guild, bot: Bot, permissions: string[]): Promise<{ role_id: string }> {
  const res = await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, { token: owner.token, body: { permissions } });
  if (res.status !== 200) throw new Error(`add bot: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A bot created and added in one go. */
export async function botIn(server: TestServer, admin: Person, guild: Guild, username: string, permissions: string[]): Promise<Bot & { roleId: string }> {
  const bot = await createBot(server, admin, username);
  const added = await addBot(server, admin, guild, bot, permissions);
  return { ...bot, roleId: added.role_id };
}

/** `owner` invites each person to the guild and they accept. */
export async function join(server: TestServer, owner: Person, guild: Guild, ...members: Person[]): Promise<void> {
  for (const member of members) {
    const invite = await server.api('POST', `/api/v1/channels/${guild.generalId}/invites`, { token: owner.token, body: {} });
    const accepted = await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: member.token });
    if (accepted.status !== 200) throw new Error(`join: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  }
}

/** A person posts through the v1 API. */
export async function post(server: TestServer, author: Person, channelId: string, content: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: author.token, body: { content, ...extra } });
  if (res.status !== 200) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Awaits a call that must fail with a DiscordAPIError and returns it. */
export async function discordError(call: Promise<unknown>): Promise<DiscordAPIError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error;
    throw error;
  }
  throw new Error('expected a DiscordAPIError, but the call succeeded');
}

/** The error as @discordjs/rest surfaces it: HTTP status, Discord code, and the raw `{message, code}` body. */
export async function expectDiscordError(call: Promise<unknown>, status: number, code: number, message?: string | RegExp): Promise<DiscordAPIError> {
  const error = await discordError(call);
  expect({ status: error.status, code: error.code, name: error.name }).toEqual({ status, code, name: `DiscordAPIError[${code}]` });
  expect(Object.keys(error.rawError).sort()).toEqual(code === 50035 ? ['code', 'errors', 'message'] : ['code', 'message']);
  if (message !== undefined) expect((error.rawError as { message: string }).message).toMatch(message);
  return error;
}

/** Raw HTTP to the dialect with a bot token, for what @discordjs/rest hides (status lines, headers, bodies). */
export function v10(server: TestServer, bot: { token: string }, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  return server.api(method, `/api/v10${path}`, { token: bot.token, scheme: 'Bot', body, headers });
}
