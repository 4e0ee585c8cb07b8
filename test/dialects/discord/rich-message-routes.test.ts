// Embeds and components through the discord dialect's REST routes: Discord's wire shapes, every limit at its
// edge and one past it (50035 naming the exact field), nothing stored from a refused request, edit semantics
// (replace, clear, keep), SUPPRESS_EMBEDS by the author and by a moderator, and EMBED_LINKS.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Bot, botIn, createGuild, type Guild, join, type Person, people, post, v10 } from './fixtures.ts';

let server: TestServer;
let admin: Person;
let bob: Person;
let guild: Guild;
let bot: Bot & { roleId: string };
let mod: Bot & { roleId: string };
let plain: Bot & { roleId: string };

const TALK = ['read_messages', 'send_messages', 'read_message_history', 'embed_links'];

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [admin, bob] = (await people(server, 'admin', 'bob')) as [Person, Person];
  guild = await createGuild(server, admin);
  await join(server, admin, guild, bob);
  bot = await botIn(server, admin, guild, 'richbot', TALK);
  mod = await botIn(server, admin, guild, 'modbot', [...TALK, 'manage_messages']);
  plain = await botIn(server, admin, guild, 'plainbot', ['read_messages', 'send_messages', 'read_message_history']);
  // @everyone may embed links by default; take it away from plainbot in this channel.
  await server.api('PUT', `/api/v1/channels/${guild.generalId}/permissions/${plain.id}`, { token: admin.token, body: { type: 1, deny: ['embed_links'] } });
});
afterAll(() => server.stop());

type Json = Record<string, any>;
const path = (id = '') => `/channels/${guild.generalId}/messages${id ? `/${id}` : ''}`;
const send = (body: Json, who: { token: string } = bot) => v10(server, who, 'POST', path(), body);
const edit = (id: string, body: Json, who: { token: string } = bot) => v10(server, who, 'PATCH', path(id), body);
const newest = async () => (await v10(server, bot, 'GET', `${path()}?limit=1`)).body[0]?.id as string | undefined;

/** The `{_errors}` node at a dotted path of a 50035 answer. */
function errorAt(body: Json, dotted: string): { code: string; message: string }[] | undefined {
  let node: Json | undefined = body.errors;
  for (const part of dotted.split('.')) node = node?.[part];
  return node?._errors;
}

/** Sends `body`, expects a 400 50035 with `code` at exactly `dotted`, and that no message was stored. */
async function expectRefused(body: Json, dotted: string, code: string): Promise<Json> {
  const before = await newest();
  const res = await send(body);
  expect({ status: res.status, code: res.body.code, message: res.body.message }).toEqual({ status: 400, code: 50035, message: 'Invalid Form Body' });
  expect(errorAt(res.body, dotted)?.map((e) => e.code)).toEqual([code]);
  expect(await newest()).toBe(before);
  return res.body;
}

const FULL_EMBED = {
  title: 'Release 1.2',
  type: 'rich',
  description: 'What changed',
  url: 'https://example.com/releases/1.2',
  timestamp: '2025-01-02T03:04:05.000Z',
  color: 0x5865f2,
  footer: { text: 'CI', icon_url: 'https://example.com/ci.png' },
  image: { url: 'https://example.com/big.png' },
  thumbnail: { url: 'http://example.com/small.png' },
  author: { name: 'Release bot', url: 'https://example.com/bot', icon_url: 'https://example.com/bot.png' },
  fields: [
    { name: 'Added', value: 'Embeds', inline: true },
    { name: 'Fixed', value: 'Everything', inline: false },
  ],
};

const BUTTONS = {
  type: 1,
  components: [
    { type: 2, style: 1, label: 'Yes', custom_id: 'vote:yes', emoji: { name: '👍' } },
    { type: 2, style: 4, label: 'No', custom_id: 'vote:no', disabled: true },
    { type: 2, style: 5, label: 'Docs', url: 'https://example.com/docs' },
  ],
};
const SELECT = {
  type: 1,
  components: [
    {
      type: 3,
      custom_id: 'flavour',
      placeholder: 'Pick one',
      min_values: 1,
      max_values: 2,
      options: [
        { label: 'Vanilla', value: 'v', description: 'Plain', default: true },
        { label: 'Chocolate', value: 'c', emoji: { name: 'cocoa', id: '1300000000000000999', animated: true } },
      ],
    },
  ],
};
const CHANNEL_SELECT = {
  type: 1,
  components: [{ type: 8, custom_id: 'where', channel_types: [0], default_values: [{ id: '1300000000000000001', type: 'channel' }] }],
};

describe('POST /channels/:id/messages with embeds and components', () => {
  it("answers them in Discord's shape, with image and thumbnail as { url } only", async () => {
    const res = await send({ content: '', embeds: [FULL_EMBED], components: [BUTTONS, SELECT, CHANNEL_SELECT] });
    expect(res.status).toBe(200);
    expect(res.body.content).toBe('');
    expect(res.body.flags).toBe(0);
    expect(res.body.embeds).toEqual([FULL_EMBED]);
    expect(res.body.components).toEqual([BUTTONS, SELECT, { type: 1, components: [{ ...CHANNEL_SELECT.components[0], min_values: 1, max_values: 1 }] }]);
  });

  it('leaves unset keys out and gives fields an explicit inline: false', async () => {
    const res = await send({ embeds: [{ description: 'only this', fields: [{ name: 'n', value: 'v' }] }] });
    expect(res.body.embeds).toEqual([{ type: 'rich', description: 'only this', fields: [{ name: 'n', value: 'v', inline: false }] }]);
  });

  it('returns them on history, fetch and pins', async () => {
    const sent = (await send({ content: 'pinned', embeds: [{ title: 'kept' }], components: [BUTTONS] })).body;
    expect((await v10(server, mod, 'PUT', `/channels/${guild.generalId}/pins/${sent.id}`)).status).toBe(204);
    const fetched = (await v10(server, bot, 'GET', path(sent.id))).body;
    const history = (await v10(server, bot, 'GET', `${path()}?limit=5`)).body.find((m: Json) => m.id === sent.id);
    const pins = (await v10(server, bot, 'GET', `/channels/${guild.generalId}/pins`)).body.find((m: Json) => m.id === sent.id);
    for (const m of [fetched, history, pins])
      expect({ embeds: m.embeds, components: m.components }).toEqual({ embeds: sent.embeds, components: sent.components });
  });

  it('refuses a message with no content, no embeds and no components with 50006, also when the only embed shows nothing', async () => {
    for (const body of [{ content: '' }, { embeds: [] }, { content: ' ', embeds: [{ color: 5 }], components: [] }]) {
      const res = await send(body);
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { message: 'Cannot send an empty message', code: 50006 } });
    }
  });

  it('accepts components alone, as Discord does', async () => {
    expect((await send({ components: [BUTTONS] })).status).toBe(200);
  });

  it('names every invalid field of one body in one 50035', async () => {
    const res = await send({
      embeds: [{ title: 't'.repeat(257), url: 'javascript:alert(1)' }],
      components: [{ type: 1, components: [{ type: 2, style: 6 }] }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({
      embeds: {
        0: {
          title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }] },
          url: {
            _errors: [{ code: 'URL_TYPE_INVALID_SCHEME', message: `Scheme "javascript" is not supported. Scheme must be one of ('http', 'https').` }],
          },
        },
      },
      components: {
        0: {
          components: {
            0: { style: { _errors: [{ code: 'UNSUPPORTED_BY_SERVER', message: 'Premium buttons (style 6) need SKUs, which this server does not have' }] } },
          },
        },
      },
    });
  });

  it('refuses embeds from a bot without EMBED_LINKS with 403 50013, and stores nothing', async () => {
    const before = await newest();
    const res = await send({ content: 'hi', embeds: [{ title: 'no' }] }, plain);
    expect({ status: res.status, body: res.body }).toEqual({ status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    expect(await newest()).toBe(before);
    expect((await send({ content: 'but text is fine', components: [BUTTONS] }, plain)).status).toBe(200);
  });
});

const s = (n: number) => 'x'.repeat(n);
const fields = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, value: 'v' }));
const button = (i: number, extra: Json = {}) => ({ type: 2, style: 2, label: `b${i}`, custom_id: `b${i}`, ...extra });
const row = (...components: Json[]) => ({ type: 1, components });
const options = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `o${i}`, value: `o${i}` }));
const stringSelect = (extra: Json) => row({ type: 3, custom_id: 'sel', options: options(3), ...extra });

/** [what, body at the limit, body one past it, the field that names it, Discord's code]. */
const LIMITS: [string, Json, Json, string, string][] = [
  ['embeds per message (10)', { embeds: Array(10).fill({ title: 't' }) }, { embeds: Array(11).fill({ title: 't' }) }, 'embeds', 'BASE_TYPE_MAX_LENGTH'],
  ['title (256)', { embeds: [{ title: s(256) }] }, { embeds: [{ title: s(257) }] }, 'embeds.0.title', 'BASE_TYPE_MAX_LENGTH'],
  ['description (4096)', { embeds: [{ description: s(4096) }] }, { embeds: [{ description: s(4097) }] }, 'embeds.0.description', 'BASE_TYPE_MAX_LENGTH'],
  ['fields (25)', { embeds: [{ fields: fields(25) }] }, { embeds: [{ fields: fields(26) }] }, 'embeds.0.fields', 'BASE_TYPE_MAX_LENGTH'],
  [
    'field name (256)',
    { embeds: [{ fields: [...fields(3), { name: s(256), value: 'v' }] }] },
    { embeds: [{ fields: [...fields(3), { name: s(257), value: 'v' }] }] },
    'embeds.0.fields.3.name',
    'BASE_TYPE_MAX_LENGTH',
  ],
  [
    'field value (1024)',
    { embeds: [{ fields: [...fields(3), { name: 'n', value: s(1024) }] }] },
    { embeds: [{ fields: [...fields(3), { name: 'n', value: s(1025) }] }] },
    'embeds.0.fields.3.value',
    'BASE_TYPE_MAX_LENGTH',
  ],
  [
    'footer text (2048)',
    { embeds: [{ footer: { text: s(2048) } }] },
    { embeds: [{ footer: { text: s(2049) } }] },
    'embeds.0.footer.text',
    'BASE_TYPE_MAX_LENGTH',
  ],
  ['author name (256)', { embeds: [{ author: { name: s(256) } }] }, { embeds: [{ author: { name: s(257) } }] }, 'embeds.0.author.name', 'BASE_TYPE_MAX_LENGTH'],
  [
    '6000 characters across all embeds',
    { embeds: [{ description: s(4096) }, { title: s(4), description: s(1900) }] },
    { embeds: [{ description: s(4096) }, { title: s(5), description: s(1900) }] },
    'embeds',
    'MAX_EMBED_SIZE_EXCEEDED',
  ],
  [
    'action rows (5)',
    { components: Array.from({ length: 5 }, (_, i) => row(button(i))) },
    { components: Array.from({ length: 6 }, (_, i) => row(button(i))) },
    'components',
    'BASE_TYPE_MAX_LENGTH',
  ],
  [
    'buttons per row (5)',
    { components: [row(...[0, 1, 2, 3, 4].map((i) => button(i)))] },
    { components: [row(...[0, 1, 2, 3, 4, 5].map((i) => button(i)))] },
    'components.0.components',
    'BASE_TYPE_BAD_LENGTH',
  ],
  [
    'button label (80)',
    { components: [row(button(0, { label: s(80) }))] },
    { components: [row(button(0, { label: s(81) }))] },
    'components.0.components.0.label',
    'BASE_TYPE_MAX_LENGTH',
  ],
  [
    'custom_id (100)',
    { components: [row(button(0, { custom_id: s(100) }))] },
    { components: [row(button(0, { custom_id: s(101) }))] },
    'components.0.components.0.custom_id',
    'BASE_TYPE_MAX_LENGTH',
  ],
  [
    'select options (25)',
    { components: [stringSelect({ options: options(25) })] },
    { components: [stringSelect({ options: options(26) })] },
    'components.0.components.0.options',
    'BASE_TYPE_BAD_LENGTH',
  ],
  [
    'option label (100)',
    { components: [stringSelect({ options: [{ label: s(100), value: 'a' }] })] },
    { components: [stringSelect({ options: [{ label: s(101), value: 'a' }] })] },
    'components.0.components.0.options.0.label',
    'BASE_TYPE_MAX_LENGTH',
  ],
  [
    'option value (100)',
    { components: [stringSelect({ options: [{ label: 'a', value: s(100) }] })] },
    { components: [stringSelect({ options: [{ label: 'a', value: s(101) }] })] },
    'components.0.components.0.options.0.value',
    'BASE_TYPE_MAX_LENGTH',
  ],
  [
    'option description (100)',
    { components: [stringSelect({ options: [{ label: 'a', value: 'a', description: s(100) }] })] },
    { components: [stringSelect({ options: [{ label: 'a', value: 'a', description: s(101) }] })] },
    'components.0.components.0.options.0.description',
    'BASE_TYPE_MAX_LENGTH',
  ],
  [
    'placeholder (150)',
    { components: [stringSelect({ placeholder: s(150) })] },
    { components: [stringSelect({ placeholder: s(151) })] },
    'components.0.components.0.placeholder',
    'BASE_TYPE_MAX_LENGTH',
  ],
  [
    'min_values (25)',
    { components: [stringSelect({ options: options(25), min_values: 25, max_values: 25 })] },
    { components: [stringSelect({ options: options(25), min_values: 26, max_values: 25 })] },
    'components.0.components.0.min_values',
    'NUMBER_TYPE_MAX',
  ],
  [
    'max_values (25)',
    { components: [stringSelect({ options: options(25), max_values: 25 })] },
    { components: [stringSelect({ options: options(25), max_values: 26 })] },
    'components.0.components.0.max_values',
    'NUMBER_TYPE_MAX',
  ],
  [
    'min_values (0)',
    { components: [stringSelect({ min_values: 0 })] },
    { components: [stringSelect({ min_values: -1 })] },
    'components.0.components.0.min_values',
    'NUMBER_TYPE_MIN',
  ],
  [
    'max_values (1)',
    { components: [stringSelect({ min_values: 0, max_values: 1 })] },
    { components: [stringSelect({ min_values: 0, max_values: 0 })] },
    'components.0.components.0.max_values',
    'NUMBER_TYPE_MIN',
  ],
];

describe('limits: each passes at its edge and is refused one past it, naming the field', () => {
  for (const [what, atLimit, over, field, code] of LIMITS) {
    it(what, async () => {
      const ok = await send(atLimit);
      expect({ status: ok.status, errors: ok.body.errors }).toEqual({ status: 200, errors: undefined });
      await expectRefused(over, field, code);
    });
  }

  it('counts characters, not UTF-16 units: 256 emoji fit a title', async () => {
    expect((await send({ embeds: [{ title: '😀'.repeat(256) }] })).status).toBe(200);
    await expectRefused({ embeds: [{ title: '😀'.repeat(257) }] }, 'embeds.0.title', 'BASE_TYPE_MAX_LENGTH');
  });
});

describe('refused shapes', () => {
  const CASES: [string, Json, string, string][] = [
    ['a javascript: embed url', { embeds: [{ title: 't', url: 'javascript:alert(1)' }] }, 'embeds.0.url', 'URL_TYPE_INVALID_SCHEME'],
    ['a data: image', { embeds: [{ image: { url: 'data:image/png;base64,AAAA' } }] }, 'embeds.0.image.url', 'URL_TYPE_INVALID_SCHEME'],
    ['a relative thumbnail', { embeds: [{ thumbnail: { url: '/etc/passwd' } }] }, 'embeds.0.thumbnail.url', 'URL_TYPE_INVALID_URL'],
    ['a url with leading whitespace', { embeds: [{ title: 't', url: ' https://example.com' }] }, 'embeds.0.url', 'URL_TYPE_INVALID_URL'],
    ['a vbscript: author icon', { embeds: [{ author: { name: 'a', icon_url: 'vbscript:x' } }] }, 'embeds.0.author.icon_url', 'URL_TYPE_INVALID_SCHEME'],
    ['a file: footer icon', { embeds: [{ footer: { text: 'a', icon_url: 'file:///etc/passwd' } }] }, 'embeds.0.footer.icon_url', 'URL_TYPE_INVALID_SCHEME'],
    [
      'a javascript: link button',
      { components: [row({ type: 2, style: 5, label: 'x', url: 'javascript:alert(1)' })] },
      'components.0.components.0.url',
      'URL_TYPE_INVALID_SCHEME',
    ],
    ['a field without a value', { embeds: [{ fields: [{ name: 'n' }] }] }, 'embeds.0.fields.0.value', 'BASE_TYPE_REQUIRED'],
    ['a colour above 0xFFFFFF', { embeds: [{ title: 't', color: 0x1000000 }] }, 'embeds.0.color', 'NUMBER_TYPE_MAX'],
    ['a timestamp that is not ISO 8601', { embeds: [{ title: 't', timestamp: 'yesterday' }] }, 'embeds.0.timestamp', 'DATE_TYPE_PARSE'],
    ['an embed type other than rich', { embeds: [{ title: 't', type: 'video' }] }, 'embeds.0.type', 'BASE_TYPE_CHOICES'],
    ['embeds that are not a list', { embeds: { title: 't' } }, 'embeds', 'LIST_TYPE_CONVERT'],
    ['a premium button (style 6)', { components: [row({ type: 2, style: 6, sku_id: '1' })] }, 'components.0.components.0.style', 'UNSUPPORTED_BY_SERVER'],
    ['an unknown button style', { components: [row(button(0, { style: 7 }))] }, 'components.0.components.0.style', 'BASE_TYPE_CHOICES'],
    ['a button without custom_id', { components: [row({ type: 2, style: 1, label: 'x' })] }, 'components.0.components.0.custom_id', 'BASE_TYPE_REQUIRED'],
    [
      'a link button with a custom_id',
      { components: [row({ type: 2, style: 5, label: 'x', url: 'https://example.com', custom_id: 'x' })] },
      'components.0.components.0.custom_id',
      'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED',
    ],
    ['a link button without url', { components: [row({ type: 2, style: 5, label: 'x' })] }, 'components.0.components.0.url', 'BASE_TYPE_REQUIRED'],
    [
      'a button with neither label nor emoji',
      { components: [row({ type: 2, style: 1, custom_id: 'x' })] },
      'components.0.components.0.label',
      'BASE_TYPE_REQUIRED',
    ],
    ['a custom_id used twice', { components: [row(button(0)), row(button(0))] }, 'components.1.components.0.custom_id', 'COMPONENT_CUSTOM_ID_DUPLICATED'],
    [
      'a select next to a button',
      { components: [row(button(0), { type: 3, custom_id: 's', options: options(1) })] },
      'components.0.components',
      'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
    ],
    [
      'two selects in one row',
      { components: [row({ type: 5, custom_id: 'a' }, { type: 6, custom_id: 'b' })] },
      'components.0.components',
      'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
    ],
    ['a button at the top level', { components: [button(0)] }, 'components.0.type', 'BASE_TYPE_CHOICES'],
    ['a Components V2 container', { components: [{ type: 17, components: [] }] }, 'components.0.type', 'UNSUPPORTED_BY_SERVER'],
    [
      'a text input in a message',
      { components: [row({ type: 4, custom_id: 't', style: 1, label: 'l' })] },
      'components.0.components.0.type',
      'BASE_TYPE_CHOICES',
    ],
    ['an empty row', { components: [row()] }, 'components.0.components', 'BASE_TYPE_BAD_LENGTH'],
    ['a string select without options', { components: [row({ type: 3, custom_id: 's' })] }, 'components.0.components.0.options', 'BASE_TYPE_REQUIRED'],
    [
      'duplicate option values',
      { components: [stringSelect({ options: [...options(2), { label: 'again', value: 'o1' }] })] },
      'components.0.components.0.options.2.value',
      'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED',
    ],
    ['max_values above the number of options', { components: [stringSelect({ max_values: 4 })] }, 'components.0.components.0.max_values', 'NUMBER_TYPE_MAX'],
    [
      'a role as default of a user select',
      { components: [row({ type: 5, custom_id: 'u', default_values: [{ id: '1', type: 'role' }] })] },
      'components.0.components.0.default_values.0.type',
      'BASE_TYPE_CHOICES',
    ],
    [
      'an unknown channel type',
      { components: [row({ type: 8, custom_id: 'c', channel_types: [99] })] },
      'components.0.components.0.channel_types.0',
      'BASE_TYPE_CHOICES',
    ],
  ];
  for (const [what, body, field, code] of CASES) {
    it(`refuses ${what} with 50035 on ${field}, storing nothing`, async () => {
      await expectRefused({ content: 'with text', ...body }, field, code);
    });
  }
});

describe('PATCH /channels/:id/messages/:id with embeds and components', () => {
  it('replaces embeds and components with what is sent, and keeps what is not sent', async () => {
    const sent = (await send({ content: 'v1', embeds: [{ title: 'one' }, { title: 'two' }], components: [BUTTONS] })).body;
    const onlyEmbeds = await edit(sent.id, { embeds: [{ title: 'three' }] });
    expect(onlyEmbeds.status).toBe(200);
    expect({ content: onlyEmbeds.body.content, embeds: onlyEmbeds.body.embeds, components: onlyEmbeds.body.components }).toEqual({
      content: 'v1',
      embeds: [{ type: 'rich', title: 'three' }],
      components: [BUTTONS],
    });
    expect(onlyEmbeds.body.edited_timestamp).not.toBeNull();
    const onlyContent = (await edit(sent.id, { content: 'v2' })).body;
    expect({ embeds: onlyContent.embeds, components: onlyContent.components }).toEqual({ embeds: [{ type: 'rich', title: 'three' }], components: [BUTTONS] });
    const newComponents = (await edit(sent.id, { components: [SELECT] })).body;
    expect(newComponents.components).toEqual([SELECT]);
  });

  it('clears with embeds: [] and components: [], and lets content be emptied while an embed remains', async () => {
    const sent = (await send({ content: 'text', embeds: [{ title: 'e' }], components: [BUTTONS] })).body;
    const cleared = (await edit(sent.id, { components: [] })).body;
    expect(cleared.components).toEqual([]);
    const noText = (await edit(sent.id, { content: '' })).body;
    expect({ content: noText.content, embeds: noText.embeds }).toEqual({ content: '', embeds: [{ type: 'rich', title: 'e' }] });
    const res = await edit(sent.id, { embeds: [] });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { message: 'Cannot send an empty message', code: 50006 } });
    expect((await v10(server, bot, 'GET', path(sent.id))).body.embeds).toEqual([{ type: 'rich', title: 'e' }]);
  });

  it('refuses an invalid edit with the exact 50035 path and changes nothing', async () => {
    const sent = (await send({ content: 'keep', embeds: [{ title: 'keep' }] })).body;
    const res = await edit(sent.id, { embeds: [{ fields: [{ name: 'n', value: s(1025) }] }] });
    expect(errorAt(res.body, 'embeds.0.fields.0.value')?.[0]?.code).toBe('BASE_TYPE_MAX_LENGTH');
    const now = (await v10(server, bot, 'GET', path(sent.id))).body;
    expect({ embeds: now.embeds, edited: now.edited_timestamp }).toEqual({ embeds: sent.embeds, edited: null });
  });

  it("refuses to change someone else's embeds or components with 50005, even with MANAGE_MESSAGES", async () => {
    const sent = (await send({ content: 'mine', embeds: [{ title: 'mine' }] })).body;
    for (const body of [{ embeds: [] }, { components: [BUTTONS] }, { embeds: [], flags: 4 }]) {
      const res = await edit(sent.id, body, mod);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 50005 });
    }
  });

  it('refuses to add embeds for a bot that lost EMBED_LINKS with 50013', async () => {
    const sent = (await send({ content: 'text only' }, plain)).body;
    const res = await edit(sent.id, { embeds: [{ title: 'no' }] }, plain);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 50013 });
    expect((await edit(sent.id, { content: 'still editable' }, plain)).status).toBe(200);
  });
});

describe('SUPPRESS_EMBEDS (flags 1 << 2)', () => {
  it('set on create: the embeds are stored but not shown, and flags says so', async () => {
    const sent = (await send({ content: 'quiet', embeds: [{ title: 'hidden' }], flags: 4 })).body;
    expect({ flags: sent.flags, embeds: sent.embeds }).toEqual({ flags: 4, embeds: [] });
    const shown = (await edit(sent.id, { flags: 0 })).body;
    expect({ flags: shown.flags, embeds: shown.embeds, edited: shown.edited_timestamp }).toEqual({
      flags: 0,
      embeds: [{ type: 'rich', title: 'hidden' }],
      edited: null,
    });
  });

  it('toggled by the author on edit (message.suppressEmbeds)', async () => {
    const sent = (await send({ content: 'loud', embeds: [{ title: 'e' }] })).body;
    const suppressed = (await edit(sent.id, { flags: 4 })).body;
    expect({ flags: suppressed.flags, embeds: suppressed.embeds, content: suppressed.content }).toEqual({ flags: 4, embeds: [], content: 'loud' });
  });

  it("toggled on someone else's message by a member with MANAGE_MESSAGES, and refused with 50013 without it", async () => {
    const theirs = await post(server, bob, guild.generalId, 'a person can send embeds too', { embeds: [{ title: 'bob' }] });
    const refused = await edit(theirs.id, { flags: 4 }, bot);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 50013 });
    const suppressed = await edit(theirs.id, { flags: 4 }, mod);
    expect({ status: suppressed.status, flags: suppressed.body.flags, embeds: suppressed.body.embeds }).toEqual({ status: 200, flags: 4, embeds: [] });
    const v1 = await server.api('GET', `/api/v1/channels/${guild.generalId}/messages/${theirs.id}`, { token: bob.token });
    expect({ suppress: v1.body.suppress_embeds, embeds: v1.body.embeds }).toEqual({ suppress: true, embeds: [] });
  });
});
