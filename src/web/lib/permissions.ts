// Discord's permission bits and the seed's names for them, for the browser. The server's copy
// (src/domain/permissions.ts) pulls in discord-api-types, ~90 KB once bundled, so the names and
// bits are repeated here; test/web/permissions.test.ts fails the moment the two disagree.

const bit = (n: number): bigint => 1n << BigInt(n);

export const Flags = {
  CreateInstantInvite: bit(0),
  KickMembers: bit(1),
  BanMembers: bit(2),
  Administrator: bit(3),
  ManageChannels: bit(4),
  ManageGuild: bit(5),
  AddReactions: bit(6),
  ViewAuditLog: bit(7),
  ViewChannel: bit(10),
  SendMessages: bit(11),
  SendTTSMessages: bit(12),
  ManageMessages: bit(13),
  EmbedLinks: bit(14),
  AttachFiles: bit(15),
  ReadMessageHistory: bit(16),
  MentionEveryone: bit(17),
  UseExternalEmojis: bit(18),
  Connect: bit(20),
  Speak: bit(21),
  MuteMembers: bit(22),
  DeafenMembers: bit(23),
  MoveMembers: bit(24),
  ChangeNickname: bit(26),
  ManageNicknames: bit(27),
  ManageRoles: bit(28),
  ManageWebhooks: bit(29),
  ManageGuildExpressions: bit(30),
  ManageThreads: bit(34),
  CreatePublicThreads: bit(35),
  CreatePrivateThreads: bit(36),
  SendMessagesInThreads: bit(38),
  UseApplicationCommands: bit(31),
} as const;

/** The seed's permission table: category -> name -> flag. Several names share one flag. */
export const PERMISSION_GROUPS = {
  Messages: {
    read_messages: Flags.ViewChannel,
    send_messages: Flags.SendMessages,
    manage_messages: Flags.ManageMessages,
    embed_links: Flags.EmbedLinks,
    attach_files: Flags.AttachFiles,
    read_message_history: Flags.ReadMessageHistory,
    mention_everyone: Flags.MentionEveryone,
    use_external_emojis: Flags.UseExternalEmojis,
    add_reactions: Flags.AddReactions,
    create_public_threads: Flags.CreatePublicThreads,
    create_private_threads: Flags.CreatePrivateThreads,
    send_messages_in_threads: Flags.SendMessagesInThreads,
    manage_threads: Flags.ManageThreads,
    use_application_commands: Flags.UseApplicationCommands,
  },
  Channels: {
    view_channels: Flags.ViewChannel,
    manage_channels: Flags.ManageChannels,
    manage_webhooks: Flags.ManageWebhooks,
    create_instant_invite: Flags.CreateInstantInvite,
  },
  Voice: {
    connect_voice: Flags.Connect,
    speak: Flags.Speak,
    mute_members: Flags.MuteMembers,
    deafen_members: Flags.DeafenMembers,
    move_members: Flags.MoveMembers,
  },
  Server: {
    change_nickname: Flags.ChangeNickname,
    manage_nicknames: Flags.ManageNicknames,
    manage_roles: Flags.ManageRoles,
    kick_members: Flags.KickMembers,
    ban_members: Flags.BanMembers,
    manage_guild: Flags.ManageGuild,
    manage_guild_expressions: Flags.ManageGuildExpressions,
    view_audit_log: Flags.ViewAuditLog,
    administrator: Flags.Administrator,
  },
} as const satisfies Record<string, Record<string, bigint>>;

export type PermissionCategory = keyof typeof PERMISSION_GROUPS;
export const PERMISSION_NAMES: Record<string, bigint> = Object.assign({}, ...Object.values(PERMISSION_GROUPS));

/** Every bit there is: what owners and administrators hold. */
export const ALL = (1n << 64n) - 1n;

export function has(bits: bigint, flag: bigint): boolean {
  return (bits & flag) === flag;
}

/** "read_message_history" -> "Read message history". */
export function permissionLabel(name: string): string {
  const words = name.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The other names that share this name's flag ("read_messages" and "view_channels"). */
export function aliasesOf(name: string): string[] {
  const flag = PERMISSION_NAMES[name];
  return Object.entries(PERMISSION_NAMES)
    .filter(([other, b]) => other !== name && b === flag)
    .map(([other]) => other);
}

/** Names whose flag is set in `bits`, aliases included, as PUT /guilds/:id/bots/:botId takes them. */
export function namesIn(bits: bigint): string[] {
  return Object.entries(PERMISSION_NAMES)
    .filter(([, b]) => has(bits, b))
    .map(([name]) => name);
}

export function parseBits(value: string | null | undefined): bigint {
  return value && /^\d+$/.test(value) ? BigInt(value) : 0n;
}

export type PermissionContext = {
  guildId: string;
  ownerId: string | undefined;
  userId: string;
  /** Role id -> permission bitfield (decimal string, as the API sends it). */
  roles: ReadonlyArray<{ id: string; permissions: string }>;
  memberRoleIds: readonly string[];
};

export type OverwriteLike = { id: string; type: number; allow: string; deny: string };

/** Guild-wide permissions: Discord's algorithm (owner, @everyone, roles, ADMINISTRATOR). */
export function basePermissions(ctx: PermissionContext): bigint {
  if (ctx.ownerId === ctx.userId) return ALL;
  const byId = new Map(ctx.roles.map((r) => [r.id, parseBits(r.permissions)]));
  let bits = byId.get(ctx.guildId) ?? 0n;
  for (const id of ctx.memberRoleIds) bits |= byId.get(id) ?? 0n;
  return has(bits, Flags.Administrator) ? ALL : bits;
}

/** Permissions in one channel: base, then @everyone, role and member overwrites, then the implicit rules. */
export function channelPermissions(ctx: PermissionContext, overwrites: readonly OverwriteLike[]): bigint {
  const base = basePermissions(ctx);
  if (base === ALL) return ALL;
  let bits = base;
  const byId = new Map(overwrites.map((o) => [o.id, o]));
  const everyone = byId.get(ctx.guildId);
  if (everyone) bits = (bits & ~parseBits(everyone.deny)) | parseBits(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const id of ctx.memberRoleIds) {
    const o = byId.get(id);
    if (o && o.type === 0) {
      allow |= parseBits(o.allow);
      deny |= parseBits(o.deny);
    }
  }
  bits = (bits & ~deny) | allow;
  const own = byId.get(ctx.userId);
  if (own && own.type === 1) bits = (bits & ~parseBits(own.deny)) | parseBits(own.allow);
  if (!has(bits, Flags.ViewChannel)) return 0n;
  if (!has(bits, Flags.SendMessages)) bits &= ~(Flags.MentionEveryone | Flags.SendTTSMessages | Flags.AttachFiles | Flags.EmbedLinks);
  return bits;
}
