// docs/operations.md's nginx configuration for several nodes, run as written (read from the doc; only the node
// addresses, the listen line and TLS are changed for loopback) in front of two `harmony serve` processes.
//
// Each process has its own SQLite data folder: two nodes cannot share one SQLite database, and the shared
// PostgreSQL + Redis storage that makes N nodes one instance is not wired yet. So this tests what nginx and the
// nodes do without shared storage: requests spread over both nodes (no stickiness), WebSocket upgrades of both
// gateways pass through, /health answers from each node, and /metrics is kept off the balancer while each node
// serves its own directly. The full cluster test comes with the shared storage.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, startChild } from '../support/child-server.ts';
import { type Nginx, startNginxWith } from '../support/nginx.ts';

const scratch = mkdtempSync(join(tmpdir(), 'harmony-nodes-'));
const nodes: ChildServer[] = [];
let nginx: Nginx;
let base: string;

/** The ```nginx block of the "Several nodes behind nginx" section, fitted to loopback: `PORT` is nginx's port. */
async function documentedConfig(upstreams: string[]): Promise<string> {
  const doc = await Bun.file(join(import.meta.dir, '../../docs/operations.md')).text();
  const section = doc.slice(doc.indexOf('## Several nodes behind nginx'));
  const block = /```nginx\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('docs/operations.md has no nginx block under "Several nodes behind nginx"');
  const options = /^ {4}server 10\.0\.0\.11:3002 (.*);$/m.exec(block)?.[1];
  if (!options) throw new Error('the documented upstream has no node 10.0.0.11:3002');
  return block
    .replace(/^ {4}server 10\.0\.0\.11:3002 .*;$/m, upstreams.map((u) => `    server ${u} ${options};`).join('\n'))
    .replace(/^ {4}server 10\.0\.0\.1\d:3002 .*;\n/gm, '')
    .replace(/^ {4}listen 443 ssl;$/m, '    listen 127.0.0.1:PORT;')
    .replace(/^ {4}(http2 on|ssl_\w+ .*);\n/gm, '');
}

beforeAll(async () => {
  for (const name of ['node-1', 'node-2']) {
    nodes.push(await startChild(join(scratch, name), ['--node-id', name, '--trusted-proxies', '127.0.0.1']));
  }
  const config = await documentedConfig(nodes.map((node) => new URL(node.url).host));
  nginx = await startNginxWith((port) => config.replace('127.0.0.1:PORT', `127.0.0.1:${port}`));
  base = `http://127.0.0.1:${nginx.port}`;
}, 60_000);

afterAll(async () => {
  await nginx?.stop();
  for (const node of nodes) await node.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Opens a WebSocket through nginx and resolves with its first frame (the gateway's HELLO). */
function firstFrame(path: string): Promise<{ op: number; d: { heartbeat_interval: number } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${nginx.port}${path}`);
    ws.addEventListener('message', (event) => {
      resolve(JSON.parse(String(event.data)));
      ws.close();
    });
    ws.addEventListener('error', () => reject(new Error(`WebSocket to ${path} failed`)));
  });
}

/** Opens a WebSocket through nginx, sends `frame`, and resolves with the close code the node answers with. */
function closeAfterIdentify(path: string, frame: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${nginx.port}${path}`);
    ws.addEventListener('open', () => ws.send(JSON.stringify(frame)));
    ws.addEventListener('close', (event) => resolve(event.code));
    ws.addEventListener('error', () => reject(new Error(`WebSocket to ${path} failed`)));
  });
}

describe('nginx in front of two nodes, as docs/operations.md configures it', () => {
  it('spreads /health over both nodes (no stickiness), each answering for itself', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${base}/health`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; node: string; checks: { database: { status: string } } };
      expect([body.status, body.checks.database.status]).toEqual(['ok', 'ok']);
      seen.push(body.node);
    }
    expect([...new Set(seen)].sort()).toEqual(['node-1', 'node-2']);
  });

  it('passes WebSocket upgrades of both gateways and the presence socket, both ways', async () => {
    expect((await firstFrame('/gateway/discord?v=10&encoding=json')).op).toBe(10);
    expect((await firstFrame('/gateway/discord/?v=10&encoding=json')).op).toBe(10);
    // The v1 gateway speaks after IDENTIFY: a bad token travels through nginx and the node's close code comes back.
    expect(await closeAfterIdentify('/gateway', { op: 2, d: { token: 'not-a-token' } })).toBe(4004);
    expect((await firstFrame('/socket')).op).toBe(1);
  });

  it('keeps /metrics off the balancer, while each node serves its own to a local scrape', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    for (const [i, node] of nodes.entries()) {
      const res = await fetch(`${node.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain(`harmony_node_info{node="node-${i + 1}",`);
      // The six /health calls through nginx were shared between the nodes, three each (round-robin).
      expect(text).toContain(`harmony_http_requests_total{node="node-${i + 1}",route_class="ops",status="200"} 3\n`);
    }
  });
});
