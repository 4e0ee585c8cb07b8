// The harmony v1 JSON shapes the app reads, as src/dialects/harmony/serializers.ts writes them.
// The SDK's types cover the bot-facing subset; the rest (roles, invites, admin views) are here.
import type {
  ActionRow,
  Attachment,
  ButtonComponent,
  Channel,
  ComponentEmoji,
  Embed,
  Emoji,
  Member,
  Message,
  SelectMenuComponent,
  User,
  Webhook,
} from '../../sdk/events.ts';

export type { ApplicationCommand } from '../../sdk/application-commands.ts';
export type { ActionRow, Attachment, ButtonComponent, Channel, ComponentEmoji, Embed, Emoji, Member, Message, SelectMenuComponent, User, Webhook };

export type SelfUser = User & { admin: boolean; created_at: string };

export type Role = {
  id: string;
  guild_id: string;
  name: string;
  permissions: string;
  permission_names: string[];
  position: number;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  managed: boolean;
  bot_id: string | null;
};

export type Guild = {
  id: string;
  name: string;
  owner_id: string;
  icon: string | null;
  description: string | null;
  created_at: string;
};

/** GET /guilds/:id: the guild with its roles, the channels the caller can see and its size. */
export type GuildDetail = Guild & { member_count: number; roles: Role[]; channels: Channel[] };

export type Invite = {
  code: string;
  guild_id: string;
  channel_id: string;
  inviter_id: string | null;
  uses: number;
  max_uses: number;
  expires_at: string | null;
  created_at: string;
};

/** GET /invites/:code: where an invite leads (the channel's name is null when you could not see it). */
export type InvitePreview = {
  code: string;
  guild_id: string;
  channel_id: string;
  channel: { id: string; name: string | null };
  inviter_id: string | null;
  expires_at: string | null;
  guild: { id: string; name: string; icon: string | null; member_count: number };
};

export type Bot = User & {
  description: string | null;
  system: boolean;
  created_by: string | null;
  privileged_intents: { presence: boolean; members: boolean; message_content: boolean };
  created_at: string;
};

export type GuildBot = { bot: User; role_id: string; permissions: string; permission_names: string[]; joined_at: string };

export type AdminUser = User & { admin: boolean; disabled: boolean; system: boolean; description: string | null; created_at: string };

export type Ban = { user: User; reason: string | null };

/** GET /guilds/:id/audit-log: entries newest first, and the users they name. */
export type AuditLogEntry = {
  id: string;
  guild_id: string;
  user_id: string | null;
  target_id: string | null;
  action: string;
  changes: { key: string; old_value: unknown; new_value: unknown }[];
  options: {
    channel_id: string | null;
    message_id: string | null;
    count: number | null;
    overwrite_id: string | null;
    overwrite_type: number | null;
    role_name: string | null;
  } | null;
  reason: string | null;
  created_at: string;
};
export type AuditLog = { entries: AuditLogEntry[]; users: User[] };

export type Status = 'online' | 'idle' | 'dnd' | 'offline';

/** GET/PATCH /users/@me/settings: who may send you direct messages. */
export type UserSettings = { allow_dms_from: 'members' | 'everyone' };
