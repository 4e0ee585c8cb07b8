// The answer of a route that serves stored files (attachment links, CDN images) when the store cannot be reached:
// such routes answer outside the API's error handler, so they turn the failure into its 503 themselves.
import { jsonResponse } from '../http/error-response.ts';
import { storageFailure } from '../http/storage-failure.ts';

/** A store that cannot be reached (S3 down) is a 503 with Retry-After, as for any other route (storage-failure.ts). */
export function unreachable(error: unknown): Response {
  const storage = storageFailure(error);
  if (!storage) throw error;
  console.error(`storage failure: ${storage.status} ${error instanceof Error ? error.message : String(error)}`);
  return jsonResponse(storage.status, storage.toJSON(), storage.headers);
}
