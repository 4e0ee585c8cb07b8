// Interactions with an unmodified discord.py 2.x (test/fixtures/discord-py/interactions.py): its CommandTree syncs
// globally and to one guild, and a person runs every command through POST /api/v10/interactions while the test reads
// the bot's report lines: send_message (plain and ephemeral), defer + followup, a View's button answered with
// edit_message, a Modal, autocomplete, and files: a discord.Attachment parameter the bot reads, answered with
// discord.File in send_message and in an ephemeral followup.send.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { startServer, type TestServer } from '../../../support/test-server.ts';
import { botIn, createGuild, type Guild, join as joinGuild, type Person, people } from '../fixtures.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dir, '../../../fixtures/discord-py/interactions.py');
const WORK = join(import.meta.dir, '../../../../test-output/discord-py-interactions');

type Step = { step: string; [field: string]: any };

let server: TestServer;
let owner: Person;
let bob: Person;
let guild: Guild;
let bot: { id: string; token: string };
let proc: ReturnType<typeof Bun.spawn>;
let bobSocket: GatewayClient;
const steps: Step[] = [];
let stderr = '';
let commands: Record<string, string> = {};

/** The next report line of `step` after the `seen` first ones. */
async function stepOf(step: string, timeout = 8000): Promise<Step> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const found = steps.find((s) => s.step === step && !taken.has(s));
    if (found) {
      taken.add(found);
      return found;
    }
    const error = steps.find((s) => s.step === 'error');
    if (error) throw new Error(`bot failed: ${JSON.stringify(error)}`);
    if (proc.exitCode !== null) throw new Error(`bot exited ${proc.exitCode}: ${stderr.slice(-2000)}`);
    await Bun.sleep(20);
  }
  throw new Error(`no "${step}" from the bot within ${timeout} ms; steps: ${JSON.stringify(steps)}; stderr: ${stderr.slice(-2000)}`);
}
const taken = new Set<Step>();

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [owner, bob] = (await people(server, 'owner', 'bob')) as [Person, Person];
  guild = await createGuild(server, owner, 'Python Guild');
  await joinGuild(server, owner, guild, bob);
  bot = await botIn(server, owner, guild, 'pyanswers', ['read_messages', 'send_messages', 'read_message_history']);
  mkdirSync(WORK, { recursive: true });
  const script = join(WORK, 'interactions.py');
  writeFileSync(script, readFileSync(SCRIPT, 'utf8').replaceAll('HOST:3002', new URL(server.url).host));
  proc = Bun.spawn([PYTHON, '-u', script], { env: { PATH: '/usr/bin:/bin', BOT_TOKEN: bot.token, GUILD_ID: guild.id }, stdout: 'pipe', stderr: 'pipe' });
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
      buffered += decoder.decode(chunk);
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) steps.push(JSON.parse(line));
    }
  })();
  void (async () => {
    for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) stderr += new TextDecoder().decode(chunk);
  })();
  commands = (await stepOf('synced', 20_000)).commands;
  await stepOf('ready', 20_000);
  bobSocket = await connectAs(server, bob.token);
}, 40_000);
afterAll(async () => {
  proc?.kill();
  bobSocket?.ws.close();
  await server.stop();
});

let nonces = 0;
async function invoke(payload: Record<string, unknown>): Promise<string> {
  const nonce = String(++nonces);
  const res = await server.api('POST', '/api/v10/interactions', {
    token: bob.token,
    body: { application_id: bot.id, guild_id: guild.id, channel_id: guild.generalId, session_id: 'py', nonce, ...payload },
  });
  if (res.status !== 204) throw new Error(`invoke -> ${res.status} ${JSON.stringify(res.body)}`);
  return nonce;
}
const slash = (name: string, options: unknown[] = []) => ({ type: 2, data: { id: commands[name], name, type: 1, options } });
const here = () => ({ channel: guild.generalId, guild: guild.id, user: bob.id, member: true });

describe('discord.py answers interactions', () => {
  it('dispatches a guild command through tree.sync(guild=...) and send_message posts the answer', async () => {
    const nonce = await invoke(slash('roll', [{ type: 4, name: 'sides', value: 12 }]));
    const step = await stepOf('roll');
    expect(step).toEqual({ step: 'roll', sides: 12, message: expect.any(String), content: 'rolled 12', ...here() });
    await bobSocket.waitFor((f) => f.t === 'INTERACTION_SUCCESS' && f.d.nonce === nonce);
    const message = await server.api('GET', `/api/v10/channels/${guild.generalId}/messages/${step.message}`, { token: bob.token });
    expect(message.body).toMatchObject({ content: 'rolled 12', type: 20, interaction_metadata: { name: 'roll', user: { id: bob.id } } });
  });

  it('sends an ephemeral answer only to the invoker', async () => {
    const nonce = await invoke(slash('secret'));
    const ack = await bobSocket.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.nonce === nonce);
    expect(await stepOf('secret')).toEqual({ step: 'secret', ...here() });
    const created = await bobSocket.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.interaction?.id === ack.d.id);
    expect(created.d).toMatchObject({ content: 'for your eyes only', interaction: { ephemeral: true } });
    const stored = await server.api('GET', `/api/v10/channels/${guild.generalId}/messages/${created.d.id}`, { token: bob.token });
    expect(stored.status).toBe(404);
  });

  it('defers with thinking and follows up', async () => {
    await invoke(slash('later'));
    expect(await stepOf('later')).toEqual({ step: 'later', message: expect.any(String), content: 'thought about it' });
  });

  it("dispatches a View's button click and edit_message updates the message", async () => {
    await invoke(slash('menu'));
    const menu = await stepOf('menu');
    await invoke({ type: 3, message_id: menu.message, data: { component_type: 2, custom_id: 'press' } });
    expect(await stepOf('pressed')).toEqual({ step: 'pressed', message: menu.message, ...here() });
    const updated = await bobSocket.waitFor((f) => f.t === 'MESSAGE_UPDATE' && f.d.id === menu.message);
    expect(updated.d).toMatchObject({ content: 'pressed', components: [] });
  });

  it('shows a Modal and dispatches its submit to on_submit', async () => {
    const nonce = await invoke(slash('ask'));
    await stepOf('asked');
    const shown = await bobSocket.waitFor((f) => f.t === 'INTERACTION_MODAL_CREATE' && f.d.nonce === nonce);
    expect(shown.d).toMatchObject({ custom_id: 'feedback', title: 'Feedback', inputs: [{ custom_id: 'text', label: 'Your thoughts', style: 2 }] });
    await invoke({
      type: 5,
      data: { id: shown.d.id, custom_id: 'feedback', components: [{ type: 1, components: [{ type: 4, custom_id: 'text', value: 'Grand' }] }] },
    });
    expect(await stepOf('feedback')).toEqual({ step: 'feedback', text: 'Grand' });
  });

  it('hands a discord.Attachment parameter the uploaded bytes, and send_message/followup.send carry discord.File', async () => {
    const nonce = String(++nonces);
    const payload = {
      type: 2,
      application_id: bot.id,
      guild_id: guild.id,
      channel_id: guild.generalId,
      session_id: 'py',
      nonce,
      data: {
        id: commands.upload,
        name: 'upload',
        type: 1,
        options: [{ type: 11, name: 'file', value: '0' }],
        attachments: [{ id: '0', filename: 'hello.txt' }],
      },
    };
    const form = new FormData();
    form.set('payload_json', JSON.stringify(payload));
    form.set('files[0]', new Blob(['hello from bob']), 'hello.txt');
    const res = await fetch(`${server.url}/api/v10/interactions`, { method: 'POST', headers: { authorization: `Bearer ${bob.token}` }, body: form });
    expect(res.status).toBe(204);
    const step = await stepOf('upload');
    expect(step).toEqual({
      step: 'upload',
      id: expect.stringMatching(/^\d+$/),
      filename: 'hello.txt',
      size: 14,
      content_type: 'text/plain; charset=utf-8',
      ephemeral: true,
      text: 'hello from bob',
      message: expect.any(String),
      answer: ['reversed.txt'],
      secret: expect.any(String),
      secret_files: ['same.txt'],
    });
    const answer = await server.api('GET', `/api/v10/channels/${guild.generalId}/messages/${step.message}`, { token: bob.token });
    expect(await (await fetch(answer.body.attachments[0].url)).text()).toBe('bob morf olleh');
    const secret = await bobSocket.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.id === step.secret);
    expect(secret.d.interaction.ephemeral).toBe(true);
    expect(await (await fetch(secret.d.attachments[0].url)).text()).toBe('hello from bob');
  });

  it('answers autocomplete with its choices', async () => {
    const nonce = await invoke({
      type: 4,
      data: { id: commands.pick, name: 'pick', type: 1, options: [{ type: 3, name: 'fruit', value: 'ap', focused: true }] },
    });
    expect(await stepOf('autocomplete')).toEqual({ step: 'autocomplete', current: 'ap' });
    const answer = await bobSocket.waitFor((f) => f.t === 'APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE' && f.d.nonce === nonce);
    expect(answer.d.choices).toEqual([
      { name: 'apple', value: 'apple' },
      { name: 'apricot', value: 'apricot' },
    ]);
  });
});
