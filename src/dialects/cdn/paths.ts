// Where Harmony serves uploaded images: Discord's CDN paths at the server root, so a library whose CDN base points
// at Harmony (discord.js `rest.cdn`, discord.py `Asset.BASE`) builds working URLs from an image hash. v1 shapes
// carry these paths themselves (root-relative: resolve them against the Harmony base URL).

const extensionOf = (hash: string) => (hash.startsWith('a_') ? 'gif' : 'png');

export const avatarPath = (userId: string, hash: string) => `/avatars/${userId}/${hash}.${extensionOf(hash)}`;
export const iconPath = (guildId: string, hash: string) => `/icons/${guildId}/${hash}.${extensionOf(hash)}`;
export const emojiPath = (emojiId: string, animated: boolean) => `/emojis/${emojiId}.${animated ? 'gif' : 'png'}`;

/** Discord's default avatar for an account without one (unique usernames): (id >> 22) % 6. */
export const defaultAvatarIndex = (userId: string) => Number((BigInt(userId) >> 22n) % 6n);
export const defaultAvatarPath = (userId: string) => `/embed/avatars/${defaultAvatarIndex(userId)}.png`;
