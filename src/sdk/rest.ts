// One HTTP request to the harmony v1 REST API: auth header, JSON in and out (multipart with files[n] and payload_json
// when there are files), typed errors, and 429 handling.
// Rate limits are honoured by waiting what the server asks for, a bounded number of times, then giving up.
import { HarmonyApiError, type HarmonyFieldErrors } from './errors.ts';
import type { FileInput } from './events.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RestOptions = {
  /** e.g. http://localhost:3002/api/v1 (no trailing slash). */
  baseUrl: string;
  /** The whole Authorization header value, e.g. 'Bot abc'. */
  authorization: string;
  /** Total tries for one call when the server keeps answering 429. */
  maxAttempts?: number;
};

const DEFAULT_MAX_ATTEMPTS = 5;
/** When a 429 names no wait at all, wait this long rather than hammer the server. */
const FALLBACK_RETRY_SECONDS = 1;

export class RestClient {
  private readonly maxAttempts: number;

  constructor(private readonly options: RestOptions) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  /** Resolves with the parsed JSON body, or undefined for 204 / an empty body. */
  async request<T = unknown>(method: HttpMethod, path: string, body?: unknown, files?: readonly FileInput[]): Promise<T> {
    const headers: Record<string, string> = { Authorization: this.options.authorization };
    const init: RequestInit = { method, headers };
    if (files?.length) {
      // fetch writes the multipart Content-Type with its boundary itself.
      const form = new FormData();
      form.set('payload_json', JSON.stringify(body ?? {}));
      for (const [i, f] of files.entries()) form.append(`files[${i}]`, await toBlob(f.data), f.name);
      init.body = form;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(this.options.baseUrl + path, init);
      const payload = await readBody(response);
      if (response.ok) return payload as T;
      if (response.status === 429 && attempt < this.maxAttempts) {
        await sleep(retryAfterSeconds(response, payload) * 1000);
        continue;
      }
      throw toApiError(response, payload, method, path);
    }
  }
}

async function toBlob(data: FileInput['data']): Promise<Blob> {
  if (data instanceof Blob) return data;
  if (typeof data === 'string' || data instanceof ArrayBuffer || data instanceof Uint8Array) return new Blob([data as BlobPart]);
  return new Blob([await data.arrayBuffer()]);
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A proxy's HTML error page, say: keep it as text so the error message can show it.
    return text;
  }
}

/** The JSON body's retry_after wins (it has sub-second precision); then the Retry-After header. */
function retryAfterSeconds(response: Response, payload: unknown): number {
  const fromBody = asRecord(payload)?.retry_after;
  if (typeof fromBody === 'number' && Number.isFinite(fromBody) && fromBody >= 0) return fromBody;
  const header = response.headers.get('Retry-After');
  if (header !== null) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, (date - Date.now()) / 1000);
  }
  return FALLBACK_RETRY_SECONDS;
}

function toApiError(response: Response, payload: unknown, method: string, path: string): HarmonyApiError {
  const body = asRecord(payload);
  const code = typeof body?.code === 'number' ? body.code : 0;
  const message =
    typeof body?.message === 'string'
      ? body.message
      : typeof payload === 'string' && payload !== ''
        ? payload.slice(0, 200)
        : `${response.status} ${response.statusText}`.trim();
  const errors = typeof body?.errors === 'object' && body.errors !== null ? (body.errors as HarmonyFieldErrors) : undefined;
  return new HarmonyApiError(response.status, code, message, errors, method, path);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
