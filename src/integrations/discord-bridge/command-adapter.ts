// The presence commands (.add, .get, .del, .kv, .token, .github, .help) in Discord: messages in the mirrored
// guild and in DMs with the bridge bot go through the same commands.ts as Harmony's own presence bot, over a
// CommandPort made of discord.js calls (reply in the channel, DM with users.send, delete the message).
// Discord's rate limits are discord.js's REST queue's job; on top of it, each person's messages are handled
// one at a time with at most one waiting, so nobody can make the bot queue DMs (or tokens) without bound.
import type { Client, Message } from 'discord.js';
import { type CommandDirectory, type CommandPort, handleChatMessage } from '../../domain/presence/commands.ts';
import type { PresenceDirectory } from '../../domain/presence/presence-directory.ts';
import type { TokenLinks } from '../../domain/presence/token-reveals.ts';
import { DISCORD_SOURCE } from './member-mapping.ts';

/** Discord's limit for a message's content. */
export const DISCORD_MESSAGE_MAX = 2000;
// Cheap checks before anything else: most messages are neither commands nor carry something token-shaped.
const MAYBE_TOKEN = /[A-Za-z0-9_-]\.[A-Za-z0-9_-]{43}/;

export type DiscordCommandsDeps = {
  client: Client;
  directory: CommandDirectory & Pick<PresenceDirectory, 'isExternalMember'>;
  guildId: string;
  prefix: string;
  publicUrl: string;
  /** Links to Harmony's public URL; they make no links without one (a Discord user cannot reach a listen address). */
  tokenLinks: TokenLinks;
  log: (line: string) => void;
};

type Lane = { running: boolean; waiting: Message | null };

export class DiscordCommands {
  private readonly lanes = new Map<string, Lane>();
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: DiscordCommandsDeps) {}

  /** messageCreate: ignores what is not for us, queues the rest in the author's lane. */
  onMessage(message: Message): void {
    if (this.stopped || message.author.bot || message.webhookId || message.system) return;
    const inGuild = message.guildId === this.deps.guildId;
    if (!inGuild && message.guildId !== null) return;
    if (!message.content.startsWith(this.deps.prefix) && !MAYBE_TOKEN.test(message.content)) return;
    const lane = this.lanes.get(message.author.id) ?? { running: false, waiting: null };
    this.lanes.set(message.author.id, lane);
    if (lane.running) {
      // One waiting message per person; anything beyond is dropped until the bot has caught up.
      lane.waiting ??= message;
      return;
    }
    this.run(message.author.id, lane, message);
  }

  /** Resolves once every accepted message has been answered (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  stop(): void {
    this.stopped = true;
  }

  private run(authorId: string, lane: Lane, message: Message): void {
    lane.running = true;
    const work = this.handle(message).finally(() => {
      this.pending.delete(work);
      const next = lane.waiting;
      lane.waiting = null;
      if (next && !this.stopped) this.run(authorId, lane, next);
      else {
        lane.running = false;
        this.lanes.delete(authorId);
      }
    });
    this.pending.add(work);
  }

  private async handle(message: Message): Promise<void> {
    try {
      const direct = message.guildId === null;
      // People are known by their membership in the mirrored guild; the K/V of anyone else has no page to show.
      if (!this.deps.directory.isExternalMember(DISCORD_SOURCE, message.author.id)) {
        if (direct && message.content.startsWith(this.deps.prefix)) {
          await this.port(message).reply('I only keep presence data for members of the server I mirror. Join it, then ask again.');
        }
        return;
      }
      await handleChatMessage(
        { authorId: message.author.id, authorIsBot: false, content: message.content, direct, guildId: message.guildId },
        this.port(message),
        this.deps.directory,
        { prefix: this.deps.prefix, maxMessageLength: DISCORD_MESSAGE_MAX, publicUrl: this.deps.publicUrl, tokenLinks: this.deps.tokenLinks },
      );
    } catch (error) {
      if (!this.stopped) this.deps.log(`discord bridge: a command failed: ${(error as Error).message}`);
    }
  }

  private port(message: Message): CommandPort {
    let deleted = false;
    return {
      reply: async (text) => {
        try {
          // In a server channel the answer replies to the command, unless the command is gone.
          if (message.guildId !== null && !deleted) await message.reply({ content: text });
          else if (message.channel.isSendable()) await message.channel.send({ content: text });
        } catch (error) {
          // No permission to write there, or the channel is gone: nothing to answer into.
          if (!this.stopped) this.deps.log(`discord bridge: could not answer in ${message.channelId}: ${(error as Error).message}`);
        }
      },
      dm: async (userId, text) => {
        try {
          await this.deps.client.users.send(userId, { content: text });
          return true;
        } catch {
          // DMs closed for this server, or the user blocked the bot: the caller revokes what it could not deliver.
          return false;
        }
      },
      deleteMessage: async () => {
        try {
          await message.delete();
          deleted = true;
        } catch {
          // Already gone, or the bot lacks Manage Messages: the token is revoked either way.
        }
      },
    };
  }
}
