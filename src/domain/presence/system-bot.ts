// The built-in presence bot on Harmony itself: a system bot user made at first start, reachable by DM
// from anyone, that answers the presence commands (commands.ts) in its DMs and in guild channels it is a
// member of, and burns API tokens pasted anywhere but its own DMs. It reacts to committed
// `message.create` events and answers through the ordinary MessageService, like any other bot.

import type { EventHub } from '../../events/event-hub.ts';
import type { ChannelService } from '../channels.ts';
import type { Clock } from '../clock.ts';
import { CONTENT_MAX, type Message, type MessageService } from '../messages.ts';
import type { ChannelsRepo, GuildsRepo, PresenceRepo, UsersRepo } from '../ports/index.ts';
import type { UnitOfWork } from '../ports/unit-of-work.ts';
import type { SnowflakeGenerator } from '../snowflake.ts';
import { USERNAME_PATTERN } from '../users.ts';
import { type CommandDirectory, type CommandPort, handleChatMessage } from './commands.ts';
import type { TokenLinks, TokenReveals } from './token-reveals.ts';

export type SystemBotDeps = {
  uow: UnitOfWork;
  hub: EventHub;
  users: UsersRepo;
  guilds: GuildsRepo;
  channels: ChannelsRepo;
  presenceStore: PresenceRepo;
  channelService: ChannelService;
  messages: MessageService;
  directory: CommandDirectory;
  reveals: Pick<TokenReveals, 'linksAt'>;
  ids: SnowflakeGenerator;
  clock: Clock;
  name: string;
  prefix: string;
  publicUrl: string;
};

const DESCRIPTION = 'Built-in presence bot: K/V, API tokens, GitHub link. Say .help';
// Cheap checks before any SQL: most messages are neither commands nor carry something token-shaped.
const MAYBE_TOKEN = /[A-Za-z0-9_-]\.[A-Za-z0-9_-]{43}/;

export class SystemBot {
  private botId = '';
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  /** Handlings still running (GitHub lookups can take seconds), so tests and shutdown can wait for them. */
  private readonly pending = new Set<Promise<unknown>>();
  private listenOrigin: string | null = null;
  private claim: ((messageId: string) => Promise<boolean>) | null = null;
  /** Token links name the public URL; without one, the address this server listens on (never a request's Host). */
  private readonly tokenLinks: TokenLinks;

  constructor(private readonly deps: SystemBotDeps) {
    this.tokenLinks = deps.reveals.linksAt(() => deps.publicUrl || this.listenOrigin);
  }

  /** Where the server listens (`http://127.0.0.1:3002`), for links when no public URL is configured. */
  listeningAt(origin: string): void {
    this.listenOrigin = origin;
  }

  get id(): string {
    return this.botId;
  }

  /** Creates the bot user the first time (under the configured name, or a free variant of it) and starts listening. */
  async start(): Promise<void> {
    this.botId = (await this.deps.presenceStore.systemBotId()) ?? (await this.create());
    this.unsubscribe = this.deps.hub.subscribe((event) => {
      if (event.type !== 'message.create' || this.stopped) return;
      const message = event.message;
      if (message.authorId === this.botId) return;
      if (!message.content.startsWith(this.deps.prefix) && !MAYBE_TOKEN.test(message.content)) return;
      // Hub listeners run right after the sender's commit, inside its call stack: answer on a later tick.
      queueMicrotask(() => this.track(this.handleOnce(message)));
    });
  }

  /**
   * Several nodes (a cluster) all see each message: `claim` (a lock keyed by the message) says whether this node
   * is the one to answer it. A claim that fails (Redis away) answers nothing rather than answering twice.
   */
  answerOnce(claim: (messageId: string) => Promise<boolean>): void {
    this.claim = claim;
  }

  private async handleOnce(message: Message): Promise<unknown> {
    if (this.claim && !(await this.claim(message.id).catch(() => false))) return;
    return this.handle(message);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  /** Resolves when every message seen so far has been answered. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async handle(message: Message): Promise<void> {
    try {
      const author = await this.deps.users.byId(message.authorId);
      if (!author || author.bot || author.disabled) return;
      let direct = false;
      let commands: boolean;
      if (message.guildId === null) {
        const channel = await this.deps.channels.byId(message.channelId);
        direct = channel?.recipientIds.includes(this.botId) ?? false;
        commands = direct;
      } else {
        commands = (await this.deps.guilds.member(message.guildId, this.botId)) !== null;
      }
      await handleChatMessage(
        { authorId: author.id, authorIsBot: false, content: message.content, direct, guildId: message.guildId },
        this.port(message, direct, commands),
        this.deps.directory,
        { prefix: this.deps.prefix, maxMessageLength: CONTENT_MAX, publicUrl: this.deps.publicUrl, tokenLinks: this.tokenLinks },
        commands,
      );
    } catch (error) {
      if (!this.stopped) console.error('presence bot failed on a message:', error);
    }
  }

  /** `canAnswer`: the bot is in the conversation (its DM, or a guild it is a member of). */
  private port(message: Message, direct: boolean, canAnswer: boolean): CommandPort {
    const { messages, channelService } = this.deps;
    let deleted = false;
    return {
      reply: async (text) => {
        if (!canAnswer) return;
        try {
          // In a guild channel the answer replies to the command, unless the command is gone.
          const replyTo = direct || deleted ? null : message.id;
          await messages.send(message.channelId, this.botId, { content: text, replyTo });
        } catch (error) {
          // No SEND_MESSAGES in that channel, or the channel is gone: nothing to answer into.
          if (!this.stopped) console.warn('presence bot could not answer:', (error as Error).message);
        }
      },
      dm: async (userId, text) => {
        try {
          const channel = await channelService.openDm(this.botId, userId);
          await messages.send(channel.id, this.botId, { content: text });
          return true;
        } catch {
          return false;
        }
      },
      deleteMessage: async () => {
        try {
          // Removed on the author's behalf: every author may delete their own message, whatever the bot's role.
          await messages.delete(message.id, message.authorId);
          deleted = true;
        } catch {
          // Already deleted by someone else.
        }
      },
    };
  }

  private async create(): Promise<string> {
    return await this.deps.uow.write(async () => {
      const name = await this.freeName();
      const { id, at } = this.deps.ids.mint();
      await this.deps.users.insert({
        id,
        username: name,
        passwordHash: null,
        bot: true,
        system: true,
        admin: false,
        description: DESCRIPTION,
        createdAt: at,
      });
      return id;
    });
  }

  /** The configured name, or Name_2, Name_3, ... when a person already took it. */
  private async freeName(): Promise<string> {
    const base = USERNAME_PATTERN.test(this.deps.name) ? this.deps.name : 'Harmy';
    if (!(await this.deps.users.usernameTaken(base))) return base;
    for (let i = 2; ; i++) {
      const candidate = `${base.slice(0, 28)}_${i}`;
      if (!(await this.deps.users.usernameTaken(candidate))) return candidate;
    }
  }
}
