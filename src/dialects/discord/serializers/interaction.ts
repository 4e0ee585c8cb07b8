// Interactions in Discord's shape: the INTERACTION_CREATE a bot receives (every field discord.js and discord.py
// read: the channel object, the member with permissions, `resolved`, the token, app_permissions, locales,
// entitlements, integration owners and context), the callback answer of `?with_response=true`, and the picker's
// command index.
import {
  type APIApplicationCommandInteractionDataOption,
  type APIChannel,
  type APIInteractionDataResolved,
  ApplicationIntegrationType,
  ComponentType,
  InteractionContextType,
} from 'discord-api-types/v10';
import type { Core } from '../../../core.ts';
import type { Attachment } from '../../../domain/attachments.ts';
import type { Channel } from '../../../domain/channels.ts';
import type { ApplicationCommand } from '../../../domain/commands/command-model.ts';
import type { Interaction, InvokedOption, ResolvedIds } from '../../../domain/interactions/interaction-model.ts';
import type { CommandIndex } from '../../../domain/interactions/interaction-service.ts';
import type { Message } from '../../../domain/messages.ts';
import type { User } from '../../../domain/users.ts';
import { membersNamed } from '../presenter.ts';
import { applicationCommand } from './application-command.ts';
import { attachment } from './attachment.ts';
import { channel as channelShape } from './channel.ts';
import { memberWithoutUser } from './member.ts';
import { message } from './message.ts';
import { role } from './role.ts';
import { user } from './user.ts';

/** Discord's attachment size limit without boosts (10 MiB); interactions carry it since 2025. */
export const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

const LABEL = 18;

function option(o: InvokedOption): APIApplicationCommandInteractionDataOption {
  if (o.options !== null) return { name: o.name, type: o.type, options: o.options.map(option) } as APIApplicationCommandInteractionDataOption;
  return { name: o.name, type: o.type, value: o.value, ...(o.focused ? { focused: true } : {}) } as APIApplicationCommandInteractionDataOption;
}

export function createInteractionSerializer(core: Core) {
  const { services } = core;
  const stores = core.uow.repos;

  /** A channel as interactions carry it: the whole channel, with the viewer's permissions in it. */
  async function channelFor(c: Channel, viewerId: string, permissions: string): Promise<APIChannel & { permissions: string }> {
    // A DM's participants, read ahead (the shape shows the others, or the viewer alone).
    const participants = c.guildId === null && !c.thread ? await stores.users.byIds(c.recipientIds) : new Map<string, User>();
    const shape: APIChannel = channelShape(c, viewerId, (ids) => ids.flatMap((id) => participants.get(id) ?? []));
    return Object.assign(shape, { permissions });
  }

  /** `files`: the attachments the interaction holds, which ATTACHMENT options name. */
  async function resolved(
    ids: ResolvedIds,
    guildId: string | null,
    viewerId: string,
    here: Channel | null,
    files?: readonly Attachment[],
  ): Promise<APIInteractionDataResolved | undefined> {
    const out: Record<string, Record<string, unknown>> = {};
    const put = (kind: string, id: string, value: unknown) => {
      out[kind] ??= {};
      (out[kind] as Record<string, unknown>)[id] = value;
    };
    const users = await stores.users.byIds(ids.users);
    for (const id of ids.users) {
      const u = users.get(id);
      if (!u) continue;
      put('users', id, user(u));
      const m = guildId ? await stores.guilds.member(guildId, id) : null;
      // A member's `permissions` are theirs in the channel the interaction happened in.
      if (m) put('members', id, { ...memberWithoutUser(m), permissions: (here ? await services.access.permissionsIn(here, id) : 0n).toString() });
    }
    if (ids.roles.length > 0 && guildId) {
      const roles = await stores.guilds.roles(guildId);
      for (const id of ids.roles) {
        const r = roles.find((x) => x.id === id);
        if (r) put('roles', id, role(r));
      }
    }
    for (const id of ids.channels) {
      const c = await stores.channels.byId(id);
      if (c) put('channels', id, await channelFor(c, viewerId, (await services.access.permissionsIn(c, viewerId)).toString()));
    }
    for (const id of ids.messages) {
      const m = await stores.messages.byId(id);
      if (m) put('messages', id, await messageShape(m));
    }
    for (const id of ids.attachments) {
      const a = files?.find((f) => f.id === id);
      if (a) put('attachments', id, attachment({ ...a, url: core.attachmentLinks.url(a) }));
    }
    return Object.keys(out).length > 0 ? (out as APIInteractionDataResolved) : undefined;
  }

  async function messageShape(m: Message) {
    const view = await services.messages.view(m, null);
    return message(view, await membersNamed(stores.guilds, [view]));
  }

  async function data(i: Interaction) {
    const d = i.data;
    const here = await stores.channels.byId(i.channelId);
    switch (d.kind) {
      case 'command': {
        const r = await resolved(d.resolved, i.guildId, i.userId, here, i.files);
        return {
          id: d.commandId,
          name: d.name,
          type: d.commandType,
          ...(d.commandGuildId !== null ? { guild_id: d.commandGuildId } : {}),
          ...(d.options.length > 0 ? { options: d.options.map(option) } : {}),
          ...(r ? { resolved: r } : {}),
          ...(d.targetId !== null ? { target_id: d.targetId } : {}),
        };
      }
      case 'component': {
        const r = await resolved(d.resolved, i.guildId, i.userId, here);
        return { custom_id: d.customId, component_type: d.componentType, ...(d.values !== null ? { values: d.values } : {}), ...(r ? { resolved: r } : {}) };
      }
      case 'modal':
        return {
          custom_id: d.customId,
          components: d.inputs.map((input, n) =>
            d.layout === 'labels'
              ? { type: LABEL, id: n * 2 + 1, component: { type: ComponentType.TextInput, id: n * 2 + 2, custom_id: input.customId, value: input.value } }
              : {
                  type: ComponentType.ActionRow,
                  id: n * 2 + 1,
                  components: [{ type: ComponentType.TextInput, id: n * 2 + 2, custom_id: input.customId, value: input.value }],
                },
          ),
        };
    }
  }

  /** INTERACTION_CREATE as the application receives it (also the body of an HTTP-style delivery). */
  async function interaction(i: Interaction, token: string): Promise<Record<string, unknown>> {
    const invoker = await stores.users.byId(i.userId);
    const c = await stores.channels.byId(i.channelId);
    const m = i.guildId ? await stores.guilds.member(i.guildId, i.userId) : null;
    const guild = i.guildId ? await stores.guilds.guild(i.guildId) : null;
    const stored = i.messageId === null || i.messageEphemeral ? null : await stores.messages.byId(i.messageId);
    const clicked = i.messageId === null ? null : stored ? await messageShape(stored) : await ephemeralMessage(i);
    const channel = c ? await channelFor(c, i.applicationId, i.memberPermissions) : null;
    const invokerUser = invoker ? user(invoker) : { id: i.userId, username: 'Deleted User', discriminator: '0', global_name: null, avatar: null };
    return {
      id: i.id,
      application_id: i.applicationId,
      type: i.type,
      data: await data(i),
      ...(guild ? { guild: { id: guild.id, locale: 'en-US', features: [] }, guild_id: guild.id } : {}),
      // Seen from the application: a DM's recipients are the person.
      ...(channel ? { channel } : {}),
      channel_id: i.channelId,
      ...(m ? { member: { ...memberWithoutUser(m), user: invokerUser, permissions: i.memberPermissions } } : { user: invokerUser }),
      token,
      version: 1,
      ...(clicked ? { message: clicked } : {}),
      app_permissions: i.appPermissions,
      locale: 'en-US',
      ...(guild ? { guild_locale: 'en-US' } : {}),
      entitlements: [],
      authorizing_integration_owners:
        i.guildId !== null ? { [ApplicationIntegrationType.GuildInstall]: i.guildId } : { [ApplicationIntegrationType.UserInstall]: i.userId },
      context: i.guildId !== null ? InteractionContextType.Guild : InteractionContextType.BotDM,
      attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
    };
  }

  /** A component's ephemeral message, from the record of the interaction that made it. */
  async function ephemeralMessage(i: Interaction) {
    for (const record of await stores.interactions.liveOf(i.userId, 0)) {
      const found = record.ephemeral.find((e) => e.id === i.messageId);
      if (found) return await messageShape(found);
    }
    return null;
  }

  /** `?with_response=true`: Discord's InteractionCallbackResponse. */
  async function callbackResponse(i: Interaction, answer: Message | null) {
    const isMessage = answer !== null && (i.responseType === 4 || i.responseType === 5 || i.responseType === 7);
    return {
      interaction: {
        id: i.id,
        type: i.type,
        activity_instance_id: null,
        response_message_id: isMessage ? answer.id : null,
        response_message_loading: isMessage ? answer.interaction?.loading === true : null,
        response_message_ephemeral: isMessage ? answer.interaction?.ephemeral === true : null,
      },
      resource: { type: i.responseType, ...(isMessage ? { message: await messageShape(answer) } : {}) },
    };
  }

  /** The picker's index: applications (as Discord's partial applications) and their commands. */
  function commandIndex(index: CommandIndex, version: string) {
    return {
      applications: index.applications.map((bot) => ({
        id: bot.id,
        name: bot.username,
        icon: null,
        description: bot.description ?? '',
        bot_id: bot.id,
        flags: 0,
      })),
      application_commands: index.commands.map((c: ApplicationCommand) => applicationCommand(c)),
      version,
    };
  }

  return { interaction, callbackResponse, commandIndex, message: messageShape };
}
