// Discord-flavoured markdown -> a plain-data tree (src/web/lib/markdown.ts): what Discord formats, what it
// leaves alone, and input built to be slow or to smuggle a script through.
import { describe, expect, it } from 'bun:test';
import { highlight } from '../../src/web/lib/highlight.ts';
import { parseInline, parseMarkdown } from '../../src/web/lib/markdown.ts';

describe('parseInline', () => {
  it('formats bold, italic (both spellings), underline, strike and spoilers', () => {
    expect(parseInline('**b** *i* _j_ __u__ ~~s~~ ||x||')).toEqual([
      { t: 'bold', c: ['b'] },
      ' ',
      { t: 'italic', c: ['i'] },
      ' ',
      { t: 'italic', c: ['j'] },
      ' ',
      { t: 'underline', c: ['u'] },
      ' ',
      { t: 'strike', c: ['s'] },
      ' ',
      { t: 'spoiler', c: ['x'] },
    ]);
  });

  it('nests spans: bold italic, underline around bold, italic around bold', () => {
    expect(parseInline('***both***')).toEqual([{ t: 'bold', c: [{ t: 'italic', c: ['both'] }] }]);
    expect(parseInline('__**ub**__')).toEqual([{ t: 'underline', c: [{ t: 'bold', c: ['ub'] }] }]);
    expect(parseInline('*a **b** c*')).toEqual([{ t: 'italic', c: ['a ', { t: 'bold', c: ['b'] }, ' c'] }]);
  });

  it('leaves unmatched delimiters, snake_case words and lone stars as text', () => {
    expect(parseInline('**open and * alone')).toEqual(['**open and * alone']);
    expect(parseInline('snake_case_name and 2 * 3 * 4')).toEqual(['snake_case_name and 2 * 3 * 4']);
    expect(parseInline('****')).toEqual(['****']);
  });

  it('keeps everything inside inline code literal, with one or two backticks', () => {
    expect(parseInline('run `**not bold** <@1>` now')).toEqual(['run ', { t: 'code', text: '**not bold** <@1>' }, ' now']);
    expect(parseInline('``has ` tick``')).toEqual([{ t: 'code', text: 'has ` tick' }]);
    expect(parseInline('a ` b')).toEqual(['a ` b']);
  });

  it('unescapes backslashed punctuation, which then formats nothing', () => {
    expect(parseInline('\\*not italic\\* \\<@1> \\\\ \\a')).toEqual(['*not italic* <@1> \\ \\a']);
  });

  it('reads user, role and channel mentions, @everyone/@here and custom emoji', () => {
    expect(parseInline('<@1> <@!2> <@&3> <#4> @everyone @here <:wave:5> <a:dance:6>')).toEqual([
      { t: 'user', id: '1' },
      ' ',
      { t: 'user', id: '2' },
      ' ',
      { t: 'role', id: '3' },
      ' ',
      { t: 'channel', id: '4' },
      ' ',
      { t: 'everyone', which: 'everyone' },
      ' ',
      { t: 'everyone', which: 'here' },
      ' ',
      { t: 'emoji', name: 'wave', id: '5', animated: false },
      ' ',
      { t: 'emoji', name: 'dance', id: '6', animated: true },
    ]);
  });

  it('links bare and <angle> http(s) URLs without trailing punctuation', () => {
    expect(parseInline('see https://a.example/x?y=1). or <https://b.example/>')).toEqual([
      'see ',
      { t: 'link', href: 'https://a.example/x?y=1', c: ['https://a.example/x?y=1'], masked: false },
      '). or ',
      { t: 'link', href: 'https://b.example/', c: ['https://b.example/'], masked: false },
    ]);
  });

  it('makes masked links of http(s) URLs only, formatting their text but never nesting links', () => {
    expect(parseInline('[**docs**](https://example.com/a_(b))')).toEqual([
      { t: 'link', href: 'https://example.com/a_(b)', c: [{ t: 'bold', c: ['docs'] }], masked: true },
    ]);
    expect(parseInline('[x](https://evil.example) [https://ok.example](https://evil.example)')).toEqual([
      { t: 'link', href: 'https://evil.example/', c: ['x'], masked: true },
      ' ',
      { t: 'link', href: 'https://evil.example/', c: ['https://ok.example'], masked: true },
    ]);
  });

  it('never links javascript:, data: or other schemes, masked or bare', () => {
    for (const hostile of [
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](data:text/html,<script>alert(1)</script>)',
      '[click]( javascript:alert(1) )',
      '<javascript:alert(1)>',
      'javascript:alert(1)',
      '[x](vbscript:msgbox)',
    ]) {
      const nodes = parseInline(hostile);
      expect(JSON.stringify(nodes)).not.toContain('"link"');
      expect(nodes.join('')).toBe(nodes.every((n) => typeof n === 'string') ? hostile : nodes.join(''));
    }
  });
});

describe('parseMarkdown', () => {
  it('keeps a one-line message as one text block', () => {
    expect(parseMarkdown('hello')).toEqual([{ t: 'text', c: ['hello'] }]);
  });

  it('reads fenced code blocks with a language tag, and nothing inside them', () => {
    expect(parseMarkdown('look:\n```ts\nconst x = **1**; // <@1>\n```\nafter')).toEqual([
      { t: 'text', c: ['look:'] },
      { t: 'codeblock', lang: 'ts', text: 'const x = **1**; // <@1>' },
      { t: 'text', c: ['after'] },
    ]);
    expect(parseMarkdown('```plain one line```')).toEqual([{ t: 'codeblock', lang: null, text: 'plain one line' }]);
  });

  it('reads headings, block quotes (> per line, >>> to the end) and lists', () => {
    expect(parseMarkdown('# Big\n## Mid\n### Small\n#### not')).toEqual([
      { t: 'heading', level: 1, c: ['Big'] },
      { t: 'heading', level: 2, c: ['Mid'] },
      { t: 'heading', level: 3, c: ['Small'] },
      { t: 'text', c: ['#### not'] },
    ]);
    expect(parseMarkdown('> one\n> **two**\nout')).toEqual([
      { t: 'quote', c: [{ t: 'text', c: ['one\n', { t: 'bold', c: ['two'] }] }] },
      { t: 'text', c: ['out'] },
    ]);
    expect(parseMarkdown('>>> all\nof\nthis')).toEqual([{ t: 'quote', c: [{ t: 'text', c: ['all\nof\nthis'] }] }]);
    expect(parseMarkdown('- a\n* b\n1. c\n2. d')).toEqual([
      { t: 'list', ordered: false, start: 1, items: [['a'], ['b']] },
      { t: 'list', ordered: true, start: 1, items: [['c'], ['d']] },
    ]);
    expect(parseMarkdown('>no space')).toEqual([{ t: 'text', c: ['>no space'] }]);
  });

  it('stays near-linear on 4000-character pathological input', () => {
    const inputs = [
      '*a '.repeat(1334),
      '**'.repeat(2000),
      '_ a'.repeat(1334),
      '||~~__**'.repeat(500),
      '`'.repeat(4000),
      '[a](https://x.example '.repeat(180),
      '<@'.repeat(2000),
      '\\'.repeat(4000),
      '> '.repeat(2000),
      `${'*'.repeat(2000)}${'a'.repeat(2000)}`,
      '*_~|'.repeat(1000),
      'https://a.example/'.repeat(222),
    ];
    for (const input of inputs) {
      const start = performance.now();
      parseMarkdown(input);
      expect(performance.now() - start).toBeLessThan(500);
    }
  });

  it('stops nesting at a fixed depth and keeps the rest as text', () => {
    const deep = `${'**_'.repeat(60)}x${'_**'.repeat(60)}`;
    let depth = 0;
    let node: unknown = parseMarkdown(deep)[0];
    while (node && typeof node === 'object' && 'c' in node && Array.isArray(node.c)) {
      depth++;
      node = node.c[0];
    }
    expect(depth).toBeLessThanOrEqual(12);
  });
});

describe('highlight', () => {
  it('colours keywords, strings, comments and numbers of a known language', () => {
    expect(highlight('const a = "x"; // hi\nreturn 42', 'js')).toEqual([
      { kind: 'keyword', text: 'const' },
      { kind: 'plain', text: ' a = ' },
      { kind: 'string', text: '"x"' },
      { kind: 'plain', text: '; ' },
      { kind: 'comment', text: '// hi' },
      { kind: 'plain', text: '\n' },
      { kind: 'keyword', text: 'return' },
      { kind: 'plain', text: ' ' },
      { kind: 'number', text: '42' },
    ]);
    expect(highlight('def f(): # c\n  return None', 'py').map((t) => t.kind)).toEqual(['keyword', 'plain', 'comment', 'plain', 'keyword', 'plain', 'literal']);
  });

  it('leaves an unknown or missing language as one plain piece, and ends an unclosed string at the end', () => {
    expect(highlight('x = 1', 'brainfuck')).toEqual([{ kind: 'plain', text: 'x = 1' }]);
    expect(highlight('x = 1', null)).toEqual([{ kind: 'plain', text: 'x = 1' }]);
    expect(highlight('"open', 'js')).toEqual([{ kind: 'string', text: '"open' }]);
  });
});
