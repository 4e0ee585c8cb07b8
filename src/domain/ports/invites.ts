// Guild invites.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { Invite } from '../model/invite.ts';

export interface InvitesRepo {
  insert(i: Invite): Promise<void>;
  byCode(code: string): Promise<Invite | null>;
  ofGuild(guildId: string): Promise<Invite[]>;
  ofChannel(channelId: string): Promise<Invite[]>;
  use(code: string): Promise<void>;
  delete(code: string): Promise<void>;
}
