// The server the soak runs against, in its own process so the soak can read its RSS from /proc/<pid>/status:
// the real app over a temp SQLite file, rate limits off, seeded with one owner and GUILDS guilds of
// MEMBERS bot members each (bots need no password hashing). Prints one JSON line with what the soak needs, then
// serves until killed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { defaultConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { attachGateways } from '../../src/gateways.ts';

export type SoakServerInfo = { url: string; ownerToken: string; guilds: { channelId: string; tokens: string[] }[] };

const guildCount = Number(process.env.SOAK_GUILDS ?? 40);
const members = Number(process.env.SOAK_MEMBERS ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'harmony-soak-'));
const config = defaultConfig({
  dataDir: dir,
  port: 0,
  host: '127.0.0.1',
  rateLimits: false,
  // The replay buffer holds every dispatch of the resume window: the soak's warm-up must outlast it for the
  // memory it measures to be the steady state (see docs/operations.md).
  resumeWindow: Number(process.env.SOAK_RESUME_WINDOW ?? 20),
});
const harmony = await createApp({ db: openDatabase(join(dir, 'harmony.db')), config, clock: systemClock });
attachGateways(harmony);
const { users, guilds, guildBots, channels } = harmony.core.services;

const owner = await users.createUser({ username: 'soak_owner', password: 'soak-password', admin: true });
const seeded: SoakServerInfo['guilds'] = [];
for (let g = 0; g < guildCount; g++) {
  const guild = await guilds.create(owner.user.id, { name: `Soak ${g}` });
  const [channel] = await channels.list(guild.id, owner.user.id);
  const tokens: string[] = [];
  for (let m = 0; m < members; m++) {
    const { bot, token } = await users.createBot({ username: `soak_${g}_${m}`, createdBy: owner.user.id });
    // VIEW_CHANNEL | READ_MESSAGE_HISTORY | SEND_MESSAGES | ADD_REACTIONS
    await guildBots.put(guild.id, owner.user.id, bot.id, (1n << 10n) | (1n << 16n) | (1n << 11n) | (1n << 6n));
    tokens.push(token);
  }
  seeded.push({ channelId: channel?.id as string, tokens });
}
const { url } = harmony.listen({ port: 0, hostname: '127.0.0.1' });
console.log(JSON.stringify({ url, ownerToken: owner.token, guilds: seeded } satisfies SoakServerInfo));
