// A discord.js Client that never connects: recorded gateway packets are fed through discord.js's own packet
// handlers (as its WebSocketManager does: the `raw` event first, then the handler), so tests see exactly the
// structures and events the bridge gets from a live connection.
import { Client, Partials } from 'discord.js';
import { BRIDGE_INTENTS } from '../../../src/integrations/discord-bridge/bridge-client.ts';

export type Packet = { op: number; t: string; s: number; d: unknown };

// discord.js's Status.Ready; the shard and manager must be ready for events to be emitted rather than queued.
const READY = 0;

type PacketHandling = { status: number; handlePacket(packet: Packet, shard: unknown): boolean };

export function recordedClient() {
  const client = new Client({ intents: [...BRIDGE_INTENTS], partials: [Partials.Channel] });
  const ws = client.ws as unknown as PacketHandling;
  ws.status = READY;
  const shard = { id: 0, status: READY, checkReady() {} };
  return {
    client,
    feed(packet: Packet): void {
      client.emit('raw', packet, 0);
      ws.handlePacket(packet, shard);
    },
  };
}

/** A recorded packet from test/fixtures/discord, a fresh copy each time (discord.js mutates what it is given). */
export async function fixture(name: string): Promise<Packet> {
  return Bun.file(new URL(`../../fixtures/discord/${name}.json`, import.meta.url)).json();
}
