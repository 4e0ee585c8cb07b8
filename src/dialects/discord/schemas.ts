// Request schemas of the discord dialect. discord.js sends fields we do not implement (tts, flags,
// enforce_nonce, ...), so bodies are open objects: unknown keys pass, known keys are type-checked and any
// mistake is a 50035 in Discord's nested shape.
import { Kind, TypeRegistry } from '@sinclair/typebox';
import { t } from 'elysia';
import type { AllowedMentions } from '../../domain/messages.ts';
import { parsePermissions } from '../../domain/permissions.ts';
import { invalidField } from '../../http/api-error.ts';

const DIGITS = '^\\d{1,20}$';

/**
 * A non-negative JSON integer that a JS number holds exactly. Its own kind, because Elysia rewrites every
 * t.Integer into "an integer or a string that parses as one", which takes " 5" and rounds 23-digit strings.
 */
const SAFE_INTEGER = 'HarmonySafeInteger';
TypeRegistry.Set(SAFE_INTEGER, (_schema, value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
const SafeInteger = t.Unsafe<number>({ [Kind]: SAFE_INTEGER, type: 'integer', minimum: 0 });

/** Digits as a decimal string or a JSON integer, handed to the route as the string. */
const digits = (description: string, examples: string[]) =>
  t
    .Transform(t.Union([t.String({ pattern: DIGITS }), SafeInteger], { description, examples }))
    .Decode((value): string => String(value))
    .Encode((value: string) => value);

/**
 * A snowflake as Discord takes it in bodies, query strings and paths: a decimal string, or a JSON integer
 * (discord.py sends ints). An integer past 2^53 reaches validation as its digits (json-body.ts keeps them), so
 * no id is ever rounded; routes always get a string.
 */
export const Snowflake = digits('A snowflake id: a decimal string or an integer', ['1300000000000000000']);

type Properties = Parameters<typeof t.Object>[0];

/** An object that accepts keys it does not describe (Elysia otherwise refuses them). */
export const Open = <T extends Properties>(properties: T) => t.Object(properties, { additionalProperties: true });

/** Snowflake for what is checked by hand (gateway frames): a decimal string or a safe integer, as the string; else null. */
export function snowflakeOf(value: unknown): string | null {
  if (typeof value === 'string') return /^\d{1,20}$/.test(value) ? value : null;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
}

/** A permission bitfield as Discord sends it: a decimal string (an integer is taken too, as Discord does). */
export const Bitfield = digits('A permission bitfield as a decimal string', ['2048']);

/** Query booleans as Discord takes them: `true|false|1|0`, and Python's `str(True)`, `True|False`. */
export const QueryBoolean = t.Optional(
  t.Union([t.Literal('true'), t.Literal('false'), t.Literal('True'), t.Literal('False'), t.Literal('1'), t.Literal('0'), t.Boolean()]),
);
export const isTrue = (value: string | boolean | undefined): boolean => value === true || value === 'true' || value === 'True' || value === '1';

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
