// The bridge's connection state as `GET /health` reports it: the presence API keeps serving the last known
// presences whatever happens to Discord, and this says whether they are still live.

export type BridgeState =
  /** Logging in, loading the guild's members. */
  | 'connecting'
  /** Following the guild live. */
  | 'ready'
  /** Lost the connection (Discord unreachable, gateway closed); discord.js is reconnecting by itself. */
  | 'reconnecting'
  /** Logged in, but the bot is not in the configured guild (or none was configured and it is in several). */
  | 'waiting_for_guild'
  /** Gave up: a rejected token or intents not enabled. Needs the operator; the log says what to do. */
  | 'failed'
  | 'stopped';

/** The `bridge` object of `/health`. */
export type BridgeHealth = { state: BridgeState; guild_id: string | null; members: number };

/** Something that can report a bridge's health (app.ts only needs this). */
export type BridgeHealthSource = { health(): BridgeHealth };

/** What `/health` answers: `degraded` while a configured bridge is not live. */
export function healthReport(version: string, bridge: BridgeHealthSource | null) {
  if (!bridge) return { status: 'ok' as const, version };
  const report = bridge.health();
  return { status: report.state === 'ready' ? ('ok' as const) : ('degraded' as const), version, bridge: report };
}
