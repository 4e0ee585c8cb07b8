// Application commands on Discord's wire (APIApplicationCommand). Discord returns the full localization
// dictionaries from single-command endpoints and from the list with `with_localizations=true`; otherwise the list
// carries `name_localized` / `description_localized` for the requester's locale only.
import type {
  APIApplicationCommand,
  APIApplicationCommandOption,
  APIApplicationCommandOptionChoice,
  APIGuildApplicationCommandPermissions,
  LocalizationMap,
} from 'discord-api-types/v10';
import type { CommandPermissions } from '../../../domain/commands/application-commands.ts';
import type { ApplicationCommand, CommandChoice, CommandOption, Localizations } from '../../../domain/commands/command-model.ts';

/** `full`: whole dictionaries; otherwise only the text for `locale` (when the requester sent one). */
export type LocalizationView = { full: true } | { full: false; locale: string | null };

const FULL: LocalizationView = { full: true };

/** Adds the localization fields of one name (or description) as the view asks for them. */
function localized(target: Record<string, unknown>, field: 'name' | 'description', map: Localizations | null, view: LocalizationView, always: boolean): void {
  if (view.full) {
    if (always || map) target[`${field}_localizations`] = (map as LocalizationMap | null) ?? null;
  } else if (view.locale && map?.[view.locale] !== undefined) {
    target[`${field}_localized`] = map[view.locale];
  }
}

function choice(c: CommandChoice, view: LocalizationView): APIApplicationCommandOptionChoice {
  const out: Record<string, unknown> = { name: c.name };
  localized(out, 'name', c.nameLocalizations, view, false);
  out.value = c.value;
  return out as unknown as APIApplicationCommandOptionChoice;
}

function option(o: CommandOption, view: LocalizationView): APIApplicationCommandOption {
  const out: Record<string, unknown> = { type: o.type, name: o.name };
  localized(out, 'name', o.nameLocalizations, view, false);
  out.description = o.description;
  localized(out, 'description', o.descriptionLocalizations, view, false);
  if (o.required) out.required = true;
  if (o.choices && o.choices.length > 0) out.choices = o.choices.map((c) => choice(c, view));
  if (o.options) out.options = o.options.map((child) => option(child, view));
  if (o.channelTypes) out.channel_types = o.channelTypes;
  if (o.minValue !== null) out.min_value = o.minValue;
  if (o.maxValue !== null) out.max_value = o.maxValue;
  if (o.minLength !== null) out.min_length = o.minLength;
  if (o.maxLength !== null) out.max_length = o.maxLength;
  if (o.autocomplete) out.autocomplete = true;
  // One object for a union of thirteen option shapes; the fields set above are exactly the ones `o.type` allows.
  return out as unknown as APIApplicationCommandOption;
}

export function applicationCommand(c: ApplicationCommand, view: LocalizationView = FULL): APIApplicationCommand {
  const out: APIApplicationCommand = {
    id: c.id,
    application_id: c.applicationId,
    version: c.version,
    default_member_permissions: c.defaultMemberPermissions === null ? null : c.defaultMemberPermissions.toString(),
    type: c.type,
    name: c.name,
    description: c.description,
  };
  localized(out as unknown as Record<string, unknown>, 'name', c.nameLocalizations, view, true);
  localized(out as unknown as Record<string, unknown>, 'description', c.descriptionLocalizations, view, true);
  if (c.guildId !== null) out.guild_id = c.guildId;
  if (c.options.length > 0) out.options = c.options.map((o) => option(o, view));
  // dm_permission is about DMs with the bot, which only global commands reach.
  if (c.guildId === null) out.dm_permission = c.contexts ? c.contexts.includes(1) : c.dmPermission;
  out.contexts = c.contexts;
  out.integration_types = c.integrationTypes;
  out.nsfw = c.nsfw;
  return out;
}

export function commandPermissions(p: CommandPermissions): APIGuildApplicationCommandPermissions {
  return { id: p.id, application_id: p.applicationId, guild_id: p.guildId, permissions: p.permissions };
}
