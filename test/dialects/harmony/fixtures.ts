// What the v1 black-box tests build again and again: people, guilds, members (by invite), bots, and
// assertions on the error body every failure must have.
import { afterAll, expect } from 'bun:test';
import type { Clock } from '../../../src/domain/clock.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';

/** Someone who can call the API: a person (Bearer) or a bot (Bot). */
export type Account = { id: string; token: string; scheme: 'Bearer' | 'Bot'; username: string };

export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const SNOWFLAKE = /^\d{1,20}$/;

/** Error codes the v1 dialect answers with (Discord's JSON error codes). */
export const CODE = {
  general: 0,
  unknownChannel: 10003,
  unknownGuild: 10004,
  unknownInvite: 10006,
  unknownMember: 10007,
  unknownMessage: 10008,
  unknownRole: 10011,
  unknownUser: 10013,
  unknownEmoji: 10014,
  unknownBan: 10026,
  cannotEditOthers: 50005,
  emptyMessage: 50006,
  invalidRole: 50028,
  missingAccess: 50001,
  missingPermissions: 50013,
  invalidForm: 50035,
  invalidGuild: 50055,
  invalidJson: 50109,
} as const;

export const PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | null = null;

/**
 * Creates people in order, as registration would (the first on a fresh server becomes the instance admin), each with
 * password PASSWORD and a session token. Registration itself is tested through the API in auth.test.ts; here the
 * accounts go straight into the store with one shared password hash, because an argon2 hash per person would make
 * password hashing most of the suite's run time.
 */
export async function people<const Names extends string[]>(server: TestServer, ...usernames: Names): Promise<{ [K in keyof Names]: Account }> {
  passwordHash ??= Bun.password.hash(PASSWORD, { algorithm: 'argon2id' });
  const hash = await passwordHash;
  const { uow, services, ids, clock } = server.harmony.core;
  const accounts: Account[] = [];
  for (const username of usernames) {
    const id = ids.next();
    const admin = (await uow.repos.users.countHumans()) === 0;
    const token = await uow.write(async () => {
      await uow.repos.users.insert({ id, username, passwordHash: hash, bot: false, admin, createdAt: clock.now() });
      return services.sessions.open(id, { device: null, address: null });
    });
    accounts.push({ id, token, scheme: 'Bearer', username });
  }
  return accounts as { [K in keyof Names]: Account };
}

/**
 * The server a test file's tests share, started while the file loads (`await serverForFile()` at its top) and
 * stopped after its tests: rate limits off, and on `clock` when the tests move time.
 */
export async function serverForFile(clock?: Clock): Promise<TestServer> {
  const server = await startServer({ rateLimits: false }, clock);
  afterAll(() => server.stop());
  return server;
}

/** Options for server.api() that authenticate as `account`. */
export const as = (account: Account, body?: unknown) => ({ token: account.token, scheme: account.scheme, ...(body === undefined ? {} : { body }) });

export type GuildFixture = { id: string; generalId: string; everyoneRoleId: string; body: any };

export async function createGuild(server: TestServer, owner: Account, name = 'Test Guild'): Promise<GuildFixture> {
  const res = await server.api('POST', '/api/v1/guilds', as(owner, { name }));
  if (res.status !== 201) throw new Error(`create guild failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, generalId: res.body.channels[0].id, everyoneRoleId: res.body.id, body: res.body };
}

/** `inviter` makes a fresh invite to the guild's #general and `member` accepts it. */
export async function join(server: TestServer, inviter: Account, guild: GuildFixture, ...members: Account[]): Promise<void> {
  for (const member of members) {
    const invite = await server.api('POST', `/api/v1/channels/${guild.generalId}/invites`, as(inviter, {}));
    if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
    const accepted = await server.api('POST', `/api/v1/invites/${invite.body.code}`, as(member));
    if (accepted.status !== 200) throw new Error(`join failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  }
}

/** An instance admin creates a bot; returns it as an account (with its one-time token). */
export async function createBot(server: TestServer, admin: Account, username: string): Promise<Account> {
  const res = await server.api('POST', '/api/v1/admin/bots', as(admin, { username }));
  if (res.status !== 201) throw new Error(`create bot failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.bot.id, token: res.body.token, scheme: 'Bot', username };
}

/** A guild manager adds (or re-permissions) a bot. */
export async function addBot(server: TestServer, manager: Account, guild: GuildFixture, bot: Account, permissions: string[] | string): Promise<any> {
  const res = await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(manager, { permissions }));
  if (res.status !== 200) throw new Error(`add bot failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A role with these permissions, given to `members`. */
export async function grantRole(
  server: TestServer,
  owner: Account,
  guild: GuildFixture,
  permissions: string[] | string,
  ...members: Account[]
): Promise<string> {
  const role = await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, as(owner, { name: 'granted', permissions }));
  if (role.status !== 201) throw new Error(`create role failed: ${role.status} ${JSON.stringify(role.body)}`);
  for (const member of members) {
    const res = await server.api('PUT', `/api/v1/guilds/${guild.id}/members/${member.id}/roles/${role.body.id}`, as(owner));
    if (res.status !== 204) throw new Error(`assign role failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return role.body.id;
}

export async function send(server: TestServer, author: Account, channelId: string, content: string): Promise<any> {
  const res = await server.api('POST', `/api/v1/channels/${channelId}/messages`, as(author, { content }));
  if (res.status !== 200) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

type Res = { status: number; body: any; headers: Headers };

/** The error body every failure has: JSON `{code, message}` and nothing else (no stack, no internals). */
export function expectError(res: Res, status: number, code: number, message?: string | RegExp): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toStartWith('application/json');
  expect(Object.keys(res.body).sort()).toEqual(['code', 'message']);
  expect(res.body.message).toBeString();
  if (message !== undefined) expect(res.body.message).toMatch(message);
}

/** A 400 50035 naming the invalid field (a path such as 'content' or 'errors.0'), with Discord's nested shape. */
export function expectInvalidField(res: Res, field: string, fieldCode?: string): void {
  expect({ status: res.status, code: res.body?.code, message: res.body?.message }).toEqual({
    status: 400,
    code: CODE.invalidForm,
    message: 'Invalid Form Body',
  });
  expect(Object.keys(res.body).sort()).toEqual(['code', 'errors', 'message']);
  let node = res.body.errors;
  for (const part of field.split('.')) {
    expect(Object.keys(node)).toContain(part);
    node = node[part];
  }
  expect(node._errors).toBeArray();
  expect(node._errors.length).toBeGreaterThan(0);
  for (const e of node._errors) expect(Object.keys(e).sort()).toEqual(['code', 'message']);
  if (fieldCode !== undefined) expect(node._errors.map((e: { code: string }) => e.code)).toContain(fieldCode);
}
