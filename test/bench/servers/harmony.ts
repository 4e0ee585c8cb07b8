// Harmony as benchmarked: the real app over a temp SQLite file, rate limits off, seeded with
// - one guild of N bot members (bots need no password hashing, so seeding 1000 is quick), for fan-out,
//   writes and "N users in G guilds" connects: those bots are also members of G-1 more guilds;
// - a "solo" bot alone with the owner in a small guild, for many sessions of one user;
// - a guild of L plain members and one bot, for the READY/GUILD_CREATE of a large guild.
// The bulk rows (extra guild memberships, the L members) go straight into SQLite between two starts of
// the app, since seeding 10 000 members through the services takes minutes on 2 cores; the second start
// reads them like any database it opens.
// Usage: bun harmony.ts <bots> [guilds] [largeMembers]. Prints one JSON line when it listens; a second
// port (`controlUrl`) answers GET /memory with the process's heap and RSS after a full GC.
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../src/app.ts';
import { defaultConfig } from '../../../src/config.ts';
import { openDatabase } from '../../../src/db/database.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { attachGateways } from '../../../src/gateways.ts';

const botCount = Number(process.argv[2] ?? 1000);
const guildCount = Math.max(1, Number(process.argv[3] ?? 1));
const largeMembers = Number(process.argv[4] ?? 0);
const dir = mkdtempSync(join(tmpdir(), 'harmony-bench-'));
const dbPath = join(dir, 'harmony.db');
// The bench stops this server with SIGTERM: its database (tens of MiB after the write phases) goes with it.
process.on('SIGTERM', () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
const config = defaultConfig({ dataDir: dir, port: 0, host: '127.0.0.1', rateLimits: false });

async function start() {
  const app = await createApp({ db: openDatabase(dbPath), config, clock: systemClock });
  attachGateways(app);
  return app;
}

let harmony = await start();
const { users, guilds, guildBots, channels } = harmony.core.services;
// VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | ADD_REACTIONS | EMBED_LINKS | ATTACH_FILES
const BOT_PERMISSIONS = (1n << 10n) | (1n << 11n) | (1n << 16n) | (1n << 6n) | (1n << 14n) | (1n << 15n);
// GUILDS | GUILD_MEMBERS | GUILD_MESSAGES | MESSAGE_CONTENT: the privileged ones allowed by the admin.
const PRIVILEGED = (1 << 8) | (1 << 1) | (1 << 15);

const owner = await users.createUser({ username: 'bench_owner', password: 'bench-password', admin: true });
const guild = await guilds.create(owner.user.id, { name: 'Bench' });
const [channel] = await channels.list(guild.id, owner.user.id);
const tokens: string[] = [];
const botIds: string[] = [];
for (let i = 0; i < botCount; i++) {
  const { bot, token } = await users.createBot({ username: `bench_bot_${i}`, createdBy: owner.user.id });
  await guildBots.put(guild.id, owner.user.id, bot.id, BOT_PERMISSIONS);
  await users.setBotIntents(bot.id, PRIVILEGED);
  tokens.push(token);
  botIds.push(bot.id);
}

const soloGuild = await guilds.create(owner.user.id, { name: 'Solo' });
const solo = await users.createBot({ username: 'bench_solo', createdBy: owner.user.id });
await guildBots.put(soloGuild.id, owner.user.id, solo.bot.id, BOT_PERMISSIONS);

const extraGuilds: string[] = [];
for (let g = 1; g < guildCount; g++) extraGuilds.push((await guilds.create(owner.user.id, { name: `Bench ${g}` })).id);

let largeGuildId: string | null = null;
let largeToken: string | null = null;
if (largeMembers > 0) {
  const large = await guilds.create(owner.user.id, { name: 'Large' });
  const bot = await users.createBot({ username: 'bench_large', createdBy: owner.user.id });
  await guildBots.put(large.id, owner.user.id, bot.bot.id, BOT_PERMISSIONS);
  await users.setBotIntents(bot.bot.id, PRIVILEGED);
  largeGuildId = large.id;
  largeToken = bot.token;
}

if (extraGuilds.length > 0 || largeMembers > 0) {
  await harmony.stop();
  const db = new Database(dbPath);
  const now = Date.now();
  db.transaction(() => {
    const member = db.prepare('INSERT INTO members (guild_id, user_id, nick, joined_at) VALUES (?, ?, NULL, ?)');
    for (const guildId of extraGuilds) for (const botId of botIds) member.run(BigInt(guildId), BigInt(botId), now);
    if (largeGuildId !== null) {
      const user = db.prepare('INSERT INTO users (id, username, username_key, created_at) VALUES (?, ?, ?, ?)');
      // Ids above every minted snowflake so far, in the same shape (ms since the Discord epoch << 22).
      const base = (BigInt(now - 1420070400000) << 22n) + (1n << 21n);
      for (let i = 0; i < largeMembers; i++) {
        const id = base + BigInt(i);
        user.run(id, `bench_member_${i}`, `bench_member_${i}`, now);
        member.run(BigInt(largeGuildId), id, now);
      }
    }
  })();
  db.close();
  harmony = await start();
}

// Bench control: memory after a full collection (the idle-session figure divides its growth by sessions).
const control = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  fetch() {
    Bun.gc(true);
    const { rss, heapUsed } = process.memoryUsage();
    return Response.json({ rss, heapUsed });
  },
});

const { url } = harmony.listen({ port: 0, hostname: '127.0.0.1' });
console.log(
  JSON.stringify({
    url,
    controlUrl: `http://127.0.0.1:${control.port}`,
    guildId: guild.id,
    channelId: channel?.id,
    ownerId: owner.user.id,
    ownerToken: owner.token,
    tokens,
    soloToken: solo.token,
    largeGuildId,
    largeToken,
  }),
);
