// Request schemas of the discord dialect. discord.js sends fields we do not implement (tts, flags,
// enforce_nonce, ...), so bodies are open objects: unknown keys pass, known keys are type-checked and any
// mistake is a 50035 in Discord's nested shape.
import { t } from 'elysia';
import type { AllowedMentions } from '../../domain/messages.ts';
import { parsePermissions } from '../../domain/permissions.ts';
import { invalidField } from '../../http/api-error.ts';

export { Snowflake } from '../../http/schemas.ts';

import { Snowflake } from '../../http/schemas.ts';

type Properties = Parameters<typeof t.Object>[0];

/** An object that accepts keys it does not describe (Elysia otherwise refuses them). */
export const Open = <T extends Properties>(properties: T) => t.Object(properties, { additionalProperties: true });

/** A permission bitfield as Discord sends it: a decimal string. */
export const Bitfield = t.String({ pattern: '^\\d{1,20}$', description: 'A permission bitfield as a decimal string' });

/** Query booleans as Discord takes them (`with_counts=true`). */
export const QueryBoolean = t.Optional(t.Union([t.Literal('true'), t.Literal('false'), t.Literal('1'), t.Literal('0'), t.Boolean()]));
export const isTrue = (value: string | boolean | undefined): boolean => value === true || value === 'true' || value === '1';

/**
 * An integer query parameter, taken as a string: Elysia's coerced numbers lose the parameter's name in their
 * validation errors, and Discord names it (`errors.limit`). Range-check it with queryInt.
 */
export const QueryInt = t.Optional(t.String({ pattern: '^-?\\d{1,10}$', description: 'An integer' }));

/** `value` as an integer within [min, max], `fallback` when absent; out of range is Discord's NUMBER_TYPE_MIN/MAX 50035. */
export function queryInt(value: string | undefined, field: string, range: { min: number; max: number; fallback: number }): number {
  if (value === undefined) return range.fallback;
  const n = Number(value);
  if (n < range.min) throw invalidField(field, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${range.min}.`);
  if (n > range.max) throw invalidField(field, 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${range.max}.`);
  return n;
}

/** A bitfield string to bits; bits no permission uses are a 50035 on `field`. */
export function bitfield(value: string | null | undefined, field: string): bigint {
  if (value == null) return 0n;
  const bits = parsePermissions(value);
  if (bits === null) throw invalidField(field, 'PERMISSIONS_INVALID', 'Unknown permission bits');
  return bits;
}

export const Overwrite = Open({
  id: Snowflake,
  type: t.Union([t.Literal(0), t.Literal(1)]),
  allow: t.Optional(t.Nullable(Bitfield)),
  deny: t.Optional(t.Nullable(Bitfield)),
});

export const AllowedMentionsBody = Open({
  parse: t.Optional(t.Array(t.Union([t.Literal('users'), t.Literal('roles'), t.Literal('everyone')]), { maxItems: 3 })),
  users: t.Optional(t.Array(Snowflake, { maxItems: 100 })),
  roles: t.Optional(t.Array(Snowflake, { maxItems: 100 })),
  replied_user: t.Optional(t.Boolean()),
});

type AllowedMentionsInput = { parse?: ('users' | 'roles' | 'everyone')[]; users?: string[]; roles?: string[]; replied_user?: boolean };

/**
 * Discord's rules: absent means "everything in the content, and a reply pings its author"; present means only
 * what it lists (replied_user defaults to false). `parse: ['users']` with a `users` list is a contradiction.
 */
export function allowedMentions(input: AllowedMentionsInput | undefined): AllowedMentions {
  if (!input) return { parse: ['users', 'roles', 'everyone'], users: [], roles: [], repliedUser: true };
  const parse = input.parse ?? [];
  if (parse.includes('users') && (input.users?.length ?? 0) > 0) {
    throw invalidField('allowed_mentions', 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', 'parse:["users"] and users: [ids] are mutually exclusive.');
  }
  if (parse.includes('roles') && (input.roles?.length ?? 0) > 0) {
    throw invalidField('allowed_mentions', 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', 'parse:["roles"] and roles: [ids] are mutually exclusive.');
  }
  return { parse, users: input.users ?? [], roles: input.roles ?? [], repliedUser: input.replied_user ?? false };
}
