// Presence limits are in characters a person sees, not UTF-16 units: an emoji in a K/V value or a
// song title counts once. Checking stops early so a hostile 1 MB string costs no more than the limit.

/** True when `text` has at most `max` Unicode code points. */
export function fitsChars(text: string, max: number): boolean {
  // UTF-16 length is an upper bound on code points, so short strings need no walk.
  if (text.length <= max) return true;
  // Every code point takes at most two units: past 2*max units it cannot fit.
  if (text.length > max * 2) return false;
  let count = 0;
  for (const _ of text) {
    count += 1;
    if (count > max) return false;
  }
  return true;
}
