// The emoji picker for reactions and the composer: frequently used and the server's custom emoji first, every
// Unicode emoji by category, search by name, shortcode or keyword, and a skin tone; the tone and the recently
// used emoji are remembered (emoji-data.ts). A grid per section, moved through with the arrow keys (one cell
// in the tab order at a time), Enter picks, Escape closes.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  EMOJI_GROUPS,
  recentEmoji,
  rememberEmoji,
  SKIN_TONES,
  savedTone,
  saveTone,
  searchEmoji,
  shortName,
  type UnicodeEmoji,
  useUnicodeEmoji,
  withTone,
} from '../lib/emoji-data.ts';
import type { Emoji } from '../lib/wire.ts';
import { ensureEmojis } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { useSelector } from '../state/store.ts';
import { EmojiGlyph, emojiLabel } from './custom-emoji.tsx';

const COLUMNS = 8;
/** Shown as "frequently used" until the person has used some. */
export const DEFAULT_FREQUENT = ['👍', '❤️', '😂', '🎉', '😮', '👀'];
const FREQUENT_TAB = -1;
const TONE_SAMPLE = '✋';

type Cell = { key: string; name: string };
type Section = { title: string; cells: Cell[] };

export const customKey = (e: Pick<Emoji, 'animated' | 'name' | 'id'>) => `${e.animated ? 'a:' : ''}${e.name}:${e.id}`;

export function EmojiPicker({
  guildId,
  action,
  onPick,
  onClose,
}: {
  guildId: string | null;
  /** What choosing does, read before each emoji's name: "React with", "Insert". */
  action: string;
  onPick: (key: string) => void;
  onClose: () => void;
}) {
  const custom = useSelector(app, (s) => (guildId ? s.emojis[guildId] : undefined));
  const unicode = useUnicodeEmoji();
  const [query, setQuery] = useState('');
  const [tab, setTab] = useState(FREQUENT_TAB);
  const [tone, setTone] = useState(savedTone);
  const [active, setActive] = useState<{ row: number; col: number }>({ row: 0, col: 0 });
  const [preview, setPreview] = useState<Cell | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (guildId) void ensureEmojis(guildId).catch(() => {});
  }, [guildId]);
  useEffect(() => search.current?.focus(), []);
  // A press outside closes it, except on the button that opened it (which toggles it itself).
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const outside = (e: PointerEvent) => {
      const target = e.target as Element | null;
      if (root.current && target && !root.current.contains(target) && !target.closest('[data-emoji-opener]')) onClose();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [onClose]);

  const sections = useMemo(() => pickerSections(unicode ?? [], query, tab, tone, custom ?? []), [unicode, query, tab, tone, custom]);
  const rows = useMemo(() => sections.flatMap((s, si) => chunk(s.cells, COLUMNS).map((cells) => ({ section: si, cells }))), [sections]);
  useEffect(() => setActive({ row: 0, col: 0 }), [query, tab]);

  const pick = (key: string) => {
    rememberEmoji(key);
    onPick(key);
  };
  const focusCell = (row: number, col: number) => {
    const r = Math.max(0, Math.min(rows.length - 1, row));
    const c = Math.max(0, Math.min((rows[r]?.cells.length ?? 1) - 1, col));
    setActive({ row: r, col: c });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLButtonElement>(`[data-cell="${r}:${c}"]`)?.focus());
  };

  const onGridKey = (e: KeyboardEvent) => {
    const { row, col } = active;
    const moves: Record<string, [number, number]> = {
      ArrowRight: [row, col + 1],
      ArrowLeft: [row, col - 1],
      ArrowDown: [row + 1, col],
      ArrowUp: [row - 1, col],
      Home: [row, 0],
      End: [row, COLUMNS - 1],
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      if (e.key === 'ArrowUp' && row === 0) search.current?.focus();
      else if (e.key === 'ArrowRight' && col === (rows[row]?.cells.length ?? 0) - 1) focusCell(row + 1, 0);
      else if (e.key === 'ArrowLeft' && col === 0 && row > 0) focusCell(row - 1, COLUMNS - 1);
      else focusCell(move[0], move[1]);
    }
  };

  let rowIndex = 0;
  return (
    <div
      ref={root}
      class="emoji-popover"
      role="dialog"
      aria-label="Emoji picker"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        } else if (e.key === 'Tab' && root.current) {
          // A dialog keeps the keyboard inside: Tab past the last stop comes back to the first, Shift+Tab the other way.
          const stops = tabStops(root.current);
          const first = stops[0];
          const last = stops.at(-1);
          if (!first || !last) return;
          const at = document.activeElement;
          if (e.shiftKey && (at === first || !root.current.contains(at))) {
            e.preventDefault();
            last.focus();
          } else if (!e.shiftKey && (at === last || !root.current.contains(at))) {
            e.preventDefault();
            first.focus();
          }
        }
      }}
    >
      <div class="emoji-popover-head">
        <input
          ref={search}
          class="input"
          type="search"
          placeholder="Find the perfect emoji"
          aria-label="Search emoji"
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && rows.length) {
              e.preventDefault();
              focusCell(0, 0);
            } else if (e.key === 'Enter') {
              e.preventDefault();
              const first = rows[0]?.cells[0];
              if (first) pick(first.key);
            }
          }}
        />
        <select
          class="input emoji-tone"
          aria-label="Skin tone"
          value={tone}
          onChange={(e) => {
            const next = Number(e.currentTarget.value);
            setTone(next);
            saveTone(next);
          }}
        >
          {SKIN_TONES.map((name, i) => (
            <option key={name} value={i}>
              {i === 0 ? TONE_SAMPLE : `${TONE_SAMPLE}${String.fromCodePoint(0x1f3fa + i)}`} {name}
            </option>
          ))}
        </select>
      </div>
      {query ? null : (
        <div class="emoji-tabs" role="toolbar" aria-label="Emoji categories">
          {[{ id: FREQUENT_TAB, name: 'Frequently used', icon: '🕘' }, ...EMOJI_GROUPS].map((g) => (
            <button
              type="button"
              key={g.id}
              class="icon-button"
              aria-pressed={tab === g.id}
              aria-label={g.name}
              title={g.name}
              onClick={() => {
                setTab(g.id);
                if (scroller.current) scroller.current.scrollTop = 0;
              }}
            >
              {g.icon}
            </button>
          ))}
        </div>
      )}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the grids' cells */}
      <div class="emoji-scroll" ref={scroller} onKeyDown={onGridKey}>
        {unicode ? null : (
          <p class="hint" role="status">
            Loading emoji…
          </p>
        )}
        {unicode && sections.length === 0 ? <p class="hint">No emoji match “{query}”.</p> : null}
        {sections.map((section, si) => {
          const sectionRows = rows.filter((r) => r.section === si);
          return (
            <section key={section.title} aria-label={section.title}>
              <h4 class="emoji-section-title">{section.title}</h4>
              {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a grid of emoji moved through with the arrow keys; its rows and cells take the grid's roles */}
              <table role="grid" class="emoji-table" aria-label={section.title}>
                <tbody>
                  {sectionRows.map((r) => {
                    const thisRow = rowIndex++;
                    return (
                      <tr class="emoji-grid" key={thisRow}>
                        {r.cells.map((cell, col) => {
                          const isActive = active.row === thisRow && active.col === col;
                          return (
                            <td key={cell.key}>
                              <button
                                type="button"
                                class="emoji-cell"
                                data-cell={`${thisRow}:${col}`}
                                data-active={isActive}
                                tabIndex={isActive ? 0 : -1}
                                aria-label={`${action} ${emojiLabel(cell.key)}`}
                                title={`:${cell.name}:`}
                                onMouseEnter={() => setPreview(cell)}
                                onFocus={() => {
                                  setPreview(cell);
                                  setActive({ row: thisRow, col });
                                }}
                                onClick={() => pick(cell.key)}
                              >
                                <EmojiGlyph emoji={cell.key} />
                              </button>
                            </td>
                          );
                        })}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          );
        })}
      </div>
      <div class="emoji-preview" aria-live="polite">
        {preview ? (
          <>
            <EmojiGlyph emoji={preview.key} /> :{preview.name}:
          </>
        ) : (
          <span class="hint">Pick an emoji</span>
        )}
      </div>
    </div>
  );
}

function pickerSections(unicode: UnicodeEmoji[], query: string, tab: number, tone: number, custom: Emoji[]): Section[] {
  const byUnicode = new Map(unicode.map((e) => [e.unicode, e]));
  const customCells = (list: Emoji[]) => list.map((e) => ({ key: customKey(e), name: e.name }));
  const unicodeCell = (key: string): Cell => {
    const base = byUnicode.get(key);
    return { key, name: base ? shortName(base) : key };
  };
  if (query.trim()) {
    const q = query.trim().toLowerCase().replaceAll(':', '');
    const cells = [
      ...customCells(custom.filter((e) => e.name.toLowerCase().includes(q))),
      ...searchEmoji(unicode, q, 120).map((e) => ({ key: withTone(e, tone), name: shortName(e) })),
    ];
    return cells.length ? [{ title: 'Search results', cells }] : [];
  }
  if (tab === FREQUENT_TAB) {
    const recent = recentEmoji();
    const frequent = recent.length ? recent : DEFAULT_FREQUENT;
    const customNames = new Map(custom.map((e) => [customKey(e), e.name]));
    const sections: Section[] = [
      {
        title: 'Frequently used',
        cells: frequent.map((key) => {
          const name = customNames.get(key) ?? /^(?:a:)?([A-Za-z0-9_]+):\d+$/.exec(key)?.[1];
          return name ? { key, name } : unicodeCell(key);
        }),
      },
    ];
    // A custom emoji used lately is listed once, so each button's name stays unique.
    const rest = custom.filter((e) => !frequent.includes(customKey(e)));
    if (rest.length) sections.push({ title: 'This server', cells: customCells(rest) });
    return sections;
  }
  const group = EMOJI_GROUPS.find((g) => g.id === tab);
  const cells = unicode.filter((e) => e.group === tab).map((e) => ({ key: withTone(e, tone), name: shortName(e) }));
  return [{ title: group?.name ?? 'Emoji', cells }];
}

/** The controls Tab stops at inside `root`, in order: enabled, not taken out of the tab order, and shown. */
function tabStops(root: HTMLElement): HTMLElement[] {
  const candidates = root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex]');
  return [...candidates].filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0);
}

function chunk<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
