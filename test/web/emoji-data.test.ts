// The emoji data behind the picker and `:` autocomplete: search, skin tones, the form Discord sends, and what
// `@`/`#`/`:` typed before the caret opens.
import { describe, expect, it } from 'bun:test';
import { findTrigger } from '../../src/web/components/composer-assist.tsx';
import { EMOJI_GROUPS, emojiFromTable, searchEmoji, shortName, withTone } from '../../src/web/lib/emoji-data.ts';
import { emojiTable } from '../../src/web/lib/emoji-table.ts';
import { startServer } from '../support/test-server.ts';

const all = emojiFromTable(emojiTable());
const unicodeEmoji = () => all;

describe('unicodeEmoji', () => {
  it('holds every category but the skin-tone components, in the form Discord sends', () => {
    const all = unicodeEmoji();
    expect(all.length).toBeGreaterThan(1800);
    expect(new Set(all.map((e) => e.group))).toEqual(new Set(EMOJI_GROUPS.map((g) => g.id)));
    const thumbs = all.find((e) => e.label === 'thumbs up');
    expect(thumbs?.unicode).toBe('\u{1F44D}');
    expect(all.find((e) => e.label === 'red heart')?.unicode).toBe('\u2764\uFE0F');
  });

  it('gives each tone its variant and falls back to the default where there is none', () => {
    const wave = unicodeEmoji().find((e) => e.label === 'waving hand');
    if (!wave) throw new Error('no waving hand');
    expect(withTone(wave, 0)).toBe('👋');
    expect(withTone(wave, 3)).toBe('👋🏽');
    expect(withTone(wave, 5)).toBe('👋🏿');
    const pizza = unicodeEmoji().find((e) => e.label === 'pizza');
    if (!pizza) throw new Error('no pizza');
    expect(withTone(pizza, 3)).toBe('🍕');
  });
});

describe('searchEmoji', () => {
  it('finds by shortcode first, then by name and keyword', () => {
    const results = searchEmoji(all, 'thumbsu');
    expect(results[0]?.unicode).toBe('\u{1F44D}');
    expect(shortName(results[0] ?? unicodeEmoji()[0]!)).toBe('thumbsup');
    expect(searchEmoji(all, 'pizza').map((e) => e.unicode)).toContain('🍕');
    expect(searchEmoji(all, 'celebration').map((e) => e.unicode)).toContain('🎉');
    expect(searchEmoji(all, '   ')).toEqual([]);
    expect(searchEmoji(all, 'zzzzqqq')).toEqual([]);
  });
});

describe('findTrigger', () => {
  it('opens on @, # and (from two letters) : before the caret, at a word start', () => {
    expect(findTrigger('hi @al', 6)).toEqual({ char: '@', query: 'al', start: 3, end: 6 });
    expect(findTrigger('#', 1)).toEqual({ char: '#', query: '', start: 0, end: 1 });
    expect(findTrigger('ok :sm', 6)).toEqual({ char: ':', query: 'sm', start: 3, end: 6 });
    expect(findTrigger('ok :s', 5)).toBeNull();
    expect(findTrigger('mail me@example', 15)).toBeNull();
    expect(findTrigger('https://x', 9)).toBeNull();
    expect(findTrigger('hi @al later', 12)).toBeNull();
  });
});

describe('GET /assets/emoji.json', () => {
  it('serves the table from the server, compressed, revalidated by its ETag, with the security headers', async () => {
    const server = await startServer();
    try {
      const res = await fetch(`${server.url}/assets/emoji.json`, { headers: { 'accept-encoding': 'br' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const rows: unknown = await res.json();
      expect(rows).toEqual(emojiTable());
      const again = await fetch(`${server.url}/assets/emoji.json`, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
      expect(again.status).toBe(304);
    } finally {
      await server.stop();
    }
  });
});
