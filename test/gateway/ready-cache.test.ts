// READY is built from each guild's part kept in memory between connects (src/gateway/guild-ready-cache.ts), kept
// current by the committed events. Black-box: every step warms that memory with a first IDENTIFY, changes the guild
// one way (a join, a leave, a role edit that hides channels, a channel created and deleted, a rename, a role
// created and deleted, a member given a role), then opens fresh sessions in both dialects and holds what their
// READY / GUILD_CREATE say about the guild to what the REST API reads from the database at that moment.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { GatewayIntentBits } from 'discord.js';
import {
  type Account,
  buildWorld,
  closeSockets,
  connectV10,
  createBot,
  destroyClients,
  discordClient,
  join,
  loginReady,
  type World,
} from '../dialects/discord/gateway/fixtures.ts';
import { runDiscordPy } from '../support/discord-py.ts';
import { connectAs, type Frame } from '../support/gateway-client.ts';
import { register } from '../support/test-server.ts';

const GUILDS = 1 << 0;
let world: World;
let bot: Account;

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'readybot');
});
afterAll(async () => {
  closeSockets();
  await destroyClients();
  await world.server.stop();
});

const byId = (a: { id: string }, b: { id: string }) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0);

/** What a fresh v1 session of `account` says about the guild, beside GET /api/v1/guilds/:id for the same account. */
async function v1Agrees(account: Account): Promise<Record<string, any>> {
  const client = await connectAs(world.server, account.token);
  const fromReady = ((client.ready as Frame).d.guilds as Record<string, any>[]).find((g) => g.id === world.guildId);
  client.close();
  const rest = await world.call(account.token, 'GET', `/guilds/${world.guildId}`);
  expect(fromReady).toBeDefined();
  const { presences: _, threads: __, ...guild } = fromReady as Record<string, any>;
  expect(guild).toEqual(rest);
  return guild;
}

/** What a fresh v10 session of the bot says in GUILD_CREATE, beside the v10 REST reads of the same guild. */
async function v10Agrees(): Promise<Record<string, any>> {
  const client = await connectV10(world.server, bot.token, GUILDS);
  const created = (await client.dispatch('GUILD_CREATE', (d) => d.id === world.guildId)).d;
  client.close();
  const v10 = async (path: string) => {
    const res = await world.server.api('GET', `/api/v10${path}`, { token: bot.token });
    expect(res.status).toBe(200);
    return res.body;
  };
  const guild = await v10(`/guilds/${world.guildId}?with_counts=true`);
  expect(created.name).toBe(guild.name);
  expect(created.member_count).toBe(guild.approximate_member_count);
  expect([...created.roles].sort(byId)).toEqual([...(await v10(`/guilds/${world.guildId}/roles`))].sort(byId));
  expect([...created.channels].sort(byId)).toEqual([...(await v10(`/guilds/${world.guildId}/channels`))].sort(byId));
  return created;
}

/** Warms the kept parts (a first IDENTIFY in each dialect), runs `change`, then checks fresh sessions of both. */
async function afterChange(change: () => Promise<void>) {
  await v1Agrees(world.bob);
  await v10Agrees();
  await change();
  return { alice: await v1Agrees(world.alice), bob: await v1Agrees(world.bob), bot: await v10Agrees() };
}

describe('READY after each kind of change, with the guild already held in memory', () => {
  let carol: Account;

  it('a join counts the new member at once', async () => {
    const before = (await v1Agrees(world.bob)).member_count as number;
    const c = await register(world.server, 'carol');
    carol = { id: c.id, token: c.token, username: 'carol' };
    const seen = await afterChange(() => join(world, carol));
    expect(seen.bob.member_count).toBe(before + 1);
    expect(seen.bot.member_count).toBe(before + 1);
    // The newcomer's own first READY has the guild, with the same count.
    expect((await v1Agrees(carol)).member_count).toBe(before + 1);
  });

  it('a leave drops the member and their guild from their own READY', async () => {
    const before = (await v1Agrees(world.bob)).member_count as number;
    const seen = await afterChange(() => world.call(carol.token, 'DELETE', `/guilds/${world.guildId}/members/${carol.id}`, undefined, 204));
    expect(seen.bob.member_count).toBe(before - 1);
    expect(seen.bot.member_count).toBe(before - 1);
    const client = await connectAs(world.server, carol.token);
    expect(((client.ready as Frame).d.guilds as { id: string }[]).map((g) => g.id)).not.toContain(world.guildId);
    client.close();
  });

  it("a role edit that takes VIEW_CHANNEL from @everyone hides the channels from bob's next READY, and giving it back shows them", async () => {
    const everyone = `/guilds/${world.guildId}/roles/${world.guildId}`;
    const hidden = await afterChange(() => world.call(world.alice.token, 'PATCH', everyone, { permissions: ['send_messages'] }));
    expect(hidden.bob.channels).toEqual([]);
    // The bot sees them still, through its own managed role.
    expect((hidden.bot.channels as { id: string }[]).map((c) => c.id)).toContain(world.generalId);
    expect((hidden.alice.channels as { id: string }[]).map((c) => c.id)).toContain(world.generalId);
    const shown = await afterChange(() =>
      world.call(world.alice.token, 'PATCH', everyone, { permissions: ['view_channels', 'send_messages', 'read_message_history'] }),
    );
    expect((shown.bob.channels as { id: string }[]).map((c) => c.id)).toContain(world.generalId);
  });

  it('a channel created appears, and is gone once deleted', async () => {
    let channelId = '';
    const created = await afterChange(async () => {
      channelId = (await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, { name: 'fresh' })).id;
    });
    expect((created.bob.channels as { id: string }[]).map((c) => c.id)).toContain(channelId);
    expect((created.bot.channels as { id: string }[]).map((c) => c.id)).toContain(channelId);
    const deleted = await afterChange(() => world.call(world.alice.token, 'DELETE', `/channels/${channelId}`));
    expect((deleted.bob.channels as { id: string }[]).map((c) => c.id)).not.toContain(channelId);
    expect((deleted.bot.channels as { id: string }[]).map((c) => c.id)).not.toContain(channelId);
  });

  it('a guild update (rename) is in the next READY', async () => {
    const seen = await afterChange(() => world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}`, { name: 'Renamed Guild' }));
    expect(seen.bob.name).toBe('Renamed Guild');
    expect(seen.bot.name).toBe('Renamed Guild');
  });

  it('a role created, given to bob and deleted: roles and what bob may view follow each step', async () => {
    let roleId = '';
    // #secret: hidden from @everyone, shown to the new role.
    let secretId = '';
    const created = await afterChange(async () => {
      roleId = (await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/roles`, { name: 'insiders' })).id;
      secretId = (
        await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, {
          name: 'secret',
          permission_overwrites: [
            { id: world.guildId, type: 0, deny: ['view_channels'] },
            { id: roleId, type: 0, allow: ['view_channels'] },
          ],
        })
      ).id;
    });
    expect((created.bob.roles as { id: string }[]).map((r) => r.id)).toContain(roleId);
    expect((created.bob.channels as { id: string }[]).map((c) => c.id)).not.toContain(secretId);
    const given = await afterChange(() => world.call(world.alice.token, 'PUT', `/guilds/${world.guildId}/members/${world.bob.id}/roles/${roleId}`));
    expect((given.bob.channels as { id: string }[]).map((c) => c.id)).toContain(secretId);
    const deleted = await afterChange(() => world.call(world.alice.token, 'DELETE', `/guilds/${world.guildId}/roles/${roleId}`));
    expect((deleted.bob.roles as { id: string }[]).map((r) => r.id)).not.toContain(roleId);
    expect((deleted.bob.channels as { id: string }[]).map((c) => c.id)).not.toContain(secretId);
    expect((deleted.bot.roles as { id: string }[]).map((r) => r.id)).not.toContain(roleId);
  });

  it('many sessions identifying at once while members join all see a count the REST API agrees with afterwards', async () => {
    const accounts = await Promise.all(['dave', 'erin', 'frank'].map((name) => register(world.server, name)));
    const joining = Promise.all(accounts.map((a) => join(world, { id: a.id, token: a.token, username: a.user.username })));
    const clients = await Promise.all(Array.from({ length: 6 }, () => connectAs(world.server, world.bob.token)));
    await joining;
    for (const client of clients) client.close();
    const settled = await v1Agrees(world.bob);
    const rest = await world.call(world.bob.token, 'GET', `/guilds/${world.guildId}`);
    expect(settled.member_count).toBe(rest.member_count);
    await v10Agrees();
  });
});

describe('discord.js, logging in again after changes to a guild it already saw', () => {
  it('has the new member count, the new channel and the renamed role in its cache', async () => {
    const first = await loginReady(discordClient(world, [GatewayIntentBits.Guilds]), bot.token);
    const before = first.guilds.cache.get(world.guildId);
    expect(before?.memberCount).toBeGreaterThan(0);
    const count = before?.memberCount as number;
    await first.destroy();

    const g = await register(world.server, 'gina');
    await join(world, { id: g.id, token: g.token, username: 'gina' });
    const channel = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, { name: 'after-login' });
    const role = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/roles`, { name: 'before' });
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/roles/${role.id}`, { name: 'after' });

    const again = await loginReady(discordClient(world, [GatewayIntentBits.Guilds]), bot.token);
    const guild = again.guilds.cache.get(world.guildId);
    expect(guild?.memberCount).toBe(count + 1);
    expect(guild?.channels.cache.get(channel.id)?.name).toBe('after-login');
    expect(guild?.roles.cache.get(role.id)?.name).toBe('after');
  });
});

describe('discord.py, logging in again after changes to a guild it already saw', () => {
  type Seen = { step: string; name: string; member_count: number; channels: [string, string][]; roles: [string, string][] };
  const login = async () => {
    const run = await runDiscordPy<Seen>('ready_view.py', world.server.url, { BOT_TOKEN: bot.token, GUILD_ID: world.guildId });
    expect(run.steps.map((s) => s.step)).toEqual(['ready']);
    return run.steps[0] as Seen;
  };
  /** The same view from the v10 REST API, as the bot. */
  const fromRest = async (): Promise<Omit<Seen, 'step'>> => {
    const get = async (path: string) => (await world.server.api('GET', `/api/v10${path}`, { token: bot.token })).body;
    const guild = await get(`/guilds/${world.guildId}?with_counts=true`);
    const pairs = (list: { id: string; name: string }[]) => list.map((x): [string, string] => [x.id, x.name]).sort();
    return {
      name: guild.name,
      member_count: guild.approximate_member_count,
      channels: pairs(await get(`/guilds/${world.guildId}/channels`)),
      roles: pairs(await get(`/guilds/${world.guildId}/roles`)),
    };
  };

  it('sees the join, the new channel, the renamed role and the renamed guild, as the REST API does', async () => {
    const { step: _, ...first } = await login();
    expect(first).toEqual(await fromRest());

    const h = await register(world.server, 'hank');
    await join(world, { id: h.id, token: h.token, username: 'hank' });
    const channel = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/channels`, { name: 'py-after' });
    const role = await world.call(world.alice.token, 'POST', `/guilds/${world.guildId}/roles`, { name: 'py-before' });
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}/roles/${role.id}`, { name: 'py-after' });
    await world.call(world.alice.token, 'PATCH', `/guilds/${world.guildId}`, { name: 'Renamed for discord.py' });

    const { step: __, ...second } = await login();
    expect(second).toEqual(await fromRest());
    expect(second.member_count).toBe(first.member_count + 1);
    expect(second.name).toBe('Renamed for discord.py');
    expect(second.channels).toContainEqual([channel.id, 'py-after']);
    expect(second.roles).toContainEqual([role.id, 'py-after']);
  }, 60_000);
});
