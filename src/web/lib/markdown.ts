// Discord-flavoured markdown -> a small tree of plain data (markup.tsx turns it into Preact nodes; nothing
// here ever becomes HTML). Written for the job rather than taken from a package: Discord's dialect is its own
// (`__` is underline, `||` spoilers, `>>>` quotes the rest, mentions and custom emoji are tokens) and the
// general-purpose parsers either render HTML strings or cost more than this whole file.
//
// Time stays near-linear on hostile input: a closing delimiter is looked up with indexOf, a lookup that
// failed is remembered (no later search for that delimiter can succeed past it), and nesting stops at
// MAX_DEPTH, where the rest is kept as text.

export type Inline =
  | string
  | { t: 'bold' | 'italic' | 'underline' | 'strike' | 'spoiler'; c: Inline[] }
  | { t: 'code'; text: string }
  | { t: 'user'; id: string }
  | { t: 'role'; id: string }
  | { t: 'channel'; id: string }
  | { t: 'everyone'; which: 'everyone' | 'here' }
  | { t: 'emoji'; name: string; id: string; animated: boolean }
  /** `masked`: written as [text](url), so the text may say anything; the URL is shown before leaving. */
  | { t: 'link'; href: string; c: Inline[]; masked: boolean };

export type Block =
  | { t: 'text'; c: Inline[] }
  | { t: 'codeblock'; lang: string | null; text: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'heading'; level: 1 | 2 | 3; c: Inline[] }
  | { t: 'list'; ordered: boolean; start: number; items: Inline[][] };

const MAX_DEPTH = 10;
/** Characters Discord lets a backslash escape: any ASCII punctuation. */
const ESCAPABLE = /[!-/:-@[-`{-~]/;
/** Runs of characters that cannot start anything: consumed in one step. */
const PLAIN_RUN = /[^\\*_~|`<@[\nhH]+/y;
const MENTION = /<(@!?|@&|#)(\d{1,20})>/y;
const CUSTOM_EMOJI = /<(a?):([A-Za-z0-9_]{2,32}):(\d{1,20})>/y;
const EVERYONE = /@(everyone|here)\b/y;
const URL_RUN = /https?:\/\/[^\s<>"]+/iy;
const ANGLE_URL = /<(https?:\/\/[^\s<>"]+)>/iy;
/** Punctuation that usually ends a sentence rather than a URL. */
const TRAILING = /[).,!?;:'\]]+$/;
const MASKED = /\[([^\][\n]{1,512})\]\(\s*<?(https?:\/\/[^\s()<>]+(?:\([^\s()<>]*\)[^\s()<>]*)*)>?\s*\)/iy;
const WORD = /[\p{L}\p{N}_]/u;

/** Parses a whole message (or embed text) into blocks. */
export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  // Code blocks first: nothing inside them is markdown, and they may sit anywhere in a line.
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('```', at);
    const close = open < 0 ? -1 : source.indexOf('```', open + 3);
    if (open < 0 || close < 0) {
      parseBlocks(source.slice(at), blocks, 0);
      break;
    }
    if (open > at) parseBlocks(trimBlockEdge(source.slice(at, open)), blocks, 0);
    blocks.push(codeBlock(source.slice(open + 3, close)));
    at = close + 3;
    if (source[at] === '\n') at++;
  }
  return blocks;
}

function trimBlockEdge(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function codeBlock(body: string): Block {
  const newline = body.indexOf('\n');
  const first = newline < 0 ? '' : body.slice(0, newline);
  const hasLang = newline >= 0 && /^[A-Za-z0-9_+\-.#]{1,32}$/.test(first.trim());
  let text = hasLang ? body.slice(newline + 1) : body;
  if (!hasLang && newline === 0) text = text.slice(1);
  if (text.endsWith('\n')) text = text.slice(0, -1);
  return { t: 'codeblock', lang: hasLang ? first.trim().toLowerCase() : null, text };
}

const HEADING = /^(#{1,3}) (.*)$/;
const LIST_ITEM = /^\s{0,3}(?:([-*])|(\d{1,9})\.) (.*)$/;

/** Line-level structure: headings, quotes, lists; other lines join into text blocks. */
function parseBlocks(text: string, out: Block[], depth: number): void {
  const lines = text.split('\n');
  let prose: string[] = [];
  const flush = () => {
    if (prose.length === 0) return;
    out.push({ t: 'text', c: parseInline(prose.join('\n'), depth) });
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (depth === 0 && (line.startsWith('>>> ') || line === '>>>')) {
      flush();
      const rest = [line.slice(4), ...lines.slice(i + 1)].join('\n');
      const inner: Block[] = [];
      parseBlocks(rest, inner, depth + 1);
      out.push({ t: 'quote', c: inner });
      return;
    }
    if (depth === 0 && (line.startsWith('> ') || line === '>')) {
      flush();
      const quoted: string[] = [];
      while (i < lines.length && ((lines[i] ?? '').startsWith('> ') || lines[i] === '>')) {
        quoted.push((lines[i] ?? '').slice(2));
        i++;
      }
      i--;
      const inner: Block[] = [];
      parseBlocks(quoted.join('\n'), inner, depth + 1);
      out.push({ t: 'quote', c: inner });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading?.[2]?.trim()) {
      flush();
      out.push({ t: 'heading', level: (heading[1]?.length ?? 1) as 1 | 2 | 3, c: parseInline(heading[2].trim(), depth) });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flush();
      const ordered = item[2] !== undefined;
      const list: Block & { t: 'list' } = { t: 'list', ordered, start: ordered ? Number(item[2]) : 1, items: [] };
      while (i < lines.length) {
        const next = LIST_ITEM.exec(lines[i] ?? '');
        if (!next || (next[2] !== undefined) !== ordered) break;
        list.items.push(parseInline(next[3] ?? '', depth));
        i++;
      }
      i--;
      out.push(list);
      continue;
    }
    prose.push(line);
  }
  flush();
}

type Span = 'bold' | 'italic' | 'underline' | 'strike' | 'spoiler';

/** Inline markdown of one stretch of text. */
export function parseInline(text: string, depth = 0): Inline[] {
  return new InlineParser(text).run(0, text.length, depth, false);
}

class InlineParser {
  /** Delimiter -> the position from which it is known not to occur again. */
  private readonly absentFrom = new Map<string, number>();
  /** `kind:to` -> the position from which that kind of span is known not to close before `to`. */
  private readonly unclosedFrom = new Map<string, number>();

  constructor(private readonly src: string) {}

  run(from: number, to: number, depth: number, inLink: boolean): Inline[] {
    const src = this.src;
    const out: Inline[] = [];
    let buffer = '';
    const emit = (node: Inline) => {
      if (buffer) out.push(buffer);
      buffer = '';
      out.push(node);
    };
    let i = from;
    while (i < to) {
      PLAIN_RUN.lastIndex = i;
      if (PLAIN_RUN.test(src)) {
        const end = Math.min(PLAIN_RUN.lastIndex, to);
        buffer += src.slice(i, end);
        i = end;
        continue;
      }
      const ch = src[i] ?? '';
      if (ch === '\\') {
        const next = src[i + 1];
        if (next !== undefined && i + 1 < to && ESCAPABLE.test(next)) {
          buffer += next;
          i += 2;
        } else {
          buffer += ch;
          i++;
        }
        continue;
      }
      if (ch === '`') {
        const code = this.inlineCode(i, to);
        if (code) {
          emit({ t: 'code', text: code.text });
          i = code.end;
          continue;
        }
        // An unmatched run of backticks stays text as a whole.
        let j = i;
        while (j < to && src[j] === '`') j++;
        buffer += src.slice(i, j);
        i = j;
        continue;
      }
      if (ch === '<') {
        const token = this.angleToken(i, to, inLink);
        if (token) {
          emit(token.node);
          i = token.end;
          continue;
        }
      }
      if (ch === '@') {
        EVERYONE.lastIndex = i;
        const match = EVERYONE.exec(src);
        if (match && EVERYONE.lastIndex <= to) {
          emit({ t: 'everyone', which: match[1] as 'everyone' | 'here' });
          i = EVERYONE.lastIndex;
          continue;
        }
      }
      if ((ch === 'h' || ch === 'H') && !inLink && !WORD.test(src[i - 1] ?? ' ')) {
        URL_RUN.lastIndex = i;
        const match = URL_RUN.exec(src);
        if (match) {
          let url = src.slice(i, Math.min(URL_RUN.lastIndex, to));
          url = url.slice(0, url.length - (TRAILING.exec(url)?.[0].length ?? 0));
          const href = httpHref(url);
          if (href) {
            emit({ t: 'link', href, c: [url], masked: false });
            i += url.length;
            continue;
          }
        }
      }
      if (ch === '[' && !inLink) {
        MASKED.lastIndex = i;
        const match = MASKED.exec(src);
        const href = match && MASKED.lastIndex <= to ? httpHref(match[2] ?? '') : null;
        if (match && href) {
          const label = match[1] ?? '';
          const start = i + 1;
          emit({ t: 'link', href, c: depth < MAX_DEPTH ? this.run(start, start + label.length, depth + 1, true) : [label], masked: true });
          i = MASKED.lastIndex;
          continue;
        }
      }
      const span = depth < MAX_DEPTH ? this.span(i, to) : null;
      if (span) {
        emit({ t: span.kind, c: this.run(span.innerFrom, span.innerTo, depth + 1, inLink) });
        i = span.end;
        continue;
      }
      buffer += ch;
      i++;
    }
    if (buffer) out.push(buffer);
    return out;
  }

  /** `code` or ``code``: the same number of backticks closes it; nothing inside is markdown. */
  private inlineCode(at: number, to: number): { text: string; end: number } | null {
    const src = this.src;
    let ticks = 0;
    while (src[at + ticks] === '`') ticks++;
    if (ticks > 2) return null;
    const fence = '`'.repeat(ticks);
    let search = at + ticks;
    for (;;) {
      const close = this.find(fence, search, to);
      if (close < 0) return null;
      let run = 0;
      while (src[close + run] === '`') run++;
      if (run === ticks && close > at + ticks) {
        const text = src.slice(at + ticks, close);
        return { text: ticks === 2 ? text.trim() || text : text, end: close + ticks };
      }
      search = close + run;
    }
  }

  private angleToken(at: number, to: number, inLink: boolean): { node: Inline; end: number } | null {
    const src = this.src;
    MENTION.lastIndex = at;
    const mention = MENTION.exec(src);
    if (mention && MENTION.lastIndex <= to) {
      const id = mention[2] ?? '';
      const kind = mention[1];
      const node: Inline = kind === '#' ? { t: 'channel', id } : kind === '@&' ? { t: 'role', id } : { t: 'user', id };
      return { node, end: MENTION.lastIndex };
    }
    CUSTOM_EMOJI.lastIndex = at;
    const emoji = CUSTOM_EMOJI.exec(src);
    if (emoji && CUSTOM_EMOJI.lastIndex <= to) {
      return { node: { t: 'emoji', animated: emoji[1] === 'a', name: emoji[2] ?? '', id: emoji[3] ?? '' }, end: CUSTOM_EMOJI.lastIndex };
    }
    if (inLink) return null;
    ANGLE_URL.lastIndex = at;
    const url = ANGLE_URL.exec(src);
    const href = url && ANGLE_URL.lastIndex <= to ? httpHref(url[1] ?? '') : null;
    return url && href ? { node: { t: 'link', href, c: [url[1] ?? ''], masked: false }, end: ANGLE_URL.lastIndex } : null;
  }

  /** A delimited span opening at `at` (bold, italic, underline, strike, spoiler), or null if it does not close. */
  private span(at: number, to: number): { kind: Span; innerFrom: number; innerTo: number; end: number } | null {
    const src = this.src;
    const ch = src[at];
    const two = src.slice(at, at + 2);
    if (two === '**' || two === '__' || two === '~~' || two === '||') {
      const kind: Span = two === '**' ? 'bold' : two === '__' ? 'underline' : two === '~~' ? 'strike' : 'spoiler';
      const close = this.remembered(two, at + 3, to, (from) => this.closer(two, from, to, kind !== 'spoiler'));
      if (close >= 0) return { kind, innerFrom: at + 2, innerTo: close, end: close + 2 };
    }
    if (ch === '*' && !/[\s*]/.test(src[at + 1] ?? ' ')) {
      const close = this.remembered('*', at + 2, to, (from) => this.italicStar(from, to));
      if (close >= 0) return { kind: 'italic', innerFrom: at + 1, innerTo: close, end: close + 1 };
    }
    if (ch === '_' && !WORD.test(src[at - 1] ?? ' ')) {
      const close = this.remembered('_', at + 2, to, (from) => this.italicUnderscore(from, to));
      if (close >= 0) return { kind: 'italic', innerFrom: at + 1, innerTo: close, end: close + 1 };
    }
    return null;
  }

  /**
   * A closer search that failed from `from` fails from any later start with the same end: answered at once,
   * which keeps input like `*a *a *a …` (every star an opener, none a closer) linear.
   */
  private remembered(kind: string, from: number, to: number, search: (from: number) => number): number {
    const key = `${kind}:${to}`;
    const known = this.unclosedFrom.get(key);
    if (known !== undefined && from >= known) return -1;
    const found = search(from);
    if (found < 0) this.unclosedFrom.set(key, Math.min(known ?? from, from));
    return found;
  }

  /** The next `delim` from `from`; with `lastOfRun`, `***` closes `**` at its last two characters, as Discord does. */
  private closer(delim: string, from: number, to: number, lastOfRun: boolean): number {
    const close = this.find(delim, from, to);
    if (close < 0) return -1;
    let end = close;
    if (lastOfRun) while (end + 2 < to && this.src[end + 2] === delim[0]) end++;
    return end;
  }

  /** A single `*` after a non-space, not part of `**` (which may sit inside the italic text). */
  private italicStar(from: number, to: number): number {
    const src = this.src;
    let at = from;
    for (;;) {
      const close = this.find('*', at, to);
      if (close < 0) return -1;
      if (close + 1 < to && src[close + 1] === '*') {
        at = close + 2;
        continue;
      }
      if (!/\s/.test(src[close - 1] ?? ' ')) return close;
      at = close + 1;
    }
  }

  /** A single `_` not followed by a word character and not part of `__`. */
  private italicUnderscore(from: number, to: number): number {
    const src = this.src;
    let at = from;
    for (;;) {
      const close = this.find('_', at, to);
      if (close < 0) return -1;
      if (close + 1 < to && src[close + 1] === '_') {
        at = close + 2;
        continue;
      }
      if (!WORD.test(src[close + 1] ?? ' ')) return close;
      at = close + 1;
    }
  }

  /** indexOf bounded by `to`, remembering where a delimiter no longer occurs at all. */
  private find(delim: string, from: number, to: number): number {
    const absent = this.absentFrom.get(delim);
    if (absent !== undefined && from >= absent) return -1;
    const at = this.src.indexOf(delim, from);
    if (at < 0) {
      this.absentFrom.set(delim, Math.min(absent ?? from, from));
      return -1;
    }
    return at + delim.length <= to ? at : -1;
  }
}

/** Only http(s) URLs ever become links. */
export function httpHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
