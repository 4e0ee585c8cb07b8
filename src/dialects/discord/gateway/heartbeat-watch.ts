// Discord's server-side heartbeat request (op 1 sent to the client): a connection whose heartbeat is overdue
// is asked once for one right away, before the core closes it with 4009 at 1.5 intervals. A late timer in the
// client (a busy event loop) then costs a round trip instead of a reconnect.
import type { Clock } from '../../../domain/clock.ts';
import type { GatewayConnection } from '../../../gateway/connection.ts';
import type { Gateway } from '../../../gateway/gateway.ts';
import { HEARTBEAT_REQUEST_FRAME } from './frames.ts';

/** Ask for a heartbeat once this much of an interval has passed without one. */
export const NUDGE_AFTER = 1.2;

type Beat = { at: number; nudged: boolean };

export class HeartbeatWatch {
  private readonly beats = new Map<GatewayConnection, Beat>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly gateway: Gateway,
    private readonly clock: Clock,
  ) {}

  /** A connection said HELLO: its heartbeat clock starts now. */
  track(connection: GatewayConnection): void {
    this.beats.set(connection, { at: this.clock.now(), nudged: false });
    if (!this.timer) {
      // A tenth of an interval: the request goes out well before the core's 1.5-interval close.
      const every = Math.max(50, Math.floor(this.gateway.options.heartbeatInterval / 10));
      this.timer = setInterval(() => this.sweep(), every);
      this.timer.unref?.();
    }
  }

  beat(connection: GatewayConnection): void {
    const beat = this.beats.get(connection);
    if (!beat) return;
    beat.at = this.clock.now();
    beat.nudged = false;
  }

  /** Runs on the timer; public so tests can drive it on a moved clock. */
  sweep(): void {
    const now = this.clock.now();
    const overdue = this.gateway.options.heartbeatInterval * NUDGE_AFTER;
    for (const [connection, beat] of this.beats) {
      if (!connection.open) this.beats.delete(connection);
      else if (connection.phase === 'ready' && !beat.nudged && now - beat.at >= overdue) {
        beat.nudged = true;
        this.gateway.send(connection, HEARTBEAT_REQUEST_FRAME);
      }
    }
    if (this.beats.size === 0 || this.gateway.stopped) {
      clearInterval(this.timer);
      this.timer = undefined;
      if (this.gateway.stopped) this.beats.clear();
    }
  }
}
