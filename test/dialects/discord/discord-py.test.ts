// A second real library: an unmodified discord.py 2.x bot (Debian's python3-discord, run by /usr/bin/python3)
// configured with the two lines docs/discord-compat.md shows, walking through login, on_ready, on_message and
// the everyday calls. The bot (test/fixtures/discord-py/bot.py) prints one JSON line per step; this file plays
// the person talking to it and checks every line exactly.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snowflakeTime } from '../../../src/domain/snowflake.ts';
import { runDiscordPy } from '../../support/discord-py.ts';
import { png } from '../../support/images.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { addBot, createBot, createGuild, type Guild, join as joinGuild, type Person, people, post } from './fixtures.ts';

const PICTURE = png(4, 3);
const SCRIPT = join(import.meta.dir, '../../fixtures/discord-py/bot.py');
const DOCS = join(import.meta.dir, '../../../docs/discord-compat.md');

type Step = { step: string; [field: string]: any };

let server: TestServer;
let alice: Person;
let bob: Person;
let guild: Guild;
let botId: string;
let botToken: string;

beforeAll(async () => {
  server = await startServer();
  [alice, bob] = (await people(server, 'alice', 'bob')) as [Person, Person];
  guild = await createGuild(server, alice, 'Python Guild');
  await joinGuild(server, alice, guild, bob);
  const bot = await createBot(server, alice, 'pybot');
  await addBot(server, alice, guild, bot, ['read_messages', 'send_messages', 'read_message_history', 'add_reactions', 'manage_messages']);
  const allowed = await server.api('PATCH', `/api/v1/admin/bots/${bot.id}`, {
    token: alice.token,
    body: { privileged_intents: { members: true, message_content: true } },
  });
  expect(allowed.status).toBe(200);
  [botId, botToken] = [bot.id, bot.token];
});
afterAll(() => server.stop());

/** The setup lines of the docs' discord.py block (the assignments), as printed. */
function documentedSetup(): string[] {
  const docs = readFileSync(DOCS, 'utf8');
  const block = /### discord\.py[\s\S]*?```python\n([\s\S]*?)```/.exec(docs)?.[1];
  if (!block) throw new Error('docs/discord-compat.md has no discord.py code block');
  return block.split('\n').filter((line) => line.startsWith('discord.'));
}

/** Runs the bot against this server; resolves with each reported step once it exits (bounded). */
const runBot = (onStep: (step: Step) => Promise<void>) =>
  runDiscordPy<Step>('bot.py', server.url, { BOT_TOKEN: botToken, PERSON_ID: alice.id, PNG_HEX: Buffer.from(PICTURE).toString('hex') }, { onStep });

describe('discord.py 2.x', () => {
  it('is configured in the fixture exactly as docs/discord-compat.md says', () => {
    const setup = documentedSetup();
    expect(setup).toEqual([
      "discord.http.Route.BASE = 'http://HOST:3002/api/v10'",
      "discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL('ws://HOST:3002/gateway/discord/')",
    ]);
    const fixture = readFileSync(SCRIPT, 'utf8');
    for (const line of setup) expect(fixture).toContain(`\n${line}\n`);
  });

  it('logs in, gets on_ready with its guild, and answers a message with send, reply, reactions, edit, history, members, a DM, files (read back, one kept and then none by edits) and delete', async () => {
    let trigger = '';
    const run = await runBot(async (step) => {
      if (step.step === 'ready') trigger = (await post(server, alice, guild.generalId, '!run')).id;
    });
    const byStep = new Map(run.steps.map((s) => [s.step, s]));
    expect(
      run.steps.map((s) => s.step),
      run.stderr,
    ).toEqual(['ready', 'on_message', 'send', 'reply', 'fetch_message', 'edit', 'history', 'joins', 'fetch_members', 'dm', 'file', 'delete', 'done']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).not.toContain('Traceback');

    expect(byStep.get('ready')).toEqual({
      step: 'ready',
      user: { id: botId, name: 'pybot', bot: true },
      application_id: botId,
      guilds: [{ id: guild.id, name: 'Python Guild', channels: ['general'], members: ['alice', 'bob', 'pybot'], member_count: 3 }],
    });
    expect(byStep.get('on_message')).toEqual({ step: 'on_message', id: trigger, author: alice.id, content: '!run', channel: guild.generalId, guild: guild.id });

    const sent = byStep.get('send') as Step;
    expect(sent).toEqual({
      step: 'send',
      id: expect.stringMatching(/^\d{17,20}$/),
      content: 'hello from discord.py',
      author: botId,
      created_ms: snowflakeTime(sent.id),
    });
    const reply = byStep.get('reply') as Step;
    expect(reply).toEqual({ step: 'reply', id: expect.stringMatching(/^\d{17,20}$/), content: 'a reply', reference: trigger, type: 'reply' });
    expect(byStep.get('fetch_message')).toEqual({ step: 'fetch_message', id: trigger, content: '!run', reactions: [{ emoji: '👍', count: 1, me: true }] });
    expect(byStep.get('edit')).toEqual({ step: 'edit', id: sent.id, content: 'hello, edited', edited: true });
    expect(byStep.get('history')).toEqual({
      step: 'history',
      messages: [
        [reply.id, 'a reply'],
        [sent.id, 'hello, edited'],
        [trigger, '!run'],
        [expect.stringMatching(/^\d{17,20}$/), ''],
      ],
    });
    // bob joined through an invite: discord.py reads the announcement as new_member and words it itself.
    const joins = byStep.get('joins') as Step & { messages: string[][] };
    expect(joins.messages).toHaveLength(1);
    expect(joins.messages[0]?.slice(0, 2)).toEqual(['bob', 'new_member']);
    expect(joins.messages[0]?.[2]).toContain('bob');
    expect(byStep.get('fetch_members')).toEqual({ step: 'fetch_members', members: ['alice', 'bob', 'pybot'] });
    const dm = byStep.get('dm') as Step;
    expect(dm).toEqual({
      step: 'dm',
      id: expect.stringMatching(/^\d{17,20}$/),
      channel: expect.stringMatching(/^\d{17,20}$/),
      content: 'a direct message',
      channel_type: 'private',
      recipient: alice.id,
    });
    expect(byStep.get('delete')).toEqual({ step: 'delete', gone: true, status: 404, code: 10008 });
    const file = byStep.get('file') as Step;
    expect(file).toEqual({
      step: 'file',
      id: expect.stringMatching(/^\d{17,20}$/),
      filename: 'a.png',
      content_type: 'image/png',
      size: PICTURE.length,
      width: 4,
      height: 3,
      description: 'pixel',
      same_bytes: true,
      url: expect.stringMatching(new RegExp(`^${server.url}/attachments/${guild.generalId}/\\d+/a\\.png\\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}$`)),
      second: 'b.txt',
      kept: [file.first_id],
      first_id: expect.stringMatching(/^\d{17,20}$/),
      after_edit: 0,
    });

    // What the bot did, seen through the v1 API by the person it talked to.
    const history = await server.api('GET', `/api/v1/channels/${guild.generalId}/messages?limit=10`, { token: alice.token });
    expect(history.body.map((m: { id: string; content: string }) => [m.id, m.content])).toEqual([
      [file.id, 'a file'],
      [reply.id, 'a reply'],
      [trigger, '!run'],
      [expect.stringMatching(/^\d{17,20}$/), ''],
    ]);
    expect(history.body.at(-1)).toMatchObject({ system: 'join', author: { id: bob.id } });
    const inDm = await server.api('GET', `/api/v1/channels/${dm.channel}/messages`, { token: alice.token });
    expect(inDm.body.map((m: { id: string; author: { id: string }; content: string }) => [m.id, m.author.id, m.content])).toEqual([
      [dm.id, botId, 'a direct message'],
    ]);
  }, 30_000);
});
