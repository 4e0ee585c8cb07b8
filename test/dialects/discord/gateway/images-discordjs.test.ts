// Issue 11 items 6-7 with an unmodified discord.js 14 bot whose `rest.cdn` points at Harmony: it uploads its avatar
// and the guild icon from Buffers, builds image URLs with its own CDN helpers and fetches them from Harmony, creates,
// edits and deletes custom emoji, and reacts with one; another bot sees every change through the gateway.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'bun:test';
import { type Client, type GuildEmoji, GatewayIntentBits as Intent, type MessageReaction, type TextChannel, type User } from 'discord.js';
import { sniffImage } from '../../../../src/files/sniff.ts';
import { gif, png } from '../../../support/images.ts';
import { type Account, buildWorld, createBot, destroyClients, discordClient, loginReady, nextEvent, type World } from './fixtures.ts';

const INTENTS = [Intent.Guilds, Intent.GuildMembers, Intent.GuildMessages, Intent.GuildMessageReactions, Intent.GuildExpressions, Intent.MessageContent];
const MANAGER_PERMISSIONS = ['read_messages', 'send_messages', 'add_reactions', 'read_message_history', 'manage_guild', 'manage_guild_expressions'];

let world: World;
let manager: Account;
let watcher: Account;

beforeAll(async () => {
  world = await buildWorld();
  manager = await createBot(world, 'iconbot', undefined, MANAGER_PERMISSIONS);
  watcher = await createBot(world, 'watcherbot');
}, 30_000);
afterAll(() => world.server.stop());
afterEach(() => destroyClients());

/** discord.js configured as the README says: `rest.api` and `rest.cdn` at Harmony. */
function login(account: Account): Promise<Client<true>> {
  return loginReady(discordClient(world, INTENTS, { rest: { api: `${world.server.url}/api`, cdn: world.server.url } }), account.token);
}

async function download(url: string) {
  expect(url.startsWith(`${world.server.url}/`)).toBe(true);
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe('avatars with discord.js', () => {
  it("shows the default avatar at Harmony's /embed/avatars/{(id >> 22) % 6}.png", async () => {
    const client = await login(watcher);
    const url = client.user.displayAvatarURL();
    expect(url).toBe(`${world.server.url}/embed/avatars/${Number((BigInt(watcher.id) >> 22n) % 6n)}.png`);
    const image = await download(url);
    expect({ status: image.status, type: image.type, format: sniffImage(image.bytes)?.format }).toEqual({ status: 200, type: 'image/png', format: 'png' });
  });

  it('client.user.setAvatar(buffer) uploads it; displayAvatarURL() fetches those bytes; another bot sees the new avatar', async () => {
    const client = await login(manager);
    const other = await login(watcher);
    // The watcher knows the manager (cached), so the member update about them is a change it reports.
    await other.guilds.cache.get(world.guildId)?.members.fetch(manager.id);
    const seen = nextEvent<[User, User]>(other, 'userUpdate', (_old, user) => user.id === manager.id && user.avatar !== null);
    const picture = png(16, 16, [0, 128, 255, 255]);
    await client.user.setAvatar(Buffer.from(picture));
    expect(client.user.avatar).toMatch(/^[0-9a-f]{32}$/);
    const image = await download(client.user.displayAvatarURL({ extension: 'png', size: 256 }));
    expect({ status: image.status, type: image.type, same: Buffer.from(image.bytes).equals(Buffer.from(picture)) }).toEqual({
      status: 200,
      type: 'image/png',
      same: true,
    });
    // discord.js asks for .webp by default: Harmony does not convert, it answers the stored PNG as a PNG.
    expect((await download(client.user.displayAvatarURL())).type).toBe('image/png');
    const [, updated] = await seen;
    expect(updated.avatar).toBe(client.user.avatar);
    expect(updated.displayAvatarURL()).toBe(client.user.displayAvatarURL());
  });

  it('an animated GIF avatar gets an a_ hash, which discord.js serves as .gif', async () => {
    const client = await login(manager);
    await client.user.setAvatar(Buffer.from(gif(2)));
    expect(client.user.avatar).toMatch(/^a_[0-9a-f]{32}$/);
    const url = client.user.displayAvatarURL();
    expect(url).toContain('.gif');
    expect((await download(url)).type).toBe('image/gif');
  });

  it('refuses an SVG as avatar with DiscordAPIError 50035 on avatar', async () => {
    const client = await login(manager);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const error = (await client.user.setAvatar(svg).catch((e: unknown) => e)) as { code: number; rawError: { errors: unknown } };
    expect(error.code).toBe(50035);
    expect(error.rawError.errors).toEqual({ avatar: { _errors: [{ code: 'IMAGE_INVALID', message: 'Invalid image data' }] } });
  });
});

describe('guild icons with discord.js', () => {
  it('guild.setIcon(buffer) sets it; iconURL() fetches it from Harmony; guildUpdate reaches another bot', async () => {
    const client = await login(manager);
    const other = await login(watcher);
    const guild = client.guilds.cache.get(world.guildId);
    if (!guild) throw new Error('guild not cached');
    const updated = nextEvent(other, 'guildUpdate', (_old: unknown, g: { icon: string | null }) => g.icon !== null);
    const picture = png(32, 32, [255, 0, 0, 255]);
    await guild.setIcon(Buffer.from(picture));
    expect(guild.icon).toMatch(/^[0-9a-f]{32}$/);
    const image = await download(guild.iconURL({ extension: 'png' }) ?? '');
    expect({ status: image.status, same: Buffer.from(image.bytes).equals(Buffer.from(picture)) }).toEqual({ status: 200, same: true });
    const [, g] = (await updated) as [unknown, { icon: string | null }];
    expect(g.icon).toBe(guild.icon);
    await guild.setIcon(null);
    expect(guild.icon).toBeNull();
  });
});

describe('custom emoji with discord.js', () => {
  it('guild.emojis.create, emoji.imageURL(), message.react(emoji), edit and delete, with the events another bot gets', async () => {
    const client = await login(manager);
    const other = await login(watcher);
    const guild = client.guilds.cache.get(world.guildId);
    if (!guild) throw new Error('guild not cached');

    const created = nextEvent<[GuildEmoji]>(other, 'emojiCreate', (e) => e.name === 'harmony_ok');
    const emoji = await guild.emojis.create({ attachment: Buffer.from(png(24, 24, [0, 200, 0, 255])), name: 'harmony_ok' });
    expect({ name: emoji.name, animated: emoji.animated, managed: emoji.managed, requiresColons: emoji.requiresColons }).toEqual({
      name: 'harmony_ok',
      animated: false,
      managed: false,
      requiresColons: true,
    });
    const [seen] = await created;
    expect(seen.id).toBe(emoji.id);
    const image = await download(emoji.imageURL({ extension: 'png' }));
    expect({ status: image.status, type: image.type }).toEqual({ status: 200, type: 'image/png' });
    expect(emoji.toString()).toBe(`<:harmony_ok:${emoji.id}>`);

    // `<:name:id>` in text stays text; reacting with the emoji object sends name:id.
    const channel = client.channels.cache.get(world.generalId) as TextChannel;
    const message = await channel.send(`look ${emoji}`);
    expect(message.content).toBe(`look <:harmony_ok:${emoji.id}>`);
    const reacted = nextEvent<[MessageReaction, User]>(other, 'messageReactionAdd', (r) => r.emoji.id === emoji.id);
    const reaction = await message.react(emoji);
    expect({ id: reaction.emoji.id, name: reaction.emoji.name }).toEqual({ id: emoji.id, name: 'harmony_ok' });
    const [otherReaction, reactor] = await reacted;
    expect({ name: otherReaction.emoji.name, user: reactor.id }).toEqual({ name: 'harmony_ok', user: manager.id });

    const edited = nextEvent<[GuildEmoji, GuildEmoji]>(other, 'emojiUpdate', (_old, e) => e.id === emoji.id);
    await emoji.edit({ name: 'harmony_great' });
    expect((await edited)[1].name).toBe('harmony_great');

    const deleted = nextEvent<[GuildEmoji]>(other, 'emojiDelete', (e) => e.id === emoji.id);
    await emoji.delete();
    await deleted;
    expect((await fetch(`${world.server.url}/emojis/${emoji.id}.png`)).status).toBe(404);
  });

  it('guild.emojis.fetch() lists the emoji with their author for a manager', async () => {
    const client = await login(manager);
    const guild = client.guilds.cache.get(world.guildId);
    if (!guild) throw new Error('guild not cached');
    const emoji = await guild.emojis.create({ attachment: Buffer.from(png(8, 8)), name: 'listed' });
    const all = await guild.emojis.fetch(undefined, { force: true });
    expect(all.get(emoji.id)?.name).toBe('listed');
    expect((await emoji.fetchAuthor()).id).toBe(manager.id);
  });
});
