// Issue 11 items 6-7 in the browser: the server icon uploaded in Server Settings shows in the server list, custom
// emoji are uploaded and deleted in Server Settings -> Emoji and offered in the reaction picker, and a member's
// uploaded avatar shows beside their messages and in the member list.
import { describe, expect, it } from 'bun:test';
import { dataUri, png } from '../support/images.ts';
import { register } from '../support/test-server.ts';
import {
  createServerInPage,
  message,
  openPage,
  PASSWORD,
  registerInPage,
  screenshot,
  sessionToken,
  unnamedControls,
  until,
  visible,
} from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('avatars, server icons and custom emoji in the browser', () => {
  it('uploads a server icon and an emoji, reacts with it, and shows a member’s avatar in messages and the member list', async () => {
    const { page, errors } = await openPage(browser);
    await registerInPage(page, server, 'iris');
    const token = await sessionToken(page);
    const { guildId, channelId } = await createServerInPage(page, 'Gallery');

    // A member with an uploaded avatar posts a message.
    const ned = await register(server, 'ned', PASSWORD);
    const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token, body: {} });
    await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: ned.token });
    const avatar = (await server.api('PATCH', '/api/v1/users/@me', { token: ned.token, body: { avatar: dataUri(png(16, 16, [0, 150, 0, 255]), 'image/png') } }))
      .body.avatar as string;
    await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: ned.token, body: { content: 'look at my picture' } });
    const posted = message(page, 'look at my picture');
    await visible(posted);
    await until(
      'ned’s avatar beside the message and in the member list',
      () => page.locator(`img[src="${server.url}${avatar}"]`).count(),
      (n) => n >= 2,
    );

    // Server icon: Overview, pick a file, save; the server list shows it.
    await page.getByRole('link', { name: 'Server settings' }).click();
    await page.getByLabel('Server icon image').setInputFiles({ name: 'icon.png', mimeType: 'image/png', buffer: Buffer.from(png(32, 32, [0, 0, 200, 255])) });
    await visible(page.getByAltText('New server icon'));
    await page.getByRole('button', { name: 'Save changes' }).click();
    const icon = await until(
      'the icon to be stored',
      async () => (await server.api('GET', `/api/v1/guilds/${guildId}`, { token })).body.icon as string | null,
      (i) => i !== null,
    );
    expect(icon).toMatch(new RegExp(`^/icons/${guildId}/[0-9a-f]{32}\\.png$`));
    await visible(page.getByRole('navigation', { name: 'Servers' }).locator(`img[src="${server.url}${icon}"]`));

    // Emoji: upload one, see it listed.
    await page.getByRole('link', { name: 'Emoji' }).click();
    await page.getByLabel('Name').fill('gallery_star');
    await page.getByLabel('Emoji image').setInputFiles({ name: 'star.png', mimeType: 'image/png', buffer: Buffer.from(png(24, 24, [250, 200, 0, 255])) });
    await page.getByRole('button', { name: 'Upload emoji' }).click();
    await visible(page.getByText(':gallery_star:'));
    const emoji = (await server.api('GET', `/api/v1/guilds/${guildId}/emojis`, { token })).body[0];
    expect(emoji.name).toBe('gallery_star');
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, 'emoji-settings');

    // The reaction picker offers it; picking it reacts, and the reaction shows the emoji's image.
    await page.getByRole('link', { name: '← Back to the server' }).click();
    await visible(posted);
    await posted.hover();
    await posted.getByRole('button', { name: 'Add reaction' }).click();
    await page.getByRole('button', { name: 'React with :gallery_star:' }).click();
    const reaction = posted.getByRole('button', { name: /^:gallery_star: 1/ });
    await visible(reaction);
    await visible(reaction.locator(`img[src="${server.url}/emojis/${emoji.id}.png"]`));
    const reactions = await server.api('GET', `/api/v1/channels/${channelId}/messages`, { token });
    expect(reactions.body.find((m: { content: string }) => m.content === 'look at my picture').reactions).toEqual([
      { emoji: `gallery_star:${emoji.id}`, count: 1, me: true },
    ]);

    // In message text, <:name:id> shows as the emoji's image, named :name:.
    await server.api('POST', `/api/v1/channels/${channelId}/messages`, { token: ned.token, body: { content: `nice <:gallery_star:${emoji.id}>` } });
    await visible(page.getByRole('article').getByRole('img', { name: ':gallery_star:' }).first());
    await visible(page.locator(`.message-content img[src="${server.url}/emojis/${emoji.id}.png"]`));

    // Deleting it in settings takes it out of the picker (GUILD_EMOJIS_UPDATE keeps the list current).
    await page.getByRole('link', { name: 'Server settings' }).click();
    await page.getByRole('link', { name: 'Emoji' }).click();
    await page.getByRole('button', { name: 'Delete :gallery_star:' }).click();
    await visible(page.getByText('No custom emoji yet.'));
    expect(errors).toEqual([]);
  });
});
