// Discord's CDN paths at the server root: /avatars/{user}/{hash}.{ext}, /icons/{guild}/{hash}.{ext},
// /emojis/{id}.{ext} and the default /embed/avatars/{n}.png. Images are content-addressed, so they are cached for
// good; they are served exactly as uploaded (sniffed type, nosniff, a CSP that runs nothing). Harmony has no image
// resizer or converter: `?size=` is checked (a power of two, 16-4096) and not applied, and a request for another
// format (.webp of a PNG) gets the stored image with its real Content-Type.
import { Elysia, t } from 'elysia';
import type { Core } from '../../core.ts';
import { unreachable } from '../../files/unreachable.ts';
import { DEFAULT_AVATARS } from './default-avatars.ts';

const EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'webp', 'gif']);
const HASH = /^(?:a_)?[0-9a-f]{32}$/;
const SNOWFLAKE = /^\d{1,20}$/;

const IMAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'public, max-age=31536000, immutable',
  'content-security-policy': "default-src 'none'; sandbox",
  'access-control-allow-origin': '*',
};

const plain = (status: number, text: string) =>
  new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } });
const notFound = () => plain(404, '404: Not Found');

/** `name.ext` split, with the extension one Discord's CDN serves; null otherwise. */
function splitFile(file: string): { name: string; extension: string } | null {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return null;
  const extension = file.slice(dot + 1).toLowerCase();
  return EXTENSIONS.has(extension) ? { name: file.slice(0, dot), extension } : null;
}

/** Discord's rule for `size`: absent, or a power of two from 16 to 4096. */
function validSize(size: string | undefined): boolean {
  if (size === undefined) return true;
  if (!/^\d{1,4}$/.test(size)) return false;
  const n = Number(size);
  return n >= 16 && n <= 4096 && (n & (n - 1)) === 0;
}

function image(request: Request, bytes: Uint8Array, contentType: string, etag: string): Response {
  const headers = { ...IMAGE_HEADERS, 'content-type': contentType, etag: `"${etag}"` };
  if (request.headers.get('if-none-match') === `"${etag}"`) return new Response(null, { status: 304, headers });
  // HEAD too gets the body: the server sends its headers (Content-Length included) and drops the bytes.
  return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), { headers: { ...headers, 'content-length': String(bytes.length) } });
}

const SizeQuery = t.Object({ size: t.Optional(t.String({ description: 'A power of two, 16-4096 (accepted, not applied)' })) }, { additionalProperties: true });
const FileParam = t.String({ description: '`{hash}.{png|jpg|jpeg|webp|gif}`' });

export function cdnRoutes(core: Core) {
  const { files } = core;
  const stores = core.uow.repos;

  async function profileImage(request: Request, kind: 'avatar' | 'icon', ownerId: string, file: string, size: string | undefined): Promise<Response> {
    const parts = splitFile(file);
    if (!parts || !HASH.test(parts.name) || !SNOWFLAKE.test(ownerId)) return notFound();
    if (!validSize(size)) return plain(400, 'Invalid size: a power of two from 16 to 4096');
    // Only the current image of a live account, webhook or guild: a replaced one, or a deleted owner's, is gone.
    const current = kind === 'avatar' ? await currentAvatar(ownerId) : ((await stores.guilds.guild(ownerId))?.icon ?? null);
    if (current !== parts.name) return notFound();
    const stored = await stores.images.find(kind, ownerId, parts.name);
    const bytes = stored ? await files.get(stored.fileKey).catch(unreachable) : null;
    if (bytes instanceof Response) return bytes;
    return stored && bytes ? image(request, bytes, stored.contentType, stored.hash) : notFound();
  }

  /** A person's or bot's avatar, or a webhook's (Discord serves both under /avatars/{id}/). */
  async function currentAvatar(ownerId: string): Promise<string | null> {
    const user = await stores.users.byId(ownerId);
    if (user) return user.deleted ? null : user.avatar;
    return (await stores.webhooks.byId(ownerId))?.avatar ?? null;
  }

  async function emojiImage(request: Request, file: string, size: string | undefined): Promise<Response> {
    const parts = splitFile(file);
    if (!parts || !SNOWFLAKE.test(parts.name)) return notFound();
    if (!validSize(size)) return plain(400, 'Invalid size: a power of two from 16 to 4096');
    const emoji = await core.services.emojis.find(parts.name);
    const bytes = emoji ? await files.get(emoji.fileKey).catch(unreachable) : null;
    if (bytes instanceof Response) return bytes;
    return emoji && bytes ? image(request, bytes, emoji.contentType, emoji.fileKey.slice(emoji.fileKey.lastIndexOf('/') + 1)) : notFound();
  }

  function defaultAvatar(request: Request, file: string): Response {
    const match = /^([0-5])\.png$/.exec(file);
    const bytes = match ? DEFAULT_AVATARS[Number(match[1])] : undefined;
    return bytes ? image(request, bytes, 'image/png', `default-${match?.[1]}`) : notFound();
  }

  const detail = (summary: string, description: string) => ({ tags: ['CDN'], summary, description });
  const avatar = {
    params: t.Object({ userId: t.String(), file: FileParam }),
    query: SizeQuery,
    detail: detail("A user's uploaded avatar", "Discord's CDN path. The image as uploaded, with its real Content-Type; 404 for an unknown or replaced hash."),
  };
  const icon = {
    params: t.Object({ guildId: t.String(), file: FileParam }),
    query: SizeQuery,
    detail: detail("A guild's icon", "Discord's CDN path. The image as uploaded, with its real Content-Type; 404 for an unknown or replaced hash."),
  };
  const emoji = {
    params: t.Object({ file: t.String({ description: '`{emoji_id}.{png|gif|webp|jpg}`' }) }),
    query: SizeQuery,
    detail: detail('A custom emoji', "Discord's CDN path. The image as uploaded, with its real Content-Type; 404 once the emoji is deleted."),
  };
  const embed = {
    params: t.Object({ file: t.String({ description: '`{0-5}.png`' }) }),
    detail: detail('A default avatar', "One of six built-in PNGs; a user's is `(id >> 22) % 6`, as on Discord."),
  };

  /** HEAD answers as GET does without the body; the document lists GET only. */
  const head = <T extends { detail: object }>(route: T) => ({ ...route, detail: { ...route.detail, hide: true } });

  return new Elysia({ name: 'cdn' })
    .get('/avatars/:userId/:file', ({ request, params, query }) => profileImage(request, 'avatar', params.userId, params.file, query.size), avatar)
    .head('/avatars/:userId/:file', ({ request, params, query }) => profileImage(request, 'avatar', params.userId, params.file, query.size), head(avatar))
    .get('/icons/:guildId/:file', ({ request, params, query }) => profileImage(request, 'icon', params.guildId, params.file, query.size), icon)
    .head('/icons/:guildId/:file', ({ request, params, query }) => profileImage(request, 'icon', params.guildId, params.file, query.size), head(icon))
    .get('/emojis/:file', ({ request, params, query }) => emojiImage(request, params.file, query.size), emoji)
    .head('/emojis/:file', ({ request, params, query }) => emojiImage(request, params.file, query.size), head(emoji))
    .get('/embed/avatars/:file', ({ request, params }) => defaultAvatar(request, params.file), embed)
    .head('/embed/avatars/:file', ({ request, params }) => defaultAvatar(request, params.file), head(embed));
}
