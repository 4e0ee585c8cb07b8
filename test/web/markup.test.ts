// Message text -> nodes: markdown, mentions, emoji and http(s) links become elements; everything else stays a
// string, which Preact writes as a text node.
import { describe, expect, it } from 'bun:test';
import type { VNode } from 'preact';
import { mentionsMe, renderContent, renderPreview } from '../../src/web/lib/markup.tsx';

const ctx = { nameOf: (id: string) => (id === '42' ? 'alice' : null), meId: '42' };

type Shape = string | { type: string; props: Record<string, unknown>; text: string };

function shape(nodes: ReturnType<typeof renderContent>): Shape[] {
  return nodes.map((n) => {
    if (typeof n === 'string') return n;
    const vnode = n as VNode<{ children?: unknown }>;
    const { children, ...props } = vnode.props;
    const text = Array.isArray(children) ? children.join('') : String(children);
    return { type: String(vnode.type), props, text };
  });
}

describe('renderContent', () => {
  it('keeps HTML as plain strings', () => {
    expect(shape(renderContent('<img src=x onerror=alert(1)>', ctx))).toEqual(['<img src=x onerror=alert(1)>']);
  });

  it('turns user mentions into named chips, marking mentions of the reader', () => {
    expect(shape(renderContent('hi <@42> and <@!7>', ctx))).toEqual([
      'hi ',
      { type: 'span', props: { class: 'mention mention-me', title: undefined }, text: '@alice' },
      ' and ',
      { type: 'span', props: { class: 'mention', title: 'User 7' }, text: '@unknown-user' },
    ]);
    expect(shape(renderContent('@everyone look', ctx))).toEqual([{ type: 'span', props: { class: 'mention mention-me' }, text: '@everyone' }, ' look']);
  });

  it('shows custom emoji (<:name:id>, <a:name:id>) as emoji glyphs, and leaves malformed ones as text', () => {
    const nodes = renderContent('hi <:wave:123> <a:dance:456> <:x:1>', ctx);
    expect(nodes.map((n) => (typeof n === 'string' ? n : (n as VNode<{ emoji: string }>).props.emoji))).toEqual([
      'hi ',
      'wave:123',
      ' ',
      'a:dance:456',
      ' <:x:1>',
    ]);
  });

  it('links only http(s) URLs, without trailing punctuation, opening safely', () => {
    expect(shape(renderContent('go to https://example.com/x?y=1). or javascript:alert(1)', ctx))).toEqual([
      'go to ',
      { type: 'a', props: { href: 'https://example.com/x?y=1', target: '_blank', rel: 'noopener noreferrer nofollow ugc' }, text: 'https://example.com/x?y=1' },
      '). or javascript:alert(1)',
    ]);
  });

  it("makes the presence bot's one-time token link one clickable link that sends no referrer", () => {
    const link = `http://127.0.0.1:3002/presence-token/${'Ab_-9'.repeat(8)}xyz`;
    const answer = `Your previous API token no longer works. Open this link to see your new API token — it shows it once, works for 10 minutes, and is for you alone:\n${link}`;
    const nodes = shape(renderContent(answer, ctx));
    expect(nodes).toHaveLength(2);
    expect(nodes[1]).toEqual({ type: 'a', props: { href: link, target: '_blank', rel: 'noopener noreferrer nofollow ugc' }, text: link });
  });
});

/** Every element type and string in a rendered tree, depth first, for asserting what a message became. */
function flatten(node: unknown, out: string[] = []): string[] {
  if (node === null || node === undefined || typeof node === 'boolean') return out;
  if (typeof node === 'string' || typeof node === 'number') {
    out.push(String(node));
    return out;
  }
  if (Array.isArray(node)) {
    for (const n of node) flatten(n, out);
    return out;
  }
  const vnode = node as VNode<Record<string, unknown>>;
  const type = typeof vnode.type === 'string' ? vnode.type : (vnode.type as { name: string }).name;
  const cls = typeof vnode.props.class === 'string' ? `.${vnode.props.class.replaceAll(' ', '.')}` : '';
  out.push(`<${type}${cls}>`);
  flatten(vnode.props.children, out);
  out.push(`</${type}${cls}>`);
  return out;
}

const richCtx = {
  ...ctx,
  roleOf: (id: string) => (id === '9' ? { name: 'mods', color: 0xe91e63 } : null),
  channelOf: (id: string) => (id === '5' ? { name: 'general', guildId: '1' } : null),
  myRoleIds: ['9'],
};

describe('renderContent markdown', () => {
  it('renders formatting as elements and never as HTML', () => {
    expect(flatten(renderContent('**b** *<i>* __u__ ~~s~~ `<b>`', ctx))).toEqual([
      '<strong>',
      'b',
      '</strong>',
      ' ',
      '<em>',
      '<i>',
      '</em>',
      ' ',
      '<u>',
      'u',
      '</u>',
      ' ',
      '<s>',
      's',
      '</s>',
      ' ',
      '<code.inline-code>',
      '<b>',
      '</code.inline-code>',
    ]);
  });

  it('renders a highlighted code block, a quote, a heading and a list', () => {
    expect(flatten(renderContent('```js\nlet x = 1\n```\n> q\n# H\n- i', ctx))).toEqual([
      '<pre.code-block>',
      '<code>',
      '<span.hl-keyword>',
      'let',
      '</span.hl-keyword>',
      ' x = ',
      '<span.hl-number>',
      '1',
      '</span.hl-number>',
      '</code>',
      '</pre.code-block>',
      '<blockquote.md-quote>',
      'q',
      '</blockquote.md-quote>',
      '<h3.md-heading.md-h1>',
      'H',
      '</h3.md-heading.md-h1>',
      '<ul.md-list>',
      '<li>',
      'i',
      '</li>',
      '</ul.md-list>',
    ]);
  });

  it('hides spoilers and masked links behind components that reveal or confirm', () => {
    const [spoiler] = renderContent('||secret||', ctx) as VNode[];
    expect(spoiler && (spoiler.type as { name: string }).name).toBe('Spoiler');
    const [link] = renderContent('[docs](https://example.com/docs)', ctx) as VNode<{ href: string }>[];
    expect(link && (link.type as { name: string }).name).toBe('MaskedLink');
    expect(link?.props.href).toBe('https://example.com/docs');
    expect(flatten(renderContent('[docs](javascript:alert(1))', ctx))).toEqual(['[docs](javascript:alert(1))']);
  });

  it('renders role mentions in the role colour, marking roles the reader holds, and channel mentions as links', () => {
    const [role, , unknownRole] = renderContent('<@&9> <@&8>', richCtx) as VNode<Record<string, unknown>>[];
    expect(role?.props.class).toBe('mention role-mention mention-me role-colour');
    expect(role?.props.style).toEqual({ '--role-colour': '#e91e63', backgroundColor: '#e91e6326' });
    expect(flatten(unknownRole)).toEqual(['<span.mention.role-mention>', '@', 'deleted-role', '</span.mention.role-mention>']);
    const [channel] = renderContent('<#5>', richCtx) as VNode<{ channel: unknown }>[];
    expect(channel?.props.channel).toEqual({ name: 'general', guildId: '1' });
  });
});

describe('mentionsMe', () => {
  it('is true for a mention of a role the reader holds', () => {
    expect(mentionsMe({ mentions: [], mention_roles: ['9'] }, '42', ['9'])).toBe(true);
    expect(mentionsMe({ mentions: [], mention_roles: ['8'] }, '42', ['9'])).toBe(false);
  });

  it('is true for a direct mention or @everyone, false otherwise', () => {
    expect(mentionsMe({ mentions: ['42'] }, '42')).toBe(true);
    expect(mentionsMe({ mentions: [], mention_everyone: true }, '42')).toBe(true);
    expect(mentionsMe({ mentions: ['7'] }, '42')).toBe(false);
    expect(mentionsMe({ mentions: ['42'] }, undefined)).toBe(false);
  });
});

describe('renderPreview (a reply header, a DM list row)', () => {
  it('keeps formatting and mentions on one line, with no links and spoilers closed without their text', () => {
    const nodes = shape(renderPreview('**bold** <@42> ||secret|| [the plan](https://example.com/plan) https://example.com', ctx));
    expect(nodes).toEqual([
      { type: 'strong', props: {}, text: 'bold' },
      ' ',
      { type: 'span', props: { class: 'mention mention-me', title: undefined }, text: '@alice' },
      ' ',
      { type: 'span', props: { class: 'spoiler', role: 'img', 'aria-label': 'Spoiler' }, text: '\u2007'.repeat(6) },
      ' ',
      { type: 'span', props: { class: 'preview-link' }, text: 'the plan' },
      ' ',
      { type: 'span', props: { class: 'preview-link' }, text: 'https://example.com' },
    ]);
    expect(JSON.stringify(nodes)).not.toContain('secret');
  });

  it('flattens quotes, headings, lists and code blocks into the line', () => {
    const nodes = shape(renderPreview('> quoted\n# Title\n- one\n- two\n```js\nlet x = 1;\n```', ctx));
    expect(nodes).toEqual(['quoted', ' ', 'Title', ' ', 'one', ' ', 'two', ' ', { type: 'code', props: { class: 'inline-code' }, text: 'let x = 1;' }]);
  });
});
