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
