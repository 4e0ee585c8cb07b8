// Files on messages through the v1 API, its gateway and the SDK: the same multipart body as the Discord dialect
// (files[n] + payload_json), attachments in the v1 shape (null width/height for non-images) on REST and on
// MESSAGE_CREATE/MESSAGE_UPDATE, edits that keep only the listed ids, and HarmonyClient.sendMessage with files.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { HarmonyClient } from '../../../src/sdk/harmony-client.ts';
import { connectAs, type GatewayClient } from '../../support/gateway-client.ts';
import { png } from '../../support/images.ts';
import { buildWorld, type World } from './gateway/fixtures.ts';

let world: World;
let aliceSocket: GatewayClient;
const LINK = /^http:\/\/127\.0\.0\.1:\d+\/attachments\/\d+\/\d+\/[^?]+\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}$/;

beforeAll(async () => {
  world = await buildWorld();
  aliceSocket = await connectAs(world.server, world.alice.token);
});
afterAll(async () => {
  aliceSocket.close();
  await world.server.stop();
});

type Json = Record<string, any>;

async function multipart(method: string, path: string, payload: Json, files: { name: string; bytes: Uint8Array | string }[], token = world.alice.token) {
  const body = new FormData();
  body.set('payload_json', JSON.stringify(payload));
  for (const [i, f] of files.entries()) body.append(`files[${i}]`, new Blob([f.bytes as BlobPart]), f.name);
  const res = await fetch(`${world.server.url}/api/v1${path}`, { method, body, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Json };
}

describe('v1: files on messages', () => {
  it('sends files as multipart and answers attachments in the v1 shape, on REST and on MESSAGE_CREATE', async () => {
    const picture = png(6, 2);
    const sent = await multipart('POST', `/channels/${world.generalId}/messages`, { content: 'v1 files', attachments: [{ id: '1', description: 'the log' }] }, [
      { name: 'p.png', bytes: picture },
      { name: 'log.txt', bytes: 'line\n' },
    ]);
    expect(sent.status).toBe(200);
    // In the order of the attachments list, then the files it does not name.
    expect(sent.body.attachments).toEqual([
      {
        id: expect.stringMatching(/^\d+$/),
        filename: 'log.txt',
        description: 'the log',
        content_type: 'text/plain; charset=utf-8',
        size: 5,
        url: expect.stringMatching(LINK),
        width: null,
        height: null,
      },
      {
        id: expect.stringMatching(/^\d+$/),
        filename: 'p.png',
        description: null,
        content_type: 'image/png',
        size: picture.length,
        url: expect.stringMatching(LINK),
        width: 6,
        height: 2,
      },
    ]);
    const frame = (await aliceSocket.event('MESSAGE_CREATE', (d) => d.id === sent.body.id)).d;
    expect(frame.attachments.map((a: Json) => ({ ...a, url: 'x' }))).toEqual(sent.body.attachments.map((a: Json) => ({ ...a, url: 'x' })));
    expect(frame.attachments[0].url).toMatch(LINK);
    expect([...new Uint8Array(await (await fetch(frame.attachments[1].url)).arrayBuffer())]).toEqual([...picture]);

    // GET returns them too, with fresh links.
    const fetched = await world.call(world.alice.token, 'GET', `/channels/${world.generalId}/messages/${sent.body.id}`);
    expect(fetched.attachments.map((a: Json) => a.filename)).toEqual(['log.txt', 'p.png']);

    // PATCH keeps only the listed ids, and takes a new file.
    const [log, p] = sent.body.attachments as Json[];
    const edited = await multipart('PATCH', `/messages/${sent.body.id}`, { attachments: [{ id: log?.id }, { id: '0' }] }, [{ name: 'new.txt', bytes: 'new' }]);
    expect(edited.status).toBe(200);
    expect(edited.body.attachments.map((a: Json) => a.filename)).toEqual(['log.txt', 'new.txt']);
    const update = (await aliceSocket.event('MESSAGE_UPDATE', (d) => d.id === sent.body.id)).d;
    expect(update.attachments.map((a: Json) => a.filename)).toEqual(['log.txt', 'new.txt']);
    expect((await fetch(p?.url)).status).toBe(404);
  });

  it('refuses a file for someone without attach_files (403 50013) , storing nothing', async () => {
    const bot = world.bot;
    await world.call(world.alice.token, 'PUT', `/channels/${world.generalId}/permissions/${bot.id}`, { type: 1, deny: ['attach_files'] });
    const body = new FormData();
    body.set('payload_json', JSON.stringify({ content: 'nope' }));
    body.append('files[0]', new Blob(['x']), 'x.txt');
    const res = await fetch(`${world.server.url}/api/v1/channels/${world.generalId}/messages`, {
      method: 'POST',
      body,
      headers: { authorization: `Bot ${bot.token}` },
    });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 403, body: { code: 50013, message: 'Missing Permissions' } });
  });
});

describe('HarmonyClient: files', () => {
  it('sendMessage uploads files (bytes, text and a Blob) and editMessage keeps only the listed attachments', async () => {
    const client = new HarmonyClient(world.bob.token, { apiUrl: `${world.server.url}/api/v1`, authScheme: 'Bearer' });
    const picture = png(2, 3);
    const sent = await client.sendMessage(world.generalId, 'from the SDK', {
      files: [
        { name: 'shot.png', data: picture, description: 'a screenshot' },
        { name: 'readme.txt', data: 'read me' },
        { name: 'blob.bin', data: new Blob([new Uint8Array([0, 159, 146, 150])]) },
      ],
    });
    expect(sent.attachments?.map((a) => [a.filename, a.description, a.content_type, a.size, a.width, a.height])).toEqual([
      ['shot.png', 'a screenshot', 'image/png', picture.length, 2, 3],
      ['readme.txt', null, 'text/plain; charset=utf-8', 7, null, null],
      ['blob.bin', null, 'application/octet-stream', 4, null, null],
    ]);
    expect(await (await fetch(sent.attachments?.[1]?.url ?? '')).text()).toBe('read me');

    const keep = sent.attachments?.[0]?.id as string;
    const edited = await client.editMessage(sent.id, { attachments: [keep], files: [{ name: 'extra.txt', data: 'extra', description: 'more' }] });
    expect(edited.attachments?.map((a) => [a.filename, a.description])).toEqual([
      ['shot.png', 'a screenshot'],
      ['extra.txt', 'more'],
    ]);
    const text = await client.editMessage(sent.id, 'words only');
    expect(text.attachments?.map((a) => a.filename)).toEqual(['shot.png', 'extra.txt']);
  });
});
