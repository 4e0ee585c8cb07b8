// Harmony as benchmarked: the real app over a temp SQLite file, rate limits off, seeded with one
// guild of N bot members (bots need no password hashing, so seeding 1000 is quick).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../src/app.ts';
import { defaultConfig } from '../../../src/config.ts';
import { openDatabase } from '../../../src/db/database.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { attachGateways } from '../../../src/gateways.ts';

const members = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'harmony-bench-'));
const config = defaultConfig({ dataDir: dir, port: 0, host: '127.0.0.1', rateLimits: false });
const harmony = await createApp({ db: openDatabase(join(dir, 'harmony.db')), config, clock: systemClock });
attachGateways(harmony);
const { users, guilds, guildBots, channels } = harmony.core.services;

const owner = await users.createUser({ username: 'bench_owner', password: 'bench-password', admin: true });
const guild = await guilds.create(owner.user.id, { name: 'Bench' });
const [channel] = await channels.list(guild.id, owner.user.id);
const tokens: string[] = [];
for (let i = 0; i < members; i++) {
  const { bot, token } = await users.createBot({ username: `bench_bot_${i}`, createdBy: owner.user.id });
  await guildBots.put(guild.id, owner.user.id, bot.id, (1n << 10n) | (1n << 16n) | (1n << 15n) | (1n << 9n));
  // Privileged intents on, so the Discord dialect may ask for message content.
  await users.setBotIntents(bot.id, (1 << 8) | (1 << 1) | (1 << 15));
  tokens.push(token);
}
const { url } = harmony.listen({ port: 0, hostname: '127.0.0.1' });
console.log(JSON.stringify({ url, guildId: guild.id, channelId: channel?.id, ownerId: owner.user.id, ownerToken: owner.token, tokens }));
