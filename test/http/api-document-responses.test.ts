// What the OpenAPI document promises is what the server answers (issue 15 item 7): for a valid request to at least
// one operation of every route file, the status is one of the operation's documented 2xx statuses and the body
// validates (TypeBox Value.Check) against the schema the document gives that status: the dialects' tables
// (src/dialects/*/response-schemas.ts, http/api-document/plain-responses.ts) or the route's own `response` hook.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { successFromTables } from '../../src/http/api-document/index.ts';
import { type Account, addBot, as, createBot, createGuild, type GuildFixture, PASSWORD, people, send } from '../dialects/harmony/fixtures.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> };

let server: TestServer;
let doc: Doc;
let owner: Account;
let bot: Account;
let guild: GuildFixture;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [owner] = await people(server, 'resp_owner');
  bot = await createBot(server, owner, 'resp_bot');
  guild = await createGuild(server, owner, 'Responses');
  // ADMINISTRATOR, so the bot may do everything the representative requests ask.
  await addBot(server, owner, guild, bot, '8');
  await send(server, owner, guild.generalId, 'hello responses');
  doc = (await server.api('GET', '/docs/json')).body;
});
afterAll(() => server.stop());

/** The TypeBox schema behind a documented status: a dialect table's, or the route's own `response` hook. */
function schemaOf(method: string, docPath: string, status: number): TSchema | undefined {
  const fromTable = successFromTables(method, docPath)?.find((s) => s.status === status);
  if (fromTable) return fromTable.schema;
  const elysiaPath = docPath.replace(/\{(\w+)\}/g, ':$1');
  const route = (server.harmony.app.routes as { method: string; path: string; hooks: { response?: Record<number, TSchema> } }[]).find(
    (r) => r.method === method.toUpperCase() && r.path === elysiaPath,
  );
  return route?.hooks.response?.[status];
}

type Call = { method: string; url: string; docPath?: string; account?: Account; body?: unknown; form?: FormData };

/** Sends the request and checks its answer against the document; returns the parsed body for later requests. */
async function conforms(call: Call): Promise<any> {
  const docPath = call.docPath ?? call.url.split('?')[0];
  const method = call.method.toLowerCase();
  const operation = doc.paths[docPath as string]?.[method];
  expect({ operation: `${call.method} ${docPath}`, documented: operation !== undefined }).toEqual({ operation: `${call.method} ${docPath}`, documented: true });
  const documented = Object.keys(operation?.responses ?? {})
    .filter((s) => s.startsWith('2'))
    .map(Number);
  let res: { status: number; body: any; headers: Headers };
  if (call.form) {
    const response = await fetch(server.url + call.url, {
      method: call.method,
      body: call.form,
      headers: { authorization: `${call.account?.scheme} ${call.account?.token}` },
    });
    res = { status: response.status, body: await response.json(), headers: response.headers };
  } else {
    res = await server.api(call.method, call.url, call.account ? as(call.account, call.body) : call.body === undefined ? {} : { body: call.body });
  }
  const label = `${call.method} ${call.url} -> ${res.status} ${res.status >= 400 ? JSON.stringify(res.body) : ''}`;
  expect({ label, documented: documented.includes(res.status) }).toEqual({ label, documented: true });
  if (res.status === 204 || call.method === 'HEAD') return res.body;
  const type = res.headers.get('content-type') ?? '';
  const contentTypes = Object.keys(operation?.responses?.[String(res.status)]?.content ?? {});
  if (!type.startsWith('application/json')) {
    // Bytes (files, images, the SVG card, metrics): the document names a non-JSON type, and the server answers one.
    expect({ label, json: contentTypes.includes('application/json') }).toEqual({ label, json: false });
    return res.body;
  }
  const schema = schemaOf(method, docPath as string, res.status);
  expect({ label, schema: schema !== undefined }).toEqual({ label, schema: true });
  const errors = schema ? [...Value.Errors(schema, res.body)].slice(0, 3).map((e) => `${e.path}: ${e.message}`) : [];
  expect({ label, errors }).toEqual({ label, errors: [] });
  return res.body;
}

describe('documented success answers match the server', () => {
  it('the Discord dialect (one operation or more per route file)', async () => {
    const v10 = '/api/v10';
    const g = guild.id;
    const c = guild.generalId;
    await conforms({ method: 'GET', url: `${v10}/gateway/bot`, account: bot });
    await conforms({ method: 'GET', url: `${v10}/applications/@me`, account: bot });
    await conforms({ method: 'GET', url: `${v10}/users/@me`, account: bot });
    await conforms({ method: 'GET', url: `${v10}/users/@me/guilds`, account: bot });
    await conforms({
      method: 'POST',
      url: `${v10}/applications/${bot.id}/commands`,
      docPath: `${v10}/applications/{applicationId}/commands`,
      account: bot,
      body: { name: 'ping', description: 'Ping', type: 1 },
    });
    await conforms({ method: 'GET', url: `${v10}/guilds/${g}`, docPath: `${v10}/guilds/{guildId}`, account: bot });
    await conforms({ method: 'POST', url: `${v10}/guilds/${g}/roles`, docPath: `${v10}/guilds/{guildId}/roles`, account: bot, body: { name: 'documented' } });
    await conforms({ method: 'GET', url: `${v10}/guilds/${g}/channels`, docPath: `${v10}/guilds/{guildId}/channels`, account: bot });
    await conforms({ method: 'GET', url: `${v10}/guilds/${g}/emojis`, docPath: `${v10}/guilds/{guildId}/emojis`, account: bot });
    await conforms({ method: 'GET', url: `${v10}/guilds/${g}/members/${owner.id}`, docPath: `${v10}/guilds/{guildId}/members/{userId}`, account: bot });
    await conforms({ method: 'GET', url: `${v10}/guilds/${g}/audit-logs`, docPath: `${v10}/guilds/{guildId}/audit-logs`, account: bot });
    await conforms({ method: 'GET', url: `${v10}/channels/${c}`, docPath: `${v10}/channels/{channelId}`, account: bot });
    await conforms({ method: 'POST', url: `${v10}/channels/${c}/typing`, docPath: `${v10}/channels/{channelId}/typing`, account: bot });
    const message = await conforms({
      method: 'POST',
      url: `${v10}/channels/${c}/messages`,
      docPath: `${v10}/channels/{channelId}/messages`,
      account: bot,
      body: { content: 'documented' },
    });
    await conforms({ method: 'GET', url: `${v10}/channels/${c}/messages`, docPath: `${v10}/channels/{channelId}/messages`, account: bot });
    await conforms({
      method: 'GET',
      url: `${v10}/channels/${c}/messages/${message.id}`,
      docPath: `${v10}/channels/{channelId}/messages/{messageId}`,
      account: bot,
    });
    await conforms({
      method: 'PUT',
      url: `${v10}/channels/${c}/messages/${message.id}/reactions/${encodeURIComponent('👍')}/@me`,
      docPath: `${v10}/channels/{channelId}/messages/{messageId}/reactions/{emoji}/@me`,
      account: bot,
    });
    await conforms({
      method: 'GET',
      url: `${v10}/channels/${c}/messages/search?content=documented`,
      docPath: `${v10}/channels/{channelId}/messages/search`,
      account: bot,
    });
    await conforms({
      method: 'POST',
      url: `${v10}/channels/${c}/threads`,
      docPath: `${v10}/channels/{channelId}/threads`,
      account: bot,
      body: { name: 'documented', type: 11 },
    });
    await conforms({ method: 'GET', url: `${v10}/guilds/${g}/threads/active`, docPath: `${v10}/guilds/{guildId}/threads/active`, account: bot });
    const invite = await conforms({
      method: 'POST',
      url: `${v10}/channels/${c}/invites`,
      docPath: `${v10}/channels/{channelId}/invites`,
      account: bot,
      body: {},
    });
    await conforms({ method: 'GET', url: `${v10}/invites/${invite.code}`, docPath: `${v10}/invites/{code}`, account: bot });
    const hook = await conforms({
      method: 'POST',
      url: `${v10}/channels/${c}/webhooks`,
      docPath: `${v10}/channels/{channelId}/webhooks`,
      account: bot,
      body: { name: 'documented' },
    });
    await conforms({
      method: 'POST',
      url: `${v10}/webhooks/${hook.id}/${hook.token}`,
      docPath: `${v10}/webhooks/{webhookId}/{token}`,
      body: { content: 'by hook' },
    });
    await conforms({
      method: 'POST',
      url: `${v10}/webhooks/${hook.id}/${hook.token}?wait=true`,
      docPath: `${v10}/webhooks/{webhookId}/{token}`,
      body: { content: 'by hook, waited' },
    });
    await conforms({
      method: 'GET',
      url: `${v10}/channels/${c}/application-command-index`,
      docPath: `${v10}/channels/{channelId}/application-command-index`,
      account: owner,
    });
  }, 60_000);

  it('the v1 API (one operation or more per route file)', async () => {
    const v1 = '/api/v1';
    const g = guild.id;
    const c = guild.generalId;
    await conforms({ method: 'POST', url: `${v1}/auth/login`, body: { username: owner.username, password: PASSWORD } });
    await conforms({ method: 'GET', url: `${v1}/users/@me/sessions`, account: owner });
    await conforms({ method: 'GET', url: `${v1}/users/@me`, account: owner });
    await conforms({ method: 'GET', url: `${v1}/admin/users`, account: owner });
    await conforms({ method: 'GET', url: `${v1}/admin/discord-bridge`, account: owner });
    await conforms({ method: 'GET', url: `${v1}/applications/${bot.id}/commands`, docPath: `${v1}/applications/{applicationId}/commands`, account: bot });
    await conforms({ method: 'GET', url: `${v1}/guilds/${g}`, docPath: `${v1}/guilds/{guildId}`, account: owner });
    await conforms({ method: 'GET', url: `${v1}/guilds/${g}/audit-log`, docPath: `${v1}/guilds/{guildId}/audit-log`, account: owner });
    await conforms({ method: 'GET', url: `${v1}/guilds/${g}/emojis`, docPath: `${v1}/guilds/{guildId}/emojis`, account: owner });
    await conforms({ method: 'GET', url: `${v1}/guilds/${g}/messages/search?q=hello`, docPath: `${v1}/guilds/{guildId}/messages/search`, account: owner });
    await conforms({ method: 'GET', url: `${v1}/guilds/${g}/threads`, docPath: `${v1}/guilds/{guildId}/threads`, account: owner });
    await conforms({ method: 'GET', url: `${v1}/channels/${c}`, docPath: `${v1}/channels/{channelId}`, account: owner });
    await conforms({
      method: 'POST',
      url: `${v1}/channels/${c}/messages`,
      docPath: `${v1}/channels/{channelId}/messages`,
      account: owner,
      body: { content: 'v1 documented' },
    });
    const invite = await conforms({
      method: 'POST',
      url: `${v1}/channels/${c}/invites`,
      docPath: `${v1}/channels/{channelId}/invites`,
      account: owner,
      body: {},
    });
    await conforms({ method: 'GET', url: `${v1}/invites/${invite.code}`, docPath: `${v1}/invites/{code}`, account: owner });
    await conforms({ method: 'GET', url: `${v1}/channels/${c}/webhooks`, docPath: `${v1}/channels/{channelId}/webhooks`, account: owner });
    await conforms({
      method: 'GET',
      url: `${v1}/channels/${c}/application-command-index`,
      docPath: `${v1}/channels/{channelId}/application-command-index`,
      account: owner,
    });
    await conforms({ method: 'GET', url: `${v1}/users/@me/presence`, account: owner });
  }, 60_000);

  it('the presence faces, the files, the CDN and the operator endpoints', async () => {
    await conforms({ method: 'PUT', url: '/api/v1/users/@me/presence', account: owner, body: { shared: true } });
    const { token } = await conforms({ method: 'POST', url: '/api/v1/users/@me/presence/token', account: owner });
    await conforms({ method: 'GET', url: `/user/${owner.id}`, docPath: '/user/{id}' });
    await conforms({ method: 'GET', url: `/user/${owner.id}/card.svg`, docPath: '/user/{id}/card.svg' });
    const put = await fetch(`${server.url}/user/${owner.id}/kv/colour`, { method: 'PUT', headers: { authorization: token }, body: 'blue' });
    expect(put.status).toBe(204);
    expect(Object.keys(doc.paths['/user/{id}/kv/{key}']?.put?.responses ?? {})).toContain('204');
    await conforms({ method: 'GET', url: `/v1/users/${owner.id}`, docPath: '/v1/users/{id}' });
    await conforms({ method: 'GET', url: '/embed/avatars/0.png', docPath: '/embed/avatars/{file}' });
    await conforms({ method: 'GET', url: '/health' });

    const form = new FormData();
    form.append('payload_json', JSON.stringify({ content: 'with a file' }));
    form.append('files[0]', new Blob([new Uint8Array([1, 2, 3])], { type: 'application/octet-stream' }), 'data.bin');
    const message = await conforms({
      method: 'POST',
      url: `/api/v10/channels/${guild.generalId}/messages`,
      docPath: '/api/v10/channels/{channelId}/messages',
      account: bot,
      form,
    });
    const attachment = new URL(message.attachments[0].url);
    await conforms({ method: 'GET', url: attachment.pathname + attachment.search, docPath: '/attachments/{channelId}/{attachmentId}/{filename}' });
  }, 60_000);
});
