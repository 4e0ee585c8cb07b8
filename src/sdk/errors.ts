// The two ways a HarmonyClient call can fail on the server's say-so: a REST answer outside 2xx,
// or a gateway close code that makes reconnecting pointless.

/** Field errors in Discord's nested shape: { content: { _errors: [{ code, message }] } }. */
export type HarmonyFieldErrors = { [field: string]: HarmonyFieldErrors | { code: string; message: string }[] };

export class HarmonyApiError extends Error {
  override readonly name = 'HarmonyApiError';

  constructor(
    /** HTTP status. */
    readonly status: number,
    /** The JSON error code from the body (Discord's numbering); 0 when the body had none. */
    readonly code: number,
    message: string,
    /** Per-field validation errors, when the server sent them. */
    readonly errors: HarmonyFieldErrors | undefined,
    readonly method: string,
    /** The path relative to the REST base, query string included. */
    readonly path: string,
  ) {
    super(message);
  }
}

export class HarmonyGatewayError extends Error {
  override readonly name = 'HarmonyGatewayError';

  constructor(
    /** The WebSocket close code the server sent (4004 authentication failed, 4010-4014 ...). */
    readonly code: number,
    readonly reason: string,
  ) {
    super(`Gateway closed with ${code}${reason ? `: ${reason}` : ''}`);
  }
}
