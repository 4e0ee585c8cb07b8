// discord.py 2.x with Harmony's images: `client.user.edit(avatar=bytes)`, `guild.edit(icon=bytes)`,
// `guild.create_custom_emoji(name=, image=)` and `message.add_reaction(emoji)`, each image read back through
// discord.py's own Asset URLs once `discord.asset.Asset.BASE` points at Harmony (test/fixtures/discord-py/images_bot.py).
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDiscordPy } from '../../support/discord-py.ts';
import { png } from '../../support/images.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { addBot, createBot, createGuild, type Guild, type Person, people } from './fixtures.ts';

const DOCS = join(import.meta.dir, '../../../docs/discord-compat.md');

type Step = { step: string; [field: string]: any };

let server: TestServer;
let alice: Person;
let guild: Guild;
let bot: { id: string; token: string };

beforeAll(async () => {
  server = await startServer();
  [alice] = (await people(server, 'alice')) as [Person];
  guild = await createGuild(server, alice, 'Python Images');
  bot = await createBot(server, alice, 'pyimages');
  await addBot(server, alice, guild, bot as never, [
    'read_messages',
    'send_messages',
    'read_message_history',
    'add_reactions',
    'manage_guild',
    'manage_guild_expressions',
  ]);
});
afterAll(() => server.stop());

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const AVATAR = png(12, 12, [1, 100, 200, 255]);
const ICON = png(20, 20, [200, 100, 1, 255]);
const EMOJI = png(32, 32, [50, 200, 50, 255]);

/** Runs the fixture against this server to its end (bounded): its steps. */
const runBot = () =>
  runDiscordPy<Step>('images_bot.py', server.url, {
    BOT_TOKEN: bot.token,
    GUILD_ID: guild.id,
    AVATAR_PNG: b64(AVATAR),
    ICON_PNG: b64(ICON),
    EMOJI_PNG: b64(EMOJI),
  });

describe('discord.py with avatars, icons and custom emoji', () => {
  it('documents the one extra line (Asset.BASE) the bot uses', () => {
    expect(readFileSync(DOCS, 'utf8')).toContain("discord.asset.Asset.BASE = 'http://HOST:3002'");
  });

  it('uploads, reads back through Asset URLs, reacts with the emoji and gets 50035 for a fake image', async () => {
    const { steps, exitCode, stderr } = await runBot();
    const step = (name: string) => steps.find((s) => s.step === name);
    expect(steps.filter((s) => s.step === 'error')).toEqual([]);
    expect({ exitCode, stderr: stderr.includes('Traceback') ? stderr : '' }).toEqual({ exitCode: 0, stderr: '' });

    // discord.py 2.2 picks the index from the discriminator ("0": index 0), later versions from the id: both are served.
    expect(step('default_avatar')?.url).toMatch(new RegExp(`^${server.url}/embed/avatars/[0-5]\\.png$`));
    expect(step('default_avatar')?.size).toBeGreaterThan(0);

    const avatar = step('avatar');
    expect(avatar?.key).toMatch(/^[0-9a-f]{32}$/);
    expect(avatar).toEqual({ step: 'avatar', key: avatar?.key, url: `${server.url}/avatars/${bot.id}/${avatar?.key}.png?size=1024`, same: true });

    const icon = step('icon');
    expect(icon).toEqual({
      step: 'icon',
      key: expect.stringMatching(/^[0-9a-f]{32}$/),
      url: `${server.url}/icons/${guild.id}/${icon?.key}.png?size=1024`,
      same: true,
    });

    const emoji = step('emoji');
    expect(emoji).toEqual({
      step: 'emoji',
      id: expect.stringMatching(/^\d{17,20}$/),
      name: 'py_emoji',
      animated: false,
      require_colons: true,
      managed: false,
      url: `${server.url}/emojis/${emoji?.id}.png`,
      same: true,
      text: `<:py_emoji:${emoji?.id}>`,
    });

    expect(step('reaction')).toEqual({
      step: 'reaction',
      content: `hello <:py_emoji:${emoji?.id}>`,
      reactions: [{ id: emoji?.id, name: 'py_emoji', count: 1, me: true }],
    });
    expect(step('fake_image')).toEqual({ step: 'fake_image', refused: true, status: 400, code: 50035 });
    expect(step('deleted')).toEqual({ step: 'deleted', emojis: [] });
  }, 30_000);
});
