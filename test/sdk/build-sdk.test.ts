import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSdk } from '../../src/sdk/build-sdk.ts';
import { FakeHarmonyServer } from './fake-harmony-server.ts';

// Under the repo (git-ignored) so the built file's `import('ws')` resolves from the repo's node_modules.
const OUT = join(import.meta.dir, '../../test-output/sdk-build');
const BUNDLE = join(OUT, 'HarmonyClient.js');
const DECLARATIONS = join(OUT, 'HarmonyClient.d.ts');

let bundle: string;

beforeAll(async () => {
  await rm(OUT, { recursive: true, force: true });
  await buildSdk(OUT);
  bundle = await readFile(BUNDLE, 'utf8');
});

afterAll(async () => {
  await rm(OUT, { recursive: true, force: true });
});

async function run(cmd: string[], cwd: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const child = Bun.spawn(cmd, { cwd, stdout: 'pipe', stderr: 'pipe' });
  const timer = setTimeout(() => child.kill(), 15_000);
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  clearTimeout(timer);
  return { exitCode, stdout, stderr };
}

describe('buildSdk(outdir)', () => {
  it('writes HarmonyClient.js and the declarations as HarmonyClient.d.ts', async () => {
    const source = await readFile(join(import.meta.dir, '../../src/sdk/published-declarations.d.ts'), 'utf8');
    expect(await readFile(DECLARATIONS, 'utf8')).toBe(source);
    expect(bundle.length).toBeGreaterThan(1000);
  });

  it('emits one self-contained ESM file: no static import, no require, no literal dynamic import', () => {
    expect(bundle).not.toMatch(/^\s*import[\s{*'"]/m);
    expect(bundle).not.toMatch(/^\s*export\s[^;]*\sfrom\s/m);
    expect(bundle).not.toMatch(/\brequire\s*\(/);
    expect(bundle).not.toMatch(/\bimport\s*\(\s*['"`]/);
    expect(bundle).not.toMatch(/node:/);
    // The one dynamic import left is the computed `ws` fallback for Node 20.
    expect(bundle.match(/\bimport\s*\(/g)).toEqual(['import(']);
  });

  it('exports HarmonyClient, HarmonyApiError and HarmonyGatewayError, and nothing else', async () => {
    const module = (await import(BUNDLE)) as Record<string, unknown>;
    expect(Object.keys(module).sort()).toEqual(['HarmonyApiError', 'HarmonyClient', 'HarmonyGatewayError']);
  });

  it('loads in Node (20: through the ws fallback), connects to a harmony gateway and calls REST', async () => {
    const server = new FakeHarmonyServer();
    server.rest = (request) => Response.json({ id: '600000000000000009', content: (request.body as { content: string }).content });
    const script = join(OUT, 'node-smoke.mjs');
    await writeFile(
      script,
      `import { HarmonyClient } from './HarmonyClient.js';
const client = new HarmonyClient('good-token', { url: process.argv[2] });
console.log(\`node \${process.versions.node.split('.')[0]} WebSocket \${typeof globalThis.WebSocket}\`);
const ready = await client.connect();
console.log(\`READY \${ready.bot.username} \${client.sessionId}\`);
const sent = await client.sendMessage('300000000000000001', 'from node');
console.log(\`SENT \${sent.id} \${sent.content}\`);
await client.disconnect();
`,
    );
    try {
      const { exitCode, stdout, stderr } = await run(['node', script, server.url], OUT);
      const major = Number(stdout.match(/^node (\d+)/)?.[1]);
      expect(stderr).toBe('');
      expect(stdout).toBe(
        [`node ${major} WebSocket ${major >= 22 ? 'function' : 'undefined'}`, 'READY harmony-bot session-1', 'SENT 600000000000000009 from node', ''].join(
          '\n',
        ),
      );
      expect(exitCode).toBe(0);
      expect(server.lastConnection.closed?.code).toBe(1000);
    } finally {
      server.stop();
    }
  });

  it('ships declarations that type-check a strict consumer without DOM or Node types, and reject misuse', async () => {
    await mkdir(OUT, { recursive: true });
    await writeFile(
      join(OUT, 'consumer.ts'),
      `import { HarmonyApiError, HarmonyClient, HarmonyGatewayError, type Message, type ReadyData } from './HarmonyClient.js';

const client = new HarmonyClient('t', { url: 'wss://x/bot-gateway/gateway', authScheme: 'Bearer' });
client.on('messageCreate', async (m) => {
  const upper: string = m.content.toUpperCase();
  const author: string = m.author.username;
  await client.sendMessage(m.channel_id, upper + author, { replyTo: m.id });
});
client.once('ready', (d: ReadyData) => void d.session_id).off('close', () => {});
client.on('close', ({ code, reason, reconnecting }) => void [code + 1, reason.length, !reconnecting]);
client.on('error', (e) => void (e instanceof HarmonyGatewayError ? e.code : e.message));
client.on('dispatch', ({ t, s }) => void [t.length, s]);
const user: string | undefined = client.user?.username;
const session: string | null = client.sessionId;
void [user, session];

async function send(): Promise<Message | number> {
  try {
    return await client.sendMessage('1', 'x');
  } catch (e) {
    if (e instanceof HarmonyApiError) return e.status + e.code + e.method.length + e.path.length;
    throw e;
  }
}
void send;

// @ts-expect-error a Message has no \`nope\`
client.on('messageCreate', (m) => m.nope);
// @ts-expect-error there is no such event
client.on('messageCreated', () => {});
// @ts-expect-error authScheme is 'Bot' or 'Bearer'
new HarmonyClient('t', { authScheme: 'Basic' });
// @ts-expect-error emoji must be a string
void client.addReaction('1', 42);
`,
    );
    const tsc = [
      'bunx',
      'tsc',
      '--ignoreConfig',
      '--noEmit',
      '--strict',
      '--target',
      'es2022',
      '--module',
      'esnext',
      '--moduleResolution',
      'bundler',
      '--lib',
      'es2022',
      'consumer.ts',
    ];
    const { exitCode, stdout, stderr } = await run(tsc, OUT);
    expect(stdout + stderr).toBe('');
    expect(exitCode).toBe(0);
  });
});
