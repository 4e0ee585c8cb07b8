// The SDK answering interactions against a real server: a HarmonyClient bot registers a command, hears
// interactionCreate when a person runs it through POST /api/v1/interactions, and answers with respond(), followUp()
// and editReply(); the person's own HarmonyClient (a session token) hears interactionAck and interactionSuccess. With
// files: a person uploads one for an ATTACHMENT option (multipart on /api/v1/interactions), the bot reads it from
// `data.attachments` and answers, follows up (ephemeral) and edits with `files`.
import { afterAll, describe, expect, it } from 'bun:test';
import type { Message } from '../../src/sdk/events.ts';
import { HarmonyApiError, HarmonyClient } from '../../src/sdk/harmony-client.ts';
import type { Interaction, InteractionAck } from '../../src/sdk/interactions.ts';
import { register, startServer } from '../support/test-server.ts';

const server = await startServer({ rateLimits: false });
const owner = await register(server, 'owner');
const guild = (await server.api('POST', '/api/v1/guilds', { token: owner.token, body: { name: 'SDK' } })).body;
const created = (await server.api('POST', '/api/v1/admin/bots', { token: owner.token, body: { username: 'sdkanswers' } })).body;
await server.api('PUT', `/api/v1/guilds/${guild.id}/bots/${created.bot.id}`, { token: owner.token, body: { permissions: ['read_messages', 'send_messages'] } });
const url = `${server.url.replace(/^http/, 'ws')}/gateway`;
const bot = new HarmonyClient(created.token, { url });
const person = new HarmonyClient(owner.token, { url, authScheme: 'Bearer' });
const channelId: string = guild.channels[0].id;
afterAll(async () => {
  await bot.disconnect();
  await person.disconnect();
  await server.stop();
});

const next = <T>(
  client: HarmonyClient,
  event: 'interactionCreate' | 'interactionAck' | 'interactionSuccess' | 'messageCreate',
  match: (p: T) => boolean = () => true,
) =>
  new Promise<T>((resolve) => {
    const listener = (payload: T) => {
      if (!match(payload)) return;
      client.off(event, listener as never);
      resolve(payload);
    };
    client.on(event, listener as never);
  });

describe('HarmonyClient interactions', () => {
  it('registers a command, hears it run, answers, follows up (ephemeral) and edits the answer', async () => {
    await bot.connect();
    await person.connect();
    const command = await bot.createCommand(
      { name: 'greet', description: 'Say hello', options: [{ type: 3, name: 'who', description: 'Who', required: true }] },
      { guildId: guild.id },
    );

    const heard = next<Interaction>(bot, 'interactionCreate');
    const acked = next<InteractionAck>(person, 'interactionAck');
    const invoked = await server.api('POST', '/api/v1/interactions', {
      token: owner.token,
      body: {
        type: 2,
        application_id: created.bot.id,
        guild_id: guild.id,
        channel_id: channelId,
        nonce: 'n1',
        data: { id: command.id, name: 'greet', type: 1, options: [{ type: 3, name: 'who', value: 'world' }] },
      },
    });
    expect(invoked.status).toBe(204);
    const interaction = await heard;
    expect(interaction).toMatchObject({
      type: 2,
      channel_id: channelId,
      user: { id: owner.id },
      data: { kind: 'command', name: 'greet', options: [{ name: 'who', type: 3, value: 'world' }] },
    });
    expect(await acked).toEqual({ id: interaction.id, nonce: 'n1' });

    const succeeded = next<InteractionAck>(person, 'interactionSuccess');
    const answer = await bot.respond(interaction, { type: 4, data: { content: 'hello world' } });
    expect(answer).toMatchObject({
      content: 'hello world',
      interaction: { id: interaction.id, name: 'greet', user_id: owner.id, ephemeral: false, loading: false },
    });
    expect(await succeeded).toEqual({ id: interaction.id, nonce: 'n1' });

    const secret = next<Message>(person, 'messageCreate', (m) => m.content === 'just for you');
    const follow = await bot.followUp(interaction, { content: 'just for you', flags: 64 });
    expect(follow.interaction?.ephemeral).toBe(true);
    expect((await secret).id).toBe(follow.id);

    const edited = await bot.editReply(interaction, 'hello again');
    expect(edited).toMatchObject({ id: answer?.id, content: 'hello again' });

    const again = await bot.respond(interaction, { type: 4, data: { content: 'twice' } }).catch((e) => e);
    expect(again).toBeInstanceOf(HarmonyApiError);
    expect(again).toMatchObject({ status: 400, code: 40060 });
  });

  it("hands the bot an ATTACHMENT option's file, and answers, follows up and edits with files", async () => {
    const command = await bot.createCommand(
      { name: 'echo-file', description: 'Echo a file', options: [{ type: 11, name: 'file', description: 'File', required: true }] },
      { guildId: guild.id },
    );
    const heard = next<Interaction>(bot, 'interactionCreate', (i) => i.data.kind === 'command' && i.data.name === 'echo-file');
    const form = new FormData();
    const payload = {
      type: 2,
      application_id: created.bot.id,
      guild_id: guild.id,
      channel_id: channelId,
      nonce: 'f1',
      data: { id: command.id, name: 'echo-file', type: 1, options: [{ type: 11, name: 'file', value: '0' }], attachments: [{ id: '0', filename: 'in.txt' }] },
    };
    form.set('payload_json', JSON.stringify(payload));
    form.set('files[0]', new Blob(['from the person']), 'in.txt');
    const invoked = await fetch(`${server.url}/api/v1/interactions`, { method: 'POST', headers: { authorization: `Bearer ${owner.token}` }, body: form });
    expect(invoked.status).toBe(204);
    const interaction = await heard;
    if (interaction.data.kind !== 'command') throw new Error('not a command');
    const [file] = interaction.data.attachments;
    expect(interaction.data.options).toEqual([{ name: 'file', type: 11, value: file?.id }]);
    expect(file).toEqual({
      id: expect.stringMatching(/^\d+$/),
      filename: 'in.txt',
      description: null,
      content_type: 'text/plain; charset=utf-8',
      size: 15,
      url: expect.stringContaining('/ephemeral-attachments/'),
      width: null,
      height: null,
    });
    expect(await (await fetch(file?.url ?? '')).text()).toBe('from the person');

    const answer = await bot.respond(interaction, { type: 4, data: { content: 'got it', files: [{ name: 'out.txt', data: 'from the bot' }] } });
    expect(answer?.attachments?.map((a) => a.filename)).toEqual(['out.txt']);
    expect(await (await fetch(answer?.attachments?.[0]?.url ?? '')).text()).toBe('from the bot');

    const follow = await bot.followUp(interaction, { flags: 64, files: [{ name: 'secret.txt', data: new TextEncoder().encode('only yours') }] });
    expect(follow.interaction?.ephemeral).toBe(true);
    expect(await (await fetch(follow.attachments?.[0]?.url ?? '')).text()).toBe('only yours');

    const added = await bot.editReply(interaction, { files: [{ name: 'more.txt', data: 'more' }] });
    expect(added.attachments?.map((a) => a.filename)).toEqual(['out.txt', 'more.txt']);
    const kept = await bot.editReply(interaction, { attachments: [added.attachments?.[1]?.id ?? ''] });
    expect(kept.attachments?.map((a) => a.filename)).toEqual(['more.txt']);
  });
});
