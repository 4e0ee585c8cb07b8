// Every URL the app uses, derived from the page's <base> (which serve.ts points at the app's root),
// so the app works at / and behind any path prefix without being told about it.

/** The app's root, e.g. https://host/harmony/ . */
export function appRoot(): URL {
  return new URL('./', document.baseURI);
}

export function apiUrl(): string {
  return new URL('api/v1', appRoot()).href;
}

export function gatewayUrl(): string {
  const url = new URL('gateway', appRoot());
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** The public presence endpoints, which live beside the API rather than under it. */
export function presenceUrl(userId: string, suffix = ''): string {
  return new URL(`user/${encodeURIComponent(userId)}${suffix}`, appRoot()).href;
}

/** An in-app path ("app/channels/1/2") as an href under the app's root. */
export function appHref(path: string): string {
  return appRoot().pathname + path.replace(/^\/+/, '');
}

/** The current location relative to the app's root, without leading slash ("app/settings"). */
export function currentAppPath(): string {
  const root = appRoot().pathname;
  const path = location.pathname;
  return path.startsWith(root) ? path.slice(root.length) : path.replace(/^\/+/, '');
}

/**
 * An uploaded image's path as the server gives it (`/avatars/...`, `/icons/...`, `/emojis/...`), as a URL under
 * the app's root (so it works behind a path prefix); null for anything else.
 */
export function imageUrl(path: string | null | undefined): string | null {
  if (!path || !/^\/(?:avatars|icons|emojis)\/[A-Za-z0-9_./-]+$/.test(path) || path.includes('..')) return null;
  return new URL(path.slice(1), appRoot()).href;
}

/** Reads a file the person picked as a data URI, as the API takes images. */
export function readAsDataUri(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

/** Only http(s) links are ever made clickable; anything else (javascript:, data:) stays text. */
export function safeHttpUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
