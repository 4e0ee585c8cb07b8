// Threads with a second real library: an unmodified discord.py 2.x bot (test/fixtures/discord-py/threads_bot.py)
// starts a thread from a message and a private one, posts, hears a person in the thread, adds them, archives
// (on_thread_update), lists active threads and deletes one (on_thread_delete). This file plays the person and checks every step the bot reports.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { runDiscordPy } from '../../support/discord-py.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { addBot, createBot, createGuild, type Guild, type Person, people, post } from './fixtures.ts';

type Step = { step: string; [field: string]: any };

let server: TestServer;
let alice: Person;
let guild: Guild;
let bot: { id: string; token: string };

beforeAll(async () => {
  server = await startServer();
  [alice] = (await people(server, 'alice')) as [Person];
  guild = await createGuild(server, alice, 'Py Threads');
  const created = await createBot(server, alice, 'pythreads');
  await addBot(server, alice, guild, created, [
    'read_messages',
    'send_messages',
    'read_message_history',
    'create_public_threads',
    'create_private_threads',
    'manage_threads',
  ]);
  const allowed = await server.api('PATCH', `/api/v1/admin/bots/${created.id}`, {
    token: alice.token,
    body: { privileged_intents: { members: true, message_content: true } },
  });
  expect(allowed.status).toBe(200);
  bot = created;
});
afterAll(() => server.stop());

/** Runs the bot against this server; resolves with each reported step once it exits (bounded). */
const runBot = (onStep: (step: Step) => Promise<void>) =>
  runDiscordPy<Step>('threads_bot.py', server.url, { BOT_TOKEN: bot.token, PERSON_ID: alice.id }, { onStep });

describe('discord.py 2.x threads', () => {
  it('creates threads from a message and on a channel, posts, hears a person, adds them, archives, lists and deletes', async () => {
    let trigger = '';
    const run = await runBot(async (step) => {
      if (step.step === 'ready') trigger = (await post(server, alice, guild.generalId, '!threads')).id;
      if (step.step === 'waiting_for_person') await post(server, alice, step.thread, 'person in thread');
    });
    const byStep = new Map(run.steps.map((s) => [s.step, s]));
    expect(
      run.steps.map((s) => s.step),
      run.stderr,
    ).toEqual([
      'ready',
      'create_thread',
      'on_thread_create',
      'thread_send',
      'waiting_for_person',
      'thread_message',
      'private_thread',
      'add_user',
      'archive',
      'on_thread_update',
      'active_threads',
      'on_thread_delete',
      'done',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).not.toContain('Traceback');

    expect(byStep.get('create_thread')).toEqual({
      step: 'create_thread',
      id: trigger,
      name: 'From a message',
      type: 'public_thread',
      parent: guild.generalId,
      owner: bot.id,
      archived: false,
      locked: false,
      auto_archive_duration: 1440,
      same_id: true,
    });
    expect(byStep.get('on_thread_create')).toEqual({ step: 'on_thread_create', id: trigger });
    expect(byStep.get('thread_send')).toEqual({ step: 'thread_send', channel: trigger, is_thread: true, content: 'hello thread' });
    expect(byStep.get('thread_message')).toEqual({ step: 'thread_message', channel: trigger, content: 'person in thread', parent: guild.generalId });
    const priv = byStep.get('private_thread') as Step;
    expect(priv).toMatchObject({ name: 'Secret', type: 'private_thread', parent: guild.generalId, owner: bot.id, invitable: true, archived: false });
    expect(byStep.get('add_user')).toEqual({ step: 'add_user', members: [bot.id, alice.id].sort() });
    expect(byStep.get('archive')).toEqual({ step: 'archive', archived: true });
    expect(byStep.get('on_thread_update')).toEqual({ step: 'on_thread_update', archived: true });
    expect(byStep.get('active_threads')).toEqual({ step: 'active_threads', ids: [priv.id] });
    expect(byStep.get('on_thread_delete')).toEqual({ step: 'on_thread_delete', id: priv.id });
  }, 30_000);
});
