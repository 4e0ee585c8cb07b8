// A guild's custom emoji: an uploaded image (checked as avatars are, 256 KiB at most) with a name, optionally
// limited to some roles. Managing them needs MANAGE_GUILD_EXPRESSIONS; every change sends the guild's whole list
// (Discord's GUILD_EMOJIS_UPDATE). A guild holds Discord's base-tier allowance: 50 static and 50 animated.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import type { UnitOfWork } from '../db/unit-of-work.ts';
import type { FileStore } from '../files/file-store.ts';
import { ApiError, FormErrors, invalidField, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import { decodeImage, EMOJI_IMAGE_MAX_BYTES, storeImage } from './images.ts';
import type { CustomEmoji } from './model/emoji.ts';
import { Permission } from './permissions.ts';
import type { EmojisRepo, GuildsRepo, Immediate } from './ports/index.ts';
import type { SnowflakeGenerator } from './snowflake.ts';

export type { CustomEmoji } from './model/emoji.ts';

export const EMOJI_NAME_PATTERN = /^[A-Za-z0-9_]{2,32}$/;
/** Discord's allowance for a guild without boosts, per kind. */
export const EMOJI_LIMIT = { static: 50, animated: 50 } as const;

function checkName(name: string): void {
  if (!EMOJI_NAME_PATTERN.test(name)) {
    throw invalidField('name', 'STRING_TYPE_REGEX', 'Emoji name must be 2-32 characters of letters, digits and _');
  }
}

export class EmojiService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly emojis: Immediate<EmojisRepo>,
    private readonly guilds: Immediate<GuildsRepo>,
    private readonly access: AccessService,
    private readonly files: FileStore,
    private readonly ids: SnowflakeGenerator,
  ) {}

  /** Any member may list; whether they may see uploaders is `canManage`. */
  list(guildId: string, userId: string): { emojis: CustomEmoji[]; canManage: boolean } {
    const access = this.access.guild(guildId, userId);
    return { emojis: this.emojis.list(guildId), canManage: (access.permissions & Permission.ManageGuildExpressions) !== 0n };
  }

  get(guildId: string, emojiId: string, userId: string): { emoji: CustomEmoji; canManage: boolean } {
    const { canManage } = this.list(guildId, userId);
    return { emoji: this.mustGet(guildId, emojiId), canManage };
  }

  /** For reactions: the emoji with this id in this guild, or null. */
  inGuild(guildId: string, emojiId: string): CustomEmoji | null {
    const emoji = this.emojis.byId(emojiId);
    return emoji && emoji.guildId === guildId ? emoji : null;
  }

  /** For the CDN: any emoji by id. */
  find(emojiId: string): CustomEmoji | null {
    return this.emojis.byId(emojiId);
  }

  guildEmojis(guildId: string): CustomEmoji[] {
    return this.emojis.list(guildId);
  }

  async create(guildId: string, userId: string, input: { name: string; image: string; roles?: readonly string[] }): Promise<CustomEmoji> {
    this.access.requireGuildPermission(guildId, userId, Permission.ManageGuildExpressions);
    checkName(input.name);
    const roleIds = this.checkRoles(guildId, input.roles ?? []);
    const upload = decodeImage('image', input.image, EMOJI_IMAGE_MAX_BYTES);
    // Counted before the bytes are written as well as in the transaction, so a full guild stores nothing.
    this.checkRoom(guildId, upload.info.animated);
    await storeImage(this.files, upload);
    return this.uow.write((emit) => {
      this.checkRoom(guildId, upload.info.animated);
      const { id, at } = this.ids.mint();
      const emoji: CustomEmoji = {
        id,
        guildId,
        name: input.name,
        userId,
        animated: upload.info.animated,
        roleIds,
        fileKey: upload.fileKey,
        contentType: upload.info.contentType,
        size: upload.bytes.length,
        createdAt: at,
      };
      this.emojis.insert(emoji);
      emit({ type: 'emojis.update', guildId, emojis: this.emojis.list(guildId) });
      return emoji;
    });
  }

  async update(guildId: string, emojiId: string, userId: string, input: { name?: string; roles?: readonly string[] | null }): Promise<CustomEmoji> {
    this.access.requireGuildPermission(guildId, userId, Permission.ManageGuildExpressions);
    this.mustGet(guildId, emojiId);
    if (input.name !== undefined) checkName(input.name);
    const roleIds = input.roles === undefined ? undefined : this.checkRoles(guildId, input.roles ?? []);
    return this.uow.write((emit) => {
      if (input.name !== undefined) this.emojis.rename(emojiId, input.name);
      if (roleIds !== undefined) this.emojis.setRoles(emojiId, roleIds);
      emit({ type: 'emojis.update', guildId, emojis: this.emojis.list(guildId) });
      return this.mustGet(guildId, emojiId);
    });
  }

  async delete(guildId: string, emojiId: string, userId: string): Promise<void> {
    this.access.requireGuildPermission(guildId, userId, Permission.ManageGuildExpressions);
    this.mustGet(guildId, emojiId);
    this.uow.write((emit) => {
      this.emojis.delete(emojiId);
      emit({ type: 'emojis.update', guildId, emojis: this.emojis.list(guildId) });
    });
  }

  private checkRoom(guildId: string, animated: boolean): void {
    const limit = animated ? EMOJI_LIMIT.animated : EMOJI_LIMIT.static;
    if (this.emojis.count(guildId, animated) >= limit) {
      throw new ApiError(400, Codes.MaximumNumberOfEmojisReached, `Maximum number of ${animated ? 'animated ' : ''}emojis reached (${limit})`);
    }
  }

  private checkRoles(guildId: string, roles: readonly string[]): string[] {
    const problems = new FormErrors();
    roles.forEach((roleId, i) => {
      if (!this.guilds.role(guildId, String(roleId))) problems.add(['roles', i], 'ROLE_INVALID', `Unknown role ${roleId}`);
    });
    problems.throwIfAny();
    return [...new Set(roles.map(String))];
  }

  private mustGet(guildId: string, emojiId: string): CustomEmoji {
    const emoji = this.inGuild(guildId, emojiId);
    if (!emoji) throw unknown.emoji();
    return emoji;
  }
}
