// Webhooks with a second real library: discord.py 2.x (Debian's python3-discord) creates a webhook through its
// channel, lists it without a token, sends with and without wait (the 204 case returns None), edits, fetches and
// deletes the message through a partial Webhook holding only the id and token, and sees a wrong token refused.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { runDiscordPy } from '../../support/discord-py.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { addBot, createBot, createGuild, type Guild, type Person, people } from './fixtures.ts';

type Step = { step: string; [field: string]: any };

let server: TestServer;
let alice: Person;
let guild: Guild;
let bot: { id: string; token: string };

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [alice] = (await people(server, 'alice')) as [Person];
  guild = await createGuild(server, alice, 'Python Hooks');
  bot = await createBot(server, alice, 'pyhooks');
  await addBot(server, alice, guild, bot as never, ['read_messages', 'send_messages', 'read_message_history', 'manage_webhooks']);
});
afterAll(() => server.stop());

/** Runs the fixture against this server to its end (bounded): its steps. */
const run = () => runDiscordPy<Step>('webhooks.py', server.url, { BOT_TOKEN: bot.token, CHANNEL_ID: guild.generalId });

describe('discord.py webhooks', () => {
  it('creates, lists, sends (wait and no wait), edits, fetches and deletes, and refuses a wrong token', async () => {
    const { steps, exitCode, stderr } = await run();
    expect(
      steps.map((s) => s.step),
      `${JSON.stringify(steps)}\n${stderr}`,
    ).toEqual([
      'create',
      'list',
      'send',
      'send_no_wait',
      'edit_message',
      'fetch_message',
      'after_delete',
      'wrong_token',
      'fetch_with_token',
      'edit',
      'delete',
      'done',
    ]);
    expect(exitCode).toBe(0);
    const by = new Map(steps.map((s) => [s.step, s]));
    const created = by.get('create') as Step;
    expect(created).toEqual({
      step: 'create',
      id: expect.stringMatching(/^\d{17,20}$/),
      name: 'Py Hook',
      token: expect.stringMatching(/^[A-Za-z0-9_-]{68}$/),
      channel: guild.generalId,
      creator: bot.id,
      type: 'WebhookType.incoming',
    });
    expect(by.get('list')).toEqual({ step: 'list', webhooks: [[created.id, 'Py Hook', null]] });
    const sent = by.get('send') as Step;
    expect(sent).toEqual({
      step: 'send',
      id: expect.stringMatching(/^\d{17,20}$/),
      content: 'hello from a webhook',
      webhook_id: created.id,
      author: 'Py Override',
      author_id: created.id,
      bot: true,
    });
    expect(by.get('send_no_wait')).toEqual({ step: 'send_no_wait', result: null });
    expect(by.get('edit_message')).toEqual({ step: 'edit_message', id: sent.id, content: 'edited by the webhook', edited: true });
    expect(by.get('fetch_message')).toEqual({ step: 'fetch_message', id: sent.id, content: 'edited by the webhook' });
    expect(by.get('after_delete')).toEqual({ step: 'after_delete', found: false, code: 10008 });
    expect(by.get('wrong_token')).toEqual({ step: 'wrong_token', sent: false, status: 401, code: 50027 });
    expect(by.get('fetch_with_token')).toEqual({ step: 'fetch_with_token', id: created.id, name: 'Py Hook', token: created.token });
    expect(by.get('edit')).toEqual({ step: 'edit', name: 'Py Renamed' });
    expect(by.get('delete')).toEqual({ step: 'delete', remaining: 0 });

    const history = await server.api('GET', `/api/v1/channels/${guild.generalId}/messages`, { token: alice.token });
    expect(history.body.map((m: { content: string; webhook_id: string }) => [m.content, m.webhook_id])).toEqual([['fire and forget', created.id]]);
  }, 30_000);
});
