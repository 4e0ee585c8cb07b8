// A guild's custom emoji: an uploaded image (checked as avatars are, 256 KiB at most) with a name, optionally
// limited to some roles. Managing them needs MANAGE_GUILD_EXPRESSIONS; every change sends the guild's whole list
// (Discord's GUILD_EMOJIS_UPDATE). A guild holds Discord's base-tier allowance: 50 static and 50 animated.
import { RESTJSONErrorCodes as Codes } from 'discord-api-types/v10';
import type { FileStore } from '../files/file-store.ts';
import { ApiError, FormErrors, invalidField, unknown } from '../http/api-error.ts';
import type { AccessService } from './access.ts';
import { decodeImage, EMOJI_IMAGE_MAX_BYTES, storeImage } from './images.ts';
import type { CustomEmoji } from './model/emoji.ts';
import { Permission } from './permissions.ts';
import type { EmojisRepo, GuildsRepo } from './ports/index.ts';
import type { UnitOfWork } from './ports/unit-of-work.ts';
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
    private readonly emojis: EmojisRepo,
    private readonly guilds: GuildsRepo,
    private readonly access: AccessService,
    private readonly files: FileStore,
    private readonly ids: SnowflakeGenerator,
  ) {}

  /** Any member may list; whether they may see uploaders is `canManage`. */
  async list(guildId: string, userId: string): Promise<{ emojis: CustomEmoji[]; canManage: boolean }> {
    const access = await this.access.guild(guildId, userId);
    return { emojis: await this.emojis.list(guildId), canManage: (access.permissions & Permission.ManageGuildExpressions) !== 0n };
  }

  async get(guildId: string, emojiId: string, userId: string): Promise<{ emoji: CustomEmoji; canManage: boolean }> {
    const { canManage } = await this.list(guildId, userId);
    return { emoji: await this.mustGet(guildId, emojiId), canManage };
  }

  /** For reactions: the emoji with this id in this guild, or null. */
  async inGuild(guildId: string, emojiId: string): Promise<CustomEmoji | null> {
    const emoji = await this.emojis.byId(emojiId);
    return emoji && emoji.guildId === guildId ? emoji : null;
  }

  /** For the CDN: any emoji by id. */
  async find(emojiId: string): Promise<CustomEmoji | null> {
    return await this.emojis.byId(emojiId);
  }

  async guildEmojis(guildId: string): Promise<CustomEmoji[]> {
    return await this.emojis.list(guildId);
  }

  async create(guildId: string, userId: string, input: { name: string; image: string; roles?: readonly string[] }): Promise<CustomEmoji> {
    await this.access.requireGuildPermission(guildId, userId, Permission.ManageGuildExpressions);
    checkName(input.name);
    const roleIds = await this.checkRoles(guildId, input.roles ?? []);
    const upload = decodeImage('image', input.image, EMOJI_IMAGE_MAX_BYTES);
    // Counted before the bytes are written as well as in the transaction, so a full guild stores nothing.
    await this.checkRoom(guildId, upload.info.animated);
    await storeImage(this.files, upload);
    return this.uow.write(async (emit) => {
      await this.checkRoom(guildId, upload.info.animated);
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
      await this.emojis.insert(emoji);
      emit({ type: 'emojis.update', guildId, emojis: await this.emojis.list(guildId) });
      return emoji;
    });
  }

  async update(guildId: string, emojiId: string, userId: string, input: { name?: string; roles?: readonly string[] | null }): Promise<CustomEmoji> {
    await this.access.requireGuildPermission(guildId, userId, Permission.ManageGuildExpressions);
    await this.mustGet(guildId, emojiId);
    if (input.name !== undefined) checkName(input.name);
    const roleIds = input.roles === undefined ? undefined : await this.checkRoles(guildId, input.roles ?? []);
    return this.uow.write(async (emit) => {
      if (input.name !== undefined) await this.emojis.rename(emojiId, input.name);
      if (roleIds !== undefined) await this.emojis.setRoles(emojiId, roleIds);
      emit({ type: 'emojis.update', guildId, emojis: await this.emojis.list(guildId) });
      return this.mustGet(guildId, emojiId);
    });
  }

  async delete(guildId: string, emojiId: string, userId: string): Promise<void> {
    await this.access.requireGuildPermission(guildId, userId, Permission.ManageGuildExpressions);
    await this.mustGet(guildId, emojiId);
    await this.uow.write(async (emit) => {
      await this.emojis.delete(emojiId);
      emit({ type: 'emojis.update', guildId, emojis: await this.emojis.list(guildId) });
    });
  }

  private async checkRoom(guildId: string, animated: boolean): Promise<void> {
    const limit = animated ? EMOJI_LIMIT.animated : EMOJI_LIMIT.static;
    if ((await this.emojis.count(guildId, animated)) >= limit) {
      throw new ApiError(400, Codes.MaximumNumberOfEmojisReached, `Maximum number of ${animated ? 'animated ' : ''}emojis reached (${limit})`);
    }
  }

  private async checkRoles(guildId: string, roles: readonly string[]): Promise<string[]> {
    const problems = new FormErrors();
    for (const [i, roleId] of roles.entries()) {
      if (!(await this.guilds.role(guildId, String(roleId)))) problems.add(['roles', i], 'ROLE_INVALID', `Unknown role ${roleId}`);
    }
    problems.throwIfAny();
    return [...new Set(roles.map(String))];
  }

  private async mustGet(guildId: string, emojiId: string): Promise<CustomEmoji> {
    const emoji = await this.inGuild(guildId, emojiId);
    if (!emoji) throw unknown.emoji();
    return emoji;
  }
}
