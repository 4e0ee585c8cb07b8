// Checks one invocation before it becomes an interaction: the command and its options (or the component clicked,
// or the modal submitted) against what is stored, and whether the person may run it here. Each method answers the
// domain data the application will see, or throws the error Discord gives.
import { ApplicationCommandType, RESTJSONErrorCodes as Codes, ComponentType, InteractionType } from 'discord-api-types/v10';
import { ApiError, FormErrors, invalidField, missingPermissions, unknown } from '../../http/api-error.ts';
import type { Upload } from '../attachments.ts';
import type { Channel } from '../channels.ts';
import type { Clock } from '../clock.ts';
import type { ApplicationCommand } from '../commands/command-model.ts';
import { findComponent } from '../components.ts';
import type { Message } from '../messages.ts';
import { has, Permission } from '../permissions.ts';
import type { ApplicationCommandsRepo } from '../ports/index.ts';
import type { User } from '../users.ts';
import { checkOptions, type OptionWorld } from './command-options.ts';
import { type CommandData, emptyResolved, type Interaction, type ResolvedIds } from './interaction-model.ts';
import type { InvocationFiles } from './invocation-files.ts';
import { checkSubmit } from './modals.ts';

/** What the service reads about the world around an interaction. */
export type InteractionWorld = {
  user(userId: string): Promise<User | null>;
  isMember(guildId: string, userId: string): Promise<boolean>;
  roleExists(guildId: string, roleId: string): Promise<boolean>;
  channel(channelId: string): Promise<Channel | null>;
  message(messageId: string): Promise<Message | null>;
};

/** The person's request, in Discord's user-client shape once the route has read the envelope. */
export type Invocation = {
  type: number;
  applicationId: string;
  guildId: string | null;
  channelId: string;
  messageId: string | null;
  sessionId: string | null;
  nonce: string | null;
  data: unknown;
  /** The files of a multipart invocation (`files[n]`), which ATTACHMENT options name through `data.attachments`. */
  uploads?: readonly Upload[];
};

/** The interaction records an invocation looks into: a modal's parent, the person's ephemeral messages. */
export type InteractionRecords = {
  byId(id: string): Promise<{ interaction: Interaction } | null>;
  liveOf(userId: string, now: number): Promise<Interaction[]>;
};

export const unknownInteraction = () => new ApiError(404, Codes.UnknownInteraction, 'Unknown interaction');

export class InvocationCheck {
  constructor(
    private readonly commands: ApplicationCommandsRepo,
    private readonly world: InteractionWorld,
    private readonly records: InteractionRecords,
    private readonly clock: Clock,
  ) {}

  /** `files` are the invocation's uploads, which ATTACHMENT options may name. */
  async commandData(appId: string, channel: Channel, permissions: bigint, input: Invocation, files: InvocationFiles | null = null): Promise<CommandData> {
    const errors = new FormErrors();
    const raw = typeof input.data === 'object' && input.data !== null && !Array.isArray(input.data) ? (input.data as Record<string, unknown>) : null;
    if (!raw) throw invalidField('data', 'BASE_TYPE_REQUIRED', 'This field is required');
    const commandId = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : null;
    if (commandId === null || !/^\d{1,20}$/.test(commandId)) throw invalidField('data', 'BASE_TYPE_REQUIRED', 'data.id must name a command');
    const command =
      (await this.commands.byId(appId, null, commandId)) ?? (channel.guildId !== null ? await this.commands.byId(appId, channel.guildId, commandId) : null);
    if (!command) throw new ApiError(404, Codes.UnknownApplicationCommand, 'Unknown application command');
    if (raw.name !== undefined && raw.name !== command.name)
      errors.add(['data', 'name'], 'APPLICATION_COMMAND_NAME_INVALID', 'Name does not match the command');
    if (raw.type !== undefined && raw.type !== command.type)
      errors.add(['data', 'type'], 'APPLICATION_COMMAND_TYPE_INVALID', 'Type does not match the command');
    this.requireUsable(command, channel, permissions);

    const autocomplete = input.type === InteractionType.ApplicationCommandAutocomplete;
    if (autocomplete && command.type !== ApplicationCommandType.ChatInput) errors.add(['type'], 'BASE_TYPE_CHOICES', 'Only slash commands autocomplete');
    let targetId: string | null = null;
    let resolved: ResolvedIds = emptyResolved();
    let options: CommandData['options'] = [];
    if (command.type === ApplicationCommandType.ChatInput) {
      const world = { ...this.optionWorld(channel), attachment: (value: string) => files?.resolve(value) ?? null };
      const checked = await checkOptions(command.options, raw.options, world, errors, autocomplete);
      options = checked.options;
      resolved = checked.resolved;
    } else {
      targetId = typeof raw.target_id === 'string' || typeof raw.target_id === 'number' ? String(raw.target_id) : null;
      if (command.type === ApplicationCommandType.User) {
        if (targetId === null || !(await this.optionWorld(channel).userExists(targetId)))
          errors.add(['data', 'target_id'], 'APPLICATION_COMMAND_TARGET_INVALID', 'Unknown user');
        else resolved.users.push(targetId);
      } else {
        const target = targetId === null ? null : await this.world.message(targetId);
        if (!target || target.channelId !== channel.id) errors.add(['data', 'target_id'], 'APPLICATION_COMMAND_TARGET_INVALID', 'Unknown message');
        else resolved.messages.push(target.id);
      }
    }
    errors.throwIfAny();
    return {
      kind: 'command',
      commandId: command.id,
      name: command.name,
      commandType: command.type,
      commandGuildId: command.guildId,
      options,
      resolved,
      targetId,
    };
  }

  /** Whether a command may run here: its contexts, DM permission, and default_member_permissions. */
  private requireUsable(command: ApplicationCommand, channel: Channel, permissions: bigint): void {
    if (channel.guildId === null) {
      const allowed = command.guildId === null && command.dmPermission && (command.contexts === null || command.contexts.includes(1));
      if (!allowed) throw new ApiError(403, Codes.MissingAccess, 'Missing Access: this command cannot be used in direct messages');
      return;
    }
    if (command.contexts !== null && !command.contexts.includes(0))
      throw new ApiError(403, Codes.MissingAccess, 'Missing Access: this command cannot be used in guilds');
    if (!mayUse(command, permissions)) throw missingPermissions();
  }

  private optionWorld(channel: Channel): OptionWorld {
    const guildId = channel.guildId;
    return {
      userExists: async (id) => {
        const u = await this.world.user(id);
        if (!u || u.deleted) return false;
        return guildId === null ? channel.recipientIds.includes(id) : await this.world.isMember(guildId, id);
      },
      roleExists: async (id) => guildId !== null && (await this.world.roleExists(guildId, id)),
      channelType: async (id) => {
        const c = await this.world.channel(id);
        if (!c) return null;
        if (guildId === null) return c.id === channel.id ? c.type : null;
        return c.guildId === guildId ? c.type : null;
      },
      attachment: () => null,
    };
  }

  async componentData(appId: string, userId: string, channel: Channel, input: Invocation) {
    const raw = typeof input.data === 'object' && input.data !== null && !Array.isArray(input.data) ? (input.data as Record<string, unknown>) : null;
    if (!raw) throw invalidField('data', 'BASE_TYPE_REQUIRED', 'This field is required');
    if (input.messageId === null) throw invalidField('message_id', 'BASE_TYPE_REQUIRED', 'This field is required');
    const { message, ephemeral } = await this.findMessage(input.messageId, userId);
    if (message.channelId !== channel.id || message.authorId !== appId) throw unknown.message();
    const customId = typeof raw.custom_id === 'string' ? raw.custom_id : '';
    const component = findComponent(message.components, customId);
    if (!component) throw invalidField('data.custom_id', 'COMPONENT_UNKNOWN', 'No such component on this message');
    const type = COMPONENT_TYPES[component.kind];
    if (raw.component_type !== type) throw invalidField('data.component_type', 'COMPONENT_TYPE_INVALID', `Component type must be ${type}`);
    if (component.disabled) throw invalidField('data.custom_id', 'COMPONENT_DISABLED', 'This component is disabled');
    const resolved = emptyResolved();
    let values: string[] | null = null;
    if (component.kind !== 'button') {
      const errors = new FormErrors();
      const given = Array.isArray(raw.values) ? raw.values : null;
      if (!given || given.some((v) => typeof v !== 'string')) {
        errors.add(['data', 'values'], 'LIST_TYPE_CONVERT', 'A list of strings is required');
      } else if (given.length < component.minValues || given.length > component.maxValues || new Set(given).size !== given.length) {
        errors.add(['data', 'values'], 'BASE_TYPE_BAD_LENGTH', `Must be between ${component.minValues} and ${component.maxValues} distinct values.`);
      } else {
        values = given as string[];
        const world = this.optionWorld(channel);
        for (const [i, value] of values.entries()) {
          const at = ['data', 'values', i];
          if (component.kind === 'stringSelect') {
            if (!component.options.some((o) => o.value === value)) errors.add(at, 'SELECT_OPTION_INVALID', 'Not an option of this select menu');
          } else if ((component.kind === 'userSelect' || component.kind === 'mentionableSelect') && (await world.userExists(value))) {
            resolved.users.push(value);
          } else if ((component.kind === 'roleSelect' || component.kind === 'mentionableSelect') && (await world.roleExists(value))) {
            resolved.roles.push(value);
          } else if (component.kind === 'channelSelect' && (await world.channelType(value)) !== null) {
            const t = (await world.channelType(value)) as number;
            if (component.channelTypes.length > 0 && !component.channelTypes.includes(t)) errors.add(at, 'SELECT_OPTION_INVALID', 'Channel type not offered');
            else resolved.channels.push(value);
          } else {
            errors.add(at, 'SELECT_OPTION_INVALID', 'Unknown value');
          }
        }
      }
      errors.throwIfAny();
    }
    return { data: { kind: 'component' as const, customId, componentType: type, values, resolved }, message, ephemeral };
  }

  async modalData(appId: string, userId: string, channel: Channel, input: Invocation) {
    const raw = typeof input.data === 'object' && input.data !== null && !Array.isArray(input.data) ? (input.data as Record<string, unknown>) : null;
    if (!raw) throw invalidField('data', 'BASE_TYPE_REQUIRED', 'This field is required');
    const parentId = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : '';
    const parent = /^\d{1,20}$/.test(parentId) ? (await this.records.byId(parentId))?.interaction : null;
    if (!parent?.modal || parent.userId !== userId || parent.applicationId !== appId || parent.channelId !== channel.id || this.clock.now() > parent.expiresAt)
      throw unknownInteraction();
    if (raw.custom_id !== parent.modal.customId) throw invalidField('data.custom_id', 'COMPONENT_UNKNOWN', 'This is not the modal shown');
    const errors = new FormErrors();
    const inputs = checkSubmit(parent.modal, raw.components, errors);
    errors.throwIfAny();
    return { data: { kind: 'modal' as const, customId: parent.modal.customId, inputs, layout: parent.modal.layout }, parent };
  }

  /** A message a component is on: stored, or one of the person's own ephemeral messages. */
  async findMessage(messageId: string, userId: string): Promise<{ message: Message; ephemeral: boolean }> {
    const stored = await this.world.message(messageId);
    if (stored) return { message: stored, ephemeral: false };
    for (const i of await this.records.liveOf(userId, this.clock.now())) {
      const own = i.ephemeral.find((m) => m.id === messageId);
      if (own) return { message: own, ephemeral: true };
    }
    throw unknown.message();
  }
}

/** default_member_permissions: null lets everyone, "0" only administrators, otherwise every bit is needed. */
export function mayUse(command: ApplicationCommand, permissions: bigint): boolean {
  const needed = command.defaultMemberPermissions;
  if (needed === null) return true;
  if (has(permissions, Permission.Administrator)) return true;
  return needed !== 0n && (permissions & needed) === needed;
}

const COMPONENT_TYPES = {
  button: ComponentType.Button,
  stringSelect: ComponentType.StringSelect,
  userSelect: ComponentType.UserSelect,
  roleSelect: ComponentType.RoleSelect,
  mentionableSelect: ComponentType.MentionableSelect,
  channelSelect: ComponentType.ChannelSelect,
} as const;
