// Message text -> Preact nodes. Everything stays text (Preact escapes it); only four things become
// elements: user mentions, @everyone/@here, http(s) links, which open in a new tab without a referrer, and
// custom emoji (`<:name:id>`, `<a:name:id>`), shown as their image from this server.
import type { ComponentChildren } from 'preact';
import { EmojiGlyph } from '../components/custom-emoji.tsx';
import { safeHttpUrl } from './urls.ts';

const TOKEN = /<@!?(\d{1,20})>|@(everyone|here)\b|(https?:\/\/[^\s<>"]+)|<(a?):([A-Za-z0-9_]{2,32}):(\d{1,20})>/g;
/** Punctuation that usually ends a sentence rather than a URL. */
const TRAILING = /[).,!?;:'\]]+$/;

export type MarkupContext = {
  /** Display name for a user id, or null when unknown. */
  nameOf: (userId: string) => string | null;
  meId: string | undefined;
};

export function renderContent(content: string, ctx: MarkupContext): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const match of content.matchAll(TOKEN)) {
    const start = match.index;
    let text = match[0];
    const [, userId, everyone, url, animated, emojiName, emojiId] = match;
    let trailing = '';
    if (url) {
      trailing = TRAILING.exec(text)?.[0] ?? '';
      text = text.slice(0, text.length - trailing.length);
    }
    if (start > last) out.push(content.slice(last, start));
    if (userId) {
      const name = ctx.nameOf(userId);
      out.push(
        <span class={userId === ctx.meId ? 'mention mention-me' : 'mention'} title={name ? undefined : `User ${userId}`}>
          @{name ?? 'unknown-user'}
        </span>,
      );
    } else if (everyone) {
      out.push(<span class="mention mention-me">@{everyone}</span>);
    } else if (emojiId) {
      out.push(<EmojiGlyph emoji={`${animated ? 'a:' : ''}${emojiName}:${emojiId}`} />);
    } else {
      const href = safeHttpUrl(text);
      out.push(
        href ? (
          <a href={href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {text}
          </a>
        ) : (
          text
        ),
      );
    }
    if (trailing) out.push(trailing);
    last = start + match[0].length;
  }
  if (last < content.length) out.push(content.slice(last));
  return out;
}

/** Whether a message pings this user: a direct mention or @everyone/@here. */
export function mentionsMe(message: { mentions?: string[]; mention_everyone?: boolean }, meId: string | undefined): boolean {
  return !!meId && (message.mentions?.includes(meId) === true || message.mention_everyone === true);
}
