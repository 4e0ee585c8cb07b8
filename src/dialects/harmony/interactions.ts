// Interactions in the v1 shape: what a HarmonyClient bot receives (with its token) and answers through the same
// callback and follow-up routes as a Discord bot, what the person's sessions hear, and the picker's index.
import type { AttachmentView } from '../../domain/attachments.ts';
import type { Interaction, InteractionData, InvokedOption, Modal } from '../../domain/interactions/interaction-model.ts';
import type { User } from '../../domain/users.ts';
import * as wire from './serializers.ts';

const iso = (ms: number) => new Date(ms).toISOString();

function option(o: InvokedOption): Record<string, unknown> {
  return o.options !== null
    ? { name: o.name, type: o.type, options: o.options.map(option) }
    : { name: o.name, type: o.type, value: o.value, ...(o.focused ? { focused: true } : {}) };
}

/** `files`: the files the interaction holds (ATTACHMENT options' uploads), with signed links. */
function data(d: InteractionData, files: readonly AttachmentView[]) {
  switch (d.kind) {
    case 'command':
      return {
        kind: 'command',
        command_id: d.commandId,
        name: d.name,
        command_type: d.commandType,
        command_guild_id: d.commandGuildId,
        options: d.options.map(option),
        resolved: d.resolved,
        target_id: d.targetId,
        // The files resolved.attachments names (an ATTACHMENT option's value is one's id).
        attachments: files.filter((f) => d.resolved.attachments.includes(f.id)).map(wire.attachment),
      };
    case 'component':
      return { kind: 'component', custom_id: d.customId, component_type: d.componentType, values: d.values, resolved: d.resolved };
    case 'modal':
      return { kind: 'modal', custom_id: d.customId, fields: d.inputs.map((i) => ({ custom_id: i.customId, value: i.value })) };
  }
}

/** INTERACTION_CREATE for the application: everything, and the token it answers with. */
export function interaction(i: Interaction, token: string, invoker: User, files: readonly AttachmentView[] = []) {
  return {
    id: i.id,
    application_id: i.applicationId,
    type: i.type,
    token,
    guild_id: i.guildId,
    channel_id: i.channelId,
    message_id: i.messageId,
    user: wire.user(invoker),
    data: data(i.data, files),
    app_permissions: i.appPermissions,
    member_permissions: i.memberPermissions,
    created_at: iso(i.createdAt),
    answer_by: iso(i.answerBy),
    expires_at: iso(i.expiresAt),
  };
}

/** INTERACTION_MODAL_CREATE for the person's client. */
export function modal(i: Interaction, m: Modal) {
  return {
    id: i.id,
    nonce: i.nonce,
    channel_id: i.channelId,
    application_id: i.applicationId,
    custom_id: m.customId,
    title: m.title,
    inputs: m.inputs.map((x) => ({
      custom_id: x.customId,
      style: x.style,
      label: x.label,
      description: x.description,
      placeholder: x.placeholder,
      value: x.value,
      required: x.required,
      min_length: x.minLength,
      max_length: x.maxLength,
    })),
  };
}
