// Discord's id-ordered pagination (before / after / limit) over lists a service returns whole: the caller's
// guilds, a guild's bans. Ids compare as bigints, never as JS numbers.

export type PageQuery = { before?: string; after?: string; limit: number };

/**
 * Sorts by id, keeps ids strictly between the bounds, and takes `limit`: the first ones after `after`, or (with
 * only `before`) the last ones before it, as Discord does.
 */
export function page<T>(list: readonly T[], idOf: (item: T) => string, query: PageQuery): T[] {
  const after = query.after === undefined ? null : BigInt(query.after);
  const before = query.before === undefined ? null : BigInt(query.before);
  const sorted = list
    .map((item) => ({ item, id: BigInt(idOf(item)) }))
    .filter(({ id }) => (after === null || id > after) && (before === null || id < before))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ item }) => item);
  return before !== null && after === null ? sorted.slice(-query.limit) : sorted.slice(0, query.limit);
}
