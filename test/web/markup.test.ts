// Message text -> nodes: only mentions and http(s) links become elements; everything else stays a
// string, which Preact writes as a text node.
import { describe, expect, it } from 'bun:test';
import type { VNode } from 'preact';
import { mentionsMe, renderContent } from '../../src/web/lib/markup.tsx';

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
      ').',
      ' or javascript:alert(1)',
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

describe('mentionsMe', () => {
  it('is true for a direct mention or @everyone, false otherwise', () => {
    expect(mentionsMe({ mentions: ['42'] }, '42')).toBe(true);
    expect(mentionsMe({ mentions: [], mention_everyone: true }, '42')).toBe(true);
    expect(mentionsMe({ mentions: ['7'] }, '42')).toBe(false);
    expect(mentionsMe({ mentions: ['42'] }, undefined)).toBe(false);
  });
});
