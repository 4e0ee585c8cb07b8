// Issue 6 item 5: Server Settings in the browser — overview, roles with grouped permissions, a member's
// roles, channel overwrites (felt live by the member), invites, kick and ban.
import { describe, expect, it } from 'bun:test';
import { register } from '../support/test-server.ts';
import {
  createServerInPage,
  hidden,
  logInInPage,
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

describe('Server Settings in the browser', () => {
  it('edits the overview, roles, member roles, channel overwrites and invites, and kicks and bans', async () => {
    const owner = await openPage(browser);
    await registerInPage(owner.page, server, 'olive');
    const token = await sessionToken(owner.page);
    const { guildId, channelId } = await createServerInPage(owner.page, 'Garden');
    const pat = await register(server, 'pat', PASSWORD);
    const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token, body: {} });
    await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: pat.token });
    const member = await openPage(browser);
    await logInInPage(member.page, server, 'pat', `/app/channels/${guildId}/${channelId}`);
    await visible(member.page.getByRole('textbox', { name: 'Message #general' }));

    await owner.page.getByRole('link', { name: 'Server settings' }).click();

    // Overview: rename.
    await owner.page.getByLabel('Server name').fill('Secret Garden');
    await owner.page.getByRole('button', { name: 'Save changes' }).click();
    await visible(owner.page.getByRole('link', { name: 'Secret Garden' }));

    // Roles: create one and give it manage_messages from the Messages group.
    await owner.page.getByRole('link', { name: 'Roles' }).click();
    await owner.page.getByRole('button', { name: 'Create role' }).click();
    const editor = owner.page.getByRole('form', { name: 'Edit role new role' });
    await visible(editor);
    await editor.getByLabel('Role name').fill('Gardener');
    await editor
      .getByRole('group', { name: 'Messages' })
      .getByRole('checkbox', { name: /^Manage messages/ })
      .check();
    await editor.getByRole('button', { name: 'Save role' }).click();
    await visible(owner.page.getByRole('button', { name: 'Gardener' }));
    const roles = (await server.api('GET', `/api/v1/guilds/${guildId}/roles`, { token })).body as { id: string; name: string; permission_names: string[] }[];
    const gardener = roles.find((r) => r.name === 'Gardener');
    expect(gardener?.permission_names).toEqual(['manage_messages']);

    // Order: a new role lands at the bottom; "Move up" swaps it above Gardener.
    await owner.page.getByRole('button', { name: 'Create role' }).click();
    const second = owner.page.getByRole('form', { name: 'Edit role new role' });
    await second.getByLabel('Role name').fill('Sprout');
    await second.getByRole('button', { name: 'Save role' }).click();
    await visible(owner.page.getByRole('button', { name: 'Sprout', exact: true }));
    const order = async () =>
      ((await server.api('GET', `/api/v1/guilds/${guildId}/roles`, { token })).body as { name: string; position: number }[])
        .sort((a, b) => b.position - a.position)
        .map((r) => r.name);
    expect(await order()).toEqual(['Gardener', 'Sprout', '@everyone']);
    await owner.page.getByRole('button', { name: 'Move Sprout up' }).click();
    await until('Sprout to rank above Gardener', order, (names) => names.join() === 'Sprout,Gardener,@everyone');
    await until(
      'the list to follow',
      () => owner.page.locator('.role-list .select-item').allTextContents(),
      (t) => t.join() === 'Sprout,Gardener,@everyone',
    );

    // Members: give Pat the role.
    await owner.page.getByRole('link', { name: 'Members' }).click();
    const patRow = owner.page.locator('tr', { hasText: 'pat' });
    await patRow.getByRole('button', { name: 'Roles' }).click();
    await owner.page.getByRole('dialog').getByRole('checkbox', { name: 'Gardener' }).check();
    await until(
      'Pat to hold the role',
      async () => (await server.api('GET', `/api/v1/guilds/${guildId}/members/${pat.id}`, { token })).body.roles,
      (r) => r.includes(gardener!.id),
    );
    await owner.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await visible(patRow.getByText('Gardener'));

    // Channel permissions: deny send_messages to @everyone in #general; Pat's composer goes away live.
    await owner.page.getByRole('link', { name: 'Channel permissions' }).click();
    await owner.page.getByLabel('Add an overwrite for').selectOption({ label: '@everyone' });
    await owner.page.getByRole('button', { name: 'Add', exact: true }).click();
    const overwrite = owner.page.getByRole('form', { name: 'Permissions of @everyone in #general' });
    await visible(overwrite);
    await overwrite
      .getByRole('group', { name: /^Send messages send_messages$/ })
      .getByRole('radio', { name: 'Deny' })
      .check();
    await overwrite.getByRole('button', { name: 'Save overwrite' }).click();
    await visible(overwrite.getByText('Saved.'));
    const channel = (await server.api('GET', `/api/v1/channels/${channelId}`, { token })).body;
    expect(channel.permission_overwrites).toEqual([{ id: guildId, type: 0, allow: '0', deny: String(1 << 11) }]);
    await visible(member.page.getByText('You do not have permission to send messages in #general.'));
    await screenshot(owner.page, 'server-settings-overwrites');
    expect(await unnamedControls(owner.page)).toEqual([]);

    // Invites: the one made above is listed; revoke it.
    await owner.page.getByRole('link', { name: 'Invites' }).click();
    const inviteRow = owner.page.locator('tr', { hasText: invite.body.code });
    await visible(inviteRow);
    await inviteRow.getByRole('button', { name: `Revoke invite ${invite.body.code}` }).click();
    await hidden(inviteRow);
    expect((await server.api('GET', `/api/v1/invites/${invite.body.code}`, { token })).status).toBe(404);

    // Ban Pat with a reason: Pat is sent home; the ban is listed and can be lifted.
    await owner.page.getByRole('link', { name: 'Members' }).click();
    await owner.page.getByRole('button', { name: 'Ban pat' }).click();
    await owner.page.getByLabel('Reason (optional)').fill('trampled the roses');
    await owner.page.getByRole('dialog').getByRole('button', { name: 'Ban' }).click();
    await visible(owner.page.locator('.plain-list', { hasText: 'trampled the roses' }));
    await visible(member.page.getByText('You are no longer a member of Secret Garden.'));
    expect(new URL(member.page.url()).pathname).toBe('/app');
    await screenshot(owner.page, 'server-settings-members');
    expect(await unnamedControls(owner.page)).toEqual([]);
    await owner.page.getByRole('button', { name: 'Lift ban' }).click();
    await hidden(owner.page.getByRole('button', { name: 'Lift ban' }));
    expect((await server.api('GET', `/api/v1/guilds/${guildId}/bans`, { token })).body).toEqual([]);
    expect(owner.errors).toEqual([]);
    expect(member.errors).toEqual([]);
  }, 60_000);
});
