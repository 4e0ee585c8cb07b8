// Discord's message search (GET /guilds/:id/messages/search, GET /channels/:id/messages/search) through a real
// @discordjs/rest client: words in any script, the author/channel/mention/has/pinned/id filters, sorting and paging,
// exact response shape and headers, channels the caller cannot read left out, threads listed with the caller's
// membership, the index following edits and deletes, DMs, and Discord's 50035 for values out of range.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { png } from '../../support/images.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, expectDiscordError, type Guild, join, type Person, people, post } from './fixtures.ts';

type Json = Record<string, any>;
type Result = { analytics_id: string; doing_deep_historical_index: boolean; total_results: number; messages: Json[][]; threads: Json[]; members: Json[] };

let server: TestServer;
let alice: Person;
let bob: Person;
let guild: Guild;
let bot: Bot;
let secretId: string;
let threadId: string;
const ids: Record<string, string> = {};

/** Raw HTTP to the dialect as a person (Bearer), for setup the v1 API has no shortcut for. */
async function asPerson(person: Person, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await server.api(method, `/api/v10${path}`, { token: person.token, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function withImage(author: Person, channelId: string, content: string): Promise<string> {
  const form = new FormData();
  form.set('payload_json', JSON.stringify({ content }));
  form.append('files[0]', new Blob([png() as BlobPart], { type: 'image/png' }), 'dot.png');
  const res = await fetch(`${server.url}/api/v10/channels/${channelId}/messages`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${author.token}` },
  });
  if (res.status !== 200) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as Json).id;
}

const search = (query: string, rest = bot.rest) => rest.get(Routes.guildMessagesSearch(guild.id), { query: new URLSearchParams(query) }) as Promise<Result>;
/** @discordjs/rest for a person's session (user accounts search too). */
const personRest = (person: Person) => new REST({ api: `${server.url}/api`, version: '10', authPrefix: 'Bearer' }).setToken(person.token);
/** The ids of the hits, in the order they came. */
const hits = (result: Result) => result.messages.map(([m]) => m?.id);

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [alice, bob] = (await people(server, 'alice', 'bob')) as [Person, Person];
  guild = await createGuild(server, alice, 'Searchable');
  await join(server, alice, guild, bob);
  bot = await botIn(server, alice, guild, 'finder', ['read_messages', 'read_message_history']);
  const general = guild.generalId;
  ids.hello = (await post(server, alice, general, 'Hello world from the café')).id;
  ids.japanese = (await post(server, bob, general, '日本語のテキストを検索できます')).id;
  ids.link = (await post(server, bob, general, `see https://example.com/page <@${alice.id}>`)).id;
  ids.short = (await post(server, alice, general, 'ok go')).id;
  ids.embed = (await asPerson(alice, 'POST', `/channels/${general}/messages`, { content: 'an embed here', embeds: [{ title: 'Card' }] })).id;
  ids.image = await withImage(bob, general, 'a picture of the world');
  ids.phrase = (await post(server, alice, general, 'the quick brown fox')).id;
  await asPerson(alice, 'PUT', `/channels/${general}/pins/${ids.phrase}`);
  // A channel only alice can see: its words must never be found by anyone else.
  const secret = await asPerson(alice, 'POST', `/guilds/${guild.id}/channels`, {
    name: 'secret',
    permission_overwrites: [{ id: guild.id, type: 0, deny: '1024' }],
  });
  secretId = secret.id;
  ids.secret = (await post(server, alice, secretId, 'world domination plans')).id;
  const thread = await asPerson(alice, 'POST', `/channels/${general}/threads`, { name: 'side talk', type: 11 });
  threadId = thread.id;
  ids.thread = (await post(server, alice, threadId, 'a world inside a thread')).id;
});
afterAll(() => server.stop());

describe('GET /guilds/:guildId/messages/search', () => {
  it('answers 200 application/json with total_results, one-message arrays without reactions, threads and members', async () => {
    const res = await server.api('GET', `/api/v10/guilds/${guild.id}/messages/search?content=world`, { token: bot.token, scheme: 'Bot' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = res.body as Result;
    expect(Object.keys(body).sort()).toEqual(['analytics_id', 'doing_deep_historical_index', 'members', 'messages', 'threads', 'total_results']);
    expect(body.analytics_id).toMatch(/^[0-9a-f]{32}$/);
    expect(body.doing_deep_historical_index).toBe(false);
    // Newest first; the secret channel is out of the bot's sight.
    expect(hits(body)).toEqual([ids.thread, ids.image, ids.hello]);
    expect(body.total_results).toBe(3);
    for (const group of body.messages) expect(group).toHaveLength(1);
    const one = (await server.api('GET', `/api/v10/channels/${guild.generalId}/messages/${ids.hello}`, { token: bot.token, scheme: 'Bot' })).body;
    const { reactions: _none, ...withoutReactions } = one;
    expect(body.messages[2]?.[0]).toEqual(withoutReactions);
    expect(body.messages[2]?.[0]).not.toHaveProperty('reactions');
    // The thread holding a hit is listed; the bot never joined it, so no member entry.
    expect(body.threads.map((t) => [t.id, t.type, t.parent_id, t.name])).toEqual([[threadId, 11, guild.generalId, 'side talk']]);
    expect(body.members).toEqual([]);
  });

  it('lists the caller as a member of a thread they joined', async () => {
    const result = await search('content=inside', personRest(alice));
    expect(hits(result)).toEqual([ids.thread]);
    expect(result.members).toEqual([{ id: threadId, user_id: alice.id, join_timestamp: expect.any(String), flags: 0 }]);
    expect(result.threads[0]?.member).toEqual({ id: threadId, user_id: alice.id, join_timestamp: expect.any(String), flags: 0 });
  });

  it('finds words in any script, ignoring case and accents, short words and quoted phrases included', async () => {
    expect(hits(await search('content=CAFE'))).toEqual([ids.hello]);
    expect(hits(await search('content=テキスト'))).toEqual([ids.japanese]);
    expect(hits(await search('content=検索'))).toEqual([ids.japanese]);
    expect(hits(await search('content=ok'))).toEqual([ids.short]);
    expect(hits(await search('content="quick brown"'))).toEqual([ids.phrase]);
    expect(hits(await search('content="brown quick"'))).toEqual([]);
    // Every word must be there.
    expect(hits(await search('content=world picture'))).toEqual([ids.image]);
    expect(hits(await search('content=nothing-like-this'))).toEqual([]);
  });

  it('filters by author, channel, mentions, pinned and has (with - to exclude), each list matching any of its values', async () => {
    expect(hits(await search(`author_id=${bob.id}`))).toEqual([ids.image, ids.link, ids.japanese]);
    expect(hits(await search(`author_id=${bob.id}&content=world`))).toEqual([ids.image]);
    expect(hits(await search(`channel_id=${threadId}`))).toEqual([ids.thread]);
    expect(hits(await search(`mentions=${alice.id}`))).toEqual([ids.link]);
    expect(hits(await search('pinned=true'))).toEqual([ids.phrase]);
    expect(hits(await search('has=link'))).toEqual([ids.link]);
    expect(hits(await search('has=embed'))).toEqual([ids.embed]);
    expect(hits(await search('has=image'))).toEqual([ids.image]);
    expect(hits(await search('has=file'))).toEqual([ids.image]);
    expect(hits(await search('has=video'))).toEqual([]);
    expect(hits(await search('has=image&has=link'))).toEqual([ids.image, ids.link]);
    expect(hits(await search('has=image,link'))).toEqual([ids.image, ids.link]);
    expect(hits(await search(`author_id=${bob.id}&has=-link`))).toEqual([ids.image, ids.japanese]);
    expect(hits(await search('author_type=bot'))).toEqual([]);
    expect((await search('author_type=-bot')).total_results).toBe(8);
  });

  it('bounds by min_id/max_id, sorts oldest first on request, and pages with offset and limit while total_results counts all', async () => {
    expect(hits(await search(`min_id=${ids.link}&max_id=${ids.image}`))).toEqual([ids.embed, ids.short]);
    const oldest = await search('sort_order=asc&limit=2');
    expect(hits(oldest)).toEqual([ids.hello, ids.japanese]);
    expect(oldest.total_results).toBe(8);
    expect(hits(await search('sort_order=asc&limit=2&offset=2'))).toEqual([ids.link, ids.short]);
    expect(hits(await search('content=world&sort_by=relevance'))).toHaveLength(3);
  });

  it('follows edits and deletes', async () => {
    const id = (await post(server, bob, guild.generalId, 'temporary zebra')).id;
    expect(hits(await search('content=zebra'))).toEqual([id]);
    await asPerson(bob, 'PATCH', `/channels/${guild.generalId}/messages/${id}`, { content: 'temporary giraffe' });
    expect(hits(await search('content=zebra'))).toEqual([]);
    expect(hits(await search('content=giraffe'))).toEqual([id]);
    await asPerson(bob, 'DELETE', `/channels/${guild.generalId}/messages/${id}`);
    expect(hits(await search('content=giraffe'))).toEqual([]);
  });

  it('finds a message the moment it is acknowledged, and indexes new messages in the background when nobody searches', async () => {
    // SQLite's FTS5 index catches up with sends in bulk (migrations 0023, 0025); PostgreSQL's index needs no queue.
    const queued = server.engine === 'sqlite';
    const waiting = `SELECT (SELECT count(*) FROM search_pending) + (SELECT count(*) FROM messages WHERE id > (SELECT through FROM search_indexed)) AS n`;
    const pending = async () => (queued ? Number((await server.rows(waiting))[0]?.n) : 0);
    // A search indexes what waits before it reads.
    const burst = await Promise.all([1, 2, 3, 4, 5].map((n) => post(server, alice, guild.generalId, `okapi number ${n}`)));
    expect(hits(await search('content=okapi'))).toEqual(burst.map((m) => m.id).sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1)));
    expect(await pending()).toBe(0);
    await post(server, bob, guild.generalId, 'a quiet tapir');
    const deadline = Date.now() + 10_000;
    while ((await pending()) > 0 && Date.now() < deadline) await Bun.sleep(50);
    expect(await pending()).toBe(0);
  });

  it('finds what its owner may read in a hidden channel, and refuses naming a channel the caller cannot read (50001) or one not in the guild (10003)', async () => {
    const owner = personRest(alice);
    expect(hits(await search('content=domination', owner))).toEqual([ids.secret]);
    expect(hits(await search('content=domination'))).toEqual([]);
    await expectDiscordError(search(`channel_id=${secretId}`), 403, 50001, 'Missing Access');
    await expectDiscordError(search('channel_id=1300000000000000000'), 404, 10003);
  });

  it('answers Discord 50035 for limit, offset, has, sort values out of range', async () => {
    const limit = await expectDiscordError(search('limit=26'), 400, 50035);
    expect(limit.rawError).toMatchObject({ errors: { limit: { _errors: [{ code: 'NUMBER_TYPE_MAX' }] } } });
    await expectDiscordError(search('limit=0'), 400, 50035);
    const offset = await expectDiscordError(search('offset=9976'), 400, 50035);
    expect(offset.rawError).toMatchObject({ errors: { offset: { _errors: [{ code: 'NUMBER_TYPE_MAX' }] } } });
    const has = await expectDiscordError(search('has=gif'), 400, 50035);
    expect(has.rawError).toMatchObject({ errors: { has: { 0: { _errors: [{ code: 'ENUM_TYPE_COERCE' }] } } } });
    await expectDiscordError(search('sort_order=sideways'), 400, 50035);
  });

  it('is refused to a user outside the guild (50001) and for an unknown guild (10004)', async () => {
    const [carol] = (await people(server, 'carol')) as [Person];
    const outsider = personRest(carol);
    await expectDiscordError(search('content=world', outsider), 403, 50001);
    await expectDiscordError(bot.rest.get(Routes.guildMessagesSearch('1300000000000000000')), 404, 10004);
  });
});

describe('GET /channels/:channelId/messages/search', () => {
  it('searches one channel, and a DM only its two people can search', async () => {
    const inGeneral = (await bot.rest.get(`/channels/${guild.generalId}/messages/search`, { query: new URLSearchParams('content=world') })) as Result;
    expect(hits(inGeneral)).toEqual([ids.image, ids.hello]);
    const dm = await asPerson(alice, 'POST', '/users/@me/channels', { recipient_id: bob.id });
    const said = (await post(server, alice, dm.id, 'a private world')).id;
    const res = await server.api('GET', `/api/v10/channels/${dm.id}/messages/search?content=world`, { token: bob.token });
    expect(res.status).toBe(200);
    expect(hits(res.body)).toEqual([said]);
    expect(res.body.total_results).toBe(1);
    // A guild search never reaches into DMs.
    expect(hits(await search('content=private'))).toEqual([]);
    const outsider = await server.api('GET', `/api/v10/channels/${dm.id}/messages/search?content=world`, { token: bot.token, scheme: 'Bot' });
    expect([outsider.status, outsider.body.code]).toEqual([403, 50001]);
  });
});
