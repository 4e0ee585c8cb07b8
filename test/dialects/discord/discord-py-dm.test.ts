// Closing a DM and role mentions with a second real library, discord.py 2.x (Debian's python3-discord): the bot
// opens a DM with a person, writes, closes it (DELETE /channels/{dm}, answered with the channel), opens it again,
// and reads a message's role mentions (mention_roles). The person's side of the closed DM is checked over v1.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { runDiscordPy } from '../../support/discord-py.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { addBot, createBot, createGuild, type Guild, join as joinGuild, type Person, people, post } from './fixtures.ts';

type Step = { step: string; [field: string]: any };

let server: TestServer;
let alice: Person;
let bob: Person;
let guild: Guild;
let bot: { id: string; token: string };
let roleId: string;
let messageId: string;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [alice, bob] = (await people(server, 'alice', 'bob')) as [Person, Person];
  guild = await createGuild(server, alice, 'Python DMs');
  await joinGuild(server, alice, guild, bob);
  bot = await createBot(server, alice, 'pydm');
  await addBot(server, alice, guild, bot as never, ['read_messages', 'send_messages', 'read_message_history']);
  roleId = (await server.api('POST', `/api/v1/guilds/${guild.id}/roles`, { token: alice.token, body: { name: 'pingable', mentionable: true } })).body.id;
  messageId = (await post(server, bob, guild.generalId, `hey <@&${roleId}>`)).id;
});
afterAll(() => server.stop());

/** Runs the fixture against this server to its end (bounded): its steps. */
const run = () =>
  runDiscordPy<Step>('dm_close.py', server.url, { BOT_TOKEN: bot.token, PERSON_ID: alice.id, CHANNEL_ID: guild.generalId, MESSAGE_ID: messageId });

describe('discord.py DMs and role mentions', () => {
  it('opens, writes, closes and reopens a DM, and reads raw_role_mentions', async () => {
    const { steps, exitCode, stderr } = await run();
    expect(
      steps.map((s) => s.step),
      `${JSON.stringify(steps)}\n${stderr}`,
    ).toEqual(['create_dm', 'send', 'close', 'reopen', 'role_mentions', 'done']);
    expect(exitCode).toBe(0);
    const by = new Map(steps.map((s) => [s.step, s]));
    const dmId = by.get('create_dm')?.id;
    expect(by.get('create_dm')).toEqual({ step: 'create_dm', id: expect.stringMatching(/^\d{17,20}$/), recipient: alice.id });
    expect(by.get('send')).toEqual({ step: 'send', channel: dmId, content: 'hello from discord.py' });
    expect(by.get('close')).toEqual({ step: 'close', id: dmId, type: 1 });
    expect(by.get('reopen')).toEqual({ step: 'reopen', id: dmId });
    expect(by.get('role_mentions')).toEqual({ step: 'role_mentions', roles: [roleId], everyone: false });
    // Alice never closed it: it stayed in her list, with the bot's message unread.
    const dms = (await server.api('GET', '/api/v1/users/@me/channels', { token: alice.token })).body.map((c: { id: string }) => c.id);
    expect(dms).toContain(dmId);
    const state = (await server.api('GET', '/api/v1/users/@me/read-states', { token: alice.token })).body.find((r: { id: string }) => r.id === dmId);
    expect(state).toEqual({ id: dmId, last_message_id: null, mention_count: 1 });
  }, 30_000);
});
