// `harmony serve` as shipped: src/main.ts compiled with build.ts's options (discord.js bundled inside), started
// from an empty folder with the bridge off and then on against a Harmony instance playing Discord.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

let dir: string;
let binary: string;
let discord: TestServer;
let guildId: string;
let botToken: string;

/** Starts the binary with these settings; resolves with its stdout lines so far once `until` printed. */
async function serve(env: Record<string, string>, until: RegExp) {
  const child = Bun.spawn([binary, 'serve'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HARMONY_PORT: '0', HARMONY_HOST: '127.0.0.1', HARMONY_DATA: join(dir, `data-${Date.now()}`), ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const lines: string[] = [];
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const deadline = Date.now() + 20_000;
  while (!lines.some((l) => until.test(l))) {
    if (Date.now() > deadline) throw new Error(`binary never printed ${until}: ${JSON.stringify(lines)}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`binary exited: ${JSON.stringify(lines)} ${await new Response(child.stderr as ReadableStream).text()}`);
    buffered += decoder.decode(value, { stream: true });
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
  }
  reader.releaseLock();
  const url = lines.map((l) => /listening on (http:\/\/[^ ]+)/.exec(l)?.[1]).find(Boolean) as string;
  return { child, lines, url };
}

async function stop(child: ReturnType<typeof Bun.spawn>): Promise<number> {
  child.kill('SIGTERM');
  return child.exited;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'harmony-bridge-bin-'));
  binary = join(dir, 'harmony');
  const result = await Bun.build({
    entrypoints: [join(import.meta.dir, '../../../src/main.ts')],
    compile: { outfile: binary, autoloadDotenv: false, autoloadBunfig: false, autoloadTsconfig: false, autoloadPackageJson: false },
    minify: { whitespace: true, syntax: true, identifiers: false },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  if (!result.success) throw new AggregateError(result.logs, 'compile failed');

  discord = await startServer({ rateLimits: false });
  const owner = await register(discord, 'owner');
  const call = async (method: string, path: string, body?: unknown) => (await discord.api(method, `/api/v1${path}`, { token: owner.token, body })).body;
  guildId = (await call('POST', '/guilds', { name: 'Shipped' })).id;
  const created = await call('POST', '/admin/bots', { username: 'shippedbot' });
  botToken = created.token;
  await call('PATCH', `/admin/bots/${created.bot.id}`, { privileged_intents: { presence: true, members: true, message_content: true } });
  await call('PUT', `/guilds/${guildId}/bots/${created.bot.id}`, { permissions: ['read_messages', 'send_messages'] });
}, 90_000);

afterAll(async () => {
  await discord?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the compiled harmony binary', () => {
  it('starts with the bridge off when no token is set', async () => {
    const { child, lines, url } = await serve({}, /listening on/);
    try {
      expect(await (await fetch(`${url}/health`)).json()).toEqual({
        status: 'ok',
        version: expect.any(String),
        node: expect.any(String),
        checks: { database: { status: 'ok', latency_ms: expect.any(Number) } },
      });
      expect(lines.filter((l) => l.startsWith('discord bridge'))).toEqual([]);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('runs the bridge with HARMONY_DISCORD_TOKEN, HARMONY_DISCORD_GUILD_ID and HARMONY_DISCORD_API', async () => {
    const { child, lines, url } = await serve(
      { HARMONY_DISCORD_TOKEN: botToken, HARMONY_DISCORD_GUILD_ID: guildId, HARMONY_DISCORD_API: `${discord.url}/api` },
      /^discord bridge/,
    );
    try {
      expect(lines.filter((l) => l.startsWith('discord bridge'))).toEqual([`discord bridge on: mirroring 2 members of "Shipped" (${guildId})`]);
      expect(await (await fetch(`${url}/health`)).json()).toEqual({
        status: 'ok',
        version: expect.any(String),
        bridge: { state: 'ready', guild_id: guildId, members: 2 },
        node: expect.any(String),
        checks: { database: { status: 'ok', latency_ms: expect.any(Number) } },
      });
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });
});
