// Discord gives a user's avatar as an image hash; the picture itself is on its CDN. Members mirrored from Discord
// keep that hash (as the hosted presence API shows it), so whatever draws their picture builds the URL here.
const CDN = 'https://cdn.discordapp.com';
const SIZE = 128;

/** The CDN URL of a Discord user's avatar: a PNG, or a GIF for an animated (`a_`) hash. */
export function discordAvatarUrl(userId: string, hash: string): string {
  const extension = hash.startsWith('a_') ? 'gif' : 'png';
  // The hash comes from whatever answers at the bridge's configurable API URL: encoded, it stays one path segment.
  return `${CDN}/avatars/${encodeURIComponent(userId)}/${encodeURIComponent(hash)}.${extension}?size=${SIZE}`;
}
