// Server Settings -> Bots shows the commands each bot registered (globally or for this server), read from
// GET /api/v1/guilds/:id/commands; running them comes with interactions.
import { describe, it } from 'bun:test';
import { createServerInPage, openPage, registerInPage, sessionToken, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('Server Settings -> Bots in the browser', () => {
  it("lists a bot's slash commands and context menus under it", async () => {
    const { page } = await openPage(browser);
    await registerInPage(page, server, 'owner');
    const token = await sessionToken(page);
    const { guildId } = await createServerInPage(page, 'Command Center');
    const made = await server.api('POST', '/api/v1/admin/bots', { token, body: { username: 'DiceBot' } });
    const bot = { id: made.body.bot.id as string, token: made.body.token as string };
    await server.api('PUT', `/api/v1/guilds/${guildId}/bots/${bot.id}`, { token, body: { permissions: ['read_messages'] } });
    const v10 = (path: string, body: unknown) => server.api('PUT', `/api/v10${path}`, { token: bot.token, scheme: 'Bot', body });
    await v10(`/applications/${bot.id}/commands`, [{ name: 'roll', description: 'Roll a die' }]);
    await v10(`/applications/${bot.id}/guilds/${guildId}/commands`, [{ name: 'Show Profile', type: 2 }]);

    await page.getByRole('link', { name: 'Server settings' }).click();
    await page.getByRole('link', { name: 'Bots' }).click();
    const row = await visible(page.locator('.bot-row', { hasText: 'DiceBot' }).first());
    await until(
      "the bot's commands",
      () => row.getByTestId('bot-commands').textContent(),
      (text) => text === 'Commands: /roll, Show Profile (user menu)',
    );
  }, 60_000);
});
