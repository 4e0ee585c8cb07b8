// GET /guilds/:guildId/audit-log: who changed what in a guild, newest first, for members with view_audit_log.
import { Elysia, t } from 'elysia';
import { AUDIT_ACTIONS, type AuditAction } from '../../../domain/audit-log.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { BOT_OR_BEARER, Query, Snowflake } from '../../../http/schemas.ts';
import { AuditLogModel, ok } from '../models.ts';
import * as wire from '../serializers.ts';

export function auditLogRoutes({ core, guard }: RouteDeps) {
  const { services } = core;
  const stores = core.uow.repos;
  return new Elysia({ detail: { tags: ['Guilds'], security: BOT_OR_BEARER } }).use(guard).get(
    '/guilds/:guildId/audit-log',
    async ({ caller, params, query }) => {
      const entries = await services.auditLog.list(params.guildId, caller.user.id, {
        userId: query.user_id,
        actions: query.action === undefined ? undefined : [query.action as AuditAction],
        before: query.before,
        limit: query.limit ?? 50,
      });
      const ids = [...new Set(entries.flatMap((e) => [e.userId, e.targetId].filter((id): id is string => id !== null)))];
      const people = await stores.users.byIds(ids);
      const users = ids.flatMap((id) => {
        const u = people.get(id);
        return u ? [wire.user(u)] : [];
      });
      return { entries: entries.map(wire.auditLogEntry), users };
    },
    {
      response: ok(AuditLogModel),
      auth: 'any',
      params: t.Object({ guildId: Snowflake }),
      query: Query({
        user_id: t.Optional(Snowflake),
        action: t.Optional(t.Union(AUDIT_ACTIONS.map((a) => t.Literal(a)))),
        before: t.Optional(Snowflake),
        limit: t.Optional(t.Numeric({ minimum: 1, maximum: 100 })),
      }),
      detail: { summary: 'The audit log, newest first (view_audit_log; user_id, action, before, limit 1-100, default 50)' },
    },
  );
}
