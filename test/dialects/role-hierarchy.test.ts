// Discord's role hierarchy on every route that changes roles, role assignments, members or bots, in both dialects
// (issue 17 item 4). Each case gets a guild of its own, laid out so that positions decide:
//
//   position 3   the actor's role (above)          ─┐ the actor's role is at 3, 2 or 1
//   position 2   target role T, bot role B          │ depending on the actor (above / equal / below)
//   position 1   the actor's role (below)          ─┘
//   position 0   @everyone
//
// The target member holds T; the bot B holds only its managed role; a plain member holds nothing. The actor's role
// carries what the operations need (manage_roles, kick_members, ban_members, manage_nicknames) — or ADMINISTRATOR, or
// nothing. Every refusal must be 403 with code 50013 and change nothing in the guild's roles and members.
import { describe, expect, it } from 'bun:test';
import { type Account, addBot, as, createBot, createGuild, type GuildFixture, join, people, serverForFile } from './harmony/fixtures.ts';

const server = await serverForFile();
const [owner, actorPerson, target, plain] = await people(server, 'owner', 'actor', 'target', 'plain');
const bot = await createBot(server, owner, 'placed_bot');
const newcomer = await createBot(server, owner, 'newcomer_bot');

type Actor = 'owner' | 'admin' | 'above' | 'equal' | 'below' | 'without';
const ACTORS: Record<Actor, { describe: string; position: number; permissions: string[] }> = {
  owner: { describe: 'the owner', position: 0, permissions: [] },
  admin: { describe: 'an ADMINISTRATOR member above the target', position: 3, permissions: ['administrator'] },
  above: { describe: 'a MANAGE_ROLES member above the target', position: 3, permissions: ['manage_roles', 'kick_members', 'ban_members', 'manage_nicknames'] },
  equal: {
    describe: 'a MANAGE_ROLES member level with the target',
    position: 2,
    permissions: ['manage_roles', 'kick_members', 'ban_members', 'manage_nicknames'],
  },
  below: { describe: 'a MANAGE_ROLES member below the target', position: 1, permissions: ['manage_roles', 'kick_members', 'ban_members', 'manage_nicknames'] },
  without: { describe: 'a member above the target without the permissions', position: 3, permissions: [] },
};

/** Permissions the bot B holds: both come from @everyone too, so every actor holds them and only the hierarchy decides. */
const BOT_PERMISSIONS = ['send_messages', 'add_reactions'];

type Setup = { guild: GuildFixture; actor: Account; targetRole: string; botRole: string; actorRole: string | null };
type Request = { method: string; path: string; body?: unknown };
type Op = {
  name: string;
  dialect: 'v1' | 'v10';
  ok: number;
  /** Who may do it; everyone else gets 403 50013. */
  allowed: readonly Actor[];
  request: (s: Setup) => Request;
  /** What a success must also have done. */
  verify?: (s: Setup, body: any) => Promise<void>;
};

const EVERYONE: readonly Actor[] = ['owner', 'admin', 'above'];
const MANAGERS: readonly Actor[] = ['owner', 'admin', 'above', 'equal', 'below'];

const v1 = (s: Setup, path: string) => `/api/v1/guilds/${s.guild.id}${path}`;
const v10 = (s: Setup, path: string) => `/api/v10/guilds/${s.guild.id}${path}`;

async function roles(s: Setup): Promise<{ id: string; position: number; bot_id: string | null; permissions: string }[]> {
  return (await server.api('GET', v1(s, '/roles'), as(owner))).body;
}

/** A new bot's managed role sits just below the adder's highest role (the owner's on top), with what was granted. */
async function placedBelowAdder(s: Setup, body: any): Promise<void> {
  const all = await roles(s);
  const placed = all.find((r) => r.bot_id === newcomer.id);
  expect(placed?.id).toBe(body.role_id);
  const highest = Math.max(...all.map((r) => r.position));
  if (s.actorRole === null) expect(placed?.position).toBe(highest);
  else expect(placed?.position).toBe((all.find((r) => r.id === s.actorRole)?.position ?? 0) - 1);
}

const OPS: Op[] = [
  // ---- bots (v1 only: the Discord dialect has no route that adds bots) ----
  {
    name: "PUT /guilds/:id/bots/:botId strips the bot's permissions",
    dialect: 'v1',
    ok: 200,
    allowed: EVERYONE,
    request: (s) => ({ method: 'PUT', path: v1(s, `/bots/${bot.id}`), body: { permissions: [] } }),
  },
  {
    name: 'DELETE /guilds/:id/bots/:botId removes the bot',
    dialect: 'v1',
    ok: 204,
    allowed: EVERYONE,
    request: (s) => ({ method: 'DELETE', path: v1(s, `/bots/${bot.id}`) }),
  },
  {
    name: 'PUT /guilds/:id/bots/:botId adds a bot with permissions the adder holds, just below the adder',
    dialect: 'v1',
    ok: 200,
    allowed: MANAGERS,
    request: (s) => ({ method: 'PUT', path: v1(s, `/bots/${newcomer.id}`), body: { permissions: BOT_PERMISSIONS } }),
    verify: placedBelowAdder,
  },
  {
    name: 'PUT /guilds/:id/bots/:botId adds a bot with a permission the adder lacks (manage_guild)',
    dialect: 'v1',
    ok: 200,
    allowed: ['owner', 'admin'],
    request: (s) => ({ method: 'PUT', path: v1(s, `/bots/${newcomer.id}`), body: { permissions: ['manage_guild'] } }),
    verify: placedBelowAdder,
  },
  // ---- roles ----
  ...(['v1', 'v10'] as const).flatMap((dialect): Op[] => {
    const at = dialect === 'v1' ? v1 : v10;
    return [
      {
        name: 'PATCH /guilds/:id/roles/:roleId renames a role',
        dialect,
        ok: 200,
        allowed: EVERYONE,
        request: (s) => ({ method: 'PATCH', path: at(s, `/roles/${s.targetRole}`), body: { name: 'renamed' } }),
      },
      {
        name: "PATCH /guilds/:id/roles/:roleId takes the permissions from a bot's managed role",
        dialect,
        ok: 200,
        allowed: EVERYONE,
        request: (s) => ({ method: 'PATCH', path: at(s, `/roles/${s.botRole}`), body: { permissions: '0' } }),
      },
      {
        name: 'PATCH /guilds/:id/roles/:roleId grants a permission the actor lacks (manage_guild)',
        dialect,
        ok: 200,
        allowed: ['owner', 'admin'],
        request: (s) => ({ method: 'PATCH', path: at(s, `/roles/${s.targetRole}`), body: { permissions: String(1 << 5) } }),
      },
      {
        name: 'DELETE /guilds/:id/roles/:roleId deletes a role',
        dialect,
        ok: 204,
        allowed: EVERYONE,
        request: (s) => ({ method: 'DELETE', path: at(s, `/roles/${s.targetRole}`) }),
      },
      dialect === 'v1'
        ? {
            name: 'PATCH /guilds/:id/roles/:roleId moves a role down to 1',
            dialect,
            ok: 200,
            allowed: EVERYONE,
            request: (s) => ({ method: 'PATCH', path: at(s, `/roles/${s.targetRole}`), body: { position: 1 } }),
          }
        : {
            name: 'PATCH /guilds/:id/roles moves a role down to 1',
            dialect,
            ok: 200,
            allowed: EVERYONE,
            request: (s) => ({ method: 'PATCH', path: at(s, '/roles'), body: [{ id: s.targetRole, position: 1 }] }),
          },
      dialect === 'v1'
        ? {
            name: "PATCH /guilds/:id/roles/:roleId moves a role up to 3 (the actor's own level)",
            dialect,
            ok: 200,
            allowed: ['owner'],
            request: (s) => ({ method: 'PATCH', path: at(s, `/roles/${s.targetRole}`), body: { position: 3 } }),
          }
        : {
            name: "PATCH /guilds/:id/roles moves a role up to 3 (the actor's own level)",
            dialect,
            ok: 200,
            allowed: ['owner'],
            request: (s) => ({ method: 'PATCH', path: at(s, '/roles'), body: [{ id: s.targetRole, position: 3 }] }),
          },
      // ---- members ----
      {
        name: 'PUT /guilds/:id/members/:userId/roles/:roleId gives a member the role',
        dialect,
        ok: 204,
        allowed: EVERYONE,
        request: (s) => ({ method: 'PUT', path: at(s, `/members/${plain.id}/roles/${s.targetRole}`) }),
      },
      {
        name: 'DELETE /guilds/:id/members/:userId/roles/:roleId takes the role from a member',
        dialect,
        ok: 204,
        allowed: EVERYONE,
        request: (s) => ({ method: 'DELETE', path: at(s, `/members/${target.id}/roles/${s.targetRole}`) }),
      },
      {
        name: 'PATCH /guilds/:id/members/:userId replaces the role list',
        dialect,
        ok: 200,
        allowed: EVERYONE,
        request: (s) => ({ method: 'PATCH', path: at(s, `/members/${target.id}`), body: { roles: [] } }),
      },
      {
        name: "PATCH /guilds/:id/members/:userId changes a member's nickname",
        dialect,
        ok: 200,
        allowed: EVERYONE,
        request: (s) => ({ method: 'PATCH', path: at(s, `/members/${target.id}`), body: { nick: 'renamed' } }),
      },
      {
        name: 'DELETE /guilds/:id/members/:userId kicks a member',
        dialect,
        ok: 204,
        allowed: EVERYONE,
        request: (s) => ({ method: 'DELETE', path: at(s, `/members/${target.id}`) }),
      },
      {
        name: 'DELETE /guilds/:id/members/:userId kicks the bot',
        dialect,
        ok: 204,
        allowed: EVERYONE,
        request: (s) => ({ method: 'DELETE', path: at(s, `/members/${bot.id}`) }),
      },
      {
        name: 'PUT /guilds/:id/bans/:userId bans a member',
        dialect,
        ok: 204,
        allowed: EVERYONE,
        request: (s) => ({ method: 'PUT', path: at(s, `/bans/${target.id}`), body: {} }),
      },
    ];
  }),
];

async function must(method: string, path: string, body?: unknown): Promise<any> {
  const res = await server.api(method, path, as(owner, body));
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A guild laid out as the header says, with `actor`'s role at its position. */
async function setUp(actor: Actor): Promise<Setup> {
  const guild = await createGuild(server, owner, `Hierarchy ${actor}`);
  const account = actor === 'owner' ? owner : actorPerson;
  await join(server, owner, guild, ...(actor === 'owner' ? [] : [actorPerson]), target, plain);
  const s: Setup = { guild, actor: account, targetRole: '', botRole: '', actorRole: null };
  s.targetRole = (await must('POST', v1(s, '/roles'), { name: 'target', permissions: ['send_messages'] })).id;
  s.botRole = (await addBot(server, owner, guild, bot, BOT_PERMISSIONS)).role_id;
  await must('PUT', v1(s, `/members/${target.id}/roles/${s.targetRole}`));
  if (actor !== 'owner') {
    const { position, permissions } = ACTORS[actor];
    s.actorRole = (await must('POST', v1(s, '/roles'), { name: 'actor', permissions })).id;
    await must('PATCH', v1(s, `/roles/${s.actorRole}`), { position });
    await must('PUT', v1(s, `/members/${actorPerson.id}/roles/${s.actorRole}`));
  }
  // Last, because creating a role moves the existing ones up.
  await must('PATCH', v1(s, `/roles/${s.targetRole}`), { position: 2 });
  await must('PATCH', v1(s, `/roles/${s.botRole}`), { position: 2 });
  return s;
}

/** Everything a refused call must leave as it was. */
async function snapshot(s: Setup): Promise<unknown> {
  const members = await must('GET', v1(s, '/members?limit=1000'));
  const bans = await must('GET', v1(s, '/bans'));
  return { roles: await roles(s), members, bans };
}

for (const op of OPS) {
  describe(`${op.dialect} ${op.name}`, () => {
    for (const actor of Object.keys(ACTORS) as Actor[]) {
      const allowed = op.allowed.includes(actor);
      it(`${allowed ? `answers ${op.ok}` : 'refuses with 403 and code 50013'} for ${ACTORS[actor].describe}`, async () => {
        const s = await setUp(actor);
        try {
          const before = await snapshot(s);
          const { method, path, body } = op.request(s);
          const res = await server.api(method, path, as(s.actor, body));
          if (allowed) {
            expect({ status: res.status, body: res.status === op.ok ? null : res.body }).toEqual({ status: op.ok, body: null });
            await op.verify?.(s, res.body);
          } else {
            expect({ status: res.status, code: res.body?.code }).toEqual({ status: 403, code: 50013 });
            expect(res.body.message).toStartWith('Missing Permissions');
            expect(await snapshot(s)).toEqual(before);
          }
        } finally {
          // An owner may own at most 100 guilds.
          await must('DELETE', v1(s, ''));
        }
      });
    }
  });
}
