// The guild audit log with a second real library: discord.py 2.x (Debian's python3-discord) kicks and renames with
// reasons, then reads guild.audit_logs newest first, by action, by user, oldest first and after an entry; a bot
// without VIEW_AUDIT_LOG gets discord.Forbidden (50013).
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { runDiscordPy } from '../../support/discord-py.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { addBot, createBot, createGuild, type Guild, join, type Person, people } from './fixtures.ts';

type Step = { step: string; [field: string]: any };

let server: TestServer;
let alice: Person;
let victim: Person;
let guild: Guild;
let bot: { id: string; token: string };
let weak: { id: string; token: string };

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [alice, victim] = (await people(server, 'alice', 'victim')) as [Person, Person];
  guild = await createGuild(server, alice, 'Python Audit');
  await join(server, alice, guild, victim);
  bot = await createBot(server, alice, 'pyaudit');
  await addBot(server, alice, guild, bot as never, ['read_messages', 'view_audit_log', 'kick_members', 'manage_channels']);
  weak = await createBot(server, alice, 'pyweak');
  await addBot(server, alice, guild, weak as never, ['read_messages']);
});
afterAll(() => server.stop());

/** Runs the fixture against this server to its end (bounded): its steps. */
const run = () =>
  runDiscordPy<Step>('audit_log.py', server.url, {
    BOT_TOKEN: bot.token,
    WEAK_TOKEN: weak.token,
    GUILD_ID: guild.id,
    VICTIM_ID: victim.id,
    CHANNEL_ID: guild.generalId,
  });

describe('discord.py guild.audit_logs', () => {
  it('reads entries with their user, target, reason and changes, filters and pages both ways, and is refused without VIEW_AUDIT_LOG', async () => {
    const { steps, exitCode, stderr } = await run();
    const byStep = Object.fromEntries(steps.map((s) => [s.step, s]));
    expect(
      steps.map((s) => s.step),
      `${JSON.stringify(steps)}\n${stderr}`,
    ).toEqual(['newest', 'changes', 'kicks', 'mine', 'oldest_first', 'after', 'forbidden']);
    expect(exitCode).toBe(0);
    expect(byStep.newest?.entries).toEqual([
      { action: 'channel_update', user: bot.id, target: guild.generalId, reason: 'tidy names' },
      { action: 'kick', user: bot.id, target: victim.id, reason: 'off-topic, twice' },
    ]);
    expect(byStep.changes).toEqual({ step: 'changes', before_name: 'general', after_name: 'renamed-by-py' });
    expect(byStep.kicks?.entries).toEqual([{ action: 'kick', user: bot.id, target: victim.id, reason: 'off-topic, twice' }]);
    expect(byStep.mine).toEqual({ step: 'mine', count: 2, actions: ['channel_update', 'kick'] });
    // The owner's setup (a bot added twice, an invite) is in the log too, so there is more than one page's worth of order to check.
    expect(byStep.oldest_first?.same).toBe(true);
    expect(byStep.oldest_first?.count).toBeGreaterThan(3);
    expect(byStep.after?.ids).toEqual(byStep.after?.expected);
    expect(byStep.forbidden).toEqual({ step: 'forbidden', refused: true, status: 403, code: 50013 });
  });
});
