// Public presence reads (GET /user/:id, Lanyard's GET /v1/users/:id, the card) answered from bytes made ready
// once per (user, face): a read is a Map lookup plus a version check, never a database read or a JSON.stringify.
// An answer is dropped when the directory announces a change of that user (presence, profile, K/V, GitHub,
// sharing) and rebuilt by the next read. Only users the directory shows get an entry (a build that finds no
// snapshot stores nothing), so unknown ids never grow the cache: it is bounded by the people who opted in,
// times the handful of faces.

/** A body ready to send and its strong validator (a digest of exactly these bytes). */
export type ReadyAnswer = { body: Uint8Array<ArrayBuffer>; etag: string };

/** The part of the presence directory the cache follows. */
export type ChangeSource = {
  version(userId: string): number;
  onChange(listener: (userId: string) => void): () => void;
};

// Live data: a client may keep the answer but must ask again before reusing it; with the ETag that costs a
// bodyless 304 while nothing changed. (no-store would forbid keeping it, so browsers could not revalidate.)
export const LIVE_CACHE_CONTROL = 'no-cache';

const encoder = new TextEncoder();

export function readyAnswer(content: string | Uint8Array<ArrayBuffer>): ReadyAnswer {
  const body = typeof content === 'string' ? encoder.encode(content) : content;
  return { body, etag: `"${new Bun.CryptoHasher('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** True when `If-None-Match` names this answer (weak comparison, as RFC 9110 asks for this header). */
export function notModified(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  for (const raw of ifNoneMatch.split(',')) {
    const tag = raw.trim();
    if (tag === '*' || tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}

/**
 * 200 with the ready bytes, or a bodyless 304 carrying the same headers (minus the content type) and ETag.
 * `headers` is the request's own object (a route's `set.headers`, or one built for this request): it gains the ETag.
 */
export function answerResponse(answer: ReadyAnswer, ifNoneMatch: string | null | undefined, headers: Record<string, string | number>): Response {
  headers.etag = answer.etag;
  // Header values are converted to strings by the Headers constructor (a number is a rate-limit count).
  const init = headers as Record<string, string>;
  if (notModified(ifNoneMatch, answer.etag)) {
    delete headers['content-type'];
    return new Response(null, { status: 304, headers: init });
  }
  return new Response(answer.body, { headers: init });
}

type UserAnswers<T> = { version: number; faces: Map<string, T> };

/**
 * Answers kept per user and face. `T` is a ReadyAnswer, or a promise of one where building it waits (the card
 * inlines an avatar file); a promise is kept too, so concurrent first reads share one build.
 */
export class ReadyAnswers<T extends ReadyAnswer | Promise<ReadyAnswer>> {
  private readonly users = new Map<string, UserAnswers<T>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly source: ChangeSource) {
    this.unsubscribe = source.onChange((userId) => this.users.delete(userId));
  }

  /** The ready answer, or `build()`'s (kept while the user's version holds); null, and nothing kept, when build finds no one. */
  get(userId: string, face: string, build: () => T | null): T | null {
    const version = this.source.version(userId);
    let entry = this.users.get(userId);
    // The version check is a second guard beside the change listener: an answer never outlives its version.
    if (entry && entry.version !== version) {
      this.users.delete(userId);
      entry = undefined;
    }
    const ready = entry?.faces.get(face);
    if (ready) return ready;
    const built = build();
    if (built === null) return null;
    if (!entry) {
      entry = { version, faces: new Map() };
      this.users.set(userId, entry);
    }
    entry.faces.set(face, built);
    if (built instanceof Promise) {
      const kept = entry;
      // A failed build is not kept: the next read tries again.
      built.catch(() => {
        if (kept.faces.get(face) === built) kept.faces.delete(face);
      });
    }
    return built;
  }

  /** How many users have an answer ready (for tests and bounds). */
  get size(): number {
    return this.users.size;
  }

  stop(): void {
    this.unsubscribe();
    this.users.clear();
  }
}
