import { describe, expect, it } from 'bun:test';
import { activityLines, cleanText, escapeXml, fitText, type PresenceCardView, renderPresenceCard } from '../../../src/dialects/presence/card-svg.ts';
import type { Activity } from '../../../src/domain/presence/activity.ts';
import { findAll, parseXml, textContent, type XmlElement } from '../../support/xml.ts';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const HOSTILE = `<script>&"'`;

const spotify: Activity = {
  name: 'Spotify',
  type: 2,
  created_at: 1,
  details: 'BMW',
  state: 'Pashanim',
  assets: { large_image: 'spotify:ab67616d0000b273', large_text: 'Himmel über Berlin' },
};

function view(overrides: Partial<PresenceCardView> = {}): PresenceCardView {
  return { displayName: 'Vaq', status: 'online', activities: [], ...overrides };
}

function render(v: PresenceCardView, theme: 'dark' | 'light' = 'dark', avatarDataUri?: string) {
  const svg = renderPresenceCard(v, avatarDataUri ? { theme, avatarDataUri } : { theme });
  return { svg, root: parseXml(svg) };
}

/** The texts right of the avatar: display name, then the activity lines. */
function rightTexts(root: XmlElement): string[] {
  return findAll(root, 'text')
    .filter((t) => t.attributes.x === '116')
    .map(textContent);
}

function statusDot(root: XmlElement): string | undefined {
  return findAll(root, 'circle').find((c) => c.attributes.r === '8')?.attributes.fill;
}

describe('renderPresenceCard', () => {
  it('renders a well-formed 400x120 SVG with name and status line', () => {
    const { root } = render(view());
    expect(root.name).toBe('svg');
    expect(root.attributes).toMatchObject({
      xmlns: 'http://www.w3.org/2000/svg',
      width: '400',
      height: '120',
      viewBox: '0 0 400 120',
    });
    expect(rightTexts(root)).toEqual(['Vaq', 'Online']);
    expect(textContent(findAll(root, 'title')[0] as XmlElement)).toBe('Vaq (Online)');
  });

  it('escapes a hostile display name: the markup stays valid and the text reads back unchanged', () => {
    const { svg, root } = render(view({ displayName: HOSTILE }));
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;&amp;&quot;&apos;');
    expect(rightTexts(root)[0]).toBe(HOSTILE);
    expect(findAll(root, 'script')).toHaveLength(0);
  });

  it('escapes hostile song, artist, custom status and game names', () => {
    const activities: Activity[] = [
      {
        name: 'Custom Status',
        type: 4,
        created_at: 1,
        state: `</text><script>alert(1)</script>`,
        emoji: { name: '&' },
      },
      { ...spotify, details: '<svg/>', state: `a&b's"` },
    ];
    const { root } = render(view({ activities }), 'dark', PNG);
    expect(rightTexts(root)).toEqual(['Vaq', '& </text><script>alert(1)</script>', `Listening to <svg/> by a&b's"`]);
    expect(findAll(root, 'script')).toHaveLength(0);
    expect(findAll(root, 'svg')).toHaveLength(1);
  });

  it('removes control and bidi-override characters and keeps the XML valid with a lone surrogate', () => {
    const { root } = render(view({ displayName: 'a\u0000b\u0007c\nd\u202Eevil\ud800' }));
    expect(rightTexts(root)[0]).toBe('abc devil\ufffd');
  });

  it('shortens a long name with an ellipsis to fit', () => {
    const { root } = render(view({ displayName: 'x'.repeat(100) }));
    expect(rightTexts(root)[0]).toBe(`${'x'.repeat(21)}…`);
  });

  it('counts wide characters double when shortening', () => {
    const { root } = render(view({ displayName: '名'.repeat(30) }));
    expect(rightTexts(root)[0]).toBe(`${'名'.repeat(10)}…`);
  });

  for (const [status, color] of [
    ['online', '#23a55a'],
    ['idle', '#f0b232'],
    ['dnd', '#f23f43'],
    ['offline', '#80848e'],
    ['invisible', '#80848e'],
  ] as const) {
    it(`draws a ${color} status dot for ${status}`, () => {
      expect(statusDot(render(view({ status })).root)).toBe(color);
    });
  }

  it('shows invisible users as offline in the text too', () => {
    expect(rightTexts(render(view({ status: 'invisible' })).root)).toEqual(['Vaq', 'Offline']);
  });

  it('uses the dark and light theme backgrounds', () => {
    expect(findAll(render(view(), 'dark').root, 'rect')[0]?.attributes.fill).toBe('#1e1f22');
    expect(findAll(render(view(), 'light').root, 'rect')[0]?.attributes.fill).toBe('#ffffff');
  });

  describe('avatar', () => {
    it('inlines the data URI when given', () => {
      const { root } = render(view({ avatarUrl: 'https://cdn.example.com/a.png' }), 'dark', PNG);
      const [image] = findAll(root, 'image');
      expect(image?.attributes.href).toBe(PNG);
      expect(image?.attributes['clip-path']).toBe('url(#avatar-clip)');
    });

    it('links the avatar URL when no data URI is given, escaping it', () => {
      const { root } = render(view({ avatarUrl: 'https://cdn.example.com/a.png?size=128&x="1"' }));
      expect(findAll(root, 'image')[0]?.attributes.href).toBe('https://cdn.example.com/a.png?size=128&x=%221%22');
    });

    it('ignores a data URI that is not a base64 image and falls back to the link', () => {
      const { root } = render(view({ avatarUrl: 'https://cdn.example.com/a.png' }), 'dark', 'data:text/html,<script>');
      expect(findAll(root, 'image')[0]?.attributes.href).toBe('https://cdn.example.com/a.png');
    });

    it('draws the first letter, uppercased, without any avatar or with a non-web URL', () => {
      for (const avatarUrl of [null, 'javascript:alert(1)']) {
        const { root } = render(view({ displayName: 'vaq', avatarUrl }));
        expect(findAll(root, 'image')).toHaveLength(0);
        const initial = findAll(root, 'text').find((t) => t.attributes.x === '60');
        expect(initial && textContent(initial)).toBe('V');
      }
    });

    it('escapes a hostile initial', () => {
      const { root } = render(view({ displayName: '&amp' }));
      const initial = findAll(root, 'text').find((t) => t.attributes.x === '60');
      expect(initial && textContent(initial)).toBe('&');
    });
  });
});

describe('activityLines', () => {
  const at = (a: Omit<Activity, 'created_at'>): Activity => ({ ...a, created_at: 1 });

  it('reads Spotify as "Listening to <song> by <artist>"', () => {
    expect(activityLines([spotify])).toEqual(['Listening to BMW by Pashanim']);
  });

  it('puts the custom status (with its Unicode emoji) before the first other activity', () => {
    expect(
      activityLines([at({ name: 'Minecraft', type: 0 }), at({ name: 'Custom Status', type: 4, state: 'building', emoji: { name: '🌱' } }), spotify]),
    ).toEqual(['🌱 building', 'Playing Minecraft']);
  });

  it('leaves out a custom guild emoji it cannot draw', () => {
    expect(activityLines([at({ name: 'Custom Status', type: 4, state: 'hi', emoji: { name: 'blob', id: '1234' } })])).toEqual(['hi']);
  });

  it('words each activity type', () => {
    expect(activityLines([at({ name: 'Minecraft', type: 0 })])).toEqual(['Playing Minecraft']);
    expect(activityLines([at({ name: 'Twitch', type: 1, details: 'Speedrun' })])).toEqual(['Streaming Speedrun']);
    expect(activityLines([at({ name: 'Twitch', type: 1 })])).toEqual(['Streaming Twitch']);
    expect(activityLines([at({ name: 'a podcast', type: 2 })])).toEqual(['Listening to a podcast']);
    expect(activityLines([at({ name: 'a film', type: 3 })])).toEqual(['Watching a film']);
    expect(activityLines([at({ name: 'Arena', type: 5 })])).toEqual(['Competing in Arena']);
  });

  it('says "Listening to Spotify" when song or artist is missing', () => {
    expect(activityLines([{ ...spotify, details: undefined }])).toEqual(['Listening to Spotify']);
    expect(activityLines([{ ...spotify, state: undefined }])).toEqual(['Listening to BMW on Spotify']);
  });

  it('has no lines without activities', () => {
    expect(activityLines([])).toEqual([]);
  });
});

describe('text helpers', () => {
  it('escapeXml escapes all five special characters', () => {
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&apos;');
  });

  it('cleanText collapses whitespace and trims', () => {
    expect(cleanText('  a \t\r\n b  ')).toBe('a b');
  });

  it('fitText never splits a grapheme and keeps short text as it is', () => {
    const family = '👨‍👩‍👧';
    expect(fitText('short', 34)).toBe('short');
    expect(fitText(family.repeat(10), 7)).toBe(`${family.repeat(3)}…`);
  });
});
