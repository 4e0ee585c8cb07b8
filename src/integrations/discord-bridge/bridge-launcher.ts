// Starts the Discord bridge when a token is configured, loading discord.js only then: it takes a good part of
// a second to load, which every run without the bridge (and every CLI command) is spared.
import type { Config } from '../../config.ts';
import type { Clock } from '../../domain/clock.ts';
import type { PresenceDirectory } from '../../domain/presence/presence-directory.ts';
import type { PresenceService } from '../../domain/presence/presence-service.ts';
import type { TokenReveals } from '../../domain/presence/token-reveals.ts';
import type { BridgeHealth, BridgeHealthSource } from './bridge-health.ts';
import type { DiscordBridge, DiscordBridgeOptions } from './discord-bridge.ts';
import { DISCORD_SOURCE } from './member-mapping.ts';

export class BridgeLauncher implements BridgeHealthSource {
  private running: DiscordBridge | null = null;
  private loading: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: DiscordBridgeOptions) {}

  /** The running bridge, once discord.js has loaded. */
  get bridge(): DiscordBridge | null {
    return this.running;
  }

  /** Loads discord.js and starts the bridge in the background; never throws, never rejects. */
  start(): void {
    this.loading ??= import('./discord-bridge.ts').then(
      ({ DiscordBridge }) => {
        if (this.stopped) return;
        this.running = new DiscordBridge(this.options);
        this.running.start();
      },
      (error: unknown) => (this.options.log ?? console.log)(`discord bridge off: discord.js could not be loaded (${(error as Error).message})`),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loading;
    await this.running?.stop();
  }

  health(): BridgeHealth {
    return (
      this.running?.health() ?? {
        state: this.stopped ? 'stopped' : 'connecting',
        guild_id: this.options.guildId,
        members: this.options.directory.externalCount(DISCORD_SOURCE),
      }
    );
  }

  /** Resolves when the bridge is loaded and every command seen so far has been answered (tests). */
  async idle(): Promise<void> {
    await this.loading;
    await this.running?.idle();
  }
}

/** The bridge `config` asks for, not started; null without a token: the bridge is off and nothing else changes. */
export function discordBridgeFor(
  config: Config,
  core: { clock: Clock; services: { presenceDirectory: PresenceDirectory; presence: PresenceService; tokenReveals: Pick<TokenReveals, 'linksAt'> } },
): BridgeLauncher | null {
  if (!config.discordToken) return null;
  return new BridgeLauncher({
    token: config.discordToken,
    guildId: config.discordGuildId,
    api: config.discordApi,
    prefix: config.commandPrefix,
    publicUrl: config.publicUrl ?? '',
    // Only the public URL: a listen address means nothing to someone reading the link in Discord.
    tokenLinks: core.services.tokenReveals.linksAt(() => config.publicUrl),
    directory: core.services.presenceDirectory,
    presence: core.services.presence,
    clock: core.clock,
  });
}

type BridgeCore = Parameters<typeof discordBridgeFor>[1];

/**
 * The app's one bridge slot, from listen() to stop(): the bridge the configuration asks for (or none), replaced
 * when an instance admin sets a corrected token (PUT /api/v1/admin/discord-bridge) — no restart needed. The
 * token given that way is kept in memory only, never written anywhere; the configuration should say it too for
 * the next start.
 */
export class DiscordBridgeControl {
  private launcher: BridgeLauncher | null;
  private started = false;
  private stopped = false;
  private changing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: Config,
    private readonly core: BridgeCore,
  ) {
    this.launcher = discordBridgeFor(config, core);
  }

  /** The current bridge; null while none is configured. */
  get current(): BridgeLauncher | null {
    return this.launcher;
  }

  start(): void {
    this.started = true;
    this.launcher?.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.changing;
    await this.launcher?.stop();
  }

  /** Stops the running bridge (if any) and starts one with this token and guild; resolves with its health. */
  reconfigure(token: string, guildId: string | null): Promise<BridgeHealth> {
    const next = this.changing.then(async () => {
      const previous = this.launcher;
      await previous?.stop();
      const launcher = discordBridgeFor({ ...this.config, discordToken: token, discordGuildId: guildId }, this.core) as BridgeLauncher;
      this.launcher = launcher;
      if (this.stopped) await launcher.stop();
      else if (this.started) launcher.start();
      // Never the token itself.
      console.log(`discord bridge: bot token ${previous ? 'replaced' : 'set'} by an instance admin; connecting to Discord again`);
      return launcher.health();
    });
    this.changing = next.catch(() => {});
    return next;
  }
}
