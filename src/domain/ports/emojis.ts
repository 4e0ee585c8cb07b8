// Custom emoji of guilds.
// A port: the domain declares it, src/store/sqlite (and src/store/postgres) implement it. See ./index.ts.
import type { CustomEmoji } from '../model/emoji.ts';

export interface EmojisRepo {
  list(guildId: string): Promise<CustomEmoji[]>;
  byId(emojiId: string): Promise<CustomEmoji | null>;
  count(guildId: string, animated: boolean): Promise<number>;
  insert(emoji: CustomEmoji): Promise<void>;
  rename(emojiId: string, name: string): Promise<void>;
  setRoles(emojiId: string, roleIds: readonly string[]): Promise<void>;
  delete(emojiId: string): Promise<void>;
}
