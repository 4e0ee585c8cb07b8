// Attaches every WebSocket endpoint (gateways, presence socket) to an app. Separate from
// createApp so the REST surface can be tested alone.
import type { Harmony } from './app.ts';
import { lanyardSocket } from './dialects/lanyard/socket.ts';

export function attachGateways(harmony: Harmony): void {
  harmony.addSocket(lanyardSocket(harmony));
}
