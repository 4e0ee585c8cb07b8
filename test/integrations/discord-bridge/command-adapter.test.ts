// DiscordCommands without a network: stand-in discord.js messages whose replies and DMs the test controls, over
// a real presence directory. What matters here is what Discord would see: which messages are answered, and that
// nobody can make the bot queue DMs without bound.
import { afterEach, beforeEach, describe, expect, it } from 'bun:test';
import type { Client, Message } from 'discord.js';
import { defaultConfig } from '../../../src/config.ts';
import { createCore } from '../../../src/core.ts';
import { openDatabase } from '../../../src/db/database.ts';
import { DiscordCommands } from '../../../src/integrations/discord-bridge/command-adapter.ts';
import { eventually } from '../../support/gateway-client.ts';

const GUILD = '1080913214437306468';
const VAQ = '470320681905684500';
const MIRA = '289451357393928192';

type Sent = { to: string; text: string };

let core: Awaited<ReturnType<typeof createCore>>;
let sent: Sent[];
let dmGate: Promise<void> | null;
let commands: DiscordCommands;
let nextId = 1300000000000000000n;

/** A message as DiscordCommands reads it; `to` in `sent` is `reply:<id>`, `channel:<id>` or `dm:<user>`. */
function message(authorId: string, content: string, options: { guildId?: string | null; bot?: boolean; webhook?: boolean; id?: string } = {}): Message {
  nextId += 1n;
  const id = options.id ?? String(nextId);
  const guildId = options.guildId === undefined ? GUILD : options.guildId;
  const fake = {
    id,
    author: { id: authorId, bot: options.bot ?? false },
    webhookId: options.webhook ? '1' : null,
    system: false,
    guildId,
    channelId: 'c1',
    content,
    channel: { isSendable: () => true, send: async (o: { content: string }) => sent.push({ to: `channel:${id}`, text: o.content }) },
    reply: async (o: { content: string }) => sent.push({ to: `reply:${id}`, text: o.content }),
    delete: async () => {},
  };
  return fake as unknown as Message;
}

/** The bridge's commands; `publicUrl` null plays a server started without --public-url (no token links). */
function commandsWith(client: Client, publicUrl: string | null): DiscordCommands {
  return new DiscordCommands({
    client,
    directory: core.services.presenceDirectory,
    guildId: GUILD,
    prefix: '.',
    publicUrl: publicUrl ?? '',
    tokenLinks: core.services.tokenReveals.linksAt(() => publicUrl),
    log: () => {},
  });
}

const nonceOf = (text: string) => /\/presence-token\/([A-Za-z0-9_-]{43})$/.exec(text)?.[1] ?? '';

beforeEach(async () => {
  core = await createCore({ db: openDatabase(':memory:'), config: defaultConfig(), clock: { now: () => Date.now() } });
  for (const id of [VAQ, MIRA]) {
    await core.services.presenceDirectory.putExternal({
      id,
      source: 'discord',
      guildId: GUILD,
      username: id,
      globalName: null,
      avatar: null,
      bot: false,
      nick: null,
    });
  }
  sent = [];
  dmGate = null;
  const client = {
    users: {
      send: async (userId: string, o: { content: string }) => {
        await dmGate;
        sent.push({ to: `dm:${userId}`, text: o.content });
      },
    },
  } as unknown as Client;
  commands = commandsWith(client, 'https://harmony.example');
});

afterEach(async () => {
  commands.stop();
  core.services.systemBot.stop();
  // Last-seen writes still queued finish before the database closes (as Harmony.stop does).
  await core.services.presenceDirectory.idle();
  core.services.presenceDirectory.stop();
  await core.uow.close();
  core.db.close(false);
});

describe('DiscordCommands.onMessage', () => {
  it('answers a command in the mirrored guild as a reply, and in a DM in the channel', async () => {
    const inGuild = message(VAQ, '.add mood sunny');
    commands.onMessage(inGuild);
    const inDm = message(VAQ, '.get mood', { guildId: null });
    commands.onMessage(inDm);
    await commands.idle();
    expect(sent).toEqual([
      { to: `reply:${inGuild.id}`, text: 'Saved `mood`.' },
      { to: `channel:${inDm.id}`, text: '`mood`: sunny' },
    ]);
    expect(core.services.presenceDirectory.kv(VAQ)).toEqual({ mood: 'sunny' });
  });

  it('ignores bots, webhooks, other guilds and plain chat', async () => {
    commands.onMessage(message(VAQ, '.kv', { bot: true }));
    commands.onMessage(message(VAQ, '.kv', { webhook: true }));
    commands.onMessage(message(VAQ, '.kv', { guildId: '999' }));
    commands.onMessage(message(VAQ, 'hello there'));
    await commands.idle();
    expect(sent).toEqual([]);
  });

  it("handles one person's messages one at a time, keeps one waiting and drops the rest until it caught up", async () => {
    let open = () => {};
    dmGate = new Promise((resolve) => {
      open = resolve;
    });
    for (let i = 0; i < 5; i++) commands.onMessage(message(VAQ, '.token'));
    // Someone else is not held up by it.
    const other = message(MIRA, '.kv');
    commands.onMessage(other);
    await eventually(() => sent.some((s) => s.to === `reply:${other.id}`), 2000, "the other person's answer");
    expect(sent.filter((s) => s.to === `dm:${VAQ}`)).toHaveLength(0);
    open();
    await commands.idle();
    const dms = sent.filter((s) => s.to === `dm:${VAQ}`);
    expect(dms).toHaveLength(2);
    // The link of the last DM is the one that works.
    const reveals = core.services.tokenReveals;
    expect(await reveals.state(nonceOf(dms[0]?.text ?? ''))).toBe('unknown');
    const revealed = await reveals.reveal(nonceOf(dms[1]?.text ?? ''));
    expect(revealed.ok).toBe(true);
    expect(core.services.presenceDirectory.userForToken(revealed.ok ? revealed.token : null)).toBe(VAQ);
  });

  it('without --public-url, .token makes no token and no link and says what the operator must set', async () => {
    commands.stop();
    commands = commandsWith({ users: { send: async () => sent.push({ to: 'dm', text: 'unexpected' }) } } as unknown as Client, null);
    const token = (await core.services.presenceDirectory.issueToken(VAQ)) as string;
    const asked = message(VAQ, '.token');
    commands.onMessage(asked);
    await commands.idle();
    expect(sent).toEqual([
      {
        to: `reply:${asked.id}`,
        text: 'I cannot hand out API tokens here: this presence server has no public URL to link to. Its operator must set --public-url (HARMONY_PUBLIC_URL). Your current token, if you have one, keeps working.',
      },
    ]);
    expect(core.services.presenceDirectory.userForToken(token)).toBe(VAQ);
  });

  it('tells someone outside the mirrored guild, in DMs only, that only members are kept', async () => {
    const dm = message('1000000000000000001', '.add a b', { guildId: null });
    commands.onMessage(dm);
    commands.onMessage(message('1000000000000000002', `my token is x.${'a'.repeat(43)}`, { guildId: null }));
    await commands.idle();
    expect(sent).toEqual([{ to: `channel:${dm.id}`, text: 'I only keep presence data for members of the server I mirror. Join it, then ask again.' }]);
  });
});
