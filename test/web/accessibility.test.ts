// Issue 15 item 8: axe-core (WCAG 2 A/AA) finds no serious or critical violation on any screen of the web app,
// walked with two people and a bot on the desktop and on a 390×844 phone: login and register, home with the DM
// list, a DM and a group DM, a channel with markdown, mentions, reactions, an embed, components and attachments,
// the member list and a profile card, the emoji picker, search results, pins, a thread, user settings, every
// server settings tab, channel settings, the invite dialog, the admin panel, the phone's drawers and /docs.
import { describe, expect, it } from 'bun:test';
import type { Page } from 'playwright-core';
import { png } from '../support/images.ts';
import { register } from '../support/test-server.ts';
import { expectAccessible } from './support/axe.ts';
import { hidden, logInInPage, messageContaining, openPage, PASSWORD, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

const call = async (token: string, method: string, path: string, body?: unknown, scheme?: 'Bot') => {
  const res = await server.api(method, `/api/v1${path}`, { token, body, scheme });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

// alice (the instance's admin, owns the server), bob and carol, and a bot that posts cards and files.
const alice = await register(server, 'alice', PASSWORD);
const bob = await register(server, 'bob', PASSWORD);
const carol = await register(server, 'carol', PASSWORD);
const guild = await call(alice.token, 'POST', '/guilds', { name: 'Lighthouse' });
const general: string = guild.channels[0].id;
const invite = await call(alice.token, 'POST', `/channels/${general}/invites`, {});
for (const who of [bob, carol]) await call(who.token, 'POST', `/invites/${invite.code}`);
const role = await call(alice.token, 'POST', `/guilds/${guild.id}/roles`, { name: 'Keepers', color: 0xe91e63, hoist: true, mentionable: true });
await call(alice.token, 'PUT', `/guilds/${guild.id}/members/${bob.id}/roles/${role.id}`);
const created = await call(alice.token, 'POST', '/admin/bots', { username: 'beacon' });
const botToken: string = created.token;
await call(alice.token, 'PUT', `/guilds/${guild.id}/bots/${created.bot.id}`, {
  permissions: ['read_messages', 'send_messages', 'attach_files', 'embed_links'],
});
await call(alice.token, 'POST', `/guilds/${guild.id}/webhooks`, { channel_id: general, name: 'Deploys' }).catch(() => undefined);

await call(bob.token, 'POST', `/channels/${general}/messages`, {
  content: `**bold** _soft_ \`code\` ||secret|| hello <@${alice.id}> and <@&${role.id}> in <#${general}>\n> a quote\n\`\`\`js\nconst x = 1\n\`\`\``,
});
const reacted = await call(alice.token, 'POST', `/channels/${general}/messages`, { content: 'pizza tonight?' });
await call(bob.token, 'PUT', `/channels/${general}/messages/${reacted.id}/reactions/${encodeURIComponent('🍕')}/@me`).catch(() =>
  call(bob.token, 'PUT', `/messages/${reacted.id}/reactions/${encodeURIComponent('🍕')}`),
);
await call(alice.token, 'PUT', `/channels/${general}/pins/${reacted.id}`);
await call(
  botToken,
  'POST',
  `/channels/${general}/messages`,
  {
    content: 'build report',
    embeds: [
      {
        title: 'Build #42',
        url: 'https://example.com/builds/42',
        description: 'All green',
        color: 0x23a559,
        fields: [{ name: 'Duration', value: '3 min', inline: true }],
        footer: { text: 'ci' },
      },
    ],
    components: [
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'Rerun', custom_id: 'rerun' },
          { type: 2, style: 5, label: 'Open log', url: 'https://example.com/log' },
        ],
      },
      { type: 1, components: [{ type: 3, custom_id: 'env', placeholder: 'Environment', options: [{ label: 'Staging', value: 's' }] }] },
    ],
  },
  'Bot',
);
{
  const form = new FormData();
  form.append(
    'payload_json',
    JSON.stringify({
      content: 'the chart',
      attachments: [
        { id: 0, filename: 'chart.png' },
        { id: 1, filename: 'notes.txt' },
      ],
    }),
  );
  form.append('files[0]', new Blob([Buffer.from(png(60, 40))], { type: 'image/png' }), 'chart.png');
  form.append('files[1]', new Blob(['plain notes\n'], { type: 'text/plain' }), 'notes.txt');
  const res = await fetch(`${server.url}/api/v1/channels/${general}/messages`, { method: 'POST', headers: { Authorization: `Bot ${botToken}` }, body: form });
  if (res.status !== 200) throw new Error(`attachment upload: ${res.status} ${await res.text()}`);
}
const starter = await call(alice.token, 'POST', `/channels/${general}/messages`, { content: 'thread starter' });
const thread = await call(alice.token, 'POST', `/channels/${general}/threads`, { name: 'Planning', message_id: starter.id });
await call(bob.token, 'POST', `/channels/${thread.id}/messages`, { content: 'in the thread' });
const dm = await call(bob.token, 'POST', '/users/@me/channels', { recipient_id: alice.id });
await call(bob.token, 'POST', `/channels/${dm.id}/messages`, { content: 'psst, **alice**' });
const group = await call(alice.token, 'POST', '/users/@me/channels', { recipients: [bob.id, carol.id], name: 'Crew' });
await call(carol.token, 'POST', `/channels/${group.id}/messages`, { content: 'hi crew' });

const channelPath = `/app/channels/${guild.id}/${general}`;
const SETTINGS_TABS = ['overview', 'roles', 'channels', 'invites', 'emoji', 'members', 'bots', 'webhooks', 'audit-log'];
const ADMIN_TABS = ['bots', 'users', 'settings'];

/** Checks a screen and keeps going, so one run lists every screen's violations at once. */
function checker(page: Page, viewport: string) {
  const failures: string[] = [];
  const check = async (label: string) => {
    await page.evaluate(() => document.fonts.ready);
    try {
      await expectAccessible(page, `${viewport} ${label}`);
    } catch (error) {
      failures.push((error as Error).message);
      console.error((error as Error).message);
    }
  };
  return { check, failures };
}

/**
 * The system's scheme and the theme chosen in settings: dark (the system's default in these tests), light chosen
 * over a dark system, and "system" resolving to light.
 */
type Theme = { system: 'dark' | 'light'; chosen?: 'light' };

async function walk(viewport: { width: number; height: number } | undefined, name: string, theme: Theme = { system: 'dark' }): Promise<string[]> {
  const phone = viewport !== undefined;
  const { context, page, errors } = await openPage(browser, { viewport, colorScheme: theme.system });
  if (theme.chosen) {
    // As settings saves it: in localStorage for the app, in a cookie for the server's first paint.
    const chosen = theme.chosen;
    await context.addInitScript((value) => localStorage.setItem('harmony.theme', value), chosen);
    await context.addCookies([{ name: 'harmony_theme', value: chosen, url: server.url }]);
  }
  const { check, failures } = checker(page, name);
  const openNav = async () => {
    if (!phone) return;
    await page.getByRole('button', { name: 'Open navigation' }).first().click();
    await visible(page.getByRole('button', { name: 'Close navigation' }));
  };
  const closeNav = async () => {
    if (!phone) return;
    await page.keyboard.press('Escape');
    await hidden(page.locator('.nav-open'));
  };

  await page.goto(server.url);
  await visible(page.getByRole('button', { name: 'Log in' }));
  await check('login');
  await page.getByRole('tab', { name: 'Register' }).click();
  await visible(page.getByRole('button', { name: 'Create account' }));
  await check('register');

  await logInInPage(page, server, 'alice', '/app');
  await visible(page.getByRole('heading', { name: 'Home', level: 1 }));
  await check('home');
  await openNav();
  await visible(page.getByRole('link', { name: /bob/ }).first());
  await check('home, navigation drawer');
  await closeNav();

  await page.goto(`${server.url}/app/dm/${dm.id}`);
  await visible(messageContaining(page, 'psst'));
  await check('DM');
  await page.goto(`${server.url}/app/dm/${group.id}`);
  await visible(messageContaining(page, 'hi crew'));
  await check('group DM');

  await page.goto(server.url + channelPath);
  await visible(messageContaining(page, 'the chart').locator('img.attachment-image'));
  await visible(messageContaining(page, 'build report'));
  await check('channel with messages');
  await openNav();
  await check('channel, navigation drawer');
  await closeNav();

  const members = page.getByRole('complementary', { name: 'Members' });
  if (phone) await page.getByRole('button', { name: 'Members' }).click();
  await visible(members.locator(`[data-user-id="${bob.id}"]`));
  await check(phone ? 'members drawer' : 'member list');
  await members.locator(`[data-user-id="${bob.id}"]`).first().click();
  const profile = page.getByRole('dialog', { name: 'Profile of bob' });
  await visible(profile);
  await check('profile popover');
  await page.keyboard.press('Escape');
  await hidden(profile);
  if (phone && (await members.count())) await page.getByRole('button', { name: 'Close members' }).click();

  const pizza = messageContaining(page, 'pizza tonight?');
  await pizza.hover();
  await pizza.getByRole('button', { name: 'Add reaction' }).click();
  const picker = page.getByRole('dialog', { name: 'Emoji picker' });
  await visible(picker.getByRole('gridcell').first());
  await check('emoji picker');
  await page.keyboard.press('Escape');
  await hidden(picker);

  await page.getByRole('searchbox', { name: 'Search messages' }).fill('pizza');
  await page.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
  await visible(page.getByRole('complementary', { name: 'Search results' }).getByRole('listitem').first());
  await check('search results');
  await page.getByRole('button', { name: 'Close search results' }).click();
  await page.getByRole('button', { name: 'Pinned messages', exact: true }).click();
  await visible(page.getByRole('complementary', { name: 'Pinned messages' }).getByRole('listitem').first());
  await check('pins');
  await page.getByRole('button', { name: 'Close pinned messages' }).click();

  await openNav();
  await page.getByRole('button', { name: 'Thread Planning in #general' }).click();
  const threadPanel = page.getByRole('complementary', { name: 'Thread Planning' });
  await visible(threadPanel.locator('article.message', { hasText: 'in the thread' }));
  await check('thread');
  await threadPanel.getByRole('button', { name: 'Close thread' }).click();

  await openNav();
  await page.getByRole('button', { name: 'Edit channel general' }).click();
  await visible(page.getByRole('dialog', { name: 'Edit #general' }));
  await check('channel settings');
  await page.keyboard.press('Escape');
  await hidden(page.getByRole('dialog'));
  await page.getByRole('button', { name: 'Invite people' }).click();
  const inviteDialog = page.getByRole('dialog', { name: 'Invite people to #general' });
  await visible(inviteDialog);
  await check('invite dialog');
  await page.keyboard.press('Escape');
  await hidden(inviteDialog);
  await closeNav();

  await page.goto(`${server.url}/app/settings`);
  await visible(page.getByRole('heading', { name: 'User settings' }));
  await check('user settings');

  for (const tab of SETTINGS_TABS) {
    await page.goto(`${server.url}/app/guilds/${guild.id}/settings/${tab}`);
    await visible(page.getByRole('heading', { level: 1, name: /^Server Settings — / }));
    await page.waitForLoadState('networkidle');
    await check(`server settings ${tab}`);
  }
  await openNav();
  await visible(page.getByRole('navigation', { name: 'Server settings' }));
  await check('server settings, navigation drawer');
  await closeNav();
  for (const tab of ADMIN_TABS) {
    await page.goto(`${server.url}/app/admin/${tab}`);
    await visible(page.locator('main h1'));
    await page.waitForLoadState('networkidle');
    await check(`admin panel ${tab}`);
  }

  await page.goto(`${server.url}/docs`);
  // Tags start collapsed; one opened shows its operations too.
  await visible(page.locator('#operations-tag-Instance'), 60_000);
  await page.locator('#operations-tag-Instance').click();
  await visible(page.getByText('Liveness and version'));
  await check('API reference');

  expect(errors).toEqual([]);
  await page.context().close();
  return failures;
}

describe('accessibility of every screen (axe-core, WCAG 2 A/AA)', () => {
  it('finds no serious or critical violation on the desktop', async () => {
    expect((await walk(undefined, 'desktop')).join('\n\n')).toBe('');
  }, 400_000);

  it('finds no serious or critical violation on a 390×844 phone', async () => {
    expect((await walk({ width: 390, height: 844 }, 'phone')).join('\n\n')).toBe('');
  }, 400_000);

  it('finds none in the light theme chosen in settings over a dark system, on the desktop', async () => {
    expect((await walk(undefined, 'desktop light', { system: 'dark', chosen: 'light' })).join('\n\n')).toBe('');
  }, 400_000);

  it('finds none with "system" resolving to light, on a 390×844 phone', async () => {
    expect((await walk({ width: 390, height: 844 }, 'phone system-light', { system: 'light' })).join('\n\n')).toBe('');
  }, 400_000);
});
