// The discord.js client the bridge runs: the intents it needs to see every member, their presences and the
// commands people write, pointed at a configurable API (Discord's own, or another Harmony in tests).
import { Client, GatewayIntentBits, Options, Partials } from 'discord.js';

/**
 * Privileged intents: GuildMembers (the member list and its changes) and GuildPresences (statuses and
 * activities) must be switched on for the application in Discord's Developer Portal, MessageContent too for
 * the commands in server channels (DMs carry their content without it).
 */
export const BRIDGE_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildPresences,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
] as const;

export type BridgeClientOptions = {
  /** Discord's API base without the version (`https://discord.com/api`); discord.js appends `/v10`. */
  api: string;
};

export function createBridgeClient({ api }: BridgeClientOptions): Client {
  return new Client({
    intents: [...BRIDGE_INTENTS],
    // A DM channel is not cached before its first message: without this, DMs to the bot would be dropped.
    partials: [Partials.Channel],
    rest: { api },
    // Answers never ping anyone, whatever a command echoes back (a K/V value may contain @everyone).
    allowedMentions: { parse: [], repliedUser: false },
    // Members, users and presences are what the bridge mirrors and stay fully cached (discord.js's defaults);
    // messages are answered as they arrive and never looked up again.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
  });
}
