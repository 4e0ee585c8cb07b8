// The presence API's settings for a logged-in person (the web app's "share my presence" switch, API token,
// K/V editor and GitHub link), under /api/v1 with the harmony dialect's errors. Session tokens only: bots
// have no presence page.

import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { Elysia, t } from 'elysia';
import type { KvCheck } from '../../../domain/presence/kv-rules.ts';
import type { PresenceDirectory } from '../../../domain/presence/presence-directory.ts';
import { ApiError, invalidField } from '../../../http/api-error.ts';
import type { RouteDeps } from '../../../http/guard.ts';
import { BEARER_ONLY } from '../../../http/schemas.ts';
import { seedGithub } from '../../presence/serializers.ts';
import { apiErrorHandler } from '../index.ts';

const KeyParams = t.Object({ key: t.String({ description: 'A key: 1-255 of a-z, A-Z, 0-9, _ (a leading _ makes it private)' }) });
const KvBody = t.Record(t.String(), t.Unknown(), { description: 'A flat object of string values (checked by the K/V rules, which name what is wrong)' });

/** A broken K/V rule as a field error, named after the rule (`KV_VALUE_TOO_LONG`, ...). */
function kvFailure(check: Extract<KvCheck<unknown>, { ok: false }>, field: string): ApiError {
  return invalidField(field, `KV_${check.rule.toUpperCase()}`, check.error);
}

export function presenceSettingsApi({ core, guard }: RouteDeps) {
  const directory: PresenceDirectory = core.services.presenceDirectory;
  const status = (userId: string) => {
    const s = directory.settings(userId);
    const base = core.config.publicUrl ?? '';
    return {
      shared: s.shared,
      has_token: s.hasToken,
      github: s.github ? seedGithub(s.github) : null,
      guild_id: s.guildId,
      url: `${base}/user/${userId}`,
      bot_id: core.services.systemBot.id,
    };
  };

  return new Elysia({ prefix: '/api/v1', normalize: false, detail: { tags: ['Presence settings'], security: BEARER_ONLY } })
    .onError(({ code, error }) => apiErrorHandler(code, error))
    .use(guard)
    .get('/users/@me/presence', ({ caller }) => status(caller.user.id), {
      auth: 'human',
      detail: {
        summary: 'Your presence API settings',
        description:
          '`{shared, has_token, github, guild_id, url, bot_id}`: whether /user/:id shows you, whether an API token exists, the linked GitHub profile, the presence bot to DM.',
      },
    })
    .put(
      '/users/@me/presence',
      async ({ caller, body }) => {
        await directory.setShared(caller.user.id, body.shared);
        return status(caller.user.id);
      },
      {
        auth: 'human',
        body: t.Object({ shared: t.Boolean({ description: 'true: appear on /user/:id, /v1/users/:id and /socket' }) }, { additionalProperties: false }),
        detail: { summary: 'Share your presence, or stop (the web app switch); K/V and token are kept' },
      },
    )
    .post(
      '/users/@me/presence/token',
      async ({ caller, set }) => {
        // Like the .token command: making a token opts in, since a token is only useful for a shared presence.
        await directory.setShared(caller.user.id, true);
        const token = await directory.issueToken(caller.user.id);
        set.status = 201;
        return { token };
      },
      { auth: 'human', detail: { summary: 'A new presence API token, shown only in this response; the previous one stops working' } },
    )
    .delete(
      '/users/@me/presence/token',
      async ({ caller, set }) => {
        await directory.revokeToken(caller.user.id);
        set.status = 204;
      },
      { auth: 'human', detail: { summary: 'Revoke your presence API token (204 even if there was none)' } },
    )
    .get('/users/@me/presence/kv', ({ caller }) => directory.kv(caller.user.id), {
      auth: 'human',
      detail: { summary: 'All your K/V, private keys included' },
    })
    .put(
      '/users/@me/presence/kv/:key',
      async ({ caller, params, body }) => {
        const result = await directory.setKv(caller.user.id, params.key, body.value);
        if (!result.ok) throw kvFailure(result, result.rule === 'invalid_key' ? 'key' : 'value');
        return directory.kv(caller.user.id);
      },
      {
        auth: 'human',
        params: KeyParams,
        body: t.Object({ value: t.String({ description: 'At most 30 000 characters' }) }, { additionalProperties: false }),
        detail: { summary: 'Set one key; returns all your K/V' },
      },
    )
    .patch(
      '/users/@me/presence/kv',
      async ({ caller, body }) => {
        const result = await directory.mergeKv(caller.user.id, body);
        if (!result.ok) throw kvFailure(result, '_body');
        return directory.kv(caller.user.id);
      },
      { auth: 'human', body: KvBody, detail: { summary: 'Merge several keys, all-or-nothing; returns all your K/V' } },
    )
    .delete(
      '/users/@me/presence/kv/:key',
      async ({ caller, params }) => {
        const result = await directory.deleteKv(caller.user.id, params.key);
        if (!result.ok) throw kvFailure(result, 'key');
        return directory.kv(caller.user.id);
      },
      { auth: 'human', params: KeyParams, detail: { summary: 'Delete one key (no error if it did not exist); returns all your K/V' } },
    )
    .put(
      '/users/@me/presence/github',
      async ({ caller, body }) => {
        const result = await directory.linkGithub(caller.user.id, body.username);
        if (!result.ok) {
          switch (result.reason) {
            case 'invalid_username':
              throw invalidField('username', 'GITHUB_USERNAME_INVALID', 'Not a valid GitHub username');
            case 'not_found':
              throw invalidField('username', 'GITHUB_USER_NOT_FOUND', 'No such GitHub user');
            case 'rate_limited':
              throw new ApiError(503, Codes.GeneralError, 'GitHub is rate limiting this server; try again later');
            default:
              throw new ApiError(502, Codes.GeneralError, 'GitHub could not be reached; try again later');
          }
        }
        return status(caller.user.id);
      },
      {
        auth: 'human',
        body: t.Object({ username: t.String({ maxLength: 64 }) }, { additionalProperties: false }),
        detail: { summary: 'Link a GitHub profile (fetched now, then refreshed in the background)' },
      },
    )
    .delete(
      '/users/@me/presence/github',
      async ({ caller }) => {
        await directory.unlinkGithub(caller.user.id);
        return status(caller.user.id);
      },
      { auth: 'human', detail: { summary: 'Unlink your GitHub profile' } },
    );
}
