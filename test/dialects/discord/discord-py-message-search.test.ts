// Message search with a second real library: discord.py 2.x has no helper for it, so its bot calls the route through
// its own HTTPClient and parses each hit with discord.Message — what a bot author would write. Filters sent as
// repeated keys, paging, and a 50035 surfacing as discord.HTTPException.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { runDiscordPy } from '../../support/discord-py.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { botIn, createGuild, type Guild, join, type Person, people, post } from './fixtures.ts';

type Step = { step: string; [field: string]: any };

let server: TestServer;
let alice: Person;
let bob: Person;
let guild: Guild;
let bot: { id: string; token: string };

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [alice, bob] = (await people(server, 'alice', 'bob')) as [Person, Person];
  guild = await createGuild(server, alice, 'Python Search');
  await join(server, alice, guild, bob);
  bot = await botIn(server, alice, guild, 'pyfinder', ['read_messages', 'read_message_history']);
  await post(server, alice, guild.generalId, 'python is fun');
  await post(server, bob, guild.generalId, 'I prefer Python 3');
  await post(server, bob, guild.generalId, 'docs at https://docs.python.org');
  await post(server, bob, guild.generalId, 'nothing to see');
});
afterAll(() => server.stop());

describe('discord.py calling GET /guilds/:id/messages/search', () => {
  it('parses every hit as a discord.Message, filters with repeated keys, pages, and gets HTTPException for a limit over 25', async () => {
    const { steps, exitCode, stderr } = await runDiscordPy<Step>('message_search.py', server.url, {
      BOT_TOKEN: bot.token,
      GUILD_ID: guild.id,
      CHANNEL_ID: guild.generalId,
      AUTHOR_ID: bob.id,
    });
    expect(
      steps.map((s) => s.step),
      `${JSON.stringify(steps)}\n${stderr}`,
    ).toEqual(['content', 'filters', 'paged', 'too_many']);
    expect(exitCode).toBe(0);
    const byStep = Object.fromEntries(steps.map((s) => [s.step, s]));
    expect(byStep.content).toEqual({
      step: 'content',
      total: 3,
      contents: ['docs at https://docs.python.org', 'I prefer Python 3', 'python is fun'],
      authors: [bob.id, bob.id, alice.id],
      channels: [guild.generalId, guild.generalId, guild.generalId],
    });
    expect(byStep.filters).toEqual({ step: 'filters', total: 1, contents: ['docs at https://docs.python.org'] });
    expect(byStep.paged).toEqual({ step: 'paged', total: 3, contents: ['I prefer Python 3'] });
    expect(byStep.too_many).toEqual({ step: 'too_many', refused: true, status: 400, code: 50035 });
  });
});
