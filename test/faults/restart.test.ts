// What a restart does to connected clients, with a real process: SIGTERM tells every session to reconnect (op 7 on
// both dialects) and leaves what RESUME needs in the database, so a client that RESUMEs on the next process gets every
// dispatch it missed (before and after the restart) and RESUMED, as discord.js and HarmonyClient do by themselves.
// A SIGKILL leaves nothing behind: the RESUME is answered with INVALID_SESSION and the client IDENTIFYs again.
import { afterAll, afterEach, describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, GatewayIntentBits, type Message } from 'discord.js';
import { HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { openV10 } from '../dialects/discord/gateway/fixtures.ts';
import { type ChildServer, call, freePort, startChild } from '../support/child-server.ts';
import { frontProxy } from '../support/front-proxy.ts';
import { eventually, type Frame, GatewayClient, opened } from '../support/gateway-client.ts';
import type { TestServer } from '../support/test-server.ts';

const root = mkdtempSync(join(tmpdir(), 'harmony-restart-'));
const PY_SCRIPT = join(import.meta.dir, '../fixtures/discord-py/restart_bot.py');
const WORK = join(import.meta.dir, '../../test-output/restart');
const children: ChildServer[] = [];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const child of children.splice(0)) if (child.process.exitCode === null) await child.stop('SIGKILL');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT */
const INTENTS = 1 | (1 << 9) | (1 << 15);

async function start(dir: string, port: number, flags: string[] = []): Promise<ChildServer> {
  const child = await startChild(dir, ['--port', String(port), ...flags]);
  children.push(child);
  return child;
}

type Setup = { alice: { id: string; token: string }; bot: { id: string; token: string }; channelId: string };

/** alice (the instance admin) with a guild, and a bot in it allowed to read message content. */
async function setUp(url: string): Promise<Setup> {
  const registered = await call(url, 'POST', '/api/v1/auth/register', undefined, { username: 'alice', password: 'correct horse battery' });
  const alice = { id: registered.body.user.id as string, token: registered.body.token as string };
  const guild = await call(url, 'POST', '/api/v1/guilds', alice.token, { name: 'Restarts' });
  const created = await call(url, 'POST', '/api/v1/admin/bots', alice.token, { username: 'restart_bot' });
  const bot = { id: created.body.bot.id as string, token: created.body.token as string };
  await call(url, 'PATCH', `/api/v1/admin/bots/${bot.id}`, alice.token, { privileged_intents: { presence: false, members: false, message_content: true } });
  const added = await call(url, 'PUT', `/api/v1/guilds/${guild.body.id}/bots/${bot.id}`, alice.token, {
    permissions: ['read_messages', 'send_messages', 'read_message_history'],
  });
  expect(added.status).toBeLessThan(300);
  return { alice, bot, channelId: guild.body.channels[0].id as string };
}

async function post(url: string, token: string, channelId: string, content: string): Promise<string> {
  const res = await call(url, 'POST', `/api/v1/channels/${channelId}/messages`, token, { content });
  expect(res.status).toBe(200);
  return res.body.id as string;
}

async function openV1(url: string): Promise<GatewayClient> {
  const client = new GatewayClient(new WebSocket(`${url.replace(/^http/, 'ws')}/gateway`));
  await opened(client.ws);
  cleanups.push(() => client.close());
  return client;
}

async function openDiscord(url: string) {
  const client = await openV10({ url } as TestServer);
  cleanups.push(() => client.close());
  await client.waitFor((f) => f.op === 10);
  return client;
}

const contents = (frames: Frame[]) => frames.filter((f) => f.t === 'MESSAGE_CREATE').map((f) => f.d.content as string);

describe('SIGTERM', () => {
  it('says RECONNECT on both gateways, and a RESUME on the next process replays what each session missed, then RESUMED', async () => {
    const port = freePort();
    const dir = join(root, 'raw');
    const first = await start(dir, port);
    const { alice, bot, channelId } = await setUp(first.url);

    const v10 = await openDiscord(first.url);
    const botReady = await v10.identify(bot.token, INTENTS);
    const v1 = await openV1(first.url);
    const aliceReady = await v1.identify(alice.token);
    await post(first.url, alice.token, channelId, 'before');
    await v1.event('MESSAGE_CREATE', (d) => d.content === 'before');
    await v10.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.content === 'before');
    // alice's connection drops (not a goodbye: the session stays resumable) and misses one message before the restart.
    const aliceSeq = v1.lastSeq as number;
    v1.ws.close(3000);
    await v1.closed;
    await post(first.url, alice.token, channelId, 'missed before the restart');
    await v10.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.content === 'missed before the restart');
    const botSeq = v10.lastSeq as number;

    expect(await first.stop('SIGTERM')).toBe(0);
    expect(v10.frames.at(-1)).toEqual({ t: null, s: null, op: 7, d: null });
    expect(await v10.closed()).toEqual({ code: 4000, reason: 'Server restarting: reconnect and resume' });

    const second = await start(dir, port);
    await post(second.url, alice.token, channelId, 'missed during the restart');

    const v1Again = await openV1(second.url);
    v1Again.send({ op: 6, d: { token: alice.token, session_id: aliceReady.d.session_id, seq: aliceSeq } });
    const aliceResumed = await v1Again.waitFor((f) => f.t === 'RESUMED');
    expect(contents(v1Again.frames)).toEqual(['missed before the restart', 'missed during the restart']);
    expect(v1Again.frames.some((f) => f.t === 'READY')).toBe(false);
    expect(v1Again.frames.at(-1)).toBe(aliceResumed);
    // Sequence numbers carry on above the ones the first process handed out.
    const aliceSeqs = v1Again.frames.map((f) => f.s as number);
    expect(aliceSeqs.every((s) => s > aliceSeq)).toBe(true);
    expect([...aliceSeqs].sort((a, b) => a - b)).toEqual(aliceSeqs);

    const v10Again = await openDiscord(second.url);
    v10Again.send({ op: 6, d: { token: bot.token, session_id: botReady.d.session_id, seq: botSeq } });
    await v10Again.waitFor((f) => f.t === 'RESUMED');
    // The bot asked for MESSAGE_CONTENT at IDENTIFY on the first process: the replay still carries content.
    expect(contents(v10Again.frames)).toEqual(['missed during the restart']);
    expect(v10Again.frames.filter((f) => f.op === 0).every((f) => (f.s as number) > botSeq)).toBe(true);

    // Both sessions are live again on the new process.
    v1Again.startHeartbeat(1000);
    v10Again.startHeartbeat(1000);
    await post(second.url, alice.token, channelId, 'after');
    await v1Again.event('MESSAGE_CREATE', (d) => d.content === 'after');
    await v10Again.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.content === 'after');
    // The snapshot was taken at start: a RESUME of the same session after another crash finds nothing to resume.
    expect(await second.stop('SIGKILL')).not.toBe(0);
  }, 90_000);

  it('discord.js and HarmonyClient resume on the restarted server by themselves, without losing a message', async () => {
    const port = freePort();
    const dir = join(root, 'libraries');
    // Clients reach it through a reverse proxy, as in production (--public-url names it): discord.js keeps its session
    // across the reconnects the proxy answers with 502 while the process restarts, where a refused connection would
    // make it drop the session and IDENTIFY (as it would against Discord).
    const proxy = frontProxy(port);
    cleanups.push(() => proxy.stop());
    const first = await start(dir, port, ['--public-url', proxy.url]);
    const { alice, bot, channelId } = await setUp(first.url);

    const discord = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
      rest: { api: `${proxy.url}/api` },
    });
    cleanups.push(() => discord.destroy());
    let discordReadies = 0;
    let discordResumes = 0;
    const botSaw: string[] = [];
    discord.on('shardReady', () => discordReadies++);
    discord.on('shardResume', () => discordResumes++);
    discord.on('messageCreate', (message: Message) => botSaw.push(message.content));
    const discordReady = new Promise<void>((resolve) => discord.once('clientReady', () => resolve()));
    await discord.login(bot.token);
    await discordReady;

    const sdk = new HarmonyClient(alice.token, { url: `${proxy.url.replace(/^http/, 'ws')}/gateway`, reconnect: { baseDelay: 200, maxDelay: 1000 } });
    cleanups.push(() => sdk.disconnect());
    let sdkReadies = 0;
    let sdkResumes = 0;
    const aliceSaw: string[] = [];
    sdk.on('dispatch', ({ t }) => {
      if (t === 'READY') sdkReadies++;
      if (t === 'RESUMED') sdkResumes++;
    });
    sdk.on('messageCreate', (message) => {
      aliceSaw.push(message.content);
    });
    await sdk.connect();

    await post(first.url, alice.token, channelId, 'one');
    await eventually(() => botSaw.includes('one') && aliceSaw.includes('one'), 5000, 'both saw "one"');

    expect(await first.stop('SIGTERM')).toBe(0);
    const second = await start(dir, port, ['--public-url', proxy.url]);
    await post(second.url, alice.token, channelId, 'two');
    await eventually(() => discordResumes === 1 && sdkResumes === 1, 30_000, 'both resumed');
    await post(second.url, alice.token, channelId, 'three');
    await eventually(() => botSaw.includes('three') && aliceSaw.includes('three'), 5000, 'both saw "three"');

    expect(botSaw).toEqual(['one', 'two', 'three']);
    expect(aliceSaw).toEqual(['one', 'two', 'three']);
    // Resumed, not identified again.
    expect(discordReadies).toBe(1);
    expect(sdkReadies).toBe(1);
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 90_000);
});

describe('SIGTERM under discord.py', () => {
  it('discord.py resumes on the restarted server (it retries RESUME while the server is down) without losing a message', async () => {
    const port = freePort();
    const dir = join(root, 'discord-py');
    const first = await start(dir, port);
    const { alice, bot, channelId } = await setUp(first.url);
    mkdirSync(WORK, { recursive: true });
    const script = join(WORK, 'restart_bot.py');
    writeFileSync(script, readFileSync(PY_SCRIPT, 'utf8').replaceAll('HOST:3002', `127.0.0.1:${port}`));
    const python = Bun.spawn(['/usr/bin/python3', '-u', script], { env: { PATH: '/usr/bin:/bin', BOT_TOKEN: bot.token }, stdout: 'pipe', stderr: 'pipe' });
    cleanups.push(() => python.kill());
    const steps: { step: string; [field: string]: unknown }[] = [];
    void (async () => {
      let buffered = '';
      for await (const chunk of python.stdout as ReadableStream<Uint8Array>) {
        buffered += new TextDecoder().decode(chunk);
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) steps.push(JSON.parse(line));
      }
    })();
    const saw = (content: string) => steps.some((s) => s.step === 'message' && s.content === content);
    await eventually(() => steps.some((s) => s.step === 'ready'), 20_000, 'discord.py ready');
    await post(first.url, alice.token, channelId, 'one');
    await eventually(() => saw('one'), 5000, 'discord.py saw "one"');

    expect(await first.stop('SIGTERM')).toBe(0);
    const second = await start(dir, port);
    await post(second.url, alice.token, channelId, 'two');
    await eventually(() => steps.some((s) => s.step === 'resumed') && saw('two'), 30_000, 'discord.py resumed and saw "two"');
    await post(second.url, alice.token, channelId, 'stop');
    expect(await python.exited).toBe(0);

    const ready = steps.filter((s) => s.step === 'ready');
    expect(ready).toHaveLength(1);
    expect(steps.filter((s) => s.step === 'resumed')).toEqual([{ step: 'resumed', session: ready[0]?.session }]);
    expect(steps.filter((s) => s.step === 'message').map((s) => s.content)).toEqual(['one', 'two', 'stop']);
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 90_000);
});

describe('SIGKILL', () => {
  it('loses the sessions: a RESUME on the next process is answered with INVALID_SESSION, and IDENTIFY works', async () => {
    const port = freePort();
    const dir = join(root, 'kill');
    const first = await start(dir, port);
    const { alice, bot, channelId } = await setUp(first.url);
    const v10 = await openDiscord(first.url);
    const botReady = await v10.identify(bot.token, INTENTS);
    const v1 = await openV1(first.url);
    const aliceReady = await v1.identify(alice.token);
    await post(first.url, alice.token, channelId, 'before');
    await v1.event('MESSAGE_CREATE', (d) => d.content === 'before');
    await v10.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.content === 'before');

    first.process.kill('SIGKILL');
    await first.process.exited;
    const second = await start(dir, port);

    const v1Again = await openV1(second.url);
    v1Again.send({ op: 6, d: { token: alice.token, session_id: aliceReady.d.session_id, seq: v1.lastSeq } });
    await v1Again.waitFor((f) => f.op === 9);
    expect(v1Again.raw.at(-1)).toBe('{"op":9,"d":false,"s":null,"t":null}');
    expect((await v1Again.identify(alice.token)).d.session_id).not.toBe(aliceReady.d.session_id);

    const v10Again = await openDiscord(second.url);
    v10Again.send({ op: 6, d: { token: bot.token, session_id: botReady.d.session_id, seq: v10.lastSeq } });
    await v10Again.waitFor((f) => f.op === 9);
    expect(v10Again.raw.at(-1)).toBe('{"t":null,"s":null,"op":9,"d":false}');
    expect((await v10Again.identify(bot.token, INTENTS)).d.session_id).not.toBe(botReady.d.session_id);
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 90_000);
});
