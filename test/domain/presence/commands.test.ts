// The chat commands through their port alone, as the Discord bridge will drive them: a recording port
// (whose DMs can fail), the real directory, and a 2000-character message limit.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { type ChatMessage, type CommandPort, handleChatMessage, parseCommand } from '../../../src/domain/presence/commands.ts';
import type { PresenceDirectory } from '../../../src/domain/presence/presence-directory.ts';
import { tokenIn } from '../../support/presence.ts';
import { register, startServer, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let directory: PresenceDirectory;
const OPTIONS = { prefix: '!', maxMessageLength: 2000, publicUrl: 'https://presence.example.com' };

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
});

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
    const token = directory.issueToken(user.id) as string;
    const { port, log } = recordingPort();
    expect(await handleChatMessage(message(user.id, `!kv ${token}`, { authorIsBot: true, direct: false }), port, directory, OPTIONS)).toBe('ignored');
    expect(log).toEqual({ replies: [], dms: [], deleted: 0 });
    expect(directory.userForToken(token)).toBe(user.id);
  });

  it('burns a pasted token even where commands are not answered', async () => {
    const user = await register(server, 'paster');
    const token = directory.issueToken(user.id) as string;
    const { port, log } = recordingPort();
    const handled = await handleChatMessage(message(user.id, token, { direct: false, guildId: null }), port, directory, OPTIONS, false);
    expect(handled).toBe('leaked_token');
    expect(log.deleted).toBe(1);
    expect(directory.userForToken(token)).toBeNull();
    expect(log.dms).toHaveLength(1);
    expect(directory.userForToken(tokenIn(log.dms[0]?.text ?? ''))).toBe(user.id);
    expect(await handleChatMessage(message(user.id, '!kv', { direct: false }), port, directory, OPTIONS, false)).toBe('ignored');
  });

  it('leaves no valid token behind when the DM cannot be delivered', async () => {
    const user = await register(server, 'closed_dms');
    const { port, log } = recordingPort(false);
    await handleChatMessage(message(user.id, '!token', { direct: false, guildId: null }), port, directory, OPTIONS);
    expect(log.replies).toEqual(['I could not DM you, so no token was made. Open a DM with me and run !token there.']);
    expect(directory.settings(user.id).hasToken).toBe(false);

    const leaked = directory.issueToken(user.id) as string;
    await handleChatMessage(message(user.id, `oops ${leaked}`, { direct: false }), port, directory, OPTIONS);
    expect(directory.userForToken(leaked)).toBeNull();
    expect(directory.settings(user.id).hasToken).toBe(false);
  });

  it("keeps answers within the platform's message limit", async () => {
    const user = await register(server, 'longvalue');
    directory.setKv(user.id, 'long', 'x'.repeat(5000));
    directory.setKv(user.id, 'short', 'y'.repeat(1992));
    const { port, log } = recordingPort();
    await handleChatMessage(message(user.id, '!get long'), port, directory, OPTIONS);
    await handleChatMessage(message(user.id, '!get short'), port, directory, OPTIONS);
    expect(log.replies[0]).toBe('`long`: 5000 characters, too long for a message; read it over the API.');
    expect(log.replies[1]).toBe('`short`: 1992 characters, too long for a message; read it over the API.');
    directory.setKv(user.id, 'fits', 'z'.repeat(1990));
    await handleChatMessage(message(user.id, '!get fits'), port, directory, OPTIONS);
    expect(log.replies[2]).toBe(`\`fits\`: ${'z'.repeat(1990)}`);
    for (const reply of log.replies) expect(reply.length).toBeLessThanOrEqual(2000);
  });
});
