// A message's embeds, as a card each: colour bar, author, title (a link only for http(s) URLs), description
// and field values through the same text-only markup as messages, fields inline or stacked, image, thumbnail,
// footer and timestamp. Every string is rendered as text; images load only from http(s) URLs, lazily and
// without a referrer, so a hostile embed can neither run anything nor learn who is reading.

import { type MarkupContext, renderContent } from '../lib/markup.tsx';
import { safeHttpUrl } from '../lib/urls.ts';
import type { Embed } from '../lib/wire.ts';

const LINK_REL = 'noopener noreferrer nofollow ugc';

/** The URL if it is http(s), else null (the server refuses others, but the app does not rely on it). */
const httpUrl = (url: string | null | undefined) => (url ? safeHttpUrl(url) : null);

function EmbedImage({ url, className, alt }: { url: string | null | undefined; className: string; alt: string }) {
  const src = httpUrl(url);
  return src ? <img class={className} src={src} alt={alt} loading="lazy" decoding="async" referrerpolicy="no-referrer" /> : null;
}

function TextLink({ url, className, children }: { url: string | null | undefined; className: string; children: string }) {
  const href = httpUrl(url);
  return href ? (
    <a class={className} href={href} target="_blank" rel={LINK_REL}>
      {children}
    </a>
  ) : (
    <span class={className}>{children}</span>
  );
}

export function MessageEmbeds({ embeds, markup }: { embeds: readonly Embed[] | undefined; markup: MarkupContext }) {
  if (!embeds?.length) return null;
  return (
    <div class="embeds">
      {embeds.map((embed, i) => (
        // Embeds, fields and rows have no ids and never reorder in place: the index is their identity.
        <EmbedCard key={i} embed={embed} markup={markup} />
      ))}
    </div>
  );
}

function EmbedCard({ embed, markup }: { embed: Embed; markup: MarkupContext }) {
  // Set through the CSSOM (Preact's style object), which the page's style-src 'self' allows.
  const colour = embed.color === null ? undefined : { borderInlineStartColor: `#${embed.color.toString(16).padStart(6, '0')}` };
  const time = embed.timestamp ? new Date(embed.timestamp) : null;
  return (
    <section class="embed" style={colour} aria-label={embed.title ? `Embed: ${embed.title}` : 'Embed'}>
      <div class="embed-body">
        {embed.author ? (
          <div class="embed-author">
            <EmbedImage url={embed.author.icon_url} className="embed-author-icon" alt="" />
            <TextLink url={embed.author.url} className="embed-author-name">
              {embed.author.name}
            </TextLink>
          </div>
        ) : null}
        {embed.title ? (
          <div class="embed-title">
            <TextLink url={embed.url} className="embed-title-text">
              {embed.title}
            </TextLink>
          </div>
        ) : null}
        {embed.description ? <div class="embed-description">{renderContent(embed.description, markup)}</div> : null}
        {embed.fields.length > 0 ? (
          <dl class="embed-fields">
            {embed.fields.map((field, i) => (
              <div key={i} class={field.inline ? 'embed-field inline' : 'embed-field'}>
                <dt class="embed-field-name">{field.name}</dt>
                <dd class="embed-field-value">{renderContent(field.value, markup)}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        <EmbedImage url={embed.image?.url} className="embed-image" alt={embed.title ? `Image: ${embed.title}` : 'Embedded image'} />
        {embed.footer || time ? (
          <div class="embed-footer">
            <EmbedImage url={embed.footer?.icon_url} className="embed-footer-icon" alt="" />
            {embed.footer ? <span class="embed-footer-text">{embed.footer.text}</span> : null}
            {embed.footer && time ? <span aria-hidden="true"> • </span> : null}
            {time ? (
              <time dateTime={time.toISOString()} title={time.toLocaleString()}>
                {time.toLocaleString()}
              </time>
            ) : null}
          </div>
        ) : null}
      </div>
      <EmbedImage url={embed.thumbnail?.url} className="embed-thumbnail" alt={embed.title ? `Thumbnail: ${embed.title}` : 'Thumbnail'} />
    </section>
  );
}
