// The embeddable presence card (`/user/:id/card.svg`): a 400x120 SVG that websites and READMEs show in
// an <img>. Every string in it comes from a user, so each one is cleaned (control and bidi characters
// out), shortened to fit and XML-escaped here, in one place, before it touches the markup.
import { ActivityType } from 'discord-api-types/v10';
import type { Activity, PresenceStatus } from '../../domain/presence/activity.ts';
import { findSpotifyActivity } from '../../domain/presence/spotify.ts';

export type CardTheme = 'dark' | 'light';

export type PresenceCardView = {
  displayName: string;
  /** `invisible` is drawn as offline: the card is public. */
  status: PresenceStatus;
  activities: readonly Activity[];
  /** Linked avatar, used when no data URI is given (most <img> contexts will not load it: SVG-as-image is isolated). */
  avatarUrl?: string | null;
};

export type PresenceCardOptions = {
  theme: CardTheme;
  /** `data:image/(png|jpeg|gif|webp);base64,...`, inlined so the card renders inside <img>. */
  avatarDataUri?: string;
};

export const CARD_WIDTH = 400;
export const CARD_HEIGHT = 120;

const THEMES = {
  dark: { background: '#1e1f22', primary: '#f2f3f5', secondary: '#b5bac1', initialBackground: '#5865f2' },
  light: { background: '#ffffff', primary: '#060607', secondary: '#4e5058', initialBackground: '#5865f2' },
} as const;

const STATUS = {
  online: { color: '#23a55a', label: 'Online' },
  idle: { color: '#f0b232', label: 'Idle' },
  dnd: { color: '#f23f43', label: 'Do Not Disturb' },
  offline: { color: '#80848e', label: 'Offline' },
} as const;

// Text budgets in "narrow character" units (a wide CJK character or emoji counts 2). Without font metrics
// this is an estimate: 20px bold fits ~22 narrow characters in the 268px beside the avatar, 14px ~34.
const NAME_WIDTH = 22;
const LINE_WIDTH = 34;
const TITLE_WIDTH = 128;

const FONT = `'gg sans','Noto Sans','Helvetica Neue',Helvetica,Arial,sans-serif`;
const DATA_URI = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
const MAX_LINKED_URL = 2048;

export function renderPresenceCard(view: PresenceCardView, options: PresenceCardOptions): string {
  const theme = options.theme === 'light' ? THEMES.light : THEMES.dark;
  const status = STATUS[view.status === 'invisible' ? 'offline' : view.status];
  const name = cleanText(view.displayName) || 'Unknown user';
  const lines = activityLines(view.activities);
  if (lines.length === 0) lines.push(status.label);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
      `width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}" role="img" ` +
      `font-family="${FONT}">`,
  );
  parts.push(`<title>${escapeXml(fitText(`${name} (${status.label})`, TITLE_WIDTH))}</title>`);
  parts.push(`<defs><clipPath id="avatar-clip"><circle cx="60" cy="60" r="40"/></clipPath></defs>`);
  parts.push(`<rect width="${CARD_WIDTH}" height="${CARD_HEIGHT}" rx="12" fill="${theme.background}"/>`);

  const href = avatarHref(view, options);
  if (href) {
    const h = escapeXml(href);
    parts.push(
      `<image x="20" y="20" width="80" height="80" href="${h}" xlink:href="${h}" preserveAspectRatio="xMidYMid slice" clip-path="url(#avatar-clip)"/>`,
    );
  } else {
    parts.push(`<circle cx="60" cy="60" r="40" fill="${theme.initialBackground}"/>`);
    parts.push(
      `<text x="60" y="60" text-anchor="middle" dominant-baseline="central" font-size="36" font-weight="700" ` +
        `fill="#ffffff">${escapeXml(initial(name))}</text>`,
    );
  }
  // The dot sits on a ring of the background colour, as chat clients draw it.
  parts.push(`<circle cx="88" cy="88" r="12" fill="${theme.background}"/>`);
  parts.push(`<circle cx="88" cy="88" r="8" fill="${status.color}"/>`);

  parts.push(`<text x="116" y="52" font-size="20" font-weight="700" fill="${theme.primary}">` + `${escapeXml(fitText(name, NAME_WIDTH))}</text>`);
  lines.slice(0, 2).forEach((line, i) => {
    parts.push(`<text x="116" y="${78 + i * 22}" font-size="14" fill="${theme.secondary}">` + `${escapeXml(fitText(line, LINE_WIDTH))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * The card's text lines: the custom status first, then the first other activity, as chat clients list
 * them. Spotify reads "Listening to <song> by <artist>". Lines are cleaned but not yet shortened.
 */
export function activityLines(activities: readonly Activity[]): string[] {
  const lines: string[] = [];
  const custom = activities.find((a) => a.type === ActivityType.Custom);
  if (custom) {
    // A custom (guild) emoji is an image we cannot inline; only a Unicode emoji is drawn.
    const emoji = custom.emoji && !custom.emoji.id ? cleanText(custom.emoji.name) : '';
    const line = [emoji, cleanText(custom.state ?? '')].filter(Boolean).join(' ');
    if (line) lines.push(line);
  }
  const main = activities.find((a) => a.type !== ActivityType.Custom);
  if (main) lines.push(describeActivity(main, main === findSpotifyActivity(activities)));
  return lines;
}

function describeActivity(a: Activity, isSpotify: boolean): string {
  const name = cleanText(a.name);
  if (isSpotify) {
    const song = cleanText(a.details ?? '');
    const artist = cleanText(a.state ?? '');
    if (song && artist) return `Listening to ${song} by ${artist}`;
    return song ? `Listening to ${song} on Spotify` : 'Listening to Spotify';
  }
  switch (a.type) {
    case ActivityType.Streaming:
      return `Streaming ${cleanText(a.details ?? '') || name}`;
    case ActivityType.Listening:
      return `Listening to ${name}`;
    case ActivityType.Watching:
      return `Watching ${name}`;
    case ActivityType.Competing:
      return `Competing in ${name}`;
    default:
      return `Playing ${name}`;
  }
}

function avatarHref(view: PresenceCardView, options: PresenceCardOptions): string | null {
  if (options.avatarDataUri && DATA_URI.test(options.avatarDataUri)) return options.avatarDataUri;
  const url = view.avatarUrl;
  if (!url || url.length > MAX_LINKED_URL) return null;
  const parsed = URL.parse(url);
  return parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') ? parsed.href : null;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function initial(name: string): string {
  for (const { segment } of graphemes.segment(name)) return segment.toLocaleUpperCase();
  return '?';
}

// Whitespace controls become spaces; other C0/C1 controls, bidi embeddings/overrides/isolates (which
// could reorder the card's text) and U+FFFE/U+FFFF (not XML characters) are removed.
const SPACE_LIKE = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this regex's job
const REMOVED = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g;

/** Removes what must not reach the card and collapses whitespace. Lone surrogates become U+FFFD. */
export function cleanText(text: string): string {
  return text.toWellFormed().replace(SPACE_LIKE, ' ').replace(REMOVED, '').replace(/ {2,}/g, ' ').trim();
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes the five XML special characters; safe for text and for quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Shortens `text` to `width` units (wide characters count 2) with a trailing ellipsis, never splitting a grapheme. */
export function fitText(text: string, width: number): string {
  const segments = Array.from(graphemes.segment(text), (s) => s.segment);
  let total = 0;
  for (const s of segments) total += graphemeWidth(s);
  if (total <= width) return text;
  let kept = '';
  let used = 0;
  for (const s of segments) {
    const w = graphemeWidth(s);
    if (used + w > width - 1) break;
    kept += s;
    used += w;
  }
  return `${kept.trimEnd()}…`;
}

function graphemeWidth(segment: string): number {
  const cp = segment.codePointAt(0) ?? 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}
