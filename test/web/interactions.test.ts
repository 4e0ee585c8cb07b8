// Slash commands and interactions in the browser: a person types `/`, picks a bot's command, fills its options
// and sends; a bot on the v1 gateway (driven from here) answers through the callback route with a message, an
// ephemeral message, a deferred answer, a button, a modal, autocomplete choices, or not at all. A command's file
// option is a file input: the file goes with the command (multipart) and the person sees the files of the answer.
import { afterAll, describe, expect, it } from 'bun:test';
import type { Page } from 'playwright-core';
import { connectAs, type Frame, type GatewayClient } from '../support/gateway-client.ts';
import { png } from '../support/images.ts';
import {
  composer,
  createServerInPage,
  hidden,
  logInInPage,
  message,
  openPage,
  registerInPage,
  screenshot,
  sessionToken,
  unnamedControls,
  until,
  visible,
} from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();
let botSocket: GatewayClient | undefined;
afterAll(() => botSocket?.close());

const seen = new Set<string>();
/** The next INTERACTION_CREATE the bot has not handled yet. */
async function nextInteraction(socket: GatewayClient): Promise<Frame['d']> {
  const { d } = await socket.waitFor((f) => f.t === 'INTERACTION_CREATE' && !seen.has(f.d.id), 10_000);
  seen.add(d.id);
  return d;
}

async function answer(interaction: { id: string; token: string }, body: unknown): Promise<void> {
  const res = await server.api('POST', `/api/v1/interactions/${interaction.id}/${interaction.token}/callback`, { body });
  expect(res.status).toBe(200);
}

/** Types `/name`, picks the command from the picker and waits for its options form. */
async function pick(page: Page, name: string): Promise<void> {
  await composer(page).fill(`/${name.slice(0, 2)}`);
  await page
    .getByRole('list', { name: 'Commands' })
    .getByRole('button', { name: new RegExp(`^/${name}:`) })
    .click();
  await visible(page.getByRole('form', { name: `Options for /${name}` }));
}

async function runEcho(page: Page, text: string): Promise<void> {
  await pick(page, 'echo');
  await page.getByRole('textbox', { name: 'text' }).fill(text);
  await page.getByRole('button', { name: 'Send /echo' }).click();
}

describe('slash commands in the browser', () => {
  it('runs a command and shows every kind of answer', async () => {
    const { page, errors } = await openPage(browser);
    await registerInPage(page, server, 'ada');
    const token = await sessionToken(page);
    const { guildId, channelId } = await createServerInPage(page, 'Bot Lab');
    const made = await server.api('POST', '/api/v1/admin/bots', { token, body: { username: 'EchoBot' } });
    const bot = { id: made.body.bot.id as string, token: made.body.token as string };
    await server.api('PUT', `/api/v1/guilds/${guildId}/bots/${bot.id}`, { token, body: { permissions: ['read_messages', 'send_messages'] } });
    const register = (body: unknown) =>
      server.api('POST', `/api/v1/applications/${bot.id}/guilds/${guildId}/commands`, { token: bot.token, scheme: 'Bot', body });
    expect(
      (await register({ name: 'echo', description: 'Say it back', options: [{ type: 3, name: 'text', description: 'What to say', required: true }] })).status,
    ).toBe(201);
    expect(
      (
        await register({
          name: 'fruit',
          description: 'Pick a fruit',
          options: [
            { type: 3, name: 'kind', description: 'Which fruit', required: true, autocomplete: true },
            { type: 4, name: 'count', description: 'How many', min_value: 1, max_value: 5 },
          ],
        })
      ).status,
    ).toBe(201);
    botSocket = await connectAs(server, bot.token);

    // The picker: only commands, filtered as you type, each with its bot; every control named.
    await composer(page).fill('/');
    const list = await visible(page.getByRole('list', { name: 'Commands' }));
    await until(
      'both commands',
      () => list.getByRole('button').allTextContents(),
      (names) => names.length === 2,
    );
    expect(await list.getByRole('button').allTextContents()).toEqual(['/echoSay it backEchoBot', '/fruitPick a fruitEchoBot']);
    // Each entry shows its bot's avatar (the default one: this bot has no picture).
    expect(await list.locator('img').evaluateAll((imgs) => imgs.map((i) => new URL((i as HTMLImageElement).src).pathname))).toEqual([
      expect.stringMatching(/^\/embed\/avatars\/[0-5]\.png$/),
      expect.stringMatching(/^\/embed\/avatars\/[0-5]\.png$/),
    ]);
    await composer(page).fill('/fr');
    await until(
      'the filtered list',
      () => list.getByRole('button').count(),
      (n) => n === 1,
    );
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, 'command-picker');

    // A message answer: pending, then the answer with "ada used /echo" above it.
    await composer(page).fill('/');
    await pick(page, 'echo');
    await page.getByRole('textbox', { name: 'text' }).fill('hello there');
    await page.getByRole('textbox', { name: 'text' }).press('Enter');
    await visible(page.getByRole('status').filter({ hasText: 'Sending /echo…' }));
    const first = await nextInteraction(botSocket);
    expect([first.type, first.data.name, first.data.options]).toEqual([2, 'echo', [{ name: 'text', type: 3, value: 'hello there' }]]);
    await answer(first, { type: 4, data: { content: 'You said: hello there' } });
    const said = await visible(message(page, 'You said: hello there'));
    expect(await said.locator('.interaction-header').textContent()).toBe('ada used /echo');
    await hidden(page.getByText('Sending /echo…'));

    // An ephemeral answer: only-you line; Dismiss removes it.
    await runEcho(page, 'psst');
    const again = { type: 1, components: [{ type: 2, style: 2, label: 'Again', custom_id: 'again' }] };
    await answer(await nextInteraction(botSocket), { type: 4, data: { content: 'only you', flags: 64, components: [again] } });
    // Its button works too, and the update reaches only this person.
    await (await visible(message(page, 'only you'))).getByRole('button', { name: 'Again' }).click();
    const onSecret = await nextInteraction(botSocket);
    expect([onSecret.type, onSecret.data.custom_id]).toEqual([3, 'again']);
    await answer(onSecret, { type: 7, data: { content: 'just for you', components: [] } });
    const secret = await visible(message(page, 'just for you'));
    expect(await secret.locator('.ephemeral-note').textContent()).toBe('Only you can see this · Dismiss');
    await secret.getByRole('button', { name: 'Dismiss' }).click();
    await hidden(message(page, 'just for you'));

    // A deferred answer: "is thinking…", then filled in.
    await runEcho(page, 'slowly');
    const slow = await nextInteraction(botSocket);
    await answer(slow, { type: 5 });
    await visible(page.locator('article.message', { hasText: 'EchoBot is thinking…' }));
    await server.api('PATCH', `/api/v1/webhooks/${bot.id}/${slow.token}/messages/@original`, { body: { content: 'thought about it' } });
    await visible(message(page, 'thought about it'));
    await hidden(page.getByText('EchoBot is thinking…'));

    // A button: spinner while pending, then the update.
    await runEcho(page, 'button please');
    const buttons = {
      type: 1,
      components: [
        { type: 2, style: 1, label: 'Press', custom_id: 'press' },
        { type: 2, style: 5, label: 'Docs', url: 'https://example.com/docs' },
      ],
    };
    await answer(await nextInteraction(botSocket), { type: 4, data: { content: 'Press it', components: [buttons] } });
    const card = await visible(message(page, 'Press it'));
    await card.getByRole('button', { name: 'Press' }).click();
    const click = await nextInteraction(botSocket);
    expect([click.type, click.message_id, click.data.custom_id, click.data.component_type]).toEqual([3, expect.any(String), 'press', 2]);
    await answer(click, { type: 7, data: { content: 'Pressed', components: [buttons] } });
    const pressed = await visible(message(page, 'Pressed'));

    // A link button names where it goes and asks first.
    await pressed.getByRole('link', { name: 'Docs' }).click();
    const leaving = await visible(page.getByRole('dialog', { name: 'Leaving Harmony' }));
    expect(await leaving.locator('.leaving-url').textContent()).toBe('https://example.com/docs');
    await leaving.getByRole('button', { name: 'Cancel' }).click();
    await hidden(page.getByRole('dialog'));

    // No answer within 3 s: the command says "The application did not respond", the button "This interaction failed".
    await runEcho(page, 'ignored');
    await pressed.getByRole('button', { name: 'Press' }).click();
    await nextInteraction(botSocket);
    await nextInteraction(botSocket);
    await visible(page.getByRole('alert').filter({ hasText: '/echo: The application did not respond' }), 10_000);
    await visible(pressed.getByRole('alert').filter({ hasText: 'This interaction failed' }), 10_000);
    await screenshot(page, 'interaction-answers');

    // A modal: a dialog with its inputs; submitting sends type 5 with the values.
    await page.getByRole('alert').filter({ hasText: 'did not respond' }).getByRole('button', { name: 'Dismiss' }).click();
    await runEcho(page, 'ask me');
    await answer(await nextInteraction(botSocket), {
      type: 9,
      data: { custom_id: 'about', title: 'About you', components: [{ type: 1, components: [{ type: 4, custom_id: 'name', label: 'Your name', style: 1 }] }] },
    });
    const dialog = await visible(page.getByRole('dialog', { name: 'About you' }));
    expect(await unnamedControls(page)).toEqual([]);
    await dialog.getByRole('textbox', { name: 'Your name' }).fill('Ada');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    const submitted = await nextInteraction(botSocket);
    expect([submitted.type, submitted.data.custom_id, submitted.data.fields]).toEqual([5, 'about', [{ custom_id: 'name', value: 'Ada' }]]);
    await answer(submitted, { type: 4, data: { content: 'Thanks, Ada' } });
    await visible(message(page, 'Thanks, Ada'));
    await hidden(page.getByRole('dialog'));

    // Autocomplete: suggestions as you type, then the chosen value and a number in range.
    await pick(page, 'fruit');
    expect(
      await page.getByRole('spinbutton', { name: 'count (optional)' }).evaluate((el) => [(el as HTMLInputElement).min, (el as HTMLInputElement).max]),
    ).toEqual(['1', '5']);
    await page.getByRole('textbox', { name: 'kind' }).pressSequentially('ap');
    let asked = await nextInteraction(botSocket);
    while (asked.data.options[0].value !== 'ap') {
      expect(asked.type).toBe(4);
      asked = await nextInteraction(botSocket);
    }
    expect([asked.type, asked.data.options]).toEqual([4, [{ name: 'kind', type: 3, value: 'ap', focused: true }]]);
    await answer(asked, {
      type: 8,
      data: {
        choices: [
          { name: 'Apple', value: 'apple' },
          { name: 'Apricot', value: 'apricot' },
        ],
      },
    });
    const suggestions = await visible(page.getByRole('list', { name: 'Suggestions for kind' }));
    await suggestions.getByRole('button', { name: 'Apricot' }).click();
    await page.getByRole('spinbutton', { name: 'count (optional)' }).fill('3');
    await page.getByRole('button', { name: 'Send /fruit' }).click();
    let ran = await nextInteraction(botSocket);
    while (ran.type === 4) ran = await nextInteraction(botSocket);
    expect([ran.type, ran.data.options]).toEqual([
      2,
      [
        { name: 'kind', type: 3, value: 'apricot' },
        { name: 'count', type: 4, value: 3 },
      ],
    ]);
    await answer(ran, { type: 4, data: { content: '3 apricots' } });
    await visible(message(page, '3 apricots'));

    // Members, roles and channels are chosen from the server's own.
    expect(
      (
        await register({
          name: 'tag',
          description: 'Tag someone',
          options: [
            { type: 6, name: 'who', description: 'Whom', required: true },
            { type: 8, name: 'role', description: 'Which role' },
            { type: 7, name: 'where', description: 'Which channel' },
            { type: 5, name: 'loud', description: 'Shout it' },
          ],
        })
      ).status,
    ).toBe(201);
    // Context-menu commands too (the member list reads them with the channel).
    expect((await register({ name: 'Quote', type: 3 })).status).toBe(201);
    expect((await register({ name: 'Wave', type: 2 })).status).toBe(201);
    expect(
      (
        await register({
          name: 'dice',
          description: 'Dice',
          options: [
            { type: 1, name: 'roll', description: 'Roll one', options: [{ type: 4, name: 'sides', description: 'Sides', required: true }] },
            {
              type: 2,
              name: 'set',
              description: 'Settings',
              options: [{ type: 1, name: 'colour', description: 'Dice colour', options: [{ type: 3, name: 'value', description: 'Colour', required: true }] }],
            },
          ],
        })
      ).status,
    ).toBe(201);
    await page.reload();
    await visible(composer(page));
    await pick(page, 'tag');
    await page.getByRole('combobox', { name: 'who', exact: true }).selectOption({ label: 'ada' });
    await page.getByRole('combobox', { name: 'where (optional)' }).selectOption({ label: '#general' });
    await page.getByRole('combobox', { name: 'loud (optional)' }).selectOption({ label: 'True' });
    // The bot's own role is the server's only role besides @everyone, which is not offered.
    const roles = page.getByRole('combobox', { name: 'role (optional)' });
    expect(await roles.locator('option').allTextContents()).toEqual(['(none)', '@EchoBot']);
    const roleId = await roles.locator('option', { hasText: '@EchoBot' }).getAttribute('value');
    await roles.selectOption({ label: '@EchoBot' });
    await page.getByRole('button', { name: 'Send /tag' }).click();
    const tagged = await nextInteraction(botSocket);
    const me = (await server.api('GET', '/api/v1/users/@me', { token })).body;
    expect([tagged.data.name, tagged.data.options]).toEqual([
      'tag',
      [
        { name: 'who', type: 6, value: me.id },
        { name: 'role', type: 8, value: roleId },
        { name: 'where', type: 7, value: channelId },
        { name: 'loud', type: 5, value: true },
      ],
    ]);
    await answer(tagged, { type: 4, data: { content: 'tagged' } });
    await visible(message(page, 'tagged'));

    // Subcommands are entries of their own, and their values travel inside them.
    await composer(page).fill('/dice');
    expect(
      await page
        .getByRole('list', { name: 'Commands' })
        .getByRole('button')
        .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label'))),
    ).toEqual(['/dice roll: Roll one', '/dice set colour: Dice colour']);
    await pick(page, 'dice roll');
    await page.getByRole('spinbutton', { name: 'sides' }).fill('6');
    await page.getByRole('button', { name: 'Send /dice roll' }).click();
    const rolled = await nextInteraction(botSocket);
    expect([rolled.data.name, rolled.data.options]).toEqual(['dice', [{ name: 'roll', type: 1, options: [{ name: 'sides', type: 4, value: 6 }] }]]);
    await answer(rolled, { type: 4, data: { content: 'rolled a 4' } });
    await visible(message(page, 'rolled a 4'));

    // Context menus: a MESSAGE command from a message's "…" menu, a USER command from a member's Apps menu.
    const apricots = await visible(message(page, 'tagged'));
    const targetId = await apricots.getAttribute('data-message-id');
    await apricots.hover();
    await apricots.getByRole('button', { name: 'Apps for this message' }).click();
    await apricots
      .getByRole('list', { name: 'Apps for this message' })
      .getByRole('button', { name: /^Quote/ })
      .click();
    const quoted = await nextInteraction(botSocket);
    expect([quoted.type, quoted.data.name, quoted.data.command_type, quoted.data.target_id]).toEqual([2, 'Quote', 3, targetId]);
    await answer(quoted, { type: 4, data: { content: 'quoted it' } });
    expect(await (await visible(message(page, 'quoted it'))).locator('.interaction-header').textContent()).toBe('ada used Quote');
    const members = page.getByRole('complementary', { name: 'Members' });
    await members.getByRole('button', { name: 'Apps for ada', exact: true }).click();
    await members.getByRole('list', { name: 'Apps for ada' }).getByRole('button', { name: /^Wave/ }).click();
    const waved = await nextInteraction(botSocket);
    expect([waved.data.name, waved.data.command_type, waved.data.target_id]).toEqual(['Wave', 2, me.id]);
    await answer(waved, { type: 4, data: { content: 'waved back' } });
    await visible(message(page, 'waved back'));
    expect(await unnamedControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();

    // At phone size the picker fits the screen.
    const phone = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await logInInPage(phone.page, server, 'ada', `/app/channels/${guildId}/${channelId}`);
    await composer(phone.page).fill('/');
    const small = await visible(phone.page.getByRole('list', { name: 'Commands' }));
    await visible(small.getByRole('button', { name: /^\/echo:/ }));
    const box = await small.boundingBox();
    expect(box !== null && box.x >= 0 && box.x + box.width <= 390 && box.y >= 0).toBe(true);
    expect(await unnamedControls(phone.page)).toEqual([]);
    await screenshot(phone.page, 'command-picker-phone');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  }, 120_000);

  it('waits for a command to be picked while the composer holds `/` or the start of a command name', async () => {
    // ada, who registered first above, is the instance's admin and may make bots.
    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'ada');
    const token = await sessionToken(page);
    const sendButton = page.getByRole('button', { name: 'Send', exact: true });
    const history = async (channelId: string) =>
      ((await server.api('GET', `/api/v1/channels/${channelId}/messages`, { token })).body as { content: string }[]).map((m) => m.content);

    // A channel without commands: `/` alone is not a message; text that no command matches is one.
    const quiet = await createServerInPage(page, 'Quiet Lab');
    await composer(page).fill('/');
    await visible(page.getByText('No commands match /'));
    expect(await sendButton.isDisabled()).toBe(true);
    await composer(page).press('Enter');
    await composer(page).fill('/shrug hi');
    expect(await sendButton.isEnabled()).toBe(true);
    await composer(page).press('Enter');
    await visible(message(page, '/shrug hi'));
    expect(await history(quiet.channelId)).toEqual(['/shrug hi']);

    // A channel whose bot has /ping, /poll and /roll.
    const { guildId, channelId } = await createServerInPage(page, 'Pick Lab');
    const made = await server.api('POST', '/api/v1/admin/bots', { token, body: { username: 'PickBot' } });
    const bot = { id: made.body.bot.id as string, token: made.body.token as string };
    await server.api('PUT', `/api/v1/guilds/${guildId}/bots/${bot.id}`, { token, body: { permissions: ['read_messages', 'send_messages'] } });
    for (const [name, description] of [
      ['ping', 'Check the bot'],
      ['poll', 'Ask a question'],
      ['roll', 'Roll a die'],
    ]) {
      const registered = await server.api('POST', `/api/v1/applications/${bot.id}/guilds/${guildId}/commands`, {
        token: bot.token,
        scheme: 'Bot',
        body: { name, description, options: [{ type: 3, name: 'text', description: 'Anything' }] },
      });
      expect(registered.status).toBe(201);
    }
    const list = page.getByRole('list', { name: 'Commands' });
    const highlighted = () => list.locator('button[aria-current="true"]').getAttribute('aria-label');

    // `/` alone: the picker lists every command with the first highlighted, and Send waits for a pick.
    await composer(page).fill('/');
    await until(
      'the three commands',
      () => list.getByRole('button').count(),
      (n) => n === 3,
    );
    expect(await highlighted()).toBe('/ping: Check the bot');
    expect(await sendButton.isDisabled()).toBe(true);

    // The start of a name: still choosing; ↓ and ↑ move the highlight (wrapping), Enter picks the highlighted one.
    await composer(page).fill('/p');
    await until(
      'the commands starting with p',
      () => list.getByRole('button').allTextContents(),
      (names) => names.length === 2,
    );
    expect(await sendButton.isDisabled()).toBe(true);
    await composer(page).press('ArrowDown');
    expect(await highlighted()).toBe('/poll: Ask a question');
    await composer(page).press('ArrowDown');
    expect(await highlighted()).toBe('/ping: Check the bot');
    await composer(page).press('ArrowUp');
    expect(await highlighted()).toBe('/poll: Ask a question');
    await screenshot(page, 'command-picker-highlight');
    await composer(page).press('Enter');
    const form = await visible(page.getByRole('form', { name: 'Options for /poll' }));
    await form.getByRole('button', { name: 'Cancel' }).click();
    await hidden(form);

    // Typing again starts from the top of the new list; Enter on `/r` picks /roll.
    await composer(page).fill('/r');
    await until('the highlight', highlighted, (label) => label === '/roll: Roll a die');
    expect(await sendButton.isDisabled()).toBe(true);
    await composer(page).press('Enter');
    await visible(page.getByRole('form', { name: 'Options for /roll' }));

    // Nothing of that was posted as a message.
    expect(await history(channelId)).toEqual([]);
    expect(await unnamedControls(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('sends a file for an ATTACHMENT option and shows the files of the answer', async () => {
    // ada, who registered first above, is the instance's admin and may make bots.
    const { page, errors } = await openPage(browser);
    await logInInPage(page, server, 'ada');
    const token = await sessionToken(page);
    const { guildId } = await createServerInPage(page, 'File Lab');
    const made = await server.api('POST', '/api/v1/admin/bots', { token, body: { username: 'FileBot' } });
    const bot = { id: made.body.bot.id as string, token: made.body.token as string };
    await server.api('PUT', `/api/v1/guilds/${guildId}/bots/${bot.id}`, { token, body: { permissions: ['read_messages', 'send_messages'] } });
    const registered = await server.api('POST', `/api/v1/applications/${bot.id}/guilds/${guildId}/commands`, {
      token: bot.token,
      scheme: 'Bot',
      body: { name: 'share', description: 'Share a file', options: [{ type: 11, name: 'file', description: 'The file', required: true }] },
    });
    expect(registered.status).toBe(201);
    const socket = await connectAs(server, bot.token);
    try {
      await composer(page).fill('/');
      await pick(page, 'share');
      await page.getByLabel('file', { exact: true }).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi from grace') });
      await page.getByRole('button', { name: 'Send /share' }).click();
      const shared = await nextInteraction(socket);
      const [file] = shared.data.attachments;
      expect(shared.data.options).toEqual([{ name: 'file', type: 11, value: file.id }]);
      expect([file.filename, file.size]).toEqual(['notes.txt', 13]);
      expect(await (await fetch(file.url)).text()).toBe('hi from grace');

      // An ephemeral answer with a picture and a text file: shown to grace, the picture inline, the text a download.
      const form = new FormData();
      form.set('payload_json', JSON.stringify({ type: 4, data: { content: 'here you go', flags: 64 } }));
      form.set('files[0]', new Blob([Buffer.from(png(6, 4))]), 'reply.png');
      form.set('files[1]', new Blob(['right back']), 'reply.txt');
      const answered = await fetch(`${server.url}/api/v1/interactions/${shared.id}/${shared.token}/callback`, { method: 'POST', body: form });
      expect(answered.status).toBe(200);
      const reply = await visible(message(page, 'here you go'));
      const picture = reply.locator('img.attachment-image');
      await until(
        'the picture to load',
        () => picture.evaluate((img: HTMLImageElement) => img.naturalWidth),
        (width) => width === 6,
      );
      expect(await reply.locator('a.attachment-file .attachment-file-name').allTextContents()).toEqual(['reply.txt']);
      expect(await reply.locator('.ephemeral-note').textContent()).toBe('Only you can see this · Dismiss');
      expect(await unnamedControls(page)).toEqual([]);
      await screenshot(page, 'command-attachment');
      expect(errors).toEqual([]);
    } finally {
      socket.close();
      await page.context().close();
    }
  }, 60_000);
});
