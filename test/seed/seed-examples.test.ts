// The seed's code examples (bot-api.seed.md, "Quick Start" and "Examples") run against a live
// Harmony exactly as printed, with only the token string replaced: the JavaScript ones on Node 20
// with the built HarmonyClient.js beside them, the Python one on Debian's python3.
// They hard-code localhost:3002, so this file's server listens there.
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import { buildSdk } from '../../src/sdk/build-sdk.ts';
import { register, startServer, type TestServer } from '../support/test-server.ts';

const FIXTURES = join(import.meta.dir, '../fixtures/seed');
const SEED = join(import.meta.dir, '../../../shared/spec/bot-api.seed.md');
// Inside the repo so Node 20 (no global WebSocket) resolves the SDK's `ws` fallback from node_modules.
const WORK = join(import.meta.dir, '../../test-output/seed-examples');
const PYTHON = '/usr/bin/python3';

// Each example is a separate program that has to start and connect: give them room on a slow machine.
setDefaultTimeout(30_000);

let server: TestServer;
let owner: { id: string; token: string };
let channelId: string;

async function newBot(name: string): Promise<{ id: string; token: string }> {
  const created = await server.api('POST', '/api/v1/admin/bots', { token: owner.token, body: { username: name } });
  expect(created.status).toBe(201);
  const guildId = (await server.api('GET', `/api/v1/channels/${channelId}`, { token: owner.token })).body.guild_id;
  const added = await server.api('PUT', `/api/v1/guilds/${guildId}/bots/${created.body.bot.id}`, {
    token: owner.token,
    body: { permissions: ['read_messages', 'send_messages', 'read_message_history'] },
  });
  expect(added.status).toBe(200);
  return { id: created.body.bot.id, token: created.body.token };
}

/** Starts a program and resolves once its output contains `ready`. */
async function launch(command: string[], ready: string): Promise<{ proc: Subprocess; output: () => string }> {
  const proc = Bun.spawn(command, { cwd: WORK, stdout: 'pipe', stderr: 'pipe' });
  let output = '';
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += new TextDecoder().decode(chunk);
  };
  void pump(proc.stdout as ReadableStream<Uint8Array>);
  void pump(proc.stderr as ReadableStream<Uint8Array>);
  const deadline = Date.now() + 15_000;
  while (!output.includes(ready)) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill();
      throw new Error(`${command.join(' ')} did not get ready:\n${output}`);
    }
    await Bun.sleep(20);
  }
  return { proc, output: () => output };
}

/** Polls the channel until the bot has said `text` (bounded), and returns that message. */
async function answerFrom(botId: string, text: string, after: string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const page = await server.api('GET', `/api/v1/channels/${channelId}/messages?after=${after}&limit=100`, { token: owner.token });
    const found = (page.body as { author: { id: string }; content: string }[]).find((m) => m.author.id === botId && m.content === text);
    if (found) return found;
    await Bun.sleep(25);
  }
  throw new Error(`no "${text}" from the bot`);
}

async function say(content: string): Promise<string> {
  const sent = await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: owner.token, body: { content } });
  expect(sent.status).toBe(200);
  return sent.body.id;
}

function example(file: string, token: string, prefix = ''): string {
  const source = readFileSync(join(FIXTURES, file), 'utf8');
  writeFileSync(join(WORK, file), prefix + source.replaceAll('YOUR_BOT_TOKEN', token));
  return file;
}

beforeAll(async () => {
  mkdirSync(WORK, { recursive: true });
  await buildSdk(WORK);
  server = await startServer({ port: 3002, rateLimits: false });
  owner = await register(server, 'seed_owner');
  const guild = await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'Seed' } });
  channelId = guild.body.channels[0].id;
});

afterAll(async () => {
  await server?.stop();
});

describe('the seed examples, as printed', () => {
  it('are the fixtures this suite runs (checked against the seed when it is beside the repo)', async () => {
    const seed = await Bun.file(SEED)
      .text()
      .catch(() => null);
    if (seed === null) return;
    for (const file of ['example.mjs', 'example.py', 'quick-start.mjs']) {
      expect(seed).toContain(readFileSync(join(FIXTURES, file), 'utf8').trimEnd());
    }
  });

  it('JavaScript example on Node 20: answers !ping with Pong! and !say hello with hello', async () => {
    const bot = await newBot('seed_js_bot');
    const { proc } = await launch(['node', example('example.mjs', bot.token)], 'Logged in as seed_js_bot');
    try {
      await answerFrom(bot.id, 'Pong!', await say('!ping'));
      await answerFrom(bot.id, 'hello', await say('!say hello'));
    } finally {
      proc.kill();
    }
  });

  it('Quick Start snippet on Node 20 (plus the import line the snippet leaves out): answers !ping', async () => {
    const bot = await newBot('seed_quick_bot');
    const file = example('quick-start.mjs', bot.token, "import { HarmonyClient } from './HarmonyClient.js'\n");
    const { proc } = await launch(['node', file], 'Bot is ready!');
    try {
      await answerFrom(bot.id, 'Pong!', await say('!ping'));
    } finally {
      proc.kill();
    }
  });

  it('Python example on python3 with websockets and requests: answers !ping with Pong!', async () => {
    expect(await Bun.file(PYTHON).exists()).toBe(true);
    const bot = await newBot('seed_py_bot');
    const { proc, output } = await launch([PYTHON, '-u', example('example.py', bot.token)], 'Ready: seed_py_bot');
    try {
      await answerFrom(bot.id, 'Pong!', await say('!ping'));
      // Heartbeat ACKs and every other frame reach handle_event, which reads payload['t'] on each.
      expect(output()).not.toContain('Traceback');
    } finally {
      proc.kill();
    }
  });
});
