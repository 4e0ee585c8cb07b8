// A bot's application object (GET /applications/@me, READY's `application`). On Harmony a bot *is* its
// application: same id, same name. Privileged intents an admin allowed show as Discord's Gateway* flags.
import { type APIApplication, ApplicationFlags, GatewayIntentBits } from 'discord-api-types/v10';
import type { User } from '../../../domain/users.ts';
import { user } from './user.ts';

/** The application flags discord.js and bots read to know which privileged intents they may ask for. */
export function applicationFlags(bot: User): ApplicationFlags {
  let flags = 0;
  if (bot.botIntents & GatewayIntentBits.GuildPresences) flags |= ApplicationFlags.GatewayPresence;
  if (bot.botIntents & GatewayIntentBits.GuildMembers) flags |= ApplicationFlags.GatewayGuildMembers;
  if (bot.botIntents & GatewayIntentBits.MessageContent) flags |= ApplicationFlags.GatewayMessageContent;
  return flags;
}

/**
 * `owner`: the admin who created the bot (a deleted account stays as its tombstone); a bot made with the CLI
 * has no creator and is its own owner, since discord.py reads `owner` (and `rpc_origins`) unconditionally.
 */
export function application(bot: User, owner: User | null): APIApplication {
  const flags = applicationFlags(bot);
  return {
    id: bot.id,
    name: bot.username,
    icon: null,
    description: bot.description ?? '',
    bot_public: false,
    bot_require_code_grant: false,
    bot: user(bot),
    owner: user(owner ?? bot),
    rpc_origins: [],
    summary: '',
    verify_key: '',
    team: null,
    flags,
    flags_new: String(flags),
  };
}
