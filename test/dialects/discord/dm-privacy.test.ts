// Who a bot may DM through the discord dialect (issue 17 item 7): only people it shares a guild with, unless
// they allow DMs from everyone; Discord's answer otherwise is 403 with code 50007. The presence bot is exempt.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { botId } from '../../support/presence.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createBot, createGuild, expectDiscordError, type Guild, join, type Person, people } from './fixtures.ts';

const REFUSED = RESTJSONErrorCodes.CannotSendMessagesToThisUser;

let server: TestServer;
let admin: Person;
let guild: Guild;
let bot: Bot;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin] = (await people(server, 'admin')) as [Person];
  guild = await createGuild(server, admin);
  bot = await botIn(server, admin, guild, 'dmbot', ['read_messages', 'send_messages', 'read_message_history']);
});
afterAll(() => server.stop());

const openDm = (from: Bot, recipientId: string) => from.rest.post('/users/@me/channels', { body: { recipient_id: recipientId } }) as Promise<{ id: string }>;
const sendIn = (from: Bot, channelId: string, content: string) =>
  from.rest.post(`/channels/${channelId}/messages`, { body: { content } }) as Promise<{ id: string }>;
const allowEveryone = (person: Person) =>
  server.api('PATCH', '/api/v1/users/@me/settings', { token: person.token, body: { allow_dms_from: 'everyone' } }).then((r) => expect(r.status).toBe(200));

describe('POST /users/@me/channels', () => {
  it('refuses a DM with a user the bot shares no guild with: 403, code 50007 "Cannot send messages to this user"', async () => {
    const [stranger] = (await people(server, 'stranger')) as [Person];
    await expectDiscordError(openDm(bot, stranger.id), 403, REFUSED, 'Cannot send messages to this user');
  });

  it('opens it with a member of a shared guild', async () => {
    const [member] = (await people(server, 'member')) as [Person];
    await join(server, admin, guild, member);
    const dm = await openDm(bot, member.id);
    expect(await sendIn(bot, dm.id, 'hello member')).toMatchObject({ channel_id: dm.id, content: 'hello member' });
  });

  it('opens it without a shared guild once the user allows DMs from everyone', async () => {
    const [open] = (await people(server, 'openperson')) as [Person];
    await expectDiscordError(openDm(bot, open.id), 403, REFUSED);
    await allowEveryone(open);
    const dm = await openDm(bot, open.id);
    expect((await sendIn(bot, dm.id, 'hi')).id).toBeString();
  });

  it('refuses a bot outside the guild a DM with another bot, and lets any bot DM the presence bot', async () => {
    const loner = await createBot(server, admin, 'lonerbot');
    await expectDiscordError(openDm(loner, bot.id), 403, REFUSED);
    const dm = await openDm(loner, botId(server));
    expect(dm.id).toBeString();
  });
});

describe('POST /channels/{dm}/messages', () => {
  it('refuses with 50007 once the user left the only guild they shared with the bot', async () => {
    const [leaver] = (await people(server, 'leaver')) as [Person];
    await join(server, admin, guild, leaver);
    const dm = await openDm(bot, leaver.id);
    await sendIn(bot, dm.id, 'before');
    const left = await server.api('DELETE', `/api/v1/users/@me/guilds/${guild.id}`, { token: leaver.token });
    expect(left.status).toBe(204);
    await expectDiscordError(sendIn(bot, dm.id, 'after'), 403, REFUSED);
    const seen = await server.api('GET', `/api/v1/channels/${dm.id}/messages`, { token: leaver.token });
    expect(seen.body.map((m: { content: string }) => m.content)).toEqual(['before']);
  });
});
