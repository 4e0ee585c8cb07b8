// Who may write to whom in a direct message: Discord's "allow direct messages from server members" privacy
// setting, per user. By default only people (and bots) who share a guild with you can open a DM with you or
// write into one; `everyone` lifts that. The built-in presence bot is exempt both ways: its `.token` and
// `.add` commands are answered in DMs, whoever asks.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError } from '../http/api-error.ts';
import type { DmAudience } from './model/user.ts';
import type { GuildsRepo, Immediate, UsersRepo } from './ports/index.ts';

export type { DmAudience } from './model/user.ts';

export class DmPolicy {
  constructor(
    private readonly users: Immediate<UsersRepo>,
    private readonly guilds: Immediate<GuildsRepo>,
  ) {}

  audienceOf(userId: string): DmAudience {
    return this.users.allowDmsFrom(userId);
  }

  setAudience(userId: string, audience: DmAudience): DmAudience {
    this.users.setAllowDmsFrom(userId, audience);
    return audience;
  }

  /** Throws 403 with code 50007 unless `senderId` may write to `recipientId` now (checked on opening and on every message). */
  requireAllowed(senderId: string, recipientId: string): void {
    if (!this.allowed(senderId, recipientId)) throw new ApiError(403, Codes.CannotSendMessagesToThisUser, 'Cannot send messages to this user');
  }

  private allowed(senderId: string, recipientId: string): boolean {
    if (this.users.byId(senderId)?.system || this.users.byId(recipientId)?.system) return true;
    return this.users.allowDmsFrom(recipientId) === 'everyone' || this.guilds.sharesGuild(senderId, recipientId);
  }
}
