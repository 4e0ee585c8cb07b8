// Presence across a graceful restart (same data folder): a user with no live session is offline afterwards, but their
// last_seen and custom status are still shown, and a presence mirrored from another platform (the Discord bridge) is
// served as last known until that platform says otherwise.
import { afterAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, GatewayClient, opened } from '../support/gateway-client.ts';
import { register, startServer, type TestServer } from '../support/test-server.ts';

const root = mkdtempSync(join(tmpdir(), 'harmony-presence-restart-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CUSTOM = { type: 4, name: 'Custom Status', state: 'On holiday until Monday' };
const DISCORD_MEMBER = '80351110224678912';

async function connect(server: TestServer, token: string, presence: unknown): Promise<GatewayClient> {
  const client = new GatewayClient(new WebSocket(`${server.url.replace(/^http/, 'ws')}/gateway`));
  await opened(client.ws);
  await client.identify(token, { presence });
  return client;
}

const lanyard = async (server: TestServer, id: string) => (await server.api('GET', `/v1/users/${id}`)).body.data;

describe('presence across a restart', () => {
  it('keeps last_seen, the custom status and mirrored presences; a user without a session is offline', async () => {
    const dir = join(root, 'graceful');
    const first = await startServer({ rateLimits: false, dataDir: dir });
    const alice = await register(first, 'alice');
    expect((await first.api('PUT', '/api/v1/users/@me/presence', { token: alice.token, body: { shared: true } })).status).toBe(200);
    const client = await connect(first, alice.token, { status: 'dnd', activities: [CUSTOM], afk: false, since: null });
    await eventually(async () => (await lanyard(first, alice.id)).discord_status === 'dnd', 5000, 'alice dnd');
    expect((await lanyard(first, alice.id)).activities).toMatchObject([CUSTOM]);
    first.harmony.core.services.presence.setMirrored(DISCORD_MEMBER, 'discord', { status: 'idle', activities: [], clientStatus: { mobile: 'idle' } });
    const before = Date.now();
    await first.stop();
    const after = Date.now();
    await client.closed;

    const second = await startServer({ rateLimits: false, dataDir: dir });
    try {
      const shown = await lanyard(second, alice.id);
      expect(shown.discord_status).toBe('offline');
      expect(shown.activities).toHaveLength(1);
      expect(shown.activities).toMatchObject([CUSTOM]);
      expect(shown.last_seen).toBeGreaterThanOrEqual(before);
      expect(shown.last_seen).toBeLessThanOrEqual(after);
      const seed = await second.api('GET', `/user/${alice.id}`);
      expect(seed.status).toBe(200);
      expect(seed.body.presence.status).toBe('offline');
      expect(second.harmony.core.services.presence.get(DISCORD_MEMBER)).toMatchObject({ status: 'idle', clientStatus: { mobile: 'idle' } });

      // Online again without a custom status: it is cleared, and offline after that shows none.
      const again = await connect(second, alice.token, { status: 'online', activities: [], afk: false, since: null });
      await eventually(async () => (await lanyard(second, alice.id)).discord_status === 'online', 5000, 'alice online');
      expect((await lanyard(second, alice.id)).activities).toEqual([]);
      again.close();
      await eventually(async () => (await lanyard(second, alice.id)).discord_status === 'offline', 5000, 'alice offline');
      expect((await lanyard(second, alice.id)).activities).toEqual([]);
      expect((await lanyard(second, alice.id)).last_seen).toBeGreaterThan(after);
    } finally {
      await second.stop();
    }
  }, 30_000);
});
