// The routes that take files (a message's send and edit, in both bot dialects) read multipart/form-data bodies
// through parseMultipart; every other route refuses them. The files of a request are kept beside it (by request,
// like its origin) for the handler to pick up, while the body the route validates is the payload_json object.
import type { Upload } from '../domain/attachments.ts';
import { MAX_BODY_BYTES } from './body-limit.ts';
import type { MultipartForm, MultipartLimits } from './multipart.ts';

/** Which requests may carry files, and how many of what size. */
export type UploadPolicy = { accepts(method: string, path: string): boolean; route(method: string, path: string): FileRoute | null; limits: MultipartLimits };

/**
 * A route that takes files: a method and a path pattern (anchored, on the path the router sees). `webhook` routes
 * carry their credential in the path (groups 1 and 2: the webhook's id and token, or an application's id and an
 * interaction token), `interaction` routes too (groups 1 and 2: the interaction's id and token), the others in
 * Authorization.
 */
export type FileRoute = { method: string; path: RegExp; webhook?: boolean; interaction?: boolean };

export function uploadPolicy(routes: readonly FileRoute[], limits: MultipartLimits): UploadPolicy {
  const route = (method: string, path: string) => routes.find((r) => r.method === method && r.path.test(path)) ?? null;
  return { accepts: (method, path) => route(method, path) !== null, route, limits };
}

/** The largest body a file route reads: every file at its largest, and the JSON beside them. */
export const uploadBodyLimit = (limits: MultipartLimits) => limits.maxFileBytes * limits.maxFiles + MAX_BODY_BYTES;

const uploads = new WeakMap<Request, Upload[]>();

/** The files of a request (none unless it was a multipart body on a file route). */
export function uploadsOf(request: Request): Upload[] {
  return uploads.get(request) ?? [];
}

/** Keeps a form's files with its request: `files[n]` is upload `n` (what an `attachments` entry's id names). */
export function rememberUploads(request: Request, form: MultipartForm): void {
  uploads.set(
    request,
    form.files.map((f, i) => ({ key: /^files\[(\d{1,4})\]$/.exec(f.name)?.[1] ?? String(i), filename: f.filename, bytes: f.bytes })),
  );
}
