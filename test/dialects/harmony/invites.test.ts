// Invites (issue #2 item 6): create, list, look up, join (expiry, max uses, bans), revoke.
// The server runs on a clock the tests move, so expiry is exact and instant.
import { describe, expect, it } from 'bun:test';
import {
  type Account,
  as,
  CODE,
  createBot,
  createGuild,
  expectError,
  expectInvalidField,
  grantRole,
  ISO_TIME,
  join,
  people,
  serverForFile,
} from './fixtures.ts';

let offset = 0;
const clock = { now: () => Date.now() + offset };
const DAY = 24 * 3600 * 1000;

const server = await serverForFile(clock);
const [owner, member, manager, guest] = await people(server, 'owner', 'member', 'manager', 'guest');
const guild = await createGuild(server, owner, 'Invites');
await join(server, owner, guild, member, manager);
await grantRole(server, owner, guild, ['manage_guild', 'manage_channels'], manager);

const create = (caller: Account, body: unknown = {}) => server.api('POST', `/api/v1/channels/${guild.generalId}/invites`, as(caller, body));
const accept = (caller: Account, code: string) => server.api('POST', `/api/v1/invites/${code}`, as(caller));
const leave = (caller: Account) => server.api('DELETE', `/api/v1/users/@me/guilds/${guild.id}`, as(caller));
const preview = (caller: Account, code: string) => server.api('GET', `/api/v1/invites/${code}`, as(caller));
/** Usage is shown only to those who manage invites: read it from the guild's list, as its owner. */
const usesOf = async (code: string): Promise<number> => {
  const listed = (await server.api('GET', `/api/v1/guilds/${guild.id}/invites`, as(owner))).body as { code: string; uses: number }[];
  const found = listed.find((i) => i.code === code);
  if (!found) throw new Error(`invite ${code} is not listed`);
  return found.uses;
};

describe('POST /api/v1/channels/:channelId/invites', () => {
  it('creates an invite with 201 that expires in 7 days and has unlimited uses by default', async () => {
    const before = clock.now();
    const res = await create(member);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      code: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
      guild_id: guild.id,
      channel_id: guild.generalId,
      inviter_id: member.id,
      uses: 0,
      max_uses: 0,
      expires_at: expect.stringMatching(ISO_TIME),
      created_at: expect.stringMatching(ISO_TIME),
    });
    const lifetime = Date.parse(res.body.expires_at) - Date.parse(res.body.created_at);
    expect(lifetime).toBe(7 * DAY);
    expect(Date.parse(res.body.created_at)).toBeGreaterThanOrEqual(before - 1);
  });

  it('takes max_age 0 as "never expires" and max_uses', async () => {
    const res = await create(owner, { max_age: 0, max_uses: 5 });
    expect(res.body).toMatchObject({ expires_at: null, max_uses: 5 });
  });

  it('works without a body', async () => {
    expect((await server.api('POST', `/api/v1/channels/${guild.generalId}/invites`, as(owner))).status).toBe(201);
  });

  it.each([
    ['max_age', -1],
    ['max_age', 604801],
    ['max_age', 1e300],
    ['max_uses', -1],
    ['max_uses', 101],
    ['max_uses', 1.5],
    ['max_uses', 'five'],
  ])('rejects %s = %p with 400 and code 50035', async (field, value) => {
    expectInvalidField(await create(owner, { [field]: value }), field);
  });

  it('refuses a member without create_instant_invite with 403 and code 50013', async () => {
    await server.api('PUT', `/api/v1/channels/${guild.generalId}/permissions/${member.id}`, as(owner, { type: 1, deny: ['create_instant_invite'] }));
    expectError(await create(member), 403, CODE.missingPermissions);
    await server.api('DELETE', `/api/v1/channels/${guild.generalId}/permissions/${member.id}`, as(owner));
  });

  it('refuses a non-member with 403 and code 50001', async () => {
    expectError(await create(guest), 403, CODE.missingAccess);
  });
});

describe('GET /api/v1/invites/:code', () => {
  it('tells anyone signed in where an invite leads, without its usage (uses, max_uses, created_at)', async () => {
    const invite = (await create(owner, { max_uses: 5 })).body;
    const res = await preview(guest, invite.code);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: invite.code,
      guild_id: guild.id,
      channel_id: guild.generalId,
      channel: { id: guild.generalId, name: 'general' },
      inviter_id: owner.id,
      expires_at: invite.expires_at,
      guild: { id: guild.id, name: 'Invites', icon: null, member_count: 3 },
    });
  });

  it('shows the same to the invite manager: usage is only on the list routes', async () => {
    const invite = (await create(owner)).body;
    const res = await preview(manager, invite.code);
    expect(Object.keys(res.body).sort()).toEqual(['channel', 'channel_id', 'code', 'expires_at', 'guild', 'guild_id', 'inviter_id']);
    const listed = (await server.api('GET', `/api/v1/channels/${guild.generalId}/invites`, as(manager))).body.find(
      (i: { code: string }) => i.code === invite.code,
    );
    expect(listed).toMatchObject({ uses: 0, max_uses: 0, created_at: expect.stringMatching(ISO_TIME) });
  });

  it('names the channel only to a viewer who could see it: a member denied view_channels and an outsider (when @everyone cannot) get null', async () => {
    const hidden = (await server.api('POST', `/api/v1/guilds/${guild.id}/channels`, as(owner, { name: 'staff-only' }))).body;
    const invite = (await server.api('POST', `/api/v1/channels/${hidden.id}/invites`, as(owner, {}))).body;
    const restrict = async (overwrites: { id: string; type: 0 | 1; deny: string[] }[]) => {
      for (const o of overwrites) {
        const res = await server.api('PUT', `/api/v1/channels/${hidden.id}/permissions/${o.id}`, as(owner, { type: o.type, deny: o.deny }));
        expect(res.status).toBe(204);
      }
    };
    const nameFor = async (viewer: Account) => (await preview(viewer, invite.code)).body.channel;
    const [onlooker] = await people(server, 'onlooker');

    expect(await nameFor(onlooker as Account)).toEqual({ id: hidden.id, name: 'staff-only' });
    await restrict([{ id: member.id, type: 1, deny: ['view_channels'] }]);
    expect(await nameFor(member)).toEqual({ id: hidden.id, name: null });
    expect(await nameFor(onlooker as Account)).toEqual({ id: hidden.id, name: 'staff-only' });

    await restrict([{ id: guild.everyoneRoleId, type: 0, deny: ['view_channels'] }]);
    expect(await nameFor(onlooker as Account)).toEqual({ id: hidden.id, name: null });
    expect(await nameFor(owner)).toEqual({ id: hidden.id, name: 'staff-only' });
    const shown = (await preview(onlooker as Account, invite.code)).body;
    expect(JSON.stringify(shown)).not.toContain('staff-only');
    expect(shown.guild).toEqual({ id: guild.id, name: 'Invites', icon: null, member_count: 3 });
  });

  it('answers 401 to a request without a token, naming nothing', async () => {
    const invite = (await create(owner)).body;
    const res = await server.api('GET', `/api/v1/invites/${invite.code}`);
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain('Invites');
  });

  it('answers 404 with code 10006 for an unknown code and 400 for a malformed one', async () => {
    expectError(await preview(guest, 'doesnotexist'), 404, CODE.unknownInvite, 'Unknown Invite');
    expectInvalidField(await preview(guest, 'bad_code!'), 'code');
  });
});

describe('POST /api/v1/invites/:code', () => {
  it('joins the guild with 200, answers the guild and counts the use', async () => {
    const invite = (await create(owner)).body;
    const res = await accept(guest, invite.code);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: guild.id,
      name: 'Invites',
      owner_id: owner.id,
      icon: null,
      description: null,
      created_at: expect.stringMatching(ISO_TIME),
      system_channel_id: guild.generalId,
      system_channel_flags: 0,
    });
    expect((await server.api('GET', `/api/v1/guilds/${guild.id}`, as(guest))).body.member_count).toBe(4);
    expect(await usesOf(invite.code)).toBe(1);
  });

  it('answers 200 without using the invite when the caller is already a member', async () => {
    const invite = (await create(owner)).body;
    expect((await accept(member, invite.code)).status).toBe(200);
    expect(await usesOf(invite.code)).toBe(0);
  });

  it('stops working after max_uses joins (404, code 10006)', async () => {
    const [first, second] = await people(server, 'first_joiner', 'second_joiner');
    const invite = (await create(owner, { max_uses: 1 })).body;
    expect((await accept(first as Account, invite.code)).status).toBe(200);
    expectError(await accept(second as Account, invite.code), 404, CODE.unknownInvite);
  });

  it('stops working once expired (404, code 10006), and is no longer listed or shown', async () => {
    const invite = (await create(owner, { max_age: 60 })).body;
    await leave(guest);
    offset += 61_000;
    try {
      expectError(await accept(guest, invite.code), 404, CODE.unknownInvite);
      expectError(await server.api('GET', `/api/v1/invites/${invite.code}`, as(guest)), 404, CODE.unknownInvite);
      const listed = (await server.api('GET', `/api/v1/guilds/${guild.id}/invites`, as(owner))).body.map((i: { code: string }) => i.code);
      expect(listed).not.toContain(invite.code);
    } finally {
      await join(server, owner, guild, guest);
    }
  });

  it('works until the last millisecond of max_age', async () => {
    const invite = (await create(owner, { max_age: 60 })).body;
    await leave(guest);
    offset += 59_000;
    expect((await accept(guest, invite.code)).status).toBe(200);
  });

  it('refuses a banned user with 403 and code 50001, without using the invite', async () => {
    const [banned] = await people(server, 'banned');
    await server.api('PUT', `/api/v1/guilds/${guild.id}/bans/${banned?.id}`, as(owner));
    const invite = (await create(owner, { max_uses: 1 })).body;
    expectError(await accept(banned as Account, invite.code), 403, CODE.missingAccess);
    expect(await usesOf(invite.code)).toBe(0);
  });

  it('refuses a bot with 403 (bots are added by guild managers)', async () => {
    const bot = await createBot(server, owner, 'joinbot');
    const invite = (await create(owner)).body;
    expectError(await accept(bot, invite.code), 403, CODE.missingAccess);
  });

  it('answers 404 with code 10006 for an unknown code', async () => {
    expectError(await accept(guest, 'nosuchcode'), 404, CODE.unknownInvite);
  });
});

describe('GET /api/v1/channels/:channelId/invites and /guilds/:guildId/invites', () => {
  it("lists a channel's invites with manage_channels and a guild's with manage_guild", async () => {
    const invite = (await create(member)).body;
    const channel = await server.api('GET', `/api/v1/channels/${guild.generalId}/invites`, as(manager));
    const guildWide = await server.api('GET', `/api/v1/guilds/${guild.id}/invites`, as(manager));
    expect([channel.status, guildWide.status]).toEqual([200, 200]);
    expect(channel.body).toContainEqual(invite);
    expect(guildWide.body).toContainEqual(invite);
  });

  it('refuses a member without those permissions with 403 and code 50013', async () => {
    expectError(await server.api('GET', `/api/v1/channels/${guild.generalId}/invites`, as(member)), 403, CODE.missingPermissions);
    expectError(await server.api('GET', `/api/v1/guilds/${guild.id}/invites`, as(member)), 403, CODE.missingPermissions);
  });
});

describe('DELETE /api/v1/invites/:code', () => {
  it('lets the inviter revoke their invite, answering it; it is then unknown', async () => {
    const invite = (await create(member)).body;
    const res = await server.api('DELETE', `/api/v1/invites/${invite.code}`, as(member));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(invite);
    expectError(await server.api('GET', `/api/v1/invites/${invite.code}`, as(member)), 404, CODE.unknownInvite);
  });

  it("lets a manager revoke someone else's invite", async () => {
    const invite = (await create(member)).body;
    expect((await server.api('DELETE', `/api/v1/invites/${invite.code}`, as(manager))).status).toBe(200);
  });

  it("refuses another member's invite to a member without manage_guild or manage_channels (403, 50013)", async () => {
    const invite = (await create(owner)).body;
    expectError(await server.api('DELETE', `/api/v1/invites/${invite.code}`, as(member)), 403, CODE.missingPermissions);
    const [outsider] = await people(server, 'outsider');
    expectError(await server.api('DELETE', `/api/v1/invites/${invite.code}`, as(outsider as Account)), 403, CODE.missingAccess);
  });

  it('answers 404 with code 10006 for an unknown code', async () => {
    expectError(await server.api('DELETE', '/api/v1/invites/nosuchcode', as(owner)), 404, CODE.unknownInvite);
  });
});
