// HarmonyClient's image methods against a real server: avatar and guild icon uploads from bytes, custom emoji
// create/list/edit/delete, assetUrl() resolving the paths the server gives, and the events they raise.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { GuildEmojisUpdate, User } from '../../src/sdk/events.ts';
import { HarmonyApiError, HarmonyClient } from '../../src/sdk/harmony-client.ts';
import { gif, png } from '../support/images.ts';
import { register, startServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let client: HarmonyClient;
let guildId: string;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  const owner = await register(server, 'owner');
  const guild = await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'SDK Images' } });
  guildId = guild.body.id;
  client = new HarmonyClient(owner.token, { url: `${server.url.replace(/^http/, 'ws')}/gateway`, authScheme: 'Bearer' });
  await client.connect();
});
afterAll(async () => {
  await client.disconnect();
  await server.stop();
});

const next = <T>(event: 'userUpdate' | 'guildEmojisUpdate', match: (payload: T) => boolean) =>
  new Promise<T>((resolve) => {
    const listener = (payload: T) => {
      if (!match(payload)) return;
      client.off(event, listener as never);
      resolve(payload);
    };
    client.on(event, listener as never);
  });

describe('HarmonyClient images', () => {
  it('setAvatar(bytes) uploads the avatar; assetUrl() of its path serves those bytes; userUpdate follows', async () => {
    const picture = png(6, 6, [10, 20, 30, 255]);
    const updated = next<User>('userUpdate', (u) => typeof u.avatar === 'string');
    const me = await client.setAvatar(picture);
    expect(me.avatar).toMatch(/^\/avatars\/\d+\/[0-9a-f]{32}\.png$/);
    expect(client.assetUrl(me.avatar ?? '')).toBe(`${server.url}${me.avatar}`);
    const served = await fetch(client.assetUrl(me.avatar ?? ''));
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(picture))).toBe(true);
    expect((await updated).avatar).toBe(me.avatar);
    expect((await client.setAvatar(null)).avatar).toBeNull();
  });

  it('setGuildIcon(bytes) sets the icon; a bad image rejects with HarmonyApiError 50035 on icon', async () => {
    const guild = await client.setGuildIcon(guildId, gif(2).buffer as ArrayBuffer);
    expect(guild.icon).toMatch(new RegExp(`^/icons/${guildId}/a_[0-9a-f]{32}\\.gif$`));
    const error = await client.setGuildIcon(guildId, new TextEncoder().encode('<svg/>')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarmonyApiError);
    expect({ status: (error as HarmonyApiError).status, code: (error as HarmonyApiError).code }).toEqual({ status: 400, code: 50035 });
  });

  it('createGuildEmoji, getGuildEmojis, editGuildEmoji and deleteGuildEmoji, with guildEmojisUpdate each time', async () => {
    const created = next<GuildEmojisUpdate>('guildEmojisUpdate', (d) => d.emojis.some((e) => e.name === 'sdk_emoji'));
    const emoji = await client.createGuildEmoji(guildId, 'sdk_emoji', png(4, 4));
    expect(emoji).toEqual({
      id: expect.stringMatching(/^\d+$/),
      guild_id: guildId,
      name: 'sdk_emoji',
      animated: false,
      roles: [],
      user_id: client.user?.id ?? '',
      url: `/emojis/${emoji.id}.png`,
    });
    expect((await created).guild_id).toBe(guildId);
    expect((await fetch(client.assetUrl(emoji.url))).status).toBe(200);
    expect((await client.getGuildEmojis(guildId)).map((e) => e.id)).toEqual([emoji.id]);
    const renamed = next<GuildEmojisUpdate>('guildEmojisUpdate', (d) => d.emojis.some((e) => e.name === 'sdk_renamed'));
    expect((await client.editGuildEmoji(guildId, emoji.id, { name: 'sdk_renamed' })).name).toBe('sdk_renamed');
    await renamed;
    const removed = next<GuildEmojisUpdate>('guildEmojisUpdate', (d) => d.emojis.length === 0);
    await client.deleteGuildEmoji(guildId, emoji.id);
    await removed;
    expect(await client.getGuildEmojis(guildId)).toEqual([]);
  });
});
