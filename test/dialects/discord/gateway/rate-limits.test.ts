// Rate limits on, as in production: a discord.js bot that fires 30 channel.send() at once gets all 30 through,
// in order, because @discordjs/rest queues on Harmony's X-RateLimit headers (and waits out a 429); the bot and a
// v1 session then see all 30 over their gateways, in the order they were sent.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { GatewayIntentBits as Intent, type Message, type TextChannel } from 'discord.js';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { type Account, buildWorld, createBot, destroyClients, discordClient, loginReady, type World } from './fixtures.ts';

let world: World;
let bot: Account;
let alice: GatewayClient | null = null;

beforeAll(async () => {
  world = await buildWorld({ rateLimits: true });
  bot = await createBot(world, 'burstbot');
}, 30_000);
afterAll(async () => {
  await world.server.stop();
});
afterEach(async () => {
  alice?.close();
  await destroyClients();
});

describe('30 messages sent at once through discord.js', () => {
  it('all arrive, in order, with the rate limits honoured', async () => {
    const client = await loginReady(discordClient(world, [Intent.Guilds, Intent.GuildMessages, Intent.MessageContent]), bot.token);
    alice = await connectAs(world.server, world.alice.token);
    const limited: string[] = [];
    client.rest.on('rateLimited', (info) => limited.push(info.route));
    const echoed: Message[] = [];
    client.on('messageCreate', (m) => {
      if (m.author.id === bot.id && m.content.startsWith('burst ')) echoed.push(m);
    });
    const channel = client.channels.cache.get(world.generalId) as TextChannel;
    const contents = Array.from({ length: 30 }, (_, i) => `burst ${i}`);
    const sent = await Promise.all(contents.map((content) => channel.send(content)));

    expect(sent.map((m) => m.content)).toEqual(contents);
    // Created in call order: ids (snowflakes) increase with the content index.
    const ids = sent.map((m) => BigInt(m.id));
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as bigint))).toBe(true);
    // The server's 5-per-second bucket was hit and waited out, not failed.
    expect(limited.length).toBeGreaterThan(0);

    const last = sent[29]?.id;
    await alice.event('MESSAGE_CREATE', (d) => d.id === last, 10_000);
    const v1Seen = alice.dispatches('MESSAGE_CREATE').filter((f) => String(f.d.content).startsWith('burst '));
    expect(v1Seen.map((f) => f.d.content)).toEqual(contents);
    const deadline = Date.now() + 3000;
    while (echoed.length < 30 && Date.now() < deadline) await Bun.sleep(10);
    expect(echoed.map((m) => m.content)).toEqual(contents);
  }, 30_000);
});
