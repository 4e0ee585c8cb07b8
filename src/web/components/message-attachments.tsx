// A message's files: pictures (PNG, JPEG, GIF, WebP, as the server read them) shown inline at their size within
// bounds and linked to the full image, everything else as a download link with its size. The links are the
// server's signed ones, refreshed whenever the message is fetched or arrives again.

import { appRoot, safeHttpUrl } from '../lib/urls.ts';
import type { Attachment } from '../lib/wire.ts';
import { Icon } from './icons.tsx';

/** The types the server serves inline; anything else is offered as a download. */
const PICTURE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const LINK_REL = 'noopener noreferrer';

/**
 * The link on the origin this page came from: the server names itself by --public-url, or else by the address it
 * listens on, which a browser elsewhere may not reach; the app is served by the same server, so its root works.
 */
function linkHere(raw: string): string | null {
  const url = safeHttpUrl(raw);
  if (!url) return null;
  const parsed = new URL(url);
  const at = /\/(?:ephemeral-)?attachments\/\d+\/\d+\/[^/]+$/.exec(parsed.pathname);
  return at ? new URL(`.${at[0]}${parsed.search}`, appRoot()).href : url;
}

const sizeText = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export function MessageAttachments({ attachments }: { attachments: readonly Attachment[] | undefined }) {
  if (!attachments?.length) return null;
  return (
    <div class="attachments">
      {attachments.map((a) => {
        const url = linkHere(a.url);
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
