// The side panels for finding a message again: the channel's pinned messages (jump to one, unpin with manage
// messages) and search across the server (`from:name in:channel has:link words`) or within one DM or group DM
// (`from:name has:link words`), each result jumping to the message in its channel, loading the history around it
// when it is far back.
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../lib/errors.ts';
import { navigate } from '../lib/router.tsx';
import { useAction } from '../lib/use-async.ts';
import type { Channel, GuildDetail, Member, Message } from '../lib/wire.ts';
import { loadOlder } from '../state/actions.ts';
import { app } from '../state/app-state.ts';
import { api } from '../state/client.ts';
import { jumpToMessage } from '../state/history.ts';
import { type DmChannel, inbox } from '../state/inbox.ts';
import { memberName } from '../state/selectors.ts';
import { useSelector } from '../state/store.ts';
import { displayName } from './avatar.tsx';
import { Icon } from './icons.tsx';
import { ErrorText } from './ui.tsx';

const seg = encodeURIComponent;
const HAS = new Set(['link', 'embed', 'file', 'image', 'video', 'sound']);

export type SearchQuery = { content: string; authorIds: string[]; channelIds: string[]; has: string[]; unknown: string[] };

/** Someone `from:` may name: their id and the names they go by (username, nickname or display name). */
type Person = { id: string; names: (string | null | undefined)[] };

function guildPeople(members: Record<string, Member> | undefined): Person[] {
  return Object.values(members ?? {}).map((m) => ({ id: m.user.id, names: [m.user.username, memberName(m)] }));
}

/** `from:alice in:general has:link release notes` as the API's filters; names that match nobody are reported. */
export function parseSearch(text: string, people: readonly Person[], channels: readonly Channel[]): SearchQuery {
  const query: SearchQuery = { content: '', authorIds: [], channelIds: [], has: [], unknown: [] };
  const words: string[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const [, key, value] = /^(from|in|has):(.+)$/i.exec(word) ?? [];
    if (!key || !value) {
      words.push(word);
      continue;
    }
    const name = value.replace(/^[@#]/, '').toLowerCase();
    if (key.toLowerCase() === 'from') {
      const person = people.find((p) => p.id === name || p.names.some((n) => n?.toLowerCase() === name));
      if (person) query.authorIds.push(person.id);
      else query.unknown.push(word);
    } else if (key.toLowerCase() === 'in') {
      const channel = channels.find((c) => c.name?.toLowerCase() === name || c.id === name);
      if (channel) query.channelIds.push(channel.id);
      else query.unknown.push(word);
    } else if (HAS.has(name)) {
      query.has.push(name);
    } else {
      query.unknown.push(word);
    }
  }
  query.content = words.join(' ');
  return query;
}

/** Opens a message's channel (when it is another) and brings the message into view; `guildId` null is a DM. */
async function openMessage(guildId: string | null, message: Message): Promise<void> {
  const channelId = message.channel_id;
  const path = guildId ? `/app/channels/${guildId}/${channelId}` : `/app/dm/${channelId}`;
  if (!location.pathname.endsWith(path)) navigate(path);
  if (!app.get().messages[channelId]) await loadOlder(channelId);
  await jumpToMessage(channelId, message.id);
}

type ResultProps = { guildId: string | null; message: Message; channelName?: string; onUnpin?: () => void; onJumped?: () => void };

function Result({ guildId, message, channelName, onUnpin, onJumped }: ResultProps) {
  const member = useSelector(app, (s) => (guildId ? s.members[guildId]?.[message.author.id] : undefined));
  // On a phone the panel covers the conversation: it closes to show the message it jumps to.
  const jump = useAction(async () => {
    await openMessage(guildId, message);
    if (onJumped && matchMedia('(max-width: 700px)').matches) onJumped();
  });
  const author = memberName(member) ?? displayName(message.author);
  return (
    <li class="history-result" data-result-id={message.id}>
      <div class="meta">
        <span class="author">{author}</span>
        {channelName ? <span>#{channelName}</span> : null}
        <time dateTime={message.timestamp}>{new Date(message.timestamp).toLocaleString()}</time>
      </div>
      <p>{message.content || (message.attachments?.length ? `${message.attachments.length} attachment(s)` : '')}</p>
      <div class="actions">
        <button type="button" class="link-button" aria-label={`Jump to the message by ${author}`} onClick={() => void jump.run()}>
          Jump
        </button>
        {onUnpin ? (
          <button type="button" class="link-button danger-text" aria-label={`Unpin the message by ${author}`} onClick={onUnpin}>
            Unpin
          </button>
        ) : null}
      </div>
      <ErrorText error={jump.error} />
    </li>
  );
}

function Panel({ title, onClose, children }: { title: string; onClose: () => void; children: preact.ComponentChildren }) {
  return (
    <aside class="history-panel" aria-label={title}>
      <header>
        <h2>{title}</h2>
        <button type="button" class="icon-button" aria-label={`Close ${title.toLowerCase()}`} onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {children}
    </aside>
  );
}

export function PinsPanel({ guild, channel, canManage, onClose }: { guild: GuildDetail; channel: Channel; canManage: boolean; onClose: () => void }) {
  const [pins, setPins] = useState<Message[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPins(null);
    api<Message[]>('GET', `/channels/${seg(channel.id)}/pins`)
      .then(setPins)
      .catch((e) => setError(describeError(e)));
  }, [channel.id]);
  const unpin = useAction(async (message: Message) => {
    await api('DELETE', `/channels/${seg(channel.id)}/pins/${seg(message.id)}`);
    setPins((list) => list?.filter((m) => m.id !== message.id) ?? null);
  });
  return (
    <Panel title="Pinned messages" onClose={onClose}>
      <ErrorText error={error ?? unpin.error} />
      {pins === null && !error ? <p class="history-summary">Loading…</p> : null}
      {pins?.length === 0 ? <p class="history-summary">No pinned messages in #{channel.name} yet.</p> : null}
      <ul class="history-results">
        {pins?.map((m) => (
          <Result key={m.id} guildId={guild.id} message={m} onJumped={onClose} onUnpin={canManage ? () => void unpin.run(m) : undefined} />
        ))}
      </ul>
    </Panel>
  );
}

type Found = { total: number; messages: Message[]; threads: Channel[] };

/** Search results across a server, beside one of its channels. */
export function SearchPanel({ guild, text, onClose }: { guild: GuildDetail; text: string; onClose: () => void }) {
  const members = useSelector(app, (s) => s.members[guild.id]);
  const query = parseSearch(text, guildPeople(members), guild.channels);
  return (
    <Results
      path={`/guilds/${seg(guild.id)}/messages/search`}
      query={query}
      guildId={guild.id}
      channelNames={(found) => new Map([...guild.channels, ...found.threads].map((c) => [c.id, c.name ?? '']))}
      onClose={onClose}
    />
  );
}

/** Search within one DM or group DM: `from:` names its people (you included). */
export function DmSearchPanel({ dm, text, onClose }: { dm: DmChannel; text: string; onClose: () => void }) {
  const users = useSelector(inbox, (s) => s.users);
  const me = useSelector(app, (s) => s.session?.user);
  const people: Person[] = [...(dm.recipient_ids ?? []).map((id) => users[id]).filter((u) => u !== undefined), ...(me ? [me] : [])].map((u) => ({
    id: u.id,
    names: [u.username, u.global_name],
  }));
  const query = parseSearch(text, people, []);
  return <Results path={`/channels/${seg(dm.id)}/messages/search`} query={query} guildId={null} onClose={onClose} />;
}

type ResultsProps = {
  path: string;
  query: SearchQuery;
  guildId: string | null;
  channelNames?: (found: Found) => Map<string, string>;
  onClose: () => void;
};

function Results({ path, query, guildId, channelNames, onClose }: ResultsProps) {
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(query);
  useEffect(() => {
    setFound(null);
    setError(null);
    const params = new URLSearchParams();
    if (query.content) params.set('content', query.content);
    for (const [name, values] of [
      ['author_id', query.authorIds],
      ['channel_id', query.channelIds],
      ['has', query.has],
    ] as const)
      for (const v of values) params.append(name, v);
    api<Found>('GET', `${path}?${params}`)
      .then(setFound)
      .catch((e) => setError(describeError(e)));
  }, [path, key]);
  const names = found && channelNames ? channelNames(found) : undefined;
  return (
    <Panel title="Search results" onClose={onClose}>
      {query.unknown.length ? <p class="history-summary">Not understood: {query.unknown.join(' ')}</p> : null}
      <ErrorText error={error} />
      {found ? (
        <p class="history-summary" role="status">
          {found.total === 1 ? '1 result' : `${found.total} results`}
        </p>
      ) : error ? null : (
        <p class="history-summary">Searching…</p>
      )}
      <ul class="history-results">
        {found?.messages.map((m) => (
          <Result key={m.id} guildId={guildId} message={m} channelName={names?.get(m.channel_id)} onJumped={onClose} />
        ))}
      </ul>
    </Panel>
  );
}
