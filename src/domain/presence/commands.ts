// The presence bot's chat commands (.add, .get, .del, .kv, .token, .github, .presence, .help) and the
// pasted-token guard, written once against a small port so Harmony's system bot and the Discord bridge
// answer the same commands with the same words. Nothing here knows which chat platform it runs on.
import { isPrivateKey } from './kv-rules.ts';
import type { PresenceDirectory } from './presence-directory.ts';
import { REVEAL_TTL_MS, type TokenLinks } from './token-reveals.ts';

/** A chat message as the commands need it. */
export type ChatMessage = {
  authorId: string;
  /** Messages from bots are never answered (no bot loops, no bot-owned K/V). */
  authorIsBot: boolean;
  content: string;
  /** true in a direct conversation with the presence bot, false in a shared channel. */
  direct: boolean;
  /** The guild of a shared channel (opting in there makes its nickname the server_name); null in DMs. */
  guildId: string | null;
};

/** How the commands talk back; each platform implements it. Failures are reported, never thrown. */
export type CommandPort = {
  /** Answers where the message was written (the same channel or DM). */
  reply(text: string): Promise<void>;
  /** Sends a private message to a user; false when it could not be delivered. */
  dm(userId: string, text: string): Promise<boolean>;
  /** Deletes the message being handled (one that carried an API token). */
  deleteMessage(): Promise<void>;
};

/** The directory operations the commands use (PresenceDirectory, or a stand-in in tests). */
export type CommandDirectory = Pick<
  PresenceDirectory,
  'setShared' | 'settings' | 'kv' | 'setKv' | 'deleteKv' | 'revokeToken' | 'leakedTokens' | 'linkGithub' | 'unlinkGithub'
>;

export type CommandOptions = {
  prefix: string;
  /** Longest message the platform accepts (Harmony 4000, Discord 2000). */
  maxMessageLength: number;
  /** Where the presence API is reached, for links in answers (e.g. `https://chat.example.com`); '' for paths only. */
  publicUrl: string;
  /** Where new API tokens are handed out: a chat message only ever carries a one-time link to one. */
  tokenLinks: TokenLinks;
};

export type HandledAs = 'command' | 'leaked_token' | 'ignored';

type Context = { message: ChatMessage; args: string; port: CommandPort; directory: CommandDirectory; options: CommandOptions };
type Command = { usage: string; help: string; run(ctx: Context): Promise<void> };

/**
 * Handles one message: first the pasted-token guard (outside DMs with the bot), then a command if the
 * message starts with the prefix and `commands` allows answering here. Unknown command names are ignored,
 * so a message that merely starts with the prefix ("...") never gets an answer.
 */
export async function handleChatMessage(
  message: ChatMessage,
  port: CommandPort,
  directory: CommandDirectory,
  options: CommandOptions,
  commands = true,
): Promise<HandledAs> {
  if (message.authorIsBot) return 'ignored';
  if (!message.direct && (await guardLeakedTokens(message, port, directory, options))) return 'leaked_token';
  if (!commands) return 'ignored';
  const parsed = parseCommand(message.content, options.prefix);
  if (!parsed) return 'ignored';
  // hasOwn: a name like `constructor` must not reach Object.prototype.
  const command = Object.hasOwn(COMMANDS, parsed.name) ? COMMANDS[parsed.name] : undefined;
  if (!command) return 'ignored';
  await command.run({ message, args: parsed.args, port, directory, options });
  return 'command';
}

/** `.add key value` -> { name: 'add', args: 'key value' }; null when it is not a command. */
export function parseCommand(content: string, prefix: string): { name: string; args: string } | null {
  const text = content.trim();
  if (!text.startsWith(prefix)) return null;
  const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(text.slice(prefix.length));
  if (!match?.[1]) return null;
  return { name: match[1].toLowerCase(), args: (match[2] ?? '').trim() };
}

/**
 * A posted API token is burnt: it is revoked, its owner gets a one-time link to a new one by DM, and the
 * message goes away. Returns true when the message carried one.
 */
async function guardLeakedTokens(message: ChatMessage, port: CommandPort, directory: CommandDirectory, options: CommandOptions): Promise<boolean> {
  const leaked = directory.leakedTokens(message.content);
  if (leaked.length === 0) return false;
  await port.deleteMessage();
  let allLinked = true;
  for (const owner of new Set(leaked.map((l) => l.userId))) {
    await directory.revokeToken(owner);
    const link = await options.tokenLinks.create(owner);
    const burnt = 'Your presence API token was posted in a channel, so it no longer works.';
    const delivered = await port.dm(owner, link ? `${burnt} ${linkText(link)}` : `${burnt} ${noLinkText()}`);
    if (link && !delivered) await options.tokenLinks.withdraw(link);
    allLinked &&= link !== null && delivered;
  }
  const next = allLinked ? 'A link to a new one was sent by DM.' : `Send ${options.prefix}token to me in a DM for a new one.`;
  await port.reply(`That message contained an API token, so I deleted it and revoked the token. ${next}`);
  return true;
}

/** The words around a token link; the link is the message's only secret, and it dies on first use. */
function linkText(link: string): string {
  return `Open this link to see your new API token — it shows it once, works for ${REVEAL_TTL_MS / 60_000} minutes, and is for you alone:\n${link}`;
}

function noLinkText(): string {
  return 'I cannot hand out API tokens here: this presence server has no public URL to link to. Its operator must set --public-url (HARMONY_PUBLIC_URL).';
}

const p = (ctx: Context) => ctx.options.prefix;

/** Every command that writes K/V or makes a token opts the user in, as the hosted API does. */
async function optIn(ctx: Context): Promise<void> {
  await ctx.directory.setShared(ctx.message.authorId, true, ctx.message.guildId);
}

function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const COMMANDS: Record<string, Command> = {
  add: {
    usage: 'add <key> <value>',
    help: 'store a value (keys starting with _ are private)',
    async run(ctx) {
      const match = /^(\S+)\s+([\s\S]+)$/.exec(ctx.args);
      if (!match?.[1] || !match[2]) return ctx.port.reply(`Usage: ${p(ctx)}add <key> <value>`);
      const result = await ctx.directory.setKv(ctx.message.authorId, match[1], match[2]);
      if (!result.ok) return ctx.port.reply(`Not saved (${result.rule}): ${result.error}.`);
      await optIn(ctx);
      await ctx.port.reply(`Saved \`${match[1]}\`.`);
    },
  },
  get: {
    usage: 'get <key>',
    help: 'show a value',
    async run(ctx) {
      const key = ctx.args;
      if (!key || /\s/.test(key)) return ctx.port.reply(`Usage: ${p(ctx)}get <key>`);
      await optIn(ctx);
      const kv = ctx.directory.kv(ctx.message.authorId);
      if (!Object.hasOwn(kv, key)) return ctx.port.reply(`You have no key \`${fit(key, 255)}\`.`);
      if (isPrivateKey(key) && !ctx.message.direct) return ctx.port.reply(`\`${key}\` is private: ask me in a DM.`);
      const head = `\`${key}\`: `;
      const value = kv[key] as string;
      const room = ctx.options.maxMessageLength - head.length;
      await ctx.port.reply(value.length <= room ? head + value : `${head}${value.length} characters, too long for a message; read it over the API.`);
    },
  },
  del: {
    usage: 'del <key>',
    help: 'delete a value',
    async run(ctx) {
      const key = ctx.args;
      if (!key || /\s/.test(key)) return ctx.port.reply(`Usage: ${p(ctx)}del <key>`);
      const result = await ctx.directory.deleteKv(ctx.message.authorId, key);
      if (!result.ok) return ctx.port.reply(`Not deleted (${result.rule}): ${result.error}.`);
      await optIn(ctx);
      await ctx.port.reply(result.value ? `Deleted \`${key}\`.` : `You have no key \`${key}\`.`);
    },
  },
  kv: {
    usage: 'kv',
    help: 'list your keys',
    async run(ctx) {
      await optIn(ctx);
      const keys = Object.keys(ctx.directory.kv(ctx.message.authorId));
      if (keys.length === 0) return ctx.port.reply(`You have no keys yet. Add one with ${p(ctx)}add <key> <value>.`);
      // Private key names stay out of shared channels.
      const shown = ctx.message.direct ? keys : keys.filter((k) => !isPrivateKey(k));
      const hidden = keys.length - shown.length;
      const list = shown.map((k) => `\`${k}\``).join(', ') || '(none public)';
      const tail = hidden > 0 ? ` — and ${hidden} private, listed in DMs` : '';
      await ctx.port.reply(fit(`Your keys (${keys.length}): ${list}${tail}`, ctx.options.maxMessageLength));
    },
  },
  token: {
    usage: 'token',
    help: 'get a one-time link to a new API token, by DM (the old token stops working)',
    async run(ctx) {
      const { authorId } = ctx.message;
      const links = ctx.options.tokenLinks;
      await optIn(ctx);
      const link = await links.create(authorId);
      if (!link) return ctx.port.reply(`${noLinkText()} Your current token, if you have one, keeps working.`);
      // Re-running the command resets the token at once, as the seed promises for a compromised one; the
      // link issues the next token when it is opened.
      await ctx.directory.revokeToken(authorId);
      const text = `Your previous API token no longer works. ${linkText(link)}`;
      if (ctx.message.direct) return ctx.port.reply(text);
      if (await ctx.port.dm(authorId, text)) return ctx.port.reply('I sent you a DM with a link to your new API token.');
      // A link nobody received must not stay valid.
      await links.withdraw(link);
      await ctx.port.reply(`I could not DM you, so no new token was made (the previous one no longer works). Open a DM with me and run ${p(ctx)}token there.`);
    },
  },
  github: {
    usage: 'github <username> | off',
    help: 'link your GitHub profile, or unlink it',
    async run(ctx) {
      const { authorId } = ctx.message;
      const arg = ctx.args;
      if (!arg) {
        const linked = ctx.directory.settings(authorId).github;
        return ctx.port.reply(linked ? `Linked to GitHub user ${linked.username}.` : `Usage: ${p(ctx)}github <username> | off`);
      }
      if (arg.toLowerCase() === 'off') {
        return ctx.port.reply((await ctx.directory.unlinkGithub(authorId)) ? 'GitHub unlinked.' : 'No GitHub account was linked.');
      }
      const result = await ctx.directory.linkGithub(authorId, arg);
      if (result.ok) {
        await optIn(ctx);
        return ctx.port.reply(`Linked GitHub user ${result.profile.username}.`);
      }
      const answers: Record<typeof result.reason, string> = {
        invalid_username: 'That is not a valid GitHub username.',
        not_found: 'No such GitHub user.',
        rate_limited: `GitHub is rate limiting us; try again${result.retryAt ? ` after ${new Date(result.retryAt).toISOString()}` : ' later'}.`,
        unavailable: 'GitHub could not be reached; try again later.',
      };
      await ctx.port.reply(answers[result.reason]);
    },
  },
  presence: {
    usage: 'presence on|off',
    help: 'share your presence on the API, or stop',
    async run(ctx) {
      const { authorId, guildId } = ctx.message;
      const arg = ctx.args.toLowerCase();
      const url = `${ctx.options.publicUrl}/user/${authorId}`;
      if (arg === 'on') {
        await ctx.directory.setShared(authorId, true, guildId, true);
        return ctx.port.reply(`Your presence is public: ${url}`);
      }
      if (arg === 'off') {
        await ctx.directory.setShared(authorId, false);
        return ctx.port.reply('Your presence is no longer shared. Your keys are kept; turn it back on any time.');
      }
      if (arg !== '') return ctx.port.reply(`Usage: ${p(ctx)}presence on|off`);
      const shared = ctx.directory.settings(authorId).shared;
      await ctx.port.reply(shared ? `Your presence is shared: ${url}` : `Your presence is not shared. Turn it on with ${p(ctx)}presence on.`);
    },
  },
  help: {
    usage: 'help',
    help: 'this list',
    async run(ctx) {
      const lines = Object.entries(COMMANDS)
        .filter(([name, c]) => name === c.usage.split(' ')[0])
        .map(([, c]) => `${p(ctx)}${c.usage} — ${c.help}`);
      await ctx.port.reply(['Presence commands:', ...lines, `(${p(ctx)}set is ${p(ctx)}add)`].join('\n'));
    },
  },
};

// The seed's command is .add; Lanyard users type .set.
COMMANDS.set = COMMANDS.add as Command;
