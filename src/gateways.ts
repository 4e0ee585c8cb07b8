// Attaches every WebSocket endpoint (gateways, presence socket) to an app. Separate from
// createApp so the REST surface can be tested alone.
import { Database } from 'bun:sqlite';
import type { Harmony } from './app.ts';
import { discordGateway } from './dialects/discord/gateway/discord-gateway.ts';
import { harmonyGateway } from './dialects/harmony/gateway/harmony-gateway.ts';
import { lanyardSocket } from './dialects/lanyard/socket.ts';
import { commitTimeOf } from './events/commit-time.ts';
import { createGateway } from './gateway/gateway.ts';
import { MemoryResumeStore } from './gateway/resume-store.ts';
import { ResumeSnapshotStore } from './store/sqlite/resume-snapshot-store.ts';

export function attachGateways(harmony: Harmony): void {
  harmony.addSocket(lanyardSocket(harmony));
  // One gateway core (sessions, sequence, replay, audiences) shared by every gateway dialect; what RESUME needs
  // outlives a graceful restart in the SQLite database. In a cluster it lives in Redis instead, for any node to resume;
  // one node on PostgreSQL without Redis keeps it in memory (a restart ends its sessions: they IDENTIFY again).
  const cluster = harmony.cluster;
  const { db } = harmony.core;
  const gateway = cluster
    ? createGateway(harmony, {}, new MemoryResumeStore(), cluster.gateway)
    : createGateway(harmony, {}, db instanceof Database ? new ResumeSnapshotStore(db) : new MemoryResumeStore());
  cluster?.onLogLost(() => gateway.logLost());
  cluster?.onOutage(() => gateway.sharedStateLost());
  gateway.onDelivered = (event) => harmony.metrics.delivered(commitTimeOf(event));
  harmony.addSocket(harmonyGateway(gateway));
  harmony.addSocket(discordGateway(gateway, harmony));
}
