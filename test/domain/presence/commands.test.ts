// The chat commands through their port alone, as the Discord bridge will drive them: a recording port
// (whose DMs can fail), the real directory, and a 2000-character message limit.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'bun:test';
import { type ChatMessage, type CommandOptions, type CommandPort, handleChatMessage, parseCommand } from '../../../src/domain/presence/commands.ts';
import type { PresenceDirectory } from '../../../src/domain/presence/presence-directory.ts';
import type { TokenLinks } from '../../../src/domain/presence/token-reveals.ts';
import { hasTokenShape, revealLinkIn, revealToken } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let directory: PresenceDirectory;
let OPTIONS: CommandOptions;
/** Every link the commands made, to check what became of the ones that were never delivered. */
let made: string[];

/** A port that records everything; `dmWorks: false` makes every DM fail, as closed DMs do on Discord. */
function recordingPort(dmWorks = true) {
  const log = { replies: [] as string[], dms: [] as { userId: string; text: string }[], deleted: 0 };
  const port: CommandPort = {
    reply: async (text) => void log.replies.push(text),
    dm: async (userId, text) => {
      if (dmWorks) log.dms.push({ userId, text });
      return dmWorks;
    },
    deleteMessage: async () => {
      log.deleted += 1;
    },
  };
  return { port, log };
}

const message = (authorId: string, content: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  authorId,
  authorIsBot: false,
  content,
  direct: true,
  guildId: null,
  ...extra,
});

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  directory = server.harmony.core.services.presenceDirectory;
  const links = server.harmony.core.services.tokenReveals.linksAt(() => 'https://presence.example.com');
  const recorded: TokenLinks = {
    create: async (userId) => {
      const link = await links.create(userId);
      if (link) made.push(link);
      return link;
    },
    withdraw: (link) => links.withdraw(link),
  };
  OPTIONS = { prefix: '!', maxMessageLength: 2000, publicUrl: 'https://presence.example.com', tokenLinks: recorded };
});

beforeEach(() => {
  made = [];
});

/** The reveal page of a link made under the example public URL, fetched from the test server. */
const statusOf = async (link: string) => (await fetch(server.url + new URL(link).pathname)).status;

afterAll(() => server.stop());

describe('parseCommand', () => {
  it('splits the name (lower-cased) from the rest, which keeps inner whitespace', () => {
    expect(parseCommand('!ADD key  two  words\nand a line ', '!')).toEqual({ name: 'add', args: 'key  two  words\nand a line' });
    expect(parseCommand('  !kv', '!')).toEqual({ name: 'kv', args: '' });
    expect(parseCommand('hello !kv', '!')).toBeNull();
    expect(parseCommand('!', '!')).toBeNull();
    expect(parseCommand('!! x', '!!')).toBeNull();
    expect(parseCommand('>>get k', '>>')).toEqual({ name: 'get', args: 'k' });
  });
});

describe('handleChatMessage through a port', () => {
  it('uses the configured prefix and opts the author in, with the public URL in answers', async () => {
    const user = await register(server, 'porter');
    const { port, log } = recordingPort();
    expect(await handleChatMessage(message(user.id, '.add a b'), port, directory, OPTIONS)).toBe('ignored');
    expect(await handleChatMessage(message(user.id, '!add a b'), port, directory, OPTIONS)).toBe('command');
    expect(await handleChatMessage(message(user.id, '!presence'), port, directory, OPTIONS)).toBe('command');
    expect(log.replies).toEqual(['Saved `a`.', `Your presence is shared: https://presence.example.com/user/${user.id}`]);
  });

  it('ignores bots entirely, token guard included', async () => {
    const user = await register(server, 'botowner');
    const token = (await directory.issueToken(user.id)) as string;
    const { port, log } = recordingPort();
    expect(await handleChatMessage(message(user.id, `!kv ${token}`, { authorIsBot: true, direct: false }), port, directory, OPTIONS)).toBe('ignored');
    expect(log).toEqual({ replies: [], dms: [], deleted: 0 });
    expect(directory.userForToken(token)).toBe(user.id);
  });

  it('burns a pasted token even where commands are not answered', async () => {
    const user = await register(server, 'paster');
    const token = (await directory.issueToken(user.id)) as string;
    const { port, log } = recordingPort();
    const handled = await handleChatMessage(message(user.id, token, { direct: false, guildId: null }), port, directory, OPTIONS, false);
    expect(handled).toBe('leaked_token');
    expect(log.deleted).toBe(1);
    expect(directory.userForToken(token)).toBeNull();
    expect(log.dms).toHaveLength(1);
    expect(hasTokenShape(log.dms[0]?.text ?? '')).toBe(false);
    const link = revealLinkIn(log.dms[0]?.text ?? '');
    expect(link).toStartWith('https://presence.example.com/presence-token/');
    expect(directory.userForToken(await revealToken(link, server.url))).toBe(user.id);
    expect(await handleChatMessage(message(user.id, '!kv', { direct: false }), port, directory, OPTIONS, false)).toBe('ignored');
  });

  it('leaves no valid token or link behind when the DM cannot be delivered', async () => {
    const user = await register(server, 'closed_dms');
    const { port, log } = recordingPort(false);
    const before = (await directory.issueToken(user.id)) as string;
    await handleChatMessage(message(user.id, '!token', { direct: false, guildId: null }), port, directory, OPTIONS);
    expect(log.replies).toEqual(['I could not DM you, so no new token was made (the previous one no longer works). Open a DM with me and run !token there.']);
    expect(directory.userForToken(before)).toBeNull();
    expect(directory.settings(user.id).hasToken).toBe(false);
    expect(made).toHaveLength(1);
    expect(await statusOf(made[0] as string)).toBe(404);

    const leaked = (await directory.issueToken(user.id)) as string;
    await handleChatMessage(message(user.id, `oops ${leaked}`, { direct: false }), port, directory, OPTIONS);
    expect(log.replies[1]).toBe('That message contained an API token, so I deleted it and revoked the token. Send !token to me in a DM for a new one.');
    expect(directory.userForToken(leaked)).toBeNull();
    expect(directory.settings(user.id).hasToken).toBe(false);
    expect(made).toHaveLength(2);
    expect(await statusOf(made[1] as string)).toBe(404);
  });

  it('without a URL to link to, .token changes nothing and says the operator must set --public-url', async () => {
    const user = await register(server, 'no_url');
    const noLinks = { ...OPTIONS, tokenLinks: server.harmony.core.services.tokenReveals.linksAt(() => null) };
    const token = (await directory.issueToken(user.id)) as string;
    const { port, log } = recordingPort();
    await handleChatMessage(message(user.id, '!token'), port, directory, noLinks);
    expect(log.replies).toEqual([
      'I cannot hand out API tokens here: this presence server has no public URL to link to. Its operator must set --public-url (HARMONY_PUBLIC_URL). Your current token, if you have one, keeps working.',
    ]);
    expect(directory.userForToken(token)).toBe(user.id);

    // A pasted token is still burnt; its owner is told why no new one can come.
    await handleChatMessage(message(user.id, `here ${token}`, { direct: false }), port, directory, noLinks);
    expect(directory.userForToken(token)).toBeNull();
    expect(log.dms).toEqual([
      {
        userId: user.id,
        text: 'Your presence API token was posted in a channel, so it no longer works. I cannot hand out API tokens here: this presence server has no public URL to link to. Its operator must set --public-url (HARMONY_PUBLIC_URL).',
      },
    ]);
    expect(log.replies[1]).toBe('That message contained an API token, so I deleted it and revoked the token. Send !token to me in a DM for a new one.');
  });

  it("keeps answers within the platform's message limit", async () => {
    const user = await register(server, 'longvalue');
    await directory.setKv(user.id, 'long', 'x'.repeat(5000));
    await directory.setKv(user.id, 'short', 'y'.repeat(1992));
    const { port, log } = recordingPort();
    await handleChatMessage(message(user.id, '!get long'), port, directory, OPTIONS);
    await handleChatMessage(message(user.id, '!get short'), port, directory, OPTIONS);
    expect(log.replies[0]).toBe('`long`: 5000 characters, too long for a message; read it over the API.');
    expect(log.replies[1]).toBe('`short`: 1992 characters, too long for a message; read it over the API.');
    await directory.setKv(user.id, 'fits', 'z'.repeat(1990));
    await handleChatMessage(message(user.id, '!get fits'), port, directory, OPTIONS);
    expect(log.replies[2]).toBe(`\`fits\`: ${'z'.repeat(1990)}`);
    for (const reply of log.replies) expect(reply.length).toBeLessThanOrEqual(2000);
  });
});
