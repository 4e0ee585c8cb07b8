// Request Guild Members (op 8) -> GUILD_MEMBERS_CHUNK, which guild.members.fetch() waits for: by username or
// nickname prefix (up to 100), by user ids (up to 100, unknown ones in not_found), or everyone (query "" —
// Discord requires GUILD_MEMBERS for that), 1000 members per chunk, the request's nonce echoed, presences
// only when asked for and the session has GUILD_PRESENCES.
import { type GatewayGuildMembersChunkDispatchData, type GatewayPresenceUpdate, GatewayIntentBits as Intent } from 'discord-api-types/v10';
import type { Core } from '../../../core.ts';
import type { Member } from '../../../domain/members.ts';
import type { GatewaySession } from '../../../gateway/session.ts';
import { snowflakeOf } from '../schemas.ts';
import { member } from '../serializers/member.ts';
import { presence } from '../serializers/presence.ts';
import { allMembers } from './guild-payloads.ts';

export const CHUNK_SIZE = 1000;
const QUERY_LIMIT_MAX = 100;
const USER_IDS_MAX = 100;
const NONCE_MAX_BYTES = 32;

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

export type MemberRequest = { ok: true; chunks: GatewayGuildMembersChunkDispatchData[] } | { ok: false };

/**
 * Answers one op 8 for `session`. Malformed requests are `{ok: false}` (the caller closes with 4002). A guild the
 * session is not in gets no answer, as on Discord. Without GUILD_MEMBERS a request for everyone gets one empty
 * chunk: Discord leaves it unanswered and discord.js would wait 120 s for GuildMembersTimeout; this fails fast.
 */
export async function requestGuildMembers(core: Core, session: GatewaySession, intents: number, d: unknown): Promise<MemberRequest> {
  const { repos } = core.uow;
  // Ids as strings or integers: discord.py sends `guild_id` and `user_ids` as JSON numbers.
  const guildId = isObject(d) ? snowflakeOf(d.guild_id) : null;
  if (!isObject(d) || guildId === null) return { ok: false };
  let userIds: string[] | null = null;
  if (d.user_ids != null) {
    const ids = (Array.isArray(d.user_ids) ? d.user_ids : [d.user_ids]).map(snowflakeOf);
    if (ids.length > USER_IDS_MAX || !ids.every((id): id is string => id !== null)) return { ok: false };
    userIds = [...new Set(ids)];
  }
  const query = d.query;
  if (userIds === null && typeof query !== 'string') return { ok: false };
  if (d.limit != null && (typeof d.limit !== 'number' || !Number.isSafeInteger(d.limit) || d.limit < 0)) return { ok: false };
  if (d.presences != null && typeof d.presences !== 'boolean') return { ok: false };
  const limit = typeof d.limit === 'number' ? d.limit : 0;
  // An invalid nonce is ignored, not refused (Discord's documented behaviour).
  const nonce = typeof d.nonce === 'string' && Buffer.byteLength(d.nonce) <= NONCE_MAX_BYTES ? d.nonce : undefined;
  const withPresences = d.presences === true && (intents & Intent.GuildPresences) !== 0;
  if (!session.guilds.has(guildId)) return { ok: true, chunks: [] };

  let found: Member[];
  let notFound: string[] = [];
  if (userIds !== null) {
    found = [];
    for (const id of userIds) {
      const m = await repos.guilds.member(guildId, id);
      if (m) found.push(m);
    }
    const have = new Set(found.map((m) => m.userId));
    notFound = userIds.filter((id) => !have.has(id));
  } else if (query === '') {
    found = (intents & Intent.GuildMembers) === 0 ? [] : await allMembers(core, guildId);
    if (limit > 0) found = found.slice(0, limit);
  } else {
    const prefix = (query as string).toLowerCase();
    const max = Math.min(limit === 0 ? QUERY_LIMIT_MAX : limit, QUERY_LIMIT_MAX);
    const members = await allMembers(core, guildId);
    const users = await repos.users.byIds(members.map((m) => m.userId));
    found = members
      .filter((m) => {
        const u = users.get(m.userId);
        return (u?.username.toLowerCase().startsWith(prefix) ?? false) || (m.nick?.toLowerCase().startsWith(prefix) ?? false);
      })
      .slice(0, max);
  }

  const users = await repos.users.byIds(found.map((m) => m.userId));
  const serialized = found.flatMap((m) => {
    const u = users.get(m.userId);
    return u ? [member(m, u)] : [];
  });
  const count = Math.max(1, Math.ceil(serialized.length / CHUNK_SIZE));
  const chunks: GatewayGuildMembersChunkDispatchData[] = [];
  for (let index = 0; index < count; index++) {
    const members = serialized.slice(index * CHUNK_SIZE, (index + 1) * CHUNK_SIZE);
    const presences: GatewayPresenceUpdate[] = [];
    if (withPresences) {
      for (const m of members) {
        const p = core.services.presence.get(m.user.id);
        if (p.status !== 'offline') presences.push(presence(p, guildId));
      }
    }
    chunks.push({
      guild_id: guildId,
      members,
      chunk_index: index,
      chunk_count: count,
      ...(index === 0 && notFound.length > 0 ? { not_found: notFound } : {}),
      ...(withPresences ? { presences } : {}),
      ...(nonce !== undefined ? { nonce } : {}),
    });
  }
  return { ok: true, chunks };
}
