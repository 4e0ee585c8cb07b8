// Application commands on the v1 wire: the TypeBox model (the one contract the OpenAPI document, the response check
// and the SDK's types come from) and the serializer. v1 shows every field of a command and of its options, null
// when unset, and always the full localization dictionaries; requests take Discord's command shape as is.
import { type Static, t } from 'elysia';
import type { ApplicationCommand, CommandOption } from '../../domain/commands/command-model.ts';

// Lengths are in characters (code points) and checked on the way in; TypeBox's maxLength would count UTF-16 units
// and refuse, on the way out, a context menu named with 32 emoji.
const Id = t.String({ description: 'Snowflake id', examples: ['1300000000000000000'] });
const Localizations = t.Nullable(t.Record(t.String(), t.String(), { description: 'Locale (e.g. "fr", "en-US") -> text' }));

export const CommandChoiceModel = t.Object(
  {
    name: t.String({ description: 'Up to 100 characters' }),
    name_localizations: Localizations,
    value: t.Union([t.String({ description: 'Up to 100 characters' }), t.Number()]),
  },
  { title: 'ApplicationCommandChoice' },
);

const optionFields = {
  type: t.Integer({
    minimum: 1,
    maximum: 11,
    description: '1 SUB_COMMAND, 2 SUB_COMMAND_GROUP, 3 STRING, 4 INTEGER, 5 BOOLEAN, 6 USER, 7 CHANNEL, 8 ROLE, 9 MENTIONABLE, 10 NUMBER, 11 ATTACHMENT',
  }),
  name: t.String({ description: '1-32 characters' }),
  name_localizations: Localizations,
  description: t.String({ description: 'Up to 100 characters' }),
  description_localizations: Localizations,
  required: t.Boolean(),
  choices: t.Nullable(t.Array(CommandChoiceModel, { maxItems: 25 })),
  channel_types: t.Nullable(t.Array(t.Integer())),
  min_value: t.Nullable(t.Number()),
  max_value: t.Nullable(t.Number()),
  min_length: t.Nullable(t.Integer()),
  max_length: t.Nullable(t.Integer()),
  autocomplete: t.Boolean(),
};

// The tree is at most three levels deep (a group, its subcommands, their parameters), so it is spelled out level by
// level rather than as a recursive schema, which neither Elysia's types nor every OpenAPI tool follow.
const LeafOptionModel = t.Object({ ...optionFields, options: t.Null() }, { title: 'ApplicationCommandOptionLeaf' });
const MiddleOptionModel = t.Object(
  { ...optionFields, options: t.Nullable(t.Array(LeafOptionModel, { maxItems: 25 })) },
  { title: 'ApplicationCommandOptionNested' },
);
export const CommandOptionModel = t.Object(
  {
    ...optionFields,
    options: t.Nullable(t.Array(MiddleOptionModel, { maxItems: 25, description: 'Subcommands: their parameters; groups: their subcommands' })),
  },
  { title: 'ApplicationCommandOption' },
);

export const ApplicationCommandModel = t.Object(
  {
    id: Id,
    application_id: Id,
    guild_id: t.Nullable(Id),
    version: Id,
    type: t.Union([t.Literal(1), t.Literal(2), t.Literal(3)], { description: '1 CHAT_INPUT (slash), 2 USER, 3 MESSAGE (context menus)' }),
    name: t.String({ description: '1-32 characters' }),
    name_localizations: Localizations,
    description: t.String({ description: 'Up to 100 characters' }),
    description_localizations: Localizations,
    options: t.Array(CommandOptionModel, { maxItems: 25 }),
    default_member_permissions: t.Nullable(t.String({ description: 'Permission bitfield, decimal' })),
    dm_permission: t.Boolean(),
    contexts: t.Nullable(t.Array(t.Integer())),
    integration_types: t.Array(t.Integer()),
    nsfw: t.Boolean(),
  },
  { title: 'ApplicationCommand' },
);

export type ApplicationCommandWire = Static<typeof ApplicationCommandModel>;

function optionWire(o: CommandOption) {
  return {
    type: o.type,
    name: o.name,
    name_localizations: o.nameLocalizations,
    description: o.description,
    description_localizations: o.descriptionLocalizations,
    required: o.required,
    choices: o.choices?.map((c) => ({ name: c.name, name_localizations: c.nameLocalizations, value: c.value })) ?? null,
    channel_types: o.channelTypes,
    min_value: o.minValue,
    max_value: o.maxValue,
    min_length: o.minLength,
    max_length: o.maxLength,
    autocomplete: o.autocomplete,
  };
}

const leaf = (o: CommandOption): Static<typeof LeafOptionModel> => ({ ...optionWire(o), options: null });
const middle = (o: CommandOption): Static<typeof MiddleOptionModel> => ({ ...optionWire(o), options: o.options?.map(leaf) ?? null });
const option = (o: CommandOption): Static<typeof CommandOptionModel> => ({ ...optionWire(o), options: o.options?.map(middle) ?? null });

export function applicationCommand(c: ApplicationCommand): ApplicationCommandWire {
  return {
    id: c.id,
    application_id: c.applicationId,
    guild_id: c.guildId,
    version: c.version,
    type: c.type,
    name: c.name,
    name_localizations: c.nameLocalizations,
    description: c.description,
    description_localizations: c.descriptionLocalizations,
    options: c.options.map(option),
    default_member_permissions: c.defaultMemberPermissions === null ? null : c.defaultMemberPermissions.toString(),
    dm_permission: c.contexts ? c.contexts.includes(1) : c.dmPermission,
    contexts: c.contexts,
    integration_types: c.integrationTypes,
    nsfw: c.nsfw,
  };
}
