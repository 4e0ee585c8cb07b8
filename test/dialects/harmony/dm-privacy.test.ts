// Who may DM whom (issue 17 item 7): by default only people and bots who share a guild with you can open a
// DM with you or write into one; `allow_dms_from: 'everyone'` lifts that. The presence bot is exempt both ways.

import { describe, expect, it } from 'bun:test';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { botId, botMessages, command, dmWithBot, revealLinkIn, revealToken, say } from '../../support/presence.ts';
import type { TestServer } from '../../support/test-server.ts';
import {
  type Account,
  addBot,
  as,
  createBot,
  createGuild,
  expectError,
  expectInvalidField,
  type GuildFixture,
  join,
  people,
  send,
  serverForFile,
} from './fixtures.ts';

const REFUSED = RESTJSONErrorCodes.CannotSendMessagesToThisUser;

const server: TestServer = await serverForFile();
const [admin] = await people(server, 'admin');
const guild: GuildFixture = await createGuild(server, admin, 'Meeting Place');

const open = (caller: Account, recipientId: string) => server.api('POST', '/api/v1/users/@me/channels', as(caller, { recipient_id: recipientId }));
const settings = (caller: Account) => server.api('GET', '/api/v1/users/@me/settings', as(caller));
const allowFrom = (caller: Account, audience: unknown) => server.api('PATCH', '/api/v1/users/@me/settings', as(caller, { allow_dms_from: audience }));
const leave = (caller: Account) => server.api('DELETE', `/api/v1/users/@me/guilds/${guild.id}`, as(caller));
const history = async (reader: Account, channelId: string) =>
  (await server.api('GET', `/api/v1/channels/${channelId}/messages`, as(reader))).body.map((m: { content: string }) => m.content);

describe('GET and PATCH /api/v1/users/@me/settings', () => {
  it('starts at allow_dms_from "members" and changes to "everyone" and back', async () => {
    const [ann] = await people(server, 'ann');
    const initial = await settings(ann);
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual({ allow_dms_from: 'members' });
    const changed = await allowFrom(ann, 'everyone');
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ allow_dms_from: 'everyone' });
    expect((await settings(ann)).body).toEqual({ allow_dms_from: 'everyone' });
    expect((await allowFrom(ann, 'members')).body).toEqual({ allow_dms_from: 'members' });
    const unchanged = await server.api('PATCH', '/api/v1/users/@me/settings', as(ann, {}));
    expect([unchanged.status, unchanged.body]).toEqual([200, { allow_dms_from: 'members' }]);
  });

  it('rejects any other value or field with 400 and code 50035', async () => {
    const [ben] = await people(server, 'ben');
    expectInvalidField(await allowFrom(ben, 'friends'), 'allow_dms_from');
    expectInvalidField(await allowFrom(ben, true), 'allow_dms_from');
    expect((await server.api('PATCH', '/api/v1/users/@me/settings', as(ben, { theme: 'dark' }))).status).toBe(400);
    expect((await settings(ben)).body).toEqual({ allow_dms_from: 'members' });
  });

  it('answers 401 without a token', async () => {
    expect((await server.api('GET', '/api/v1/users/@me/settings')).status).toBe(401);
  });
});

describe('POST /api/v1/users/@me/channels', () => {
  it('refuses a DM with someone who shares no guild with you with 403 and code 50007', async () => {
    const [cat, dan] = await people(server, 'cat', 'dan');
    expectError(await open(cat, dan.id), 403, REFUSED, 'Cannot send messages to this user');
    expect((await server.api('GET', '/api/v1/users/@me/channels', as(dan))).body).toEqual([]);
  });

  it('opens it when the two share a guild', async () => {
    const [eli, fay] = await people(server, 'eli', 'fay');
    await join(server, admin, guild, eli, fay);
    const res = await open(eli, fay.id);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe(1);
  });

  it('opens it without a shared guild once the recipient allows DMs from everyone, and not the other way round', async () => {
    const [gus, hal] = await people(server, 'gus', 'hal');
    expectError(await open(gus, hal.id), 403, REFUSED);
    await allowFrom(hal, 'everyone');
    const dm = await open(gus, hal.id);
    expect(dm.status).toBe(200);
    await send(server, gus, dm.body.id, 'hello hal');
    // hal's setting lets gus in; gus keeps the default, so hal cannot write back.
    expectError(await open(hal, gus.id), 403, REFUSED);
    expectError(await server.api('POST', `/api/v1/channels/${dm.body.id}/messages`, as(hal, { content: 'hi' })), 403, REFUSED);
  });

  it('holds bots to the same rule: refused outside a shared guild, allowed in one', async () => {
    const [ivy] = await people(server, 'ivy');
    const bot = await createBot(server, admin, 'dmprivacybot');
    expectError(await open(bot, ivy.id), 403, REFUSED);
    expectError(await open(ivy, bot.id), 403, REFUSED);
    await join(server, admin, guild, ivy);
    await addBot(server, admin, guild, bot, []);
    expect((await open(bot, ivy.id)).status).toBe(200);
    expect((await open(ivy, bot.id)).status).toBe(200);
  });
});

describe('POST /api/v1/channels/:channelId/messages in a DM', () => {
  it('refuses with 403 and code 50007 once the shared guild is left, and stores nothing', async () => {
    const [jo, kim] = await people(server, 'jo', 'kim');
    await join(server, admin, guild, jo, kim);
    const dm = (await open(jo, kim.id)).body.id as string;
    await send(server, jo, dm, 'while we share a guild');
    expect((await leave(kim)).status).toBe(204);
    expectError(await server.api('POST', `/api/v1/channels/${dm}/messages`, as(jo, { content: 'after kim left' })), 403, REFUSED);
    expectError(await server.api('POST', `/api/v1/channels/${dm}/messages`, as(kim, { content: 'kim writes back' })), 403, REFUSED);
    expectError(await open(jo, kim.id), 403, REFUSED);
    expect(await history(jo, dm)).toEqual(['while we share a guild']);
  });

  it('lets the conversation go on after leaving when the recipient allows DMs from everyone', async () => {
    const [lou, max] = await people(server, 'lou', 'max');
    await join(server, admin, guild, lou, max);
    const dm = (await open(lou, max.id)).body.id as string;
    await leave(max);
    await allowFrom(max, 'everyone');
    await send(server, lou, dm, 'still here');
    expect(await history(max, dm)).toEqual(['still here']);
  });
});

describe('the presence bot', () => {
  it('is reachable by DM from someone in no guild, and answers .help and .token there', async () => {
    const [ned] = await people(server, 'ned');
    expect((await open(ned, botId(server))).status).toBe(200);
    expect((await command(server, ned, '.help'))[0]).toContain('.token');
    expect(await revealToken(revealLinkIn((await command(server, ned, '.token'))[0] as string))).toMatch(/\./);
  });

  it('DMs a new token to someone it shares no guild with, after they pasted theirs in a channel', async () => {
    const [oz] = await people(server, 'oz');
    await join(server, admin, guild, oz);
    const leaked = await revealToken(revealLinkIn((await command(server, oz, '.token'))[0] as string));
    await say(server, oz, guild.generalId, `oops ${leaked}`);
    const dms = await botMessages(server, oz, await dmWithBot(server, oz));
    expect(dms.at(-1)?.content).toStartWith('Your presence API token was posted in a channel, so it no longer works.');
    expect(await revealToken(revealLinkIn(dms.at(-1)?.content ?? ''))).not.toBe(leaked);
  });
});
