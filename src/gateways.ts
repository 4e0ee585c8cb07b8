// Attaches every WebSocket endpoint (gateways, presence socket) to an app. Separate from
// createApp so the REST surface can be tested alone.
import type { Harmony } from './app.ts';

export function attachGateways(_harmony: Harmony): void {}
