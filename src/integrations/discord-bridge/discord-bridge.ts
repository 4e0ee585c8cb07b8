// The Discord bridge: logs a discord.js bot in, mirrors every member of one guild (profile, status,
// activities) into the presence directory under their Discord id, follows the guild live, and answers the
// presence commands there. It never takes Harmony down: every failure is logged and reported on /health,
// discord.js reconnects and resumes by itself, and until it is back the last known presences keep being served.
import { type Client, Events, type Guild, type GuildMember, type PartialGuildMember } from 'discord.js';
import type { Clock } from '../../domain/clock.ts';
import type { PresenceDirectory } from '../../domain/presence/presence-directory.ts';
import type { PresenceService } from '../../domain/presence/presence-service.ts';
import type { TokenLinks } from '../../domain/presence/token-reveals.ts';
import { createBridgeClient } from './bridge-client.ts';
import type { BridgeHealth, BridgeState } from './bridge-health.ts';
import { DiscordCommands } from './command-adapter.ts';
import { GuildMirror } from './guild-mirror.ts';
import { DISCORD_SOURCE } from './member-mapping.ts';

export type DiscordBridgeOptions = {
  token: string;
  /** The guild to mirror; null: the only guild the bot is in. */
  guildId: string | null;
  api: string;
  prefix: string;
  publicUrl: string;
  tokenLinks: TokenLinks;
  directory: PresenceDirectory;
  presence: PresenceService;
  clock: Clock;
  /** One line per event worth an operator's attention (console.log by default). */
  log?: (line: string) => void;
  /** Delays between attempts when Discord cannot be reached at login or the member list does not arrive. */
  retryDelaysMs?: readonly number[];
};

const DEFAULT_RETRY_DELAYS_MS = [2_000, 5_000, 15_000, 30_000, 60_000, 300_000];
// Gateway close codes discord.js does not recover from, with what the operator has to do.
const FATAL_CLOSES: Record<number, string> = {
  4004: 'Discord rejected the bot token (HARMONY_DISCORD_TOKEN): reset it in the Developer Portal and set the new one',
  4013: 'Discord refused the gateway intents',
  4014: 'the Presence, Server Members and Message Content intents are not enabled for this bot: switch them on under Bot > Privileged Gateway Intents in the Developer Portal',
};

/**
 * Wires discord.js's events for one guild to a mirror. Presence updates are read from the raw gateway packet
 * (see GuildMirror.presenceUpdated); members and users from discord.js's own events.
 */
export function followGuild(client: Client, mirror: GuildMirror): void {
  client.on(Events.Raw, (packet: { t?: unknown; d?: unknown }) => {
    if (packet.t === 'PRESENCE_UPDATE') mirror.presenceUpdated(packet.d);
  });
  // discord.js does not await its listeners: the mirror keeps track of the writes (a failed one is logged).
  const logged = (work: Promise<void>) => mirror.track(work);
  client.on(Events.GuildMemberAdd, (member) => logged(mirror.memberChanged(member)));
  client.on(Events.GuildMemberUpdate, (_old, member) => logged(mirror.memberChanged(member)));
  client.on(Events.GuildMemberRemove, (member: GuildMember | PartialGuildMember) => logged(mirror.memberLeft(member.guild.id, member.id)));
  client.on(Events.UserUpdate, (_old, user) => logged(mirror.userChanged(user, client.guilds.cache.get(mirror.guildId)?.members.cache.get(user.id) ?? null)));
}

export class DiscordBridge {
  private client: Client | null = null;
  private mirror: GuildMirror | null = null;
  private commands: DiscordCommands | null = null;
  private state: BridgeState = 'connecting';
  private guildId: string | null;
  private announced = false;
  private outageLogged = false;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private syncing: Promise<void> | null = null;
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(private readonly options: DiscordBridgeOptions) {
    this.guildId = options.guildId;
    this.log = options.log ?? ((line) => console.log(line));
  }

  /** Starts logging in in the background; never throws, never rejects. */
  start(): void {
    if (this.guildId) {
      // The last known members are served while Discord is being reached.
      this.options.directory.restoreExternal(DISCORD_SOURCE, this.guildId);
      this.mirror = this.newMirror(this.guildId);
    }
    this.connect();
  }

  /** Stops the client (closing the gateway connection); the mirrored members stay as last known. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    this.commands?.stop();
    const client = this.client;
    this.client = null;
    await client?.destroy().catch(() => {});
  }

  /** The discord.js client of the current attempt (null when stopped or given up): for diagnostics and tests. */
  get discordClient(): Client | null {
    return this.client;
  }

  health(): BridgeHealth {
    return { state: this.state, guild_id: this.guildId, members: this.options.directory.externalCount(DISCORD_SOURCE) };
  }

  /** Resolves when every command seen so far has been answered (tests). */
  idle(): Promise<void> {
    return this.commands?.idle() ?? Promise.resolve();
  }

  private newMirror(guildId: string): GuildMirror {
    const { directory, presence, clock } = this.options;
    return new GuildMirror({ directory, presence, clock, guildId });
  }

  private connect(): void {
    if (this.stopped) return;
    this.state = this.announced ? 'reconnecting' : 'connecting';
    const client = createBridgeClient({ api: this.options.api });
    this.client = client;
    client.once(Events.ClientReady, (ready) => void this.onReady(ready));
    // A resumed session replays what it missed; a new one (re-identify, or the guild back after an outage) makes
    // the guild available again with no way to tell what happened meanwhile: load it all again.
    client.on(Events.ShardResume, () => {
      if (this.mirror && this.announced) this.back();
    });
    client.on(Events.GuildAvailable, (guild) => {
      if (this.announced && guild.id === this.guildId) void this.sync(client);
    });
    client.on(Events.ShardReconnecting, () => this.lost());
    client.on(Events.ShardDisconnect, (event) => this.disconnected(event.code));
    client.on(Events.GuildUnavailable, (guild) => {
      if (guild.id === this.guildId) this.lost();
    });
    client.on(Events.GuildDelete, (guild) => {
      if (guild.id !== this.guildId || this.stopped) return;
      this.state = 'waiting_for_guild';
      this.log(`discord bridge: the bot was removed from ${describe(guild)}; the last known presences stay until it is invited again`);
    });
    client.on(Events.GuildCreate, (guild) => {
      if (this.state === 'waiting_for_guild' && guild.id === this.guildId) void this.sync(client);
    });
    client.on(Events.Error, (error) => this.log(`discord bridge: ${error.message}`));
    client.on(Events.MessageCreate, (message) => this.commands?.onMessage(message));
    client.login(this.options.token).then(
      () => {
        this.attempts = 0;
      },
      (error: unknown) => this.loginFailed(client, error),
    );
  }

  private loginFailed(client: Client, error: unknown): void {
    void client.destroy().catch(() => {});
    if (this.stopped || client !== this.client) return;
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    const fatal =
      code === 'TokenInvalid' || message === 'Authentication failed'
        ? FATAL_CLOSES[4004]
        : code === 'DisallowedIntents' || message === 'Used disallowed intents'
          ? FATAL_CLOSES[4014]
          : undefined;
    if (fatal) {
      this.fail(fatal);
      return;
    }
    const delay = this.nextDelay();
    if (this.attempts === 1 || !this.outageLogged) {
      this.log(`discord bridge: cannot reach Discord at ${this.options.api} (${message}); retrying in ${Math.round(delay / 1000)} s`);
      this.outageLogged = true;
    }
    this.state = this.announced ? 'reconnecting' : 'connecting';
    this.timer = setTimeout(() => this.connect(), delay);
    this.timer.unref?.();
  }

  private async onReady(client: Client<true>): Promise<void> {
    if (this.stopped || client !== this.client) return;
    if (!this.guildId) {
      const guilds = [...client.guilds.cache.values()];
      if (guilds.length !== 1) {
        this.state = 'waiting_for_guild';
        this.log(
          `discord bridge: set HARMONY_DISCORD_GUILD_ID to the server to mirror (the bot is in ${guilds.length === 0 ? 'no server yet' : guilds.map(describe).join(', ')})`,
        );
        return;
      }
      this.guildId = (guilds[0] as Guild).id;
      this.mirror = this.newMirror(this.guildId);
    }
    const mirror = this.mirror as GuildMirror;
    followGuild(client, mirror);
    this.commands = new DiscordCommands({
      client,
      directory: this.options.directory,
      guildId: mirror.guildId,
      prefix: this.options.prefix,
      publicUrl: this.options.publicUrl,
      tokenLinks: this.options.tokenLinks,
      log: this.log,
    });
    await this.sync(client);
  }

  /** Loads every member with their presence (member chunking); one at a time, retried while it fails. */
  private sync(client: Client): Promise<void> {
    this.syncing ??= this.syncOnce(client).finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async syncOnce(client: Client): Promise<void> {
    const mirror = this.mirror;
    if (!mirror || this.stopped) return;
    const guild = client.guilds.cache.get(mirror.guildId);
    if (!guild?.available) {
      this.state = 'waiting_for_guild';
      this.log(`discord bridge: the bot is not in the server ${mirror.guildId}; invite it (see docs/discord-bridge.md)`);
      return;
    }
    try {
      // After a new session the cache still holds presences from before; the chunks bring every current one
      // (and any PRESENCE_UPDATE meanwhile lands here too), so a member missing from them is offline.
      guild.presences.cache.clear();
      const members = await guild.members.fetch({ withPresences: true });
      if (this.stopped || client !== this.client) return;
      const result = await mirror.sync(members.values(), (id) => guild.presences.cache.get(id) ?? null);
      for (const id of result.refused) this.log(`discord bridge: member ${id} has the id of a Harmony account here and is not mirrored`);
      if (!this.announced) {
        this.announced = true;
        this.log(`discord bridge on: mirroring ${result.tracked} members of ${describe(guild)}`);
      } else if (this.state !== 'ready') {
        this.log(`discord bridge: back in touch with Discord, ${result.tracked} members of ${describe(guild)}`);
      }
      this.state = 'ready';
      this.outageLogged = false;
      this.attempts = 0;
    } catch (error) {
      if (this.stopped || client !== this.client) return;
      this.lost();
      const delay = this.nextDelay();
      this.log(`discord bridge: could not load the members of ${describe(guild)} (${(error as Error).message}); retrying in ${Math.round(delay / 1000)} s`);
      this.timer = setTimeout(() => void this.sync(client), delay);
      this.timer.unref?.();
    }
  }

  private back(): void {
    if (this.state === 'ready' || this.state === 'failed' || this.stopped) return;
    this.state = 'ready';
    if (this.outageLogged) this.log('discord bridge: back in touch with Discord');
    this.outageLogged = false;
  }

  private lost(): void {
    if (this.stopped || this.state === 'failed' || this.state === 'waiting_for_guild') return;
    if (this.state === 'ready' && !this.outageLogged) {
      this.log('discord bridge: lost the connection to Discord; reconnecting, the last known presences are served meanwhile');
      this.outageLogged = true;
    }
    this.state = this.announced ? 'reconnecting' : 'connecting';
  }

  private disconnected(code: number): void {
    const reason = FATAL_CLOSES[code];
    if (reason) this.fail(reason);
    else this.lost();
  }

  /** Something only the operator can fix: one clear line, and the bridge stays off. */
  private fail(reason: string): void {
    if (this.state === 'failed' || this.stopped) return;
    this.state = 'failed';
    this.log(`discord bridge off: ${reason}. The rest of Harmony keeps running.`);
    const client = this.client;
    this.client = null;
    void client?.destroy().catch(() => {});
  }

  private nextDelay(): number {
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const delay = delays[Math.min(this.attempts, delays.length - 1)] ?? 60_000;
    this.attempts += 1;
    return delay;
  }
}

function describe(guild: Guild): string {
  return `"${guild.name}" (${guild.id})`;
}
