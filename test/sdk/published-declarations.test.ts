// The shipped HarmonyClient.d.ts is hand-written; these checks make `bunx tsc --noEmit -p .` fail when it drifts
// from the source, and the runtime test makes sure every name it exports is covered here.
import { describe, expect, it } from 'bun:test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Commands from '../../src/sdk/application-commands.ts';
import type * as Errors from '../../src/sdk/errors.ts';
import type * as Events from '../../src/sdk/events.ts';
import type * as Client from '../../src/sdk/harmony-client.ts';
import type * as Interactions from '../../src/sdk/interactions.ts';
import type * as Published from '../../src/sdk/published-declarations.d.ts';
import type * as Rest from '../../src/sdk/rest.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AllTrue<T extends Record<string, true>> = T;

/** Data types must match both ways. */
export type DataTypesMatch = AllTrue<{
  User: Same<Events.User, Published.User>;
  Message: Same<Events.Message, Published.Message>;
  MessageUpdate: Same<Events.MessageUpdate, Published.MessageUpdate>;
  MessageDelete: Same<Events.MessageDelete, Published.MessageDelete>;
  MemberEvent: Same<Events.MemberEvent, Published.MemberEvent>;
  Member: Same<Events.Member, Published.Member>;
  Channel: Same<Events.Channel, Published.Channel>;
  Guild: Same<Events.Guild, Published.Guild>;
  ReadyGuild: Same<Events.ReadyGuild, Published.ReadyGuild>;
  GuildDelete: Same<Events.GuildDelete, Published.GuildDelete>;
  ReactionCount: Same<Events.ReactionCount, Published.ReactionCount>;
  Attachment: Same<Events.Attachment, Published.Attachment>;
  FileInput: Same<Events.FileInput, Published.FileInput>;
  BlobLike: Same<Events.BlobLike, Published.BlobLike>;
  Embed: Same<Events.Embed, Published.Embed>;
  EmbedInput: Same<Events.EmbedInput, Published.EmbedInput>;
  ComponentEmoji: Same<Events.ComponentEmoji, Published.ComponentEmoji>;
  ButtonComponent: Same<Events.ButtonComponent, Published.ButtonComponent>;
  SelectOption: Same<Events.SelectOption, Published.SelectOption>;
  SelectMenuComponent: Same<Events.SelectMenuComponent, Published.SelectMenuComponent>;
  ActionRow: Same<Events.ActionRow, Published.ActionRow>;
  ComponentInput: Same<Events.ComponentInput, Published.ComponentInput>;
  ActionRowInput: Same<Events.ActionRowInput, Published.ActionRowInput>;
  SendMessageOptions: Same<Client.SendMessageOptions, Published.SendMessageOptions>;
  MessageEdit: Same<Client.MessageEdit, Published.MessageEdit>;
  PermissionOverwrite: Same<Events.PermissionOverwrite, Published.PermissionOverwrite>;
  Reaction: Same<Events.Reaction, Published.Reaction>;
  TypingStart: Same<Events.TypingStart, Published.TypingStart>;
  PresenceStatus: Same<Events.PresenceStatus, Published.PresenceStatus>;
  Activity: Same<Events.Activity, Published.Activity>;
  Presence: Same<Events.Presence, Published.Presence>;
  PresenceData: Same<Events.PresenceData, Published.PresenceData>;
  ReadyData: Same<Events.ReadyData, Published.ReadyData>;
  DispatchPayload: Same<Events.DispatchPayload, Published.DispatchPayload>;
  CloseInfo: Same<Events.CloseInfo, Published.CloseInfo>;
  HarmonyEvents: Same<Events.HarmonyEvents, Published.HarmonyEvents>;
  HarmonyEventName: Same<Events.HarmonyEventName, Published.HarmonyEventName>;
  HarmonyListener: Same<Events.HarmonyListener<'messageCreate'>, Published.HarmonyListener<'messageCreate'>>;
  HttpMethod: Same<Rest.HttpMethod, Published.HttpMethod>;
  HarmonyFieldErrors: Same<Errors.HarmonyFieldErrors, Published.HarmonyFieldErrors>;
  HarmonyClientOptions: Same<Client.HarmonyClientOptions, Published.HarmonyClientOptions>;
  GetMessagesOptions: Same<Client.GetMessagesOptions, Published.GetMessagesOptions>;
  GetGuildMembersOptions: Same<Client.GetGuildMembersOptions, Published.GetGuildMembersOptions>;
  ApplicationCommand: Same<Commands.ApplicationCommand, Published.ApplicationCommand>;
  ApplicationCommandOption: Same<Commands.ApplicationCommandOption, Published.ApplicationCommandOption>;
  ApplicationCommandChoiceInput: Same<Commands.ApplicationCommandChoiceInput, Published.ApplicationCommandChoiceInput>;
  ApplicationCommandOptionInput: Same<Commands.ApplicationCommandOptionInput, Published.ApplicationCommandOptionInput>;
  ApplicationCommandInput: Same<Commands.ApplicationCommandInput, Published.ApplicationCommandInput>;
  CommandScopeOptions: Same<Commands.CommandScopeOptions, Published.CommandScopeOptions>;
  Webhook: Same<Events.Webhook, Published.Webhook>;
  WebhooksUpdate: Same<Events.WebhooksUpdate, Published.WebhooksUpdate>;
  AuditLogEntry: Same<Events.AuditLogEntry, Published.AuditLogEntry>;
  AuditLog: Same<Events.AuditLog, Published.AuditLog>;
  GetAuditLogOptions: Same<Client.GetAuditLogOptions, Published.GetAuditLogOptions>;
  SearchMessagesOptions: Same<Client.SearchMessagesOptions, Published.SearchMessagesOptions>;
  MessageSearchResult: Same<Client.MessageSearchResult, Published.MessageSearchResult>;
  ReadState: Same<Events.ReadState, Published.ReadState>;
  MessageAck: Same<Events.MessageAck, Published.MessageAck>;
  CreateWebhookOptions: Same<Client.CreateWebhookOptions, Published.CreateWebhookOptions>;
  WebhookEdit: Same<Client.WebhookEdit, Published.WebhookEdit>;
  WebhookMessageOptions: Same<Client.WebhookMessageOptions, Published.WebhookMessageOptions>;
  CreateThreadOptions: Same<Client.CreateThreadOptions, Published.CreateThreadOptions>;
  ThreadEdit: Same<Client.ThreadEdit, Published.ThreadEdit>;
  ThreadState: Same<Events.ThreadState, Published.ThreadState>;
  ThreadMember: Same<Events.ThreadMember, Published.ThreadMember>;
  ThreadMembersUpdate: Same<Events.ThreadMembersUpdate, Published.ThreadMembersUpdate>;
  ThreadListSync: Same<Events.ThreadListSync, Published.ThreadListSync>;
  Emoji: Same<Events.Emoji, Published.Emoji>;
  GuildEmojisUpdate: Same<Events.GuildEmojisUpdate, Published.GuildEmojisUpdate>;
  ImageInput: Same<Client.ImageInput, Published.ImageInput>;
  EmojiEdit: Same<Client.EmojiEdit, Published.EmojiEdit>;
  MessageInteraction: Same<Events.MessageInteraction, Published.MessageInteraction>;
  InteractionOption: Same<Interactions.InteractionOption, Published.InteractionOption>;
  InteractionResolved: Same<Interactions.InteractionResolved, Published.InteractionResolved>;
  InteractionData: Same<Interactions.InteractionData, Published.InteractionData>;
  Interaction: Same<Interactions.Interaction, Published.Interaction>;
  InteractionAck: Same<Interactions.InteractionAck, Published.InteractionAck>;
  InteractionMessageInput: Same<Interactions.InteractionMessageInput, Published.InteractionMessageInput>;
  ModalInput: Same<Interactions.ModalInput, Published.ModalInput>;
  InteractionResponse: Same<Interactions.InteractionResponse, Published.InteractionResponse>;
}>;

/**
 * Methods become { params, returns } so that parameter lists are compared as tuples (a function type would
 * accept an extra optional parameter either way); `this`-returning methods come out as the instance type,
 * so both sides map it to one marker.
 */
type Shape<T, Self> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? { params: A; returns: R extends Self ? 'this' : R } : T[K];
};
type ClassMatches<Real, Declared> = Same<Shape<Real, Real>, Shape<Declared, Declared>>;

/** Classes: the same public members with the same types, and the same constructor parameters. */
export type ClassesMatch = AllTrue<{
  HarmonyClient: ClassMatches<Client.HarmonyClient, Published.HarmonyClient>;
  HarmonyClientConstructor: Same<ConstructorParameters<typeof Client.HarmonyClient>, ConstructorParameters<typeof Published.HarmonyClient>>;
  HarmonyApiError: ClassMatches<Errors.HarmonyApiError, Published.HarmonyApiError>;
  HarmonyApiErrorConstructor: Same<ConstructorParameters<typeof Errors.HarmonyApiError>, ConstructorParameters<typeof Published.HarmonyApiError>>;
  HarmonyGatewayError: ClassMatches<Errors.HarmonyGatewayError, Published.HarmonyGatewayError>;
  HarmonyGatewayErrorConstructor: Same<ConstructorParameters<typeof Errors.HarmonyGatewayError>, ConstructorParameters<typeof Published.HarmonyGatewayError>>;
}>;

// The listener types of on/once/off are generic; check them at a concrete event as well.
type OnMessage<C> = C extends { on(event: 'messageCreate', listener: infer L): unknown } ? L : never;
export type ListenersMatch = AllTrue<{
  on: Same<OnMessage<Client.HarmonyClient>, OnMessage<Published.HarmonyClient>>;
}>;

const CHECKED_NAMES = [
  'ApplicationCommand',
  'ApplicationCommandChoiceInput',
  'ApplicationCommandInput',
  'ApplicationCommandOption',
  'ApplicationCommandOptionBase',
  'ApplicationCommandOptionInput',
  'CommandScopeOptions',
  'ActionRow',
  'ActionRowInput',
  'Attachment',
  'BlobLike',
  'FileInput',
  'ButtonComponent',
  'ComponentEmoji',
  'ComponentInput',
  'Embed',
  'EmbedInput',
  'MessageEdit',
  'SelectMenuComponent',
  'SelectOption',
  'SendMessageOptions',
  'Activity',
  'Channel',
  'CloseInfo',
  'DispatchPayload',
  'GetGuildMembersOptions',
  'GetMessagesOptions',
  'Guild',
  'GuildDelete',
  'HarmonyApiError',
  'HarmonyClient',
  'HarmonyClientOptions',
  'HarmonyEventName',
  'HarmonyEvents',
  'HarmonyFieldErrors',
  'HarmonyGatewayError',
  'HarmonyListener',
  'HttpMethod',
  'Member',
  'MemberEvent',
  'Message',
  'MessageDelete',
  'MessageUpdate',
  'PermissionOverwrite',
  'Presence',
  'PresenceData',
  'PresenceStatus',
  'ReadyData',
  'ReadyGuild',
  'Reaction',
  'ReactionCount',
  'TypingStart',
  'User',
  'Webhook',
  'WebhooksUpdate',
  'AuditLogEntry',
  'AuditLog',
  'GetAuditLogOptions',
  'SearchMessagesOptions',
  'MessageSearchResult',
  'ReadState',
  'MessageAck',
  'CreateWebhookOptions',
  'WebhookEdit',
  'WebhookMessageOptions',
  'CreateThreadOptions',
  'ThreadEdit',
  'ThreadState',
  'ThreadMember',
  'ThreadMembersUpdate',
  'ThreadListSync',
  'Emoji',
  'GuildEmojisUpdate',
  'ImageInput',
  'EmojiEdit',
  'MessageInteraction',
  'InteractionOption',
  'InteractionResolved',
  'InteractionData',
  'Interaction',
  'InteractionAck',
  'InteractionMessageInput',
  'ModalInput',
  'InteractionResponse',
];

describe('published-declarations.d.ts (shipped as HarmonyClient.d.ts)', () => {
  it('exports exactly the names the type-level checks above compare against the source', async () => {
    const text = await readFile(join(import.meta.dir, '../../src/sdk/published-declarations.d.ts'), 'utf8');
    const names = [...text.matchAll(/^export (?:declare )?(?:interface|type|class) (\w+)/gm)].map((m) => m[1]);
    expect(names.sort()).toEqual([...CHECKED_NAMES].sort());
  });
});
