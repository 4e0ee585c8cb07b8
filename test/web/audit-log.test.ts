// Server Settings -> Audit log in the browser: the owner sees who kicked whom, with the reason given, and a
// channel rename with its old and new name; a member without view_audit_log has no such tab and the API refuses.
import { describe, expect, it } from 'bun:test';
import { register } from '../support/test-server.ts';
import { logInInPage, openPage, PASSWORD, screenshot, visible } from './support/browser.ts';
import { serverAndBrowser } from './support/server-and-browser.ts';

const { server, browser } = await serverAndBrowser();

describe('the audit log in Server Settings', () => {
  it('lists who did what, when, with the reason, to those with view_audit_log only', async () => {
    const olive = await register(server, 'olive', PASSWORD);
    const pat = await register(server, 'pat', PASSWORD);
    const kim = await register(server, 'kim', PASSWORD);
    const guild = await server.api('POST', '/api/v1/guilds', { token: olive.token, body: { name: 'Logged' } });
    const guildId: string = guild.body.id;
    const channelId: string = guild.body.channels[0].id;
    for (const who of [pat, kim]) {
      const invite = await server.api('POST', `/api/v1/channels/${channelId}/invites`, { token: olive.token, body: {} });
      await server.api('POST', `/api/v1/invites/${invite.body.code}`, { token: who.token });
    }
    const kick = await server.api('DELETE', `/api/v1/guilds/${guildId}/members/${kim.id}`, {
      token: olive.token,
      headers: { 'X-Audit-Log-Reason': encodeURIComponent('<b>spam</b> in #general') },
    });
    expect(kick.status).toBe(204);
    await server.api('PATCH', `/api/v1/channels/${channelId}`, { token: olive.token, body: { name: 'lobby' } });

    const owner = await openPage(browser);
    await logInInPage(owner.page, server, 'olive', `/app/guilds/${guildId}/settings/audit-log`);
    const table = owner.page.getByRole('table', { name: 'Audit log' });
    await visible(table);
    const kickRow = table.getByRole('row').filter({ hasText: 'kicked kim' });
    await visible(kickRow);
    // The reason is text, never markup.
    await visible(kickRow.getByRole('cell', { name: '<b>spam</b> in #general' }));
    expect(await kickRow.locator('b').count()).toBe(0);
    await visible(kickRow.getByRole('cell', { name: 'olive', exact: true }));
    const renameRow = table.getByRole('row').filter({ hasText: 'changed channel #lobby' });
    await visible(renameRow);
    await visible(renameRow.getByText('name: general → lobby'));
    await screenshot(owner.page, 'audit-log-tab');

    const member = await openPage(browser);
    await logInInPage(member.page, server, 'pat', `/app/guilds/${guildId}/settings/overview`);
    await visible(member.page.getByRole('navigation', { name: 'Server settings' }));
    expect(await member.page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    const refused = await server.api('GET', `/api/v1/guilds/${guildId}/audit-log`, { token: pat.token });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 50013 });
  });
});
