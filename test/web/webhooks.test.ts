// Server Settings -> Webhooks in the browser: create one (its URL shown once, with a copy button), post through
// that URL from outside and see the message appear live under the webhook's name, rename it, delete it.
import { describe, expect, it } from 'bun:test';
import { composer, createServerInPage, message, openPage, registerInPage, sessionToken, unnamedControls, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('Webhooks in Server Settings', () => {
  it('creates a webhook showing its URL once, posts through it, renames and deletes it', async () => {
    const owner = await openPage(browser);
    await registerInPage(owner.page, server, 'hana');
    const token = await sessionToken(owner.page);
    const { guildId, channelId } = await createServerInPage(owner.page, 'Hooks');
    await owner.page.getByRole('link', { name: 'Server settings' }).click();
    await owner.page.getByRole('link', { name: 'Webhooks' }).click();
    await visible(owner.page.getByText('No webhooks in this channel.'));

    await owner.page.getByLabel('Name').fill('Deploys');
    await owner.page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = owner.page.getByRole('textbox', { name: 'URL of webhook Deploys' });
    await visible(secret);
    const url = await secret.inputValue();
    const listed = (await server.api('GET', `/api/v1/channels/${channelId}/webhooks`, { token })).body as { id: string; name: string }[];
    expect(listed.map((w) => w.name)).toEqual(['Deploys']);
    expect(url).toMatch(new RegExp(`/api/webhooks/${listed[0]?.id}/[A-Za-z0-9_-]{68}$`));
    await visible(owner.page.getByRole('button', { name: 'Copy URL' }));
    expect(await unnamedControls(owner.page)).toEqual([]);
    await owner.page.getByRole('button', { name: 'I have copied it' }).click();
    await visible(owner.page.getByRole('cell', { name: 'Deploys' }));
    expect(await owner.page.getByRole('textbox', { name: 'URL of webhook Deploys' }).count()).toBe(0);

    // The URL works from anywhere, with no account; the open chat shows the post live, under the webhook's name.
    await owner.page.goto(`${server.url}/app/channels/${guildId}/${channelId}`);
    await visible(composer(owner.page));
    const posted = await fetch(`${url}?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'build 7 shipped' }),
    });
    expect(posted.status).toBe(200);
    const article = await visible(message(owner.page, 'build 7 shipped'));
    expect(await article.getAttribute('aria-label')).toMatch(/^Deploys at /);

    await owner.page.goto(`${server.url}/app/guilds/${guildId}/settings/webhooks`);
    await owner.page.getByRole('button', { name: 'Rename webhook Deploys' }).click();
    await owner.page.getByLabel('New name for Deploys').fill('Releases');
    await owner.page.getByRole('button', { name: 'Save' }).click();
    await visible(owner.page.getByRole('cell', { name: 'Releases' }));

    await owner.page.getByRole('button', { name: 'Delete webhook Releases' }).click();
    await owner.page.getByRole('button', { name: 'Delete webhook', exact: true }).click();
    await visible(owner.page.getByText('No webhooks in this channel.'));
    const gone = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: 'x' }) });
    expect(gone.status).toBe(404);
  }, 60_000);
});
