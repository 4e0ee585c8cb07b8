// RESUME on any node, as real discord.js and discord.py bots see it: the bot's gateway connection goes through a
// front proxy (what nginx is for N nodes) to one node; that node is killed with SIGKILL and the proxy sends new
// connections to node A; messages posted meanwhile on A reach the bot once each and in order, because the library
// resumes its session on A (no second READY) and A replays what it missed.
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { Client, GatewayIntentBits, type Message } from 'discord.js';
import { type ChildServer, freePort, ok } from '../support/child-server.ts';
import { runDiscordPy } from '../support/discord-py.ts';
import { type FrontProxy, frontProxy } from '../support/front-proxy.ts';
import { type SharedNodes, sharedNodes } from '../support/shared-nodes.ts';

let nodes: SharedNodes;
let a: ChildServer;
let b: ChildServer;
let proxy: FrontProxy;
/** Where the proxy sends new connections. */
let backend = 0;
let bot: Client | null = null;
/** Made by the first test: the owner's token, the guild's first channel, the bot's token. */
let owner = '';
let channel = '';
let botToken = '';

beforeAll(async () => {
  // The proxy is the instance's public address: every node hands it out, as resume_gateway_url too.
  proxy = frontProxy(() => backend);
  nodes = await sharedNodes('harmony-failover-', ['--public-url', proxy.url]);
  a = await nodes.start();
  b = await nodes.start();
  backend = Number(new URL(b.url).port);
}, 60_000);

afterAll(async () => {
  await bot?.destroy();
  proxy?.stop();
  await nodes?.stop();
});

test('a discord.js bot on a killed node resumes on another and gets every message once, in order', async () => {
  owner = (await ok(a.url, 'POST', '/api/v1/auth/register', undefined, { username: 'owner', password: 'correct horse battery' })).token as string;
  const guild = await ok(a.url, 'POST', '/api/v1/guilds', owner, { name: 'Failover' });
  channel = guild.channels[0].id as string;
  const created = await ok(a.url, 'POST', '/api/v1/admin/bots', owner, { username: 'failover' });
  await ok(a.url, 'PATCH', `/api/v1/admin/bots/${created.bot.id}`, owner, { privileged_intents: { message_content: true } });
  await ok(a.url, 'PUT', `/api/v1/guilds/${guild.id}/bots/${created.bot.id}`, owner, { permissions: ['read_messages', 'read_message_history'] });
  botToken = created.token as string;

  bot = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    rest: { api: `${proxy.url}/api` },
  });
  const seen: string[] = [];
  let readies = 0;
  let resumes = 0;
  bot.on('messageCreate', (message: Message) => seen.push(message.content));
  bot.on('shardReady', () => readies++);
  bot.on('shardResume', () => resumes++);
  const ready = new Promise<void>((resolve) => bot?.once('clientReady', () => resolve()));
  await bot.login(botToken);
  await ready;

  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 20_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`${what}: saw ${JSON.stringify(seen)}, ${readies} READY, ${resumes} RESUMED`);
      await Bun.sleep(20);
    }
  };
  await ok(a.url, 'POST', `/api/v1/channels/${channel}/messages`, owner, { content: 'before' });
  await until(() => seen.includes('before'), 'before');

  // Nothing answers behind the proxy while B dies and the messages are posted, so they must be replayed.
  backend = freePort();
  expect(await b.stop('SIGKILL')).not.toBe(0);
  for (const content of ['missed 1', 'missed 2', 'missed 3']) await ok(a.url, 'POST', `/api/v1/channels/${channel}/messages`, owner, { content });
  backend = Number(new URL(a.url).port);
  await until(() => resumes === 1, 'resumed on A');
  await ok(a.url, 'POST', `/api/v1/channels/${channel}/messages`, owner, { content: 'after' });
  await until(() => seen.includes('after'), 'after');

  expect(seen).toEqual(['before', 'missed 1', 'missed 2', 'missed 3', 'after']);
  expect(readies).toBe(1);
  await bot.destroy();
  bot = null;
}, 60_000);

test('a discord.py bot on a killed node resumes on another and gets every message once, in order', async () => {
  // A third node takes B's place; the bot connects to it through the proxy.
  const c = await nodes.start();
  backend = Number(new URL(c.url).port);
  const post = (content: string) => ok(a.url, 'POST', `/api/v1/channels/${channel}/messages`, owner, { content });
  const run = await runDiscordPy<{ step: string; content?: string; session?: string }>(
    'restart_bot.py',
    proxy.url,
    { BOT_TOKEN: botToken },
    {
      timeoutMs: 40_000,
      onStep: async (step) => {
        if (step.step === 'ready') await post('before');
        else if (step.step === 'message' && step.content === 'before') {
          backend = freePort();
          expect(await c.stop('SIGKILL')).not.toBe(0);
          for (const content of ['missed 1', 'missed 2', 'missed 3']) await post(content);
          backend = Number(new URL(a.url).port);
        } else if (step.step === 'resumed') await post('after');
        else if (step.step === 'message' && step.content === 'after') await post('stop');
      },
    },
  );
  expect(run.exitCode).toBe(0);
  const sessions = new Set(run.steps.map((s) => s.session).filter(Boolean));
  expect(sessions.size).toBe(1);
  expect(run.steps.map((s) => (s.step === 'message' ? s.content : s.step))).toEqual([
    'ready',
    'before',
    'missed 1',
    'missed 2',
    'missed 3',
    'resumed',
    'after',
    'stop',
  ]);
}, 60_000);
