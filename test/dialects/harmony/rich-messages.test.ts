// Embeds and components on the v1 API: the same request shape and limits as the discord dialect (one parser),
// answered with every key present, editable through PATCH /messages/:id, suppress_embeds, and carried by the
// v1 gateway's MESSAGE_CREATE / MESSAGE_UPDATE.
import { afterAll, describe, expect, it } from 'bun:test';
import { connectAs } from '../../support/gateway-client.ts';
import { type Account, as, createBot, createGuild, expectInvalidField, grantRole, join, people, serverForFile } from './fixtures.ts';

const server = await serverForFile();
const [owner, alice, mod] = await people(server, 'owner', 'alice', 'moderator');
const guild = await createGuild(server, owner, 'Rich');
await join(server, owner, guild, alice, mod);
await grantRole(server, owner, guild, ['manage_messages'], mod);
const bot = await createBot(server, owner, 'v1bot');
await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${bot.id}`, as(owner, { permissions: ['read_messages', 'send_messages', 'embed_links'] }));
afterAll(() => server.stop());

type Json = Record<string, any>;
const post = (caller: Account, body: Json) => server.api('POST', `/api/v1/channels/${guild.generalId}/messages`, as(caller, body));
const patch = (caller: Account, id: string, body: Json) => server.api('PATCH', `/api/v1/messages/${id}`, as(caller, body));
const latest = async () => (await server.api('GET', `/api/v1/channels/${guild.generalId}/messages?limit=1`, as(owner))).body[0]?.id;

const EMBED = {
  title: 'Weekly report',
  description: 'All good',
  url: 'https://example.com/report',
  timestamp: '2025-05-06T07:08:09.000Z',
  color: 0xff0000,
  footer: { text: 'ops', icon_url: null },
  image: { url: 'https://example.com/chart.png' },
  author: { name: 'Ops bot' },
  fields: [{ name: 'Uptime', value: '99.9%', inline: true }],
};
const ROW = {
  type: 1,
  components: [
    { type: 2, style: 1, label: 'Ack', custom_id: 'ack' },
    { type: 2, style: 5, label: 'Runbook', url: 'https://example.com/runbook', emoji: { name: '📖' } },
  ],
};
const SELECT_ROW = { type: 1, components: [{ type: 6, custom_id: 'roles', placeholder: 'Roles', max_values: 2 }] };

describe('POST /api/v1/channels/:channelId/messages with embeds and components', () => {
  it('answers them with every key present (null when unset)', async () => {
    const res = await post(bot, { content: 'report', embeds: [EMBED], components: [ROW, SELECT_ROW] });
    expect(res.status).toBe(200);
    expect(res.body.embeds).toEqual([
      {
        type: 'rich',
        ...EMBED,
        thumbnail: null,
        author: { name: 'Ops bot', url: null, icon_url: null },
      },
    ]);
    expect(res.body.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'Ack', emoji: null, custom_id: 'ack', url: null, disabled: false },
          {
            type: 2,
            style: 5,
            label: 'Runbook',
            emoji: { id: null, name: '📖', animated: false },
            custom_id: null,
            url: 'https://example.com/runbook',
            disabled: false,
          },
        ],
      },
      {
        type: 1,
        components: [
          {
            type: 6,
            custom_id: 'roles',
            placeholder: 'Roles',
            min_values: 1,
            max_values: 2,
            disabled: false,
            options: [],
            channel_types: [],
            default_values: [],
          },
        ],
      },
    ]);
    expect(res.body.suppress_embeds).toBe(false);
  });

  it('takes back what it answers: the answer re-sent is the same message body', async () => {
    const first = (await post(bot, { embeds: [EMBED], components: [ROW] })).body;
    const again = (await post(bot, { embeds: first.embeds, components: first.components })).body;
    expect({ embeds: again.embeds, components: again.components }).toEqual({ embeds: first.embeds, components: first.components });
  });

  it('lets a person send embeds (with embed_links) and content may be empty then', async () => {
    const res = await post(alice, { embeds: [{ description: 'no text' }] });
    expect({ status: res.status, content: res.body.content }).toEqual({ status: 200, content: '' });
  });

  it('refuses one past each limit with 50035 on the same path as the discord dialect, storing nothing', async () => {
    const cases: [Json, string, string][] = [
      [
        {
          embeds: [
            {
              fields: [
                { name: 'a', value: 'b' },
                { name: 'n', value: 'x'.repeat(1025) },
              ],
            },
          ],
        },
        'embeds.0.fields.1.value',
        'BASE_TYPE_MAX_LENGTH',
      ],
      [{ embeds: [{ description: 'x'.repeat(4096) }, { description: 'x'.repeat(1905) }] }, 'embeds', 'MAX_EMBED_SIZE_EXCEEDED'],
      [{ embeds: [{ title: 't', url: 'javascript:alert(1)' }] }, 'embeds.0.url', 'URL_TYPE_INVALID_SCHEME'],
      [
        { content: 'x', components: [{ type: 1, components: [{ type: 2, style: 2, label: 'l', custom_id: 'c'.repeat(101) }] }] },
        'components.0.components.0.custom_id',
        'BASE_TYPE_MAX_LENGTH',
      ],
      [{ content: 'x', components: [ROW, ROW] }, 'components.1.components.0.custom_id', 'COMPONENT_CUSTOM_ID_DUPLICATED'],
    ];
    for (const [body, field, code] of cases) {
      const before = await latest();
      expectInvalidField(await post(bot, body), field, code);
      expect(await latest()).toBe(before);
    }
  });
});

describe('PATCH /api/v1/messages/:messageId with embeds and components', () => {
  it('replaces what is sent, keeps what is not, and clears with []', async () => {
    const sent = (await post(bot, { content: 'v1', embeds: [EMBED], components: [ROW] })).body;
    const retitled = (await patch(bot, sent.id, { embeds: [{ title: 'New' }] })).body;
    expect({ content: retitled.content, titles: retitled.embeds.map((e: Json) => e.title), rows: retitled.components.length }).toEqual({
      content: 'v1',
      titles: ['New'],
      rows: 1,
    });
    expect(retitled.edited_timestamp).not.toBeNull();
    const cleared = (await patch(bot, sent.id, { components: [] })).body;
    expect({ rows: cleared.components.length, titles: cleared.embeds.map((e: Json) => e.title) }).toEqual({ rows: 0, titles: ['New'] });
    const res = await patch(bot, sent.id, { content: null, embeds: null });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 50006 });
  });

  it('sets suppress_embeds for the author, and for a moderator on someone else’s message only that', async () => {
    const sent = (await post(bot, { content: 'with embed', embeds: [{ title: 'x' }] })).body;
    const hidden = (await patch(mod, sent.id, { suppress_embeds: true })).body;
    expect({ suppress: hidden.suppress_embeds, embeds: hidden.embeds, edited: hidden.edited_timestamp }).toEqual({ suppress: true, embeds: [], edited: null });
    expect((await patch(mod, sent.id, { content: 'hijack', suppress_embeds: false })).body.code).toBe(50005);
    expect((await patch(alice, sent.id, { suppress_embeds: false })).body.code).toBe(50013);
    const shown = (await patch(bot, sent.id, { suppress_embeds: false })).body;
    expect(shown.embeds.map((e: Json) => e.title)).toEqual(['x']);
  });
});

describe('v1 gateway', () => {
  it('MESSAGE_CREATE and MESSAGE_UPDATE carry embeds, components and suppress_embeds', async () => {
    const session = await connectAs(server, alice.token);
    try {
      const sent = (await post(bot, { content: 'live', embeds: [{ title: 'Live' }], components: [ROW] })).body;
      const created = await session.waitFor((f) => f.t === 'MESSAGE_CREATE' && f.d.id === sent.id);
      expect({ embeds: created.d.embeds, components: created.d.components, suppress: created.d.suppress_embeds }).toEqual({
        embeds: sent.embeds,
        components: sent.components,
        suppress: false,
      });
      await patch(bot, sent.id, { embeds: [{ title: 'Edited' }] });
      const updated = await session.waitFor((f) => f.t === 'MESSAGE_UPDATE' && f.d.id === sent.id);
      expect(updated.d.embeds.map((e: Json) => e.title)).toEqual(['Edited']);
    } finally {
      session.close();
    }
  });
});
