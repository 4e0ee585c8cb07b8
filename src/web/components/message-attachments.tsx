// A message's files: pictures (PNG, JPEG, GIF, WebP, as the server read them) shown inline at their size within
// bounds and linked to the full image, everything else as a download link with its size. The links are the
// server's signed ones, refreshed whenever the message is fetched or arrives again.

import { safeHttpUrl } from '../lib/urls.ts';
import type { Attachment } from '../lib/wire.ts';
import { Icon } from './icons.tsx';

/** The types the server serves inline; anything else is offered as a download. */
const PICTURE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const LINK_REL = 'noopener noreferrer';

const sizeText = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export function MessageAttachments({ attachments }: { attachments: readonly Attachment[] | undefined }) {
  if (!attachments?.length) return null;
  return (
    <div class="attachments">
      {attachments.map((a) => {
        const url = safeHttpUrl(a.url);
        if (!url) return null;
        if (PICTURE_TYPES.has(a.content_type) && a.width && a.height) {
          return (
            <a key={a.id} class="attachment-image-link" href={url} target="_blank" rel={LINK_REL} title={a.filename}>
              <img class="attachment-image" src={url} alt={a.description ?? a.filename} width={a.width} height={a.height} loading="lazy" decoding="async" />
            </a>
          );
        }
        return (
          <a key={a.id} class="attachment-file" href={url} download={a.filename} rel={LINK_REL} title={a.description ?? a.filename}>
            <Icon name="paperclip" size={18} />
            <span class="attachment-file-name">{a.filename}</span>
            <span class="hint">{sizeText(a.size)}</span>
          </a>
        );
      })}
    </div>
  );
}
