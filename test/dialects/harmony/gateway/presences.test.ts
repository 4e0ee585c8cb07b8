// READY's guilds and GUILD_CREATE carry the presences of the members who are online (as Discord's do), so a new
// session knows who is online without waiting for each one's next PRESENCE_UPDATE. Offline members are left out.
// alice owns the guild, bob and the bot are members, carol is in no guild until she joins by invite.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { connectAs, type Frame, type GatewayClient } from '../../../support/gateway-client.ts';
import { buildWorld, join, type World } from './fixtures.ts';

let world: World;
let alice: GatewayClient;
const open: GatewayClient[] = [];

const CHESS = { name: 'chess', type: 0, details: 'move 12' };
/** alice's presence as every guild member should see it once she has gone dnd on her one (desktop) session. */
const aliceDnd = () => ({
  user: { id: world.alice.id },
  status: 'dnd',
  activities: [{ ...CHESS, created_at: expect.any(Number) }],
  client_status: { desktop: 'dnd' },
});

async function connect(token: string, extra: Record<string, unknown> = {}): Promise<GatewayClient> {
  const client = await connectAs(world.server, token, extra);
  open.push(client);
  return client;
}

/** The next dispatch `t` matching `match` that `client` receives from now on (earlier frames do not count). */
function next(client: GatewayClient, t: string, match: (d: Frame['d']) => boolean) {
  const from = client.frames.length;
  return client.waitFor((f) => f.t === t && match(f.d) && client.frames.indexOf(f) >= from);
}

/** Closes a session and waits until alice hears its user went offline. */
async function hangUp(client: GatewayClient, userId: string): Promise<void> {
  const offline = next(alice, 'PRESENCE_UPDATE', (d) => d.user.id === userId && d.status === 'offline');
  client.close();
  await offline;
}

/** Presences sorted by user id: the server lists them in no particular order. */
const byUser = (list: { user: { id: string } }[]) => [...list].sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1));

beforeAll(async () => {
  world = await buildWorld();
  alice = await connect(world.alice.token);
  // Her own PRESENCE_UPDATE says the server has taken it.
  const dnd = next(alice, 'PRESENCE_UPDATE', (d) => d.user.id === world.alice.id && d.status === 'dnd');
  alice.send({ op: 3, d: { since: null, status: 'dnd', afk: false, activities: [CHESS] } });
  await dnd;
});
afterAll(async () => {
  for (const client of open) client.close();
  await world.server.stop();
});

describe('READY guilds[].presences', () => {
  it('lists a member who was online before the session connected, in PRESENCE_UPDATE shape without guild_id', async () => {
    const bob = await connect(world.bob.token);
    const guild = bob.ready?.d.guilds[0];
    expect(guild.id).toBe(world.guildId);
    // bob's own session goes online only after READY; the bot has no session: neither is listed.
    expect(guild.presences).toEqual([aliceDnd()]);
  });

  it('leaves out members whose last session closed and members who are invisible', async () => {
    const online = next(alice, 'PRESENCE_UPDATE', (d) => d.user.id === world.bot.id && d.status === 'online');
    const botSession = await connect(world.bot.token);
    await online;
    await hangUp(botSession, world.bot.id);
    // bob's first session (above) is still open; this one is newer and invisible, so others see him offline.
    const offline = next(alice, 'PRESENCE_UPDATE', (d) => d.user.id === world.bob.id && d.status === 'offline');
    await connect(world.bob.token, { presence: { since: null, status: 'invisible', afk: false, activities: [CHESS] } });
    await offline;

    const watcher = await connect(world.bot.token);
    expect(watcher.ready?.d.guilds[0].presences).toEqual([aliceDnd()]);
    await hangUp(watcher, world.bot.id);
  });

  it('shows every platform a member is online on, and their newest status', async () => {
    const phone = await connect(world.alice.token, { properties: { os: 'android' } });
    const idle = next(alice, 'PRESENCE_UPDATE', (d) => d.user.id === world.alice.id && d.status === 'idle');
    phone.send({ op: 3, d: { since: null, status: 'idle', afk: true, activities: [] } });
    await idle;

    const watcher = await connect(world.bot.token);
    expect(watcher.ready?.d.guilds[0].presences).toEqual([
      { user: { id: world.alice.id }, status: 'idle', activities: [], client_status: { desktop: 'dnd', mobile: 'idle' } },
    ]);
    await hangUp(watcher, world.bot.id);

    // With the phone gone, her desktop session's report is the newest again.
    const back = next(alice, 'PRESENCE_UPDATE', (d) => d.user.id === world.alice.id && d.status === 'dnd');
    phone.close();
    expect((await back).d).toEqual({ ...aliceDnd(), guild_id: world.guildId });
  });
});

describe('GUILD_CREATE presences', () => {
  it('gives a user who joins by invite the online members, themself included, and nobody offline', async () => {
    const carol = await connect(world.carol.token);
    expect(carol.ready?.d.guilds).toEqual([]);
    await join(world, world.carol);

    const created = await carol.event('GUILD_CREATE', (d) => d.id === world.guildId);
    expect(byUser(created.d.presences)).toEqual(
      byUser([
        aliceDnd(),
        // bob is connected but invisible, the bot is not connected: neither appears.
        { user: { id: world.carol.id }, status: 'online', activities: [], client_status: { desktop: 'online' } },
      ]),
    );
  });
});
