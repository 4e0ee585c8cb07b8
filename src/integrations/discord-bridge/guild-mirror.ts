// Keeps the presence directory and the live presences in step with one Discord guild: a whole-guild sync
// (first load, and after discord.js had to start a new session), then member joins, changes and leaves and
// presence updates as they come. Anything about another guild, or about an id that is a Harmony account, is
// ignored. Everything here is synchronous, so a change reaches the faces in the same tick as its event.
import type { Presence as DiscordJsPresence, GuildMember, User } from 'discord.js';
import type { Clock } from '../../domain/clock.ts';
import type { ExternalSync, PresenceDirectory } from '../../domain/presence/presence-directory.ts';
import type { PresenceService } from '../../domain/presence/presence-service.ts';
import { DISCORD_SOURCE, profileFromMember } from './member-mapping.ts';
import { type ApiPresenceLike, presenceFromApi, presenceFromDiscordJs } from './presence-mapping.ts';

export type GuildMirrorDeps = {
  directory: Pick<PresenceDirectory, 'syncExternal' | 'putExternal' | 'removeExternal' | 'isExternalMember' | 'externalCount'>;
  presence: Pick<PresenceService, 'setMirrored'>;
  clock: Clock;
  guildId: string;
};

const SNOWFLAKE = /^\d{1,20}$/;

export class GuildMirror {
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly deps: GuildMirrorDeps) {}

  get guildId(): string {
    return this.deps.guildId;
  }

  /** How many members are shown. */
  get members(): number {
    return this.deps.directory.externalCount(DISCORD_SOURCE);
  }

  /**
   * Every member with their cached presence (`presenceOf`, null for offline). Members no longer in the list are
   * hidden and their presence cleared; ids of Harmony accounts are left alone.
   */
  async sync(members: Iterable<GuildMember>, presenceOf: (userId: string) => DiscordJsPresence | null): Promise<ExternalSync> {
    const list = [...members].filter((m) => m.guild.id === this.deps.guildId);
    const result = await this.deps.directory.syncExternal(DISCORD_SOURCE, list.map(profileFromMember));
    const refused = new Set(result.refused);
    const now = this.deps.clock.now();
    for (const member of list) {
      if (!refused.has(member.id)) this.deps.presence.setMirrored(member.id, DISCORD_SOURCE, presenceFromDiscordJs(presenceOf(member.id), now));
    }
    for (const id of result.left) this.deps.presence.setMirrored(id, DISCORD_SOURCE, null);
    return result;
  }

  /** Member changes from discord.js's listeners (which do not await) until they are written; a failed one is logged. */
  track(work: Promise<void>): void {
    this.writes.add(work);
    work.catch((error: unknown) => console.error('discord bridge: could not mirror a member change:', error)).finally(() => this.writes.delete(work));
  }

  /** Resolves once every tracked member change is written. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.writes]);
  }

  /** guildMemberAdd and guildMemberUpdate (nickname, and the user object Discord sends along). */
  async memberChanged(member: GuildMember): Promise<void> {
    if (member.guild.id !== this.deps.guildId) return;
    await this.deps.directory.putExternal(profileFromMember(member));
  }

  /** guildMemberRemove: gone from every face at once (404), presence cleared. */
  async memberLeft(guildId: string, userId: string): Promise<void> {
    if (guildId !== this.deps.guildId) return;
    if (await this.deps.directory.removeExternal(DISCORD_SOURCE, userId)) this.deps.presence.setMirrored(userId, DISCORD_SOURCE, null);
  }

  /** userUpdate: a new username, display name or avatar, applied with the member's nickname if they are ours. */
  async userChanged(user: User, member: GuildMember | null): Promise<void> {
    if (!this.deps.directory.isExternalMember(DISCORD_SOURCE, user.id)) return;
    if (member) await this.memberChanged(member);
  }

  /**
   * A raw PRESENCE_UPDATE (`d`). Raw rather than discord.js's presenceUpdate event, which is not emitted when
   * only timestamps, assets or party change (a Spotify song played again): websites draw progress bars from them.
   */
  presenceUpdated(d: unknown): void {
    if (typeof d !== 'object' || d === null) return;
    const raw = d as ApiPresenceLike & { guild_id?: unknown; user?: { id?: unknown } };
    const userId = raw.user?.id;
    if (raw.guild_id !== this.deps.guildId || typeof userId !== 'string' || !SNOWFLAKE.test(userId)) return;
    // Before the first sync members are not known yet; the sync then reads discord.js's cache, which has this.
    if (!this.deps.directory.isExternalMember(DISCORD_SOURCE, userId)) return;
    this.deps.presence.setMirrored(userId, DISCORD_SOURCE, presenceFromApi(raw, this.deps.clock.now()));
  }
}
