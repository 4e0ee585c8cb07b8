// The one HarmonyClient of the logged-in session (REST and gateway, `Authorization: Bearer`), plus
// the two calls that happen before there is a session (register, log in).
import { HarmonyApiError } from '../../sdk/errors.ts';
import type { FileInput } from '../../sdk/events.ts';
import { HarmonyClient } from '../../sdk/harmony-client.ts';
import type { HttpMethod } from '../../sdk/rest.ts';
import { apiUrl, gatewayUrl } from '../lib/urls.ts';

let current: HarmonyClient | null = null;
let onUnauthorized: () => void = () => {};

export function createClient(token: string): HarmonyClient {
  current = new HarmonyClient(token, { url: gatewayUrl(), apiUrl: apiUrl(), authScheme: 'Bearer' });
  return current;
}

export function currentClient(): HarmonyClient | null {
  return current;
}

export function dropClient(): HarmonyClient | null {
  const client = current;
  current = null;
  return client;
}

/** Called when the server says the session token no longer works. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** An authenticated REST call; `path` is relative to /api/v1. With files, the body goes as multipart. */
export async function api<T = unknown>(method: HttpMethod, path: string, body?: unknown, files?: readonly FileInput[]): Promise<T> {
  if (!current) throw new Error('You are not logged in.');
  try {
    return await current.request<T>(method, path, body, files);
  } catch (error) {
    if (error instanceof HarmonyApiError && error.status === 401) onUnauthorized();
    throw error;
  }
}

/** POST without a session (register, log in); fails with the same error type as api(). */
export async function publicPost<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(apiUrl() + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  let payload: { code?: number; message?: string; errors?: HarmonyApiError['errors'] } | null = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {}
  if (!response.ok) {
    throw new HarmonyApiError(response.status, payload?.code ?? 0, payload?.message ?? response.statusText, payload?.errors, 'POST', path);
  }
  return payload as T;
}

/** The gateway refused the token (4004): same as a 401. */
export function sessionLost(): void {
  onUnauthorized();
}
