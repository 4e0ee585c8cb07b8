// An attachment in Discord's shape. `width`/`height` only for images, as Discord sends them; `proxy_url` is the
// same signed link as `url` (Harmony serves files itself and runs no media proxy). A file an interaction holds
// (an ATTACHMENT option's upload, an ephemeral answer's file) is `ephemeral`, as Discord marks it.
import type { APIAttachment } from 'discord-api-types/v10';
import type { AttachmentView } from '../../../domain/attachments.ts';

export function attachment(a: AttachmentView): APIAttachment {
  return {
    id: a.id,
    filename: a.filename,
    ...(a.description !== null ? { description: a.description } : {}),
    content_type: a.contentType,
    size: a.size,
    url: a.url,
    proxy_url: a.url,
    ...(a.width !== null && a.height !== null ? { width: a.width, height: a.height } : {}),
    ...(a.interactionId ? { ephemeral: true } : {}),
  };
}
