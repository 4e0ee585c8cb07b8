// The error answers of every operation in the OpenAPI document, derived from what the route declares instead of
// written per route: its guard (`auth` level, recorded by guard.ts as `x-harmony-auth`), its path parameters
// (each names the 404 an unknown id gives), its body (400, 413), the permission its summary names (403), and
// the face it belongs to (each face has its own error body). Routes say only what is specific to them.
import { RESTJSONErrorCodes as Codes, PermissionFlagsBits } from 'discord-api-types/v10';
import { MAX_BODY_BYTES } from '../body-limit.ts';

type JsonSchema = Record<string, unknown>;
type Header = { description: string; schema: JsonSchema };
export type ResponseObject = { description: string; headers?: Record<string, Header>; content?: Record<string, { schema: JsonSchema; example?: unknown }> };

/** The bot dialects' error JSON (v10, v9 and v1): Discord's `{code, message}` (+ `errors` for a 50035). */
export const ErrorBody: JsonSchema = {
  title: 'Error',
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'integer', description: "Discord's JSON error code (RESTJSONErrorCodes); 0 for a general error" },
    message: { type: 'string' },
    errors: { type: 'object', description: '50035 only: each invalid field, nested as Discord does: { field: { _errors: [{ code, message }] } }' },
  },
};

export const RateLimitedBody: JsonSchema = {
  title: 'RateLimited',
  type: 'object',
  required: ['code', 'message', 'retry_after', 'global'],
  properties: {
    code: { type: 'integer' },
    message: { type: 'string' },
    retry_after: { type: 'number', description: 'Seconds to wait' },
    global: { type: 'boolean', description: 'Whether the global limit (not this route’s bucket) was hit' },
  },
};

/** The presence API's `{code, message}` with a string code (+ `retry_after` on a 429). */
export const PresenceErrorBody: JsonSchema = {
  title: 'PresenceError',
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'e.g. user_not_monitored, invalid_key, rate_limited' },
    message: { type: 'string' },
    retry_after: { type: 'number' },
  },
};

/** Lanyard's `{success: false, error: {code, message}}` (+ `retry_after` on a 429). */
export const LanyardErrorBody: JsonSchema = {
  title: 'LanyardError',
  type: 'object',
  required: ['success', 'error'],
  properties: {
    success: { const: false },
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
    retry_after: { type: 'number' },
  },
};

const PlainText: JsonSchema = { type: 'string' };

/** The error bodies, once each in the document's components: every operation refers to them. */
export const ERROR_SCHEMAS: Record<string, JsonSchema> = Object.fromEntries(
  [ErrorBody, RateLimitedBody, PresenceErrorBody, LanyardErrorBody].map((schema) => [schema.title as string, schema]),
);
const ref = (schema: JsonSchema): JsonSchema => ({ $ref: `#/components/schemas/${schema.title}` });

/** Which error body an operation answers with, by where it lives. */
type Face = 'bot' | 'presence' | 'lanyard' | 'plain';

export function faceOf(path: string): Face {
  if (path.startsWith('/api/')) return 'bot';
  if (path.startsWith('/user/')) return 'presence';
  if (path.startsWith('/v1/')) return 'lanyard';
  return 'plain';
}

/** An example error: its code (a number in the bot dialects, a string in the presence faces) and message. */
type Example = { code: number | string; message: string; errors?: unknown };

function body(face: Face, example: Example, schema?: JsonSchema): ResponseObject['content'] {
  switch (face) {
    case 'bot':
      return { 'application/json': { schema: schema ?? ref(ErrorBody), example } };
    case 'presence':
      return { 'application/json': { schema: ref(PresenceErrorBody), example: { code: String(example.code), message: example.message } } };
    case 'lanyard':
      return {
        'application/json': { schema: ref(LanyardErrorBody), example: { success: false, error: { code: String(example.code), message: example.message } } },
      };
    case 'plain':
      return { 'text/plain': { schema: PlainText, example: example.message } };
  }
}

const RETRY_AFTER: Header = { description: 'Seconds to wait before trying again', schema: { type: 'integer' } };

/** A path parameter and the 404 an id that names nothing gives. */
const UNKNOWN: Record<string, { code: number; message: string }> = {
  channelId: { code: Codes.UnknownChannel, message: 'Unknown Channel' },
  guildId: { code: Codes.UnknownGuild, message: 'Unknown Guild' },
  messageId: { code: Codes.UnknownMessage, message: 'Unknown Message' },
  roleId: { code: Codes.UnknownRole, message: 'Unknown Role' },
  userId: { code: Codes.UnknownUser, message: 'Unknown User' },
  botId: { code: Codes.UnknownUser, message: 'Unknown User' },
  targetId: { code: Codes.UnknownUser, message: 'Unknown User' },
  emojiId: { code: Codes.UnknownEmoji, message: 'Unknown Emoji' },
  emoji: { code: Codes.UnknownEmoji, message: 'Unknown Emoji' },
  webhookId: { code: Codes.UnknownWebhook, message: 'Unknown Webhook' },
  code: { code: Codes.UnknownInvite, message: 'Unknown Invite' },
  applicationId: { code: Codes.UnknownApplication, message: 'Unknown Application' },
  commandId: { code: Codes.UnknownApplicationCommand, message: 'Unknown application command' },
  interactionId: { code: Codes.UnknownInteraction, message: 'Unknown interaction' },
  sessionId: { code: Codes.GeneralError, message: '404: Not Found' },
};

/** Discord's permission names (SEND_MESSAGES) and the seed's (send_messages), as summaries write them. */
const PERMISSION_NAMES = new Set(Object.keys(PermissionFlagsBits).map((key) => key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()));
const permissionsIn = (summary: string): string[] =>
  [...new Set(summary.match(/\b[A-Za-z]+(?:_[A-Za-z]+)+\b/g) ?? [])].filter((word) => PERMISSION_NAMES.has(word.toUpperCase()));

export type OperationFacts = {
  path: string;
  method: string;
  summary: string;
  /** The guard's level, when the route is guarded (guard.ts). */
  auth: 'any' | 'human' | 'admin' | null;
  /** Whether a token is required by a scheme other than the guard (presence API token). */
  tokenRequired: boolean;
  pathParams: string[];
  hasQuery: boolean;
  hasBody: boolean;
  /** Takes files (multipart/form-data): its body limit is the upload limit. */
  takesFiles: boolean;
};

/** The error responses of one operation, by status. */
export function errorResponses(facts: OperationFacts, limits: { maxFileBytes: number; maxFiles: number }): Record<string, ResponseObject> {
  const face = faceOf(facts.path);
  const out: Record<string, ResponseObject> = {};
  const guarded = facts.auth !== null;
  const params = facts.pathParams.filter((p) => p !== 'token');

  if (params.length > 0 || facts.hasQuery || facts.hasBody) {
    const what = [params.length > 0 && 'a path parameter', facts.hasQuery && 'a query parameter', facts.hasBody && 'a body field'].filter(Boolean).join(' or ');
    out['400'] = {
      description:
        face === 'bot'
          ? `Invalid Form Body (${Codes.InvalidFormBodyOrContentType}): ${what} is invalid; \`errors\` names each one.${facts.hasBody ? ` A body that is not JSON: ${Codes.RequestBodyContainsInvalidJSON}.` : ''}`
          : `${what} is invalid; the message names the broken rule.`,
      content: body(face, {
        code: Codes.InvalidFormBodyOrContentType,
        message: 'Invalid Form Body',
        ...(face === 'bot' ? { errors: { [params[0] ?? 'field']: { _errors: [{ code: 'BASE_TYPE_INVALID', message: 'Invalid value' }] } } } : {}),
      }),
    };
  }

  const tokenInPath = facts.pathParams.includes('token');
  if (guarded || facts.tokenRequired || tokenInPath) {
    out['401'] = {
      description: guarded
        ? 'No token, an unknown or revoked one, or one under the wrong scheme (a bot token goes under Bot, a session under Bearer).'
        : tokenInPath
          ? `The token in the path is not this ${facts.path.includes('/interactions/') ? 'interaction' : 'webhook'}'s (${Codes.InvalidWebhookToken}).`
          : 'No presence API token, or not a valid one.',
      content:
        tokenInPath && !guarded
          ? body(face, { code: Codes.InvalidWebhookToken, message: 'Invalid Webhook Token' })
          : body(face, { code: 0, message: '401: Unauthorized' }),
    };
  }

  const permissions = permissionsIn(facts.summary);
  const reasons: string[] = [];
  if (facts.auth === 'human') reasons.push(`a bot token (bots cannot use this endpoint, ${Codes.MissingAccess})`);
  if (facts.auth === 'admin') reasons.push(`the caller is not an instance admin (${Codes.MissingAccess})`);
  if (permissions.length > 0) reasons.push(`the caller lacks ${permissions.join(' or ')} where it applies (Missing Permissions, ${Codes.MissingPermissions})`);
  if (guarded && params.some((p) => p === 'guildId' || p === 'channelId' || p === 'messageId' || p === 'webhookId'))
    reasons.push(`the caller cannot see the guild or channel (Missing Access, ${Codes.MissingAccess})`);
  if (!guarded && facts.tokenRequired && facts.pathParams.includes('id')) reasons.push('the token is not this user’s');
  if (reasons.length > 0) {
    const missing = permissions.length > 0;
    out['403'] = {
      description: `Refused: ${reasons.join('; ')}.`,
      content: body(
        face,
        missing ? { code: Codes.MissingPermissions, message: 'Missing Permissions' } : { code: Codes.MissingAccess, message: 'Missing Access' },
      ),
    };
  }

  const unknownOf = (param: string) => {
    if (param === 'userId' && facts.path.includes('/bans/')) return { code: Codes.UnknownBan, message: 'Unknown Ban' };
    if (param === 'userId' && facts.path.includes('/members/')) return { code: Codes.UnknownMember, message: 'Unknown Member' };
    return UNKNOWN[param];
  };
  const unknowns = params.map(unknownOf);
  if (face === 'bot' && unknowns.some(Boolean)) {
    const known = unknowns.filter((u): u is { code: number; message: string } => u !== undefined);
    out['404'] = {
      description: `An id in the path names nothing you can reach: ${[...new Map(known.map((u) => [u.code, `${u.message} (${u.code})`])).values()].join(', ')}.`,
      content: body(face, known[0] as Example),
    };
  } else if (face !== 'bot' && params.length > 0) {
    out['404'] = {
      description: face === 'plain' ? 'No such file, or the link is expired or altered.' : 'No such user, or they do not share their presence.',
      content: body(face, face === 'plain' ? { code: 0, message: '404: Not Found' } : { code: 'user_not_monitored', message: 'User is not being monitored' }),
    };
  }

  if (facts.hasBody || facts.takesFiles) {
    const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
    out['413'] = {
      description: facts.takesFiles
        ? `Request entity too large (${Codes.RequestEntityTooLarge}): a JSON body over ${mib(MAX_BODY_BYTES)}, a file over ${mib(limits.maxFileBytes)}, or more than ${limits.maxFiles} files.`
        : `Request entity too large (${Codes.RequestEntityTooLarge}): the body is over ${mib(MAX_BODY_BYTES)}.`,
      content: body(face, { code: Codes.RequestEntityTooLarge, message: `Request entity too large (${mib(MAX_BODY_BYTES)} at most)` }),
    };
  }

  if (guarded || face === 'presence' || face === 'lanyard' || facts.path.startsWith('/api/v1/auth/')) {
    out['429'] = {
      description: guarded
        ? "Rate limited: this route's bucket (X-RateLimit-Bucket) or the global limit is spent. Wait Retry-After seconds."
        : 'Rate limited (per address). Wait Retry-After seconds.',
      headers: {
        'Retry-After': RETRY_AFTER,
        ...(guarded
          ? {
              'X-RateLimit-Limit': { description: 'Requests the bucket allows per window', schema: { type: 'integer' } },
              'X-RateLimit-Remaining': { description: 'Requests left in the window', schema: { type: 'integer' } },
              'X-RateLimit-Reset-After': { description: 'Seconds until the window resets', schema: { type: 'number' } },
              'X-RateLimit-Bucket': { description: "The bucket's id", schema: { type: 'string' } },
            }
          : {}),
      },
      content:
        face === 'bot'
          ? {
              'application/json': {
                schema: ref(RateLimitedBody),
                example: { code: 0, message: 'You are being rate limited.', retry_after: 1.5, global: false },
              },
            }
          : body(face, { code: 'rate_limited', message: 'You are being rate limited.' }),
    };
  }

  if (!facts.path.startsWith('/embed/avatars/') && facts.path !== '/metrics' && facts.path !== '/health') {
    out['503'] = {
      description:
        'Storage is unavailable (the database is busy or its disk or file store cannot be reached): nothing was saved. Try again after Retry-After seconds.',
      headers: { 'Retry-After': RETRY_AFTER },
      content: body(face, { code: 0, message: 'The server cannot write to its disk right now, so nothing was saved. Try again later.' }),
    };
    if (facts.method !== 'get' && facts.method !== 'head')
      out['507'] = {
        description: 'The server is out of disk space: nothing was saved.',
        content: body(face, { code: 0, message: 'The server is out of disk space, so nothing was saved. Try again once its operator has freed some space.' }),
      };
  }
  return out;
}
