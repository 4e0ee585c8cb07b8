// Topic management: keeps each session's logical topics and its live connection's subscriptions in step,
// and publishes frames. Native connections use Bun topics (one `server.publish` reaches every subscriber,
// serialized once); connections with a per-connection transform (compression) are kept in a local index and
// sent to one by one, since their bytes differ.
import type { GatewayConnection } from './connection.ts';
import type { GatewaySession } from './session.ts';
import { streamTopic } from './topics.ts';

/** What the board publishes through: Bun's Server. */
export interface Publisher {
  publish(topic: string, data: string): unknown;
}

export class TopicBoard {
  private server: Publisher | null = null;
  private readonly direct = new Map<string, Set<GatewayConnection>>();

  constructor(
    /** Sends one frame to one connection, with the gateway's backpressure policy. */
    private readonly sendDirect: (connection: GatewayConnection, frame: string) => void,
    /** The current sequence number, to stamp topic changes for replay. */
    private readonly now: () => number,
  ) {}

  attach(server: Publisher): void {
    this.server = server;
  }

  /** Subscribes or unsubscribes a session (and its live connection, on each of its streams). */
  set(session: GatewaySession, topic: string, on: boolean): void {
    if (!session.setTopic(topic, on, this.now())) return;
    const connection = session.connection;
    if (connection?.open) for (const stream of session.streams) this.toggle(connection, streamTopic(stream, topic), on);
  }

  /** A connection takes over a session: subscribe it to everything the session may see. */
  connect(session: GatewaySession, connection: GatewayConnection): void {
    for (const topic of session.topics) for (const stream of session.streams) this.toggle(connection, streamTopic(stream, topic), true);
  }

  /** A connection leaves its session (closed, or replaced by a RESUME elsewhere). */
  disconnect(session: GatewaySession, connection: GatewayConnection): void {
    for (const topic of session.topics) for (const stream of session.streams) this.toggle(connection, streamTopic(stream, topic), false);
  }

  /**
   * Publishes a frame to every connection on the stream's topic except `except` (connections that get a frame of
   * their own instead): those are unsubscribed for the publish and subscribed again right after, all synchronously.
   */
  publish(stream: string, topic: string, frame: string, except: readonly GatewayConnection[] = []): void {
    const name = streamTopic(stream, topic);
    for (const connection of except) this.toggle(connection, name, false);
    this.server?.publish(name, frame);
    const direct = this.direct.get(name);
    if (direct) for (const connection of direct) this.sendDirect(connection, frame);
    for (const connection of except) this.toggle(connection, name, true);
  }

  private toggle(connection: GatewayConnection, name: string, on: boolean): void {
    if (connection.native) {
      if (!connection.open) return;
      try {
        if (on) connection.socket.subscribe(name);
        else connection.socket.unsubscribe(name);
      } catch {
        // The socket closed under us; Bun drops its subscriptions with it.
      }
      return;
    }
    let set = this.direct.get(name);
    if (on) {
      if (!set) {
        set = new Set();
        this.direct.set(name, set);
      }
      set.add(connection);
    } else if (set) {
      set.delete(connection);
      if (set.size === 0) this.direct.delete(name);
    }
  }
}
