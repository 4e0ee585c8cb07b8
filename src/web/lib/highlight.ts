// Syntax highlighting for code blocks: one linear scan into (kind, text) pieces that markup.tsx renders as
// spans. A tokenizer per language family (keywords, strings, comments, numbers) covers what people paste into
// chat; highlight.js would colour more precisely at tens of kilobytes more in a bundle that loads every page.

export type TokenKind = 'keyword' | 'string' | 'comment' | 'number' | 'literal' | 'plain';
export type Token = { kind: TokenKind; text: string };

type Language = {
  keywords: Set<string>;
  literals: Set<string>;
  /** Line comment openers. */
  line: string[];
  /** Block comment [open, close] pairs. */
  block: [string, string][];
  quotes: string;
};

const words = (s: string) => new Set(s.split(' '));
const C_LIKE_LITERALS = words('true false null undefined nullptr NaN Infinity this self super nil None True False');

const JS = {
  keywords: words(
    'async await break case catch class const continue debugger default delete do else enum export extends finally for from function if implements import in instanceof interface let new of package private protected public readonly return static switch throw try type typeof var void while with yield as satisfies declare keyof namespace',
  ),
  literals: C_LIKE_LITERALS,
  line: ['//'],
  block: [['/*', '*/']],
  quotes: '"\'`',
} satisfies Language;

const LANGUAGES: Record<string, Language> = {
  js: JS,
  ts: JS,
  python: {
    keywords: words(
      'and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case',
    ),
    literals: words('True False None self'),
    line: ['#'],
    block: [],
    quotes: '"\'',
  },
  rust: {
    keywords: words(
      'as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move mut pub ref return static struct trait type unsafe use where while',
    ),
    literals: words('true false self Self None Some Ok Err'),
    line: ['//'],
    block: [['/*', '*/']],
    quotes: '"',
  },
  go: {
    keywords: words(
      'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var',
    ),
    literals: words('true false nil iota'),
    line: ['//'],
    block: [['/*', '*/']],
    quotes: '"\'`',
  },
  c: {
    keywords: words(
      'auto bool break case catch char class const continue default delete do double else enum extern final float for friend goto if inline int long namespace new operator override private protected public return short signed sizeof static struct switch template throw try typedef typename union unsigned using virtual void volatile while abstract boolean byte extends implements import instanceof interface native package super synchronized throws transient var string object var async await foreach in out ref',
    ),
    literals: C_LIKE_LITERALS,
    line: ['//'],
    block: [['/*', '*/']],
    quotes: '"\'',
  },
  shell: {
    keywords: words('if then else elif fi for while until do done case esac function in return export local readonly set unset echo exit'),
    literals: words('true false'),
    line: ['#'],
    block: [],
    quotes: '"\'',
  },
  sql: {
    keywords: words(
      'select from where and or not insert into values update set delete create table index drop alter join left right inner outer on group by order having limit offset as distinct union all primary key references default null is in like between case when then else end begin commit rollback',
    ),
    literals: words('true false null'),
    line: ['--'],
    block: [['/*', '*/']],
    quotes: '"\'',
  },
  json: { keywords: new Set(), literals: words('true false null'), line: [], block: [], quotes: '"' },
  css: { keywords: words('important media import from to keyframes'), literals: new Set(), line: [], block: [['/*', '*/']], quotes: '"\'' },
};

const ALIASES: Record<string, string> = {
  javascript: 'js',
  jsx: 'js',
  mjs: 'js',
  cjs: 'js',
  typescript: 'ts',
  tsx: 'ts',
  py: 'python',
  python3: 'python',
  rs: 'rust',
  golang: 'go',
  cpp: 'c',
  'c++': 'c',
  h: 'c',
  hpp: 'c',
  cs: 'c',
  csharp: 'c',
  java: 'c',
  kotlin: 'c',
  kt: 'c',
  swift: 'c',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  console: 'shell',
  postgres: 'sql',
  postgresql: 'sql',
  sqlite: 'sql',
  json5: 'json',
  jsonc: 'json',
  scss: 'css',
};

/** The language a code block's tag names, or null when it is not one we colour. */
function languageOf(tag: string | null): Language | null {
  if (!tag) return null;
  const name = tag.toLowerCase();
  return LANGUAGES[ALIASES[name] ?? name] ?? null;
}

export function isHighlighted(tag: string | null): boolean {
  return languageOf(tag) !== null;
}

const IDENT = /[A-Za-z_$][\w$]*/y;
const NUMBER = /(?:0[xX][\da-fA-F_]+|0[bB][01_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)[a-zA-Z]*/y;

/** Splits code into coloured pieces; unknown languages come back as one plain piece. */
export function highlight(code: string, tag: string | null): Token[] {
  const lang = languageOf(tag);
  if (!lang) return [{ kind: 'plain', text: code }];
  const sql = lang === LANGUAGES.sql;
  const out: Token[] = [];
  let plain = '';
  const push = (kind: TokenKind, text: string) => {
    if (plain) out.push({ kind: 'plain', text: plain });
    plain = '';
    out.push({ kind, text });
  };
  let i = 0;
  outer: while (i < code.length) {
    const ch = code[i] ?? '';
    for (const opener of lang.line) {
      if (code.startsWith(opener, i)) {
        const end = code.indexOf('\n', i);
        const stop = end < 0 ? code.length : end;
        push('comment', code.slice(i, stop));
        i = stop;
        continue outer;
      }
    }
    for (const [open, close] of lang.block) {
      if (code.startsWith(open, i)) {
        const end = code.indexOf(close, i + open.length);
        const stop = end < 0 ? code.length : end + close.length;
        push('comment', code.slice(i, stop));
        i = stop;
        continue outer;
      }
    }
    if (lang.quotes.includes(ch)) {
      let j = i + 1;
      while (j < code.length && code[j] !== ch && !(code[j] === '\n' && ch !== '`')) j += code[j] === '\\' ? 2 : 1;
      const stop = Math.min(j + 1, code.length);
      push('string', code.slice(i, stop));
      i = stop;
      continue;
    }
    if (/\d/.test(ch) && !/[\w$]/.test(code[i - 1] ?? ' ')) {
      NUMBER.lastIndex = i;
      if (NUMBER.test(code)) {
        push('number', code.slice(i, NUMBER.lastIndex));
        i = NUMBER.lastIndex;
        continue;
      }
    }
    IDENT.lastIndex = i;
    if (/[A-Za-z_$]/.test(ch) && IDENT.test(code)) {
      const word = code.slice(i, IDENT.lastIndex);
      const key = sql ? word.toLowerCase() : word;
      if (lang.keywords.has(key)) push('keyword', word);
      else if (lang.literals.has(key)) push('literal', word);
      else plain += word;
      i = IDENT.lastIndex;
      continue;
    }
    plain += ch;
    i++;
  }
  if (plain) out.push({ kind: 'plain', text: plain });
  return out;
}
