// Files in the web app: the composer takes them from its attach button, from a drop and from a paste, lists them
// (each removable) and sends them with the text; a message shows its pictures inline (loaded from their signed
// links) and other files as download links.
import { describe, expect, it } from 'bun:test';
import { png } from '../support/images.ts';
import { register } from '../support/test-server.ts';
import { composer, logInInPage, message, openPage, PASSWORD, screenshot, unnamedControls, until, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('files in the web app', () => {
  it('attaches files by button, drop and paste, sends them, and shows pictures inline and other files as downloads', async () => {
    const alice = await register(server, 'alice', PASSWORD);
    const guild = (await server.api('POST', '/api/v1/guilds', { token: alice.token, body: { name: 'Files' } })).body;
    const channelId: string = guild.channels[0].id;
    const { page, errors } = await openPage(browser);
    // The page is opened by another name than the one the server gives its links (127.0.0.1): the app shows them
    // on its own origin, which is the one a browser elsewhere can reach.
    const byName = { ...server, url: server.url.replace('127.0.0.1', 'localhost') };
    await logInInPage(page, byName, 'alice', `/app/channels/${guild.id}/${channelId}`);
    await visible(composer(page));
    const listed = () => page.locator('.composer-file-name').allTextContents();

    // The attach button opens a file picker.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles([
      { name: 'picture.png', mimeType: 'image/png', buffer: Buffer.from(png(120, 80)) },
      { name: 'wrong.txt', mimeType: 'text/plain', buffer: Buffer.from('not this one') },
    ]);
    await until('the picked files to be listed', listed, (names) => names.length === 2);
    await page.getByRole('button', { name: 'Remove wrong.txt' }).click();
    expect(await listed()).toEqual(['picture.png']);

    // A drop on the composer adds files.
    const dropped = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(['dropped text\n'], 'notes.txt', { type: 'text/plain' }));
      return data;
    });
    await page.locator('form.composer').dispatchEvent('drop', { dataTransfer: dropped });
    // And so does a paste into the text box.
    await composer(page).evaluate((box) => {
      const data = new DataTransfer();
      data.items.add(new File(['<html><script>alert(1)</script></html>'], 'page.html', { type: 'text/html' }));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    expect(await until('three files listed', listed, (names) => names.length === 3)).toEqual(['picture.png', 'notes.txt', 'page.html']);

    await composer(page).fill('three files');
    await composer(page).press('Enter');
    await until('the file list to clear', listed, (names) => names.length === 0);

    const sent = message(page, 'three files');
    const picture = sent.locator('img.attachment-image');
    await visible(picture);
    await until(
      'the picture to load from its signed link',
      () => picture.evaluate((img) => (img as HTMLImageElement).naturalWidth),
      (width) => width === 120,
    );
    expect(await picture.getAttribute('src')).toMatch(
      /^http:\/\/localhost:\d+\/attachments\/\d+\/\d+\/picture\.png\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}$/,
    );
    expect(await picture.getAttribute('alt')).toBe('picture.png');
    const downloads = sent.locator('a.attachment-file');
    expect(await downloads.locator('.attachment-file-name').allTextContents()).toEqual(['notes.txt', 'page.html']);
    expect(await downloads.evaluateAll((links) => links.map((a) => a.getAttribute('download')))).toEqual(['notes.txt', 'page.html']);
    // What the server stored, seen through the API: the pasted HTML is plain text.
    const stored = await server.api('GET', `/api/v1/channels/${channelId}/messages?limit=1`, { token: alice.token });
    expect(stored.body[0].attachments.map((a: { filename: string; content_type: string }) => [a.filename, a.content_type])).toEqual([
      ['picture.png', 'image/png'],
      ['notes.txt', 'text/plain; charset=utf-8'],
      ['page.html', 'text/plain; charset=utf-8'],
    ]);

    // A message that is only a file can be sent too.
    const onlyFile = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    await (await onlyFile).setFiles([{ name: 'alone.txt', mimeType: 'text/plain', buffer: Buffer.from('alone') }]);
    await until('the file to be listed', listed, (names) => names.length === 1);
    await page.getByRole('button', { name: 'Send' }).click();
    await visible(page.locator('a.attachment-file', { hasText: 'alone.txt' }));

    await screenshot(page, 'attachments');
    expect(await unnamedControls(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
