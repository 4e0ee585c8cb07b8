// Users in Discord's shape. Harmony has no discriminators (Discord's "0" means "migrated to unique
// usernames"); `avatar` is the uploaded image's hash, which libraries turn into Harmony's /avatars/ CDN path.
import type { APIUser, UserFlags } from 'discord-api-types/v10';
import type { User } from '../../../domain/users.ts';

export function user(u: User): APIUser {
  return {
    id: u.id,
    username: u.username,
    discriminator: '0',
    global_name: u.globalName,
    avatar: u.avatar,
    bot: u.bot,
    ...(u.system ? { system: true } : {}),
    public_flags: 0 as UserFlags,
  };
}

/** The caller's own account (GET/PATCH /users/@me): what Discord adds for the account owner. */
export function currentUser(u: User): APIUser {
  return { ...user(u), mfa_enabled: false, verified: true, flags: 0 as UserFlags, locale: 'en-US', email: null };
}
