// Who may write to whom in a direct message: Discord's "allow direct messages from server members" privacy
// setting, per user. By default only people (and bots) who share a guild with you can open a DM with you or
// write into one; `everyone` lifts that. The built-in presence bot is exempt both ways: its `.token` and
// `.add` commands are answered in DMs, whoever asks.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import { ApiError } from '../http/api-error.ts';
import type { DmAudience } from './model/user.ts';
import type { GuildsRepo, UsersRepo } from './ports/index.ts';
import type { UnitOfWork } from './ports/unit-of-work.ts';

export type { DmAudience } from './model/user.ts';

export class DmPolicy {
  constructor(
    private readonly users: UsersRepo,
    private readonly guilds: GuildsRepo,
    private readonly uow: Pick<UnitOfWork, 'write'>,
  ) {}

  async audienceOf(userId: string): Promise<DmAudience> {
    return await this.users.allowDmsFrom(userId);
  }

  async setAudience(userId: string, audience: DmAudience): Promise<DmAudience> {
    await this.uow.write(async () => this.users.setAllowDmsFrom(userId, audience));
    return audience;
  }

  /** Throws 403 with code 50007 unless `senderId` may write to `recipientId` now (checked on opening and on every message). */
  async requireAllowed(senderId: string, recipientId: string): Promise<void> {
    if (!(await this.allowed(senderId, recipientId))) throw new ApiError(403, Codes.CannotSendMessagesToThisUser, 'Cannot send messages to this user');
  }

  private async allowed(senderId: string, recipientId: string): Promise<boolean> {
    if ((await this.users.byId(senderId))?.system || (await this.users.byId(recipientId))?.system) return true;
    return (await this.users.allowDmsFrom(recipientId)) === 'everyone' || (await this.guilds.sharesGuild(senderId, recipientId));
  }
}
