// The one error type. Services throw it; each dialect's error handler turns it into its own
// JSON. Codes are Discord's JSON error codes (imported, never retyped) so both bot dialects
// speak the same numbers.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';

/** Field errors in Discord's nested shape: { content: { _errors: [{ code, message }] } }. */
export type FieldErrors = { [field: string]: FieldErrors | { code: string; message: string }[] };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FieldErrors,
  ) {
    super(message);
  }

  toJSON(): { code: number; message: string; errors?: FieldErrors } {
    return this.errors ? { code: this.code, message: this.message, errors: this.errors } : { code: this.code, message: this.message };
  }
}

/** One invalid field, in Discord's 50035 "Invalid Form Body" shape. */
export function invalidField(field: string, code: string, message: string): ApiError {
  return new ApiError(400, Codes.InvalidFormBodyOrContentType, 'Invalid Form Body', {
    [field]: { _errors: [{ code, message }] },
  });
}

export const unauthorized = () => new ApiError(401, Codes.GeneralError, '401: Unauthorized');
export const missingAccess = () => new ApiError(403, Codes.MissingAccess, 'Missing Access');
export const missingPermissions = () => new ApiError(403, Codes.MissingPermissions, 'Missing Permissions');
export const forbidden = (message: string) => new ApiError(403, Codes.MissingPermissions, message);

export const unknown = {
  channel: () => new ApiError(404, Codes.UnknownChannel, 'Unknown Channel'),
  guild: () => new ApiError(404, Codes.UnknownGuild, 'Unknown Guild'),
  invite: () => new ApiError(404, Codes.UnknownInvite, 'Unknown Invite'),
  member: () => new ApiError(404, Codes.UnknownMember, 'Unknown Member'),
  message: () => new ApiError(404, Codes.UnknownMessage, 'Unknown Message'),
  role: () => new ApiError(404, Codes.UnknownRole, 'Unknown Role'),
  user: () => new ApiError(404, Codes.UnknownUser, 'Unknown User'),
  emoji: () => new ApiError(404, Codes.UnknownEmoji, 'Unknown Emoji'),
  ban: () => new ApiError(404, Codes.UnknownBan, 'Unknown Ban'),
  route: () => new ApiError(404, Codes.GeneralError, '404: Not Found'),
};

/** Where a field sits in a request body: ['embeds', 0, 'fields', 3, 'value'] is Discord's `embeds.0.fields.3.value`. */
export type FieldPath = readonly (string | number)[];

/** At most this many problems are reported from one body; the rest would only make the answer large. */
const FORM_ERRORS_MAX = 25;

/**
 * Gathers every invalid field of a body, so one 50035 names them all in Discord's nested shape, as Discord
 * does. Nodes are prototype-less: keys come from a path the server builds, but stay safe if one ever does not.
 */
export class FormErrors {
  private readonly tree: FieldErrors = Object.create(null);
  private count = 0;

  add(path: FieldPath, code: string, message: string): void {
    if (this.count >= FORM_ERRORS_MAX) return;
    this.count += 1;
    let node = this.tree as Record<string, unknown>;
    for (const part of path.length > 0 ? path : ['_body']) {
      const key = String(part);
      if (!Object.hasOwn(node, key)) node[key] = Object.create(null);
      node = node[key] as Record<string, unknown>;
    }
    if (!Object.hasOwn(node, '_errors')) node._errors = [];
    (node._errors as { code: string; message: string }[]).push({ code, message });
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** Throws the 50035 when anything was added. */
  throwIfAny(): void {
    if (this.count > 0) throw new ApiError(400, Codes.InvalidFormBodyOrContentType, 'Invalid Form Body', this.tree);
  }
}
