// TypeBox pieces shared by every route: ids, pagination, permission input.
import type { TProperties } from '@sinclair/typebox';
import { t } from 'elysia';

export const Snowflake = t.String({ pattern: '^\\d{1,20}$', description: 'A snowflake id, as a decimal string', examples: ['1300000000000000000'] });

/** An ISO-8601 timestamp (as the seed's `before=2024-01-01T00:00:00Z`) or a message id. */
export const TimeOrId = t.String({
  pattern: '^(\\d{1,20}|\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))$',
  description: 'An ISO-8601 timestamp or a message id',
});

/** A list of the seed's permission names, or a Discord bitfield as a decimal string. */
export const PermissionsInput = t.Union([t.Array(t.String({ maxLength: 64 }), { maxItems: 64 }), t.String({ pattern: '^\\d{1,20}$' })], {
  description: 'The seed\'s permission names (e.g. ["send_messages", "read_messages"]) or a bitfield string',
});

export const ErrorBody = t.Object({ code: t.Number(), message: t.String(), errors: t.Optional(t.Any()) }, { description: 'Error' });

/** OpenAPI security requirements, named as in app.ts's securitySchemes. */
export const BOT_OR_BEARER: Record<string, string[]>[] = [{ bot: [] }, { bearer: [] }];
export const BEARER_ONLY: Record<string, string[]>[] = [{ bearer: [] }];

/** Query strings ignore parameters they do not know (cache busters like `?_=123`), as Discord does. */
export const Query = <T extends TProperties>(properties: T) => t.Object(properties, { additionalProperties: true });
