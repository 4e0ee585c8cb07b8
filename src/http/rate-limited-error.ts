// A 429: Discord's body { message, retry_after, global } plus the headers clients wait on.
import { ApiError } from './api-error.ts';

export class RateLimitedError extends ApiError {
  constructor(
    readonly retryAfter: number,
    readonly global: boolean,
    readonly headers: Record<string, string>,
    message = 'You are being rate limited.',
  ) {
    super(429, 0, message);
  }

  override toJSON() {
    return { code: this.code, message: this.message, retry_after: this.retryAfter, global: this.global };
  }
}
