// GET /guilds/:guildId/audit-logs: the guild's audit log as Discord answers it (VIEW_AUDIT_LOG), with the users,
// webhooks and threads its entries name. Harmony has no integrations, scheduled events, AutoMod or per-guild
// commands in its log: those lists are always empty.
import { type APIAuditLog, AuditLogEvent } from 'discord-api-types/v10';
import { Elysia, t } from 'elysia';
import type { AuditEntry } from '../../../domain/audit-log.ts';
import { invalidField } from '../../../http/api-error.ts';
import { Query } from '../../../http/schemas.ts';
import { QueryInt, queryInt, Snowflake } from '../schemas.ts';
import { actionsOf, auditLogEntry } from '../serializers/audit-log.ts';
import { threadChannel } from '../serializers/channel.ts';
import { user } from '../serializers/user.ts';
import { webhook } from '../serializers/webhook.ts';
import type { DiscordRouteDeps } from './deps.ts';

const KNOWN_EVENTS = new Set(Object.values(AuditLogEvent).filter((v): v is number => typeof v === 'number'));

export function auditLogRoutes({ core, guard, detail }: DiscordRouteDeps) {
  const { services } = core;
  const stores = core.uow.repos;

  async function auditLog(entries: AuditEntry[]): Promise<APIAuditLog> {
    const userIds = [...new Set(entries.flatMap((e) => [e.userId, e.targetId].filter((id): id is string => id !== null)))];
    const people = await stores.users.byIds(userIds);
    const targets = (prefix: string) => [...new Set(entries.filter((e) => e.action.startsWith(prefix) && e.targetId).map((e) => e.targetId as string))];
    const webhooks = [];
    for (const id of targets('webhook.')) {
      const w = await stores.webhooks.byId(id);
      if (w) webhooks.push(webhook(w));
    }
    const threads = [];
    for (const id of targets('thread.')) {
      const c = await stores.channels.byId(id);
      if (c?.thread) threads.push(threadChannel(c));
    }
    return {
      audit_log_entries: entries.map(auditLogEntry),
      users: userIds.flatMap((id) => {
        const u = people.get(id);
        return u ? [user(u)] : [];
      }),
      webhooks,
      threads,
      application_commands: [],
      auto_moderation_rules: [],
      guild_scheduled_events: [],
      integrations: [],
    };
  }

  return new Elysia({ detail }).use(guard).get(
    '/guilds/:guildId/audit-logs',
    async ({ caller, params, query }) => {
      let actions: ReturnType<typeof actionsOf> | undefined;
      if (query.action_type !== undefined) {
        const event = Number(query.action_type);
        if (!KNOWN_EVENTS.has(event)) throw invalidField('action_type', 'ENUM_TYPE_COERCE', `Value "${query.action_type}" is not a valid enum value.`);
        actions = actionsOf(event);
      }
      const entries = await services.auditLog.list(params.guildId, caller.user.id, {
        userId: query.user_id,
        actions,
        before: query.before,
        after: query.after,
        limit: queryInt(query.limit, 'limit', { min: 1, max: 100, fallback: 50 }),
      });
      return auditLog(entries);
    },
    {
      auth: 'any',
      params: t.Object({ guildId: Snowflake }),
      query: Query({ user_id: t.Optional(Snowflake), action_type: QueryInt, before: t.Optional(Snowflake), after: t.Optional(Snowflake), limit: QueryInt }),
      detail: { summary: 'The audit log, newest first (VIEW_AUDIT_LOG; user_id, action_type, before, after, limit 1-100, default 50)' },
    },
  );
}
