// Files inside interactions with real discord.js 14: a person runs a command with an ATTACHMENT option as Discord's
// client does (multipart: files[n] + payload_json naming them in data.attachments), the bot reads it with
// options.getAttachment() and downloads it through its signed URL, and answers with files through reply, deferReply +
// editReply (keeping or dropping files through `attachments`) and followUp, ephemeral or not. What the person's
// sessions receive is checked on the v1 gateway; the files are fetched back and compared byte for byte.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import {
  ActionRowBuilder,
  type Attachment,
  ButtonBuilder,
  ButtonStyle,
  type Client,
  GatewayIntentBits as Intent,
  type Interaction,
  MessageFlags,
  Routes,
  SlashCommandBuilder,
} from 'discord.js';
import { connectAs, type GatewayClient } from '../../../support/gateway-client.ts';
import { png } from '../../../support/images.ts';
import { SNOWFLAKE } from '../fixtures.ts';
import { type Account, buildWorld, closeSockets, createBot, discordClient, loginReady, type World } from '../gateway/fixtures.ts';

let world: World;
let bot: Account;
let client: Client<true>;
let bob: GatewayClient;
let alice: GatewayClient;
const handlers = new Map<string, (i: Interaction) => Promise<unknown>>();
const failures: unknown[] = [];
const commands = new Map<string, string>();

const upload = new SlashCommandBuilder()
  .setName('upload')
  .setDescription('Send a file')
  .addAttachmentOption((o) => o.setName('file').setDescription('The file').setRequired(true))
  .addAttachmentOption((o) => o.setName('extra').setDescription('Another file'));
const later = new SlashCommandBuilder().setName('later').setDescription('Files after thinking');
const hidden = new SlashCommandBuilder().setName('hidden').setDescription('A file only you see');
const card = new SlashCommandBuilder().setName('card').setDescription('A button that swaps in a file');

beforeAll(async () => {
  world = await buildWorld();
  bot = await createBot(world, 'filebot');
  client = await loginReady(discordClient(world, [Intent.Guilds, Intent.GuildMessages]), bot.token);
  client.on('interactionCreate', (interaction) => {
    const key = interaction.isCommand() ? interaction.commandName : 'customId' in interaction ? interaction.customId : '';
    const handler = handlers.get(key);
    handlers.delete(key);
    handler?.(interaction).catch((error) => failures.push(error));
  });
  const deployed = (await client.rest.put(Routes.applicationGuildCommands(bot.id, world.guildId), {
    body: [upload.toJSON(), later.toJSON(), hidden.toJSON(), card.toJSON()],
  })) as { id: string; name: string }[];
  for (const c of deployed) commands.set(c.name, c.id);
  bob = await connectAs(world.server, world.bob.token);
  alice = await connectAs(world.server, world.alice.token);
}, 30_000);
afterAll(async () => {
  closeSockets();
  bob?.ws.close();
  alice?.ws.close();
  await client?.destroy();
  await world.server.stop();
  expect(failures).toEqual([]);
});

let nonces = 0;
type Part = { bytes: Uint8Array | string; filename: string };

/** bob runs `name` as Discord's client does: multipart, `files[n]` named by `data.attachments`; resolves to the nonce. */
async function invokeWithFiles(name: string, options: unknown[], files: Part[], expected = 204): Promise<{ nonce: string; body: any }> {
  const nonce = String(1_300_000_000_000_000_000n + BigInt(++nonces));
  const payload = {
    type: 2,
    application_id: bot.id,
    guild_id: world.guildId,
    channel_id: world.generalId,
    session_id: 'abc',
    nonce,
    data: { id: commands.get(name), name, type: 1, options, attachments: files.map((f, n) => ({ id: String(n), filename: f.filename })) },
  };
  const form = new FormData();
  form.set('payload_json', JSON.stringify(payload));
  files.forEach((f, n) => {
    form.set(`files[${n}]`, new Blob([typeof f.bytes === 'string' ? f.bytes : Buffer.from(f.bytes)]), f.filename);
  });
  const res = await fetch(`${world.server.url}/api/v10/interactions`, { method: 'POST', headers: { authorization: `Bearer ${world.bob.token}` }, body: form });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`invoke -> ${res.status} ${text}`);
  return { nonce, body: text ? JSON.parse(text) : null };
}

const bytesOf = async (url: string) => {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status}`);
  return { bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
};

const notes = 'line one\nline two\n';
const picture = png(3, 2);

describe('an ATTACHMENT option', () => {
  it('reaches the bot as an Attachment it can download, and reply({ files }) posts files the channel can fetch', async () => {
    const seen = new Promise<{ file: Attachment; extra: Attachment | null; raw: any; downloaded: Uint8Array; image: Uint8Array }>((resolve) =>
      handlers.set('upload', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        const file = i.options.getAttachment('file', true);
        const extra = i.options.getAttachment('extra');
        const downloaded = (await bytesOf(file.url)).bytes;
        const image = extra ? (await bytesOf(extra.url)).bytes : new Uint8Array();
        await i.reply({ content: 'echoed', files: [{ attachment: Buffer.from(downloaded), name: 'echo.txt' }] });
        resolve({ file, extra, raw: i.options.data, downloaded, image });
      }),
    );
    const { nonce } = await invokeWithFiles(
      'upload',
      [
        { type: 11, name: 'file', value: '0' },
        { type: 11, name: 'extra', value: '1' },
      ],
      [
        { bytes: notes, filename: 'notes.txt' },
        { bytes: picture, filename: 'pic.png' },
      ],
    );
    const got = await seen;
    expect(new TextDecoder().decode(got.downloaded)).toBe(notes);
    expect(got.image).toEqual(picture);
    // The option's value is the attachment's own snowflake, and resolved.attachments carries Discord's object.
    expect(got.raw.map((o: any) => [o.name, o.type, o.value === o.attachment?.id])).toEqual([
      ['file', 11, true],
      ['extra', 11, true],
    ]);
    expect(got.file.toJSON()).toMatchObject({
      id: expect.stringMatching(SNOWFLAKE),
      name: 'notes.txt',
      size: notes.length,
      contentType: 'text/plain; charset=utf-8',
      ephemeral: true,
      width: null,
      height: null,
    });
    expect(got.extra?.toJSON()).toMatchObject({ name: 'pic.png', size: picture.length, contentType: 'image/png', ephemeral: true, width: 3, height: 2 });
    expect(got.file.proxyURL).toBe(got.file.url);
    expect(got.file.url).toStartWith(`${world.server.url}/ephemeral-attachments/`);
    // A text upload downloads (never inline), with the type the server sniffed and nosniff.
    const served = await bytesOf(got.file.url);
    expect(served.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''notes.txt");
    // A tampered link is refused.
    expect((await fetch(got.file.url.replace(/hm=[0-9a-f]/, (m) => (m.endsWith('0') ? 'hm=1' : 'hm=0')))).status).toBe(404);

    const ack = await bob.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.nonce === nonce);
    const created = await bob.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.interaction?.id === ack.d.id);
    expect(created.d.content).toBe('echoed');
    expect(created.d.attachments).toEqual([
      {
        id: expect.stringMatching(SNOWFLAKE),
        filename: 'echo.txt',
        description: null,
        content_type: 'text/plain; charset=utf-8',
        size: notes.length,
        url: expect.stringContaining('/attachments/'),
        width: null,
        height: null,
      },
    ]);
    expect(new TextDecoder().decode((await bytesOf(created.d.attachments[0].url)).bytes)).toBe(notes);
  });

  it('deferReply + editReply({ files }) fills the thinking message with files, and a later edit keeps or drops them', async () => {
    const done = new Promise<string[][]>((resolve) =>
      handlers.set('later', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        await i.deferReply();
        const first = await i.editReply({ content: 'done', files: [{ attachment: Buffer.from(picture), name: 'a.png' }] });
        const second = await i.editReply({ files: [{ attachment: Buffer.from('second'), name: 'b.txt' }], attachments: [...first.attachments.values()] });
        const kept = await i.editReply({ attachments: [...second.attachments.values()].filter((a) => a.name === 'b.txt') });
        resolve([first, second, kept].map((m) => [...m.attachments.values()].map((a) => a.name)));
      }),
    );
    const nonce = String(++nonces);
    const res = await world.server.api('POST', '/api/v10/interactions', {
      token: world.bob.token,
      body: {
        type: 2,
        application_id: bot.id,
        guild_id: world.guildId,
        channel_id: world.generalId,
        nonce,
        data: { id: commands.get('later'), name: 'later', type: 1 },
      },
    });
    expect(res.status).toBe(204);
    // As on a message edit, `attachments` lists the files that stay: the first one kept beside a new one, then dropped.
    expect(await done).toEqual([['a.png'], ['a.png', 'b.txt'], ['b.txt']]);
    const ack = await bob.waitFor((f) => f.t === 'INTERACTION_CREATE' && f.d.nonce === nonce);
    const last = await bob.waitFor(
      (f) => f.t === 'MESSAGE_UPDATE' && f.d.interaction?.id === ack.d.id && f.d.attachments.length === 1 && f.d.attachments[0].filename === 'b.txt',
    );
    expect(new TextDecoder().decode((await bytesOf(last.d.attachments[0].url)).bytes)).toBe('second');
  });

  it('followUp({ files }) posts to the channel, and followUp({ files, ephemeral }) reaches only the invoker', async () => {
    const done = new Promise<{ shared: string; secret: string; secretUrl: string }>((resolve) =>
      handlers.set('hidden', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        await i.reply({ content: 'here it comes' });
        const shared = await i.followUp({ content: 'for all', files: [{ attachment: Buffer.from('shared bytes'), name: 'shared.txt' }] });
        const secret = await i.followUp({
          content: 'for you',
          files: [{ attachment: Buffer.from(picture), name: 'secret.png' }],
          flags: MessageFlags.Ephemeral,
        });
        resolve({ shared: shared.id, secret: secret.id, secretUrl: secret.attachments.first()?.url as string });
      }),
    );
    const aliceFrames = alice.frames.length;
    const nonce = String(++nonces);
    const res = await world.server.api('POST', '/api/v10/interactions', {
      token: world.bob.token,
      body: {
        type: 2,
        application_id: bot.id,
        guild_id: world.guildId,
        channel_id: world.generalId,
        nonce,
        data: { id: commands.get('hidden'), name: 'hidden', type: 1 },
      },
    });
    expect(res.status).toBe(204);
    const { shared, secret, secretUrl } = await done;
    const sharedFrame = await bob.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.id === shared);
    expect(sharedFrame.d.attachments.map((a: any) => a.filename)).toEqual(['shared.txt']);
    await alice.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.id === shared);
    const secretFrame = await bob.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.id === secret);
    expect(secretFrame.d.attachments).toEqual([
      {
        id: expect.stringMatching(SNOWFLAKE),
        filename: 'secret.png',
        description: null,
        content_type: 'image/png',
        size: picture.length,
        url: expect.stringContaining('/ephemeral-attachments/'),
        width: 3,
        height: 2,
      },
    ]);
    expect((await bytesOf(secretUrl)).bytes).toEqual(new Uint8Array(picture));
    const inline = await bytesOf(secretFrame.d.attachments[0].url);
    expect(inline.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''secret.png");
    expect(alice.frames.slice(aliceFrames).some((f) => f.d?.id === secret)).toBe(false);
    const history = await world.server.api('GET', `/api/v10/channels/${world.generalId}/messages?limit=50`, { token: world.bob.token });
    expect(history.body.some((m: any) => m.id === secret)).toBe(false);
  });

  it('update({ files }) on a button click puts files on the clicked message (callback type 7)', async () => {
    const posted = new Promise<string>((resolve) =>
      handlers.set('card', async (i) => {
        if (!i.isChatInputCommand()) throw new Error('not a chat input command');
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('swap').setLabel('Swap').setStyle(ButtonStyle.Primary));
        const reply = await i.reply({ content: 'press to swap', components: [row], withResponse: true });
        resolve(reply.resource?.message?.id as string);
      }),
    );
    const invoked = await world.server.api('POST', '/api/v10/interactions', {
      token: world.bob.token,
      body: {
        type: 2,
        application_id: bot.id,
        guild_id: world.guildId,
        channel_id: world.generalId,
        data: { id: commands.get('card'), name: 'card', type: 1 },
      },
    });
    expect(invoked.status).toBe(204);
    const messageId = await posted;
    const swapped = new Promise<string[]>((resolve) =>
      handlers.set('swap', async (i) => {
        if (!i.isButton()) throw new Error('not a button');
        const response = await i.update({
          content: 'swapped',
          components: [],
          files: [{ attachment: Buffer.from(picture), name: 'swap.png' }],
          withResponse: true,
        });
        resolve([...(response.resource?.message?.attachments.values() ?? [])].map((a) => a.name));
      }),
    );
    const click = await world.server.api('POST', '/api/v10/interactions', {
      token: world.bob.token,
      body: {
        type: 3,
        application_id: bot.id,
        guild_id: world.guildId,
        channel_id: world.generalId,
        message_id: messageId,
        data: { component_type: 2, custom_id: 'swap' },
      },
    });
    expect(click.status).toBe(204);
    expect(await swapped).toEqual(['swap.png']);
    const updated = await bob.waitFor((f) => f.t === 'MESSAGE_UPDATE' && f.d.id === messageId && f.d.content === 'swapped');
    expect(updated.d.attachments.map((a: any) => [a.filename, a.content_type, a.width, a.height])).toEqual([['swap.png', 'image/png', 3, 2]]);
    expect((await bytesOf(updated.d.attachments[0].url)).bytes).toEqual(new Uint8Array(picture));
  });
});
