// Interactions in the v1 API, in v1's shapes: a person reads the command index and invokes (POST /api/v1/interactions),
// the bot hears INTERACTION_CREATE on the v1 gateway and answers through /api/v1/interactions/:id/:token/callback
// (Discord's body, v1's answer: what was posted), then follows up and edits @original on the v1 webhook token routes.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { connectAs, type GatewayClient } from '../../support/gateway-client.ts';
import { startServer, type TestServer } from '../../support/test-server.ts';
import { type Account, addBot, as, createBot, createGuild, type GuildFixture, ISO_TIME, people, SNOWFLAKE } from './fixtures.ts';

let server: TestServer;
let owner: Account;
let bot: Account;
let guild: GuildFixture;
let botSocket: GatewayClient;
let commandId: string;

beforeAll(async () => {
  server = await startServer({ rateLimits: false });
  [owner] = await people(server, 'owner');
  guild = await createGuild(server, owner);
  bot = await createBot(server, owner, 'v1answers');
  await addBot(server, owner, guild, bot, ['read_messages', 'send_messages']);
  const made = await server.api(
    'POST',
    `/api/v1/applications/${bot.id}/guilds/${guild.id}/commands`,
    as(bot, { name: 'echo', description: 'Echo', options: [{ type: 3, name: 'text', description: 'Text', required: true }] }),
  );
  commandId = made.body.id;
  botSocket = await connectAs(server, bot.token);
});
afterAll(async () => {
  botSocket?.ws.close();
  await server.stop();
});

describe('GET /api/v1/guilds/:guildId/application-command-index', () => {
  it('lists the bots and the commands the caller may run', async () => {
    const res = await server.api('GET', `/api/v1/guilds/${guild.id}/application-command-index`, as(owner));
    expect(res.status).toBe(200);
    expect(res.body.applications).toEqual([{ id: bot.id, username: 'v1answers', global_name: null, avatar: null, bot: true }]);
    expect(res.body.commands.map((c: any) => [c.id, c.name, c.guild_id])).toEqual([[commandId, 'echo', guild.id]]);
  });
});

describe('POST /api/v1/interactions/:id/:token/callback', () => {
  it('answers with what was posted, and the follow-up routes take the token', async () => {
    const invoked = await server.api(
      'POST',
      '/api/v1/interactions',
      as(owner, {
        type: 2,
        application_id: bot.id,
        guild_id: guild.id,
        channel_id: guild.generalId,
        nonce: 'v1',
        data: { id: commandId, name: 'echo', type: 1, options: [{ type: 3, name: 'text', value: 'hi' }] },
      }),
    );
    expect(invoked.status).toBe(204);
    const { d: interaction } = await botSocket.waitFor((f) => f.t === 'INTERACTION_CREATE');
    const answered = await server.api('POST', `/api/v1/interactions/${interaction.id}/${interaction.token}/callback`, { body: { type: 5 } });
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual({
      interaction_id: interaction.id,
      type: 5,
      message: {
        id: expect.stringMatching(SNOWFLAKE),
        channel_id: guild.generalId,
        guild_id: guild.id,
        author: { id: bot.id, username: 'v1answers', global_name: null, avatar: null, bot: true },
        webhook_id: null,
        content: '',
        timestamp: expect.stringMatching(ISO_TIME),
        edited_timestamp: null,
        mentions: [],
        mention_roles: [],
        mention_everyone: false,
        reply_to: null,
        pinned: false,
        nonce: null,
        embeds: [],
        components: [],
        attachments: [],
        suppress_embeds: false,
        reactions: [],
        interaction: { id: interaction.id, type: 2, application_id: bot.id, user_id: owner.id, name: 'echo', command_type: 1, ephemeral: false, loading: true },
      },
    });
    const edited = await server.api('PATCH', `/api/v1/webhooks/${bot.id}/${interaction.token}/messages/@original`, { body: { content: 'hi back' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: answered.body.message.id, content: 'hi back', interaction: { loading: false } });
    const followed = await server.api('POST', `/api/v1/webhooks/${bot.id}/${interaction.token}`, { body: { content: 'psst', flags: 64 } });
    expect(followed.status).toBe(200);
    expect(followed.body.interaction).toMatchObject({ ephemeral: true });
    const history = await server.api('GET', `/api/v1/channels/${guild.generalId}/messages`, as(owner));
    expect(history.body.map((m: any) => m.content)).toEqual(['hi back']);
    expect((await server.api('DELETE', `/api/v1/webhooks/${bot.id}/${interaction.token}/messages/${followed.body.id}`, {})).status).toBe(204);
  });
});
