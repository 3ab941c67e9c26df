// INTERACTION_CREATE payloads as Discord sends them: slash commands, autocomplete, buttons and
// selects. Option types come from the deployed command when there is one; what a real Discord
// client would refuse to send (unknown command/option, missing required option, a choice
// outside the list, a disabled button) throws here, as a bug in the test.

import { records } from './json.ts';
import { MESSAGE_FLAGS } from './limits.ts';
import { customIdsOf, findComponent, toApiMessage } from './messages.ts';
import { PERMISSIONS_ALL, type FakeState, type InteractionKind, type InteractionRecord } from './state.ts';
import type { Command, CommandOption, FakeMessage, FakeUser, InteractionOptions, JsonObject, OptionValue } from './types.ts';

const INTERACTION_TYPE = { command: 2, component: 3, autocomplete: 4 } as const;
const OPTION_TYPE = { subcommand: 1, group: 2, string: 3, integer: 4, boolean: 5, number: 10 } as const;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

function userJson(user: FakeUser): JsonObject {
  return {
    id: user.id,
    username: user.username,
    global_name: user.global_name ?? null,
    discriminator: user.discriminator ?? '0',
    avatar: user.avatar ?? null,
    public_flags: 0,
    ...(user.bot === true ? { bot: true } : {}),
  };
}

interface Place {
  guildId: string | null;
  channelId: string;
}

function placeFor(state: FakeState, user: FakeUser, opts: InteractionOptions): Place {
  if (opts.dm === true) return { guildId: null, channelId: opts.channelId ?? state.dmChannelFor(user.id) };
  const guildId = opts.guildId ?? state.guilds[0]?.id;
  if (guildId === undefined) throw new Error('fake discord: no guild configured; pass opts.guildId or opts.dm');
  const channelId = opts.channelId ?? state.guild(guildId)?.channels[0]?.id ?? (BigInt(guildId) + 1n).toString();
  return { guildId, channelId };
}

function createRecord(
  state: FakeState,
  kind: InteractionKind,
  user: FakeUser,
  place: Place,
  opts: InteractionOptions,
  data: JsonObject,
  extra: { commandName: string | null; focusedType: number; source: FakeMessage | null },
): InteractionRecord {
  const id = state.ids.next();
  const token = state.newToken();
  const { guildId, channelId } = place;
  const guild = guildId === null ? undefined : state.guild(guildId);
  const channelName = guild?.channels.find((channel) => channel.id === channelId)?.name ?? 'general';
  const payload: JsonObject = {
    id,
    application_id: state.config.applicationId,
    type: INTERACTION_TYPE[kind],
    token,
    version: 1,
    channel_id: channelId,
    app_permissions: PERMISSIONS_ALL,
    locale: opts.locale ?? 'en-US',
    entitlements: [],
    attachment_size_limit: 10_485_760,
    data,
  };
  if (guildId === null) {
    payload['user'] = userJson(user);
    payload['channel'] = { id: channelId, type: 1, flags: 0, last_message_id: null, recipients: [userJson(user)] };
    payload['authorizing_integration_owners'] = { '0': '0' };
    payload['context'] = 1;
  } else {
    payload['guild_id'] = guildId;
    payload['guild'] = { id: guildId, locale: guild?.locale ?? 'en-US', features: [] };
    payload['guild_locale'] = guild?.locale ?? 'en-US';
    payload['channel'] = {
      id: channelId,
      type: 0,
      guild_id: guildId,
      name: channelName,
      position: 0,
      flags: 0,
      parent_id: null,
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      permission_overwrites: [],
      permissions: PERMISSIONS_ALL,
    };
    payload['member'] = {
      user: userJson(user),
      roles: [],
      nick: null,
      avatar: null,
      banner: null,
      premium_since: null,
      joined_at: new Date(state.clock.now() - 86_400_000).toISOString(),
      pending: false,
      deaf: false,
      mute: false,
      flags: 0,
      communication_disabled_until: null,
      permissions: opts.memberPermissions ?? PERMISSIONS_ALL,
    };
    payload['authorizing_integration_owners'] = { '0': guildId };
    payload['context'] = 0;
  }
  if (extra.source !== null) payload['message'] = toApiMessage(extra.source);

  const record: InteractionRecord = {
    id,
    token,
    kind,
    payload,
    createdAt: state.clock.now(),
    guildId,
    channelId,
    user,
    commandName: extra.commandName,
    focusedType: extra.focusedType,
    sourceMessageId: extra.source?.id ?? null,
    callbackType: null,
    originalMessageId: null,
    followUpIds: [],
    requests: [],
    choices: null,
    modal: null,
    settled: false,
    dead: false,
    deliveredTo: [],
  };
  state.interactions.set(id, record);
  state.interactionsByToken.set(token, record);
  return record;
}

function findCommand(state: FakeState, name: string, guildId: string | null): Command | undefined {
  const inGuild = guildId === null ? undefined : state.commands.guilds.get(guildId)?.find((c) => c.type === 1 && c.name === name);
  return inGuild ?? state.commands.global.find((c) => c.type === 1 && c.name === name);
}

function anyCommandsDeployed(state: FakeState): boolean {
  return state.commands.global.length > 0 || [...state.commands.guilds.values()].some((list) => list.length > 0);
}

function inferType(value: OptionValue): number {
  if (typeof value === 'string') return OPTION_TYPE.string;
  if (typeof value === 'boolean') return OPTION_TYPE.boolean;
  return Number.isInteger(value) ? OPTION_TYPE.integer : OPTION_TYPE.number;
}

function checkValue(where: string, definition: CommandOption, value: OptionValue, focused: boolean): void {
  const { type } = definition;
  if (focused) {
    // Discord sends what the user typed so far, as a string, whatever the option type.
    if (![OPTION_TYPE.string, OPTION_TYPE.integer, OPTION_TYPE.number].includes(type as 3 | 4 | 10)) {
      throw new Error(`${where}: option type ${type} cannot be focused`);
    }
    if (definition.autocomplete !== true) throw new Error(`${where}: option has no autocomplete, Discord would not ask`);
    return;
  }
  const ok =
    type === OPTION_TYPE.string ? typeof value === 'string'
    : type === OPTION_TYPE.integer ? typeof value === 'number' && Number.isSafeInteger(value)
    : type === OPTION_TYPE.number ? typeof value === 'number' && Number.isFinite(value)
    : type === OPTION_TYPE.boolean ? typeof value === 'boolean'
    : typeof value === 'string'; // user, channel, role, mentionable, attachment: snowflakes
  if (!ok) throw new Error(`${where}: value ${JSON.stringify(value)} does not fit option type ${type}`);
  if (Array.isArray(definition.choices) && definition.choices.length > 0 && !definition.choices.some((choice) => choice.value === value)) {
    throw new Error(`${where}: ${JSON.stringify(value)} is not one of the choices ${JSON.stringify(definition.choices.map((c) => c.value))}`);
  }
  const min = definition['min_value'];
  const max = definition['max_value'];
  if (typeof value === 'number' && ((typeof min === 'number' && value < min) || (typeof max === 'number' && value > max))) {
    throw new Error(`${where}: ${value} is outside [${String(min)}, ${String(max)}]`);
  }
  const minLength = definition['min_length'];
  const maxLength = definition['max_length'];
  if (typeof value === 'string' && ((typeof minLength === 'number' && value.length < minLength) || (typeof maxLength === 'number' && value.length > maxLength))) {
    throw new Error(`${where}: length ${value.length} is outside [${String(minLength)}, ${String(maxLength)}]`);
  }
}

interface BuiltOptions {
  options: JsonObject[];
  focusedType: number;
  commandId: string | null;
  commandGuildId: string | null;
}

/** Builds `data.options` (with sub-command / group wrappers) for a chat-input interaction. */
function buildOptions(
  state: FakeState,
  name: string,
  sub: string | null,
  values: Record<string, OptionValue>,
  guildId: string | null,
  focused: string | null,
): BuiltOptions {
  const command = findCommand(state, name, guildId);
  if (command === undefined && anyCommandsDeployed(state)) {
    throw new Error(`fake discord: /${name} is not deployed (globally or to guild ${String(guildId)}); Discord cannot send it`);
  }
  const path = sub === null ? [] : sub.trim().split(/\s+/);
  if (path.length > 2) throw new Error(`fake discord: sub "${String(sub)}" has more than group + subcommand`);
  if (focused !== null && !(focused in values)) throw new Error(`fake discord: focused option "${focused}" has no value`);

  let definitions: CommandOption[] | undefined = command?.options ?? [];
  if (command !== undefined) {
    const hasSubs = definitions.some((o) => o.type === OPTION_TYPE.subcommand || o.type === OPTION_TYPE.group);
    if (hasSubs && path.length === 0) throw new Error(`fake discord: /${name} needs a subcommand`);
    if (!hasSubs && path.length > 0) throw new Error(`fake discord: /${name} has no subcommand "${String(sub)}"`);
    for (const [depth, part] of path.entries()) {
      const wanted = depth === 0 && path.length === 2 ? OPTION_TYPE.group : OPTION_TYPE.subcommand;
      const found: CommandOption | undefined = definitions.find((o) => o.name === part && o.type === wanted);
      if (found === undefined) throw new Error(`fake discord: /${name} has no ${wanted === 2 ? 'group' : 'subcommand'} "${part}"`);
      definitions = found.options ?? [];
    }
  }

  let focusedType: number = OPTION_TYPE.string;
  const leaves: JsonObject[] = [];
  for (const [key, value] of Object.entries(values)) {
    const isFocused = key === focused;
    const where = `fake discord: /${name}${sub === null ? '' : ` ${sub}`} option "${key}"`;
    let type = inferType(value);
    if (command !== undefined) {
      const definition = definitions.find((o) => o.name === key);
      if (definition === undefined) throw new Error(`${where} is not declared (declared: ${definitions.map((o) => o.name).join(', ')})`);
      checkValue(where, definition, value, isFocused);
      type = definition.type;
    }
    if (isFocused) {
      focusedType = type;
      leaves.push({ type, name: key, value: String(value), focused: true });
    } else {
      leaves.push({ type, name: key, value });
    }
  }
  if (command !== undefined && focused === null) {
    for (const definition of definitions) {
      if (definition.required === true && !(definition.name in values)) {
        throw new Error(`fake discord: /${name} option "${definition.name}" is required`);
      }
    }
  }

  let options: JsonObject[] = leaves;
  const [first, second] = path;
  if (second !== undefined && first !== undefined) {
    options = [{ type: OPTION_TYPE.group, name: first, options: [{ type: OPTION_TYPE.subcommand, name: second, ...(leaves.length > 0 ? { options: leaves } : {}) }] }];
  } else if (first !== undefined) {
    // like Discord: a subcommand given no options arrives without an `options` key
    options = [{ type: OPTION_TYPE.subcommand, name: first, ...(leaves.length > 0 ? { options: leaves } : {}) }];
  }
  return { options, focusedType, commandId: command?.id ?? null, commandGuildId: command?.guild_id ?? null };
}

export function buildCommandInteraction(
  state: FakeState,
  kind: 'command' | 'autocomplete',
  user: FakeUser,
  name: string,
  sub: string | null,
  values: Record<string, OptionValue>,
  focused: string | null,
  opts: InteractionOptions,
): InteractionRecord {
  const place = placeFor(state, user, opts);
  const built = buildOptions(state, name, sub, values, place.guildId, focused);
  const data: JsonObject = { id: built.commandId ?? state.ids.next(), name, type: 1, options: built.options };
  if (built.commandGuildId !== null) data['guild_id'] = built.commandGuildId;
  return createRecord(state, kind, user, place, opts, data, { commandName: name, focusedType: built.focusedType, source: null });
}

export type ComponentAction = { componentType: 2 } | { componentType: 'select'; values: string[] };

export function buildComponentInteraction(
  state: FakeState,
  messageOrId: FakeMessage | string,
  customId: string,
  action: ComponentAction,
  user: FakeUser,
  opts: InteractionOptions,
): InteractionRecord {
  const id = typeof messageOrId === 'string' ? messageOrId : messageOrId.id;
  const message = state.messages.get(id);
  if (message === undefined) throw new Error(`fake discord: unknown message ${id}`);
  if (message.deleted) throw new Error(`fake discord: message ${id} was deleted`);
  const origin = message.interactionId === null ? undefined : state.interactions.get(message.interactionId);
  if ((message.flags & MESSAGE_FLAGS.ephemeral) !== 0 && origin !== undefined && origin.user.id !== user.id) {
    throw new Error(`fake discord: user ${user.id} cannot see ephemeral message ${id}`);
  }
  const component = findComponent(message.components, customId);
  if (component === undefined) {
    throw new Error(`fake discord: message ${id} has no component "${customId}" (has: ${customIdsOf(message.components).join(', ') || 'none'})`);
  }
  if (component['disabled'] === true) throw new Error(`fake discord: component "${customId}" is disabled`);
  const type = component['type'];
  const data: JsonObject = { custom_id: customId, component_type: type };
  if (action.componentType === 2) {
    if (type !== 2) throw new Error(`fake discord: "${customId}" is not a button (type ${String(type)})`);
    if (component['style'] === 5 || component['style'] === 6) throw new Error(`fake discord: "${customId}" is a link/premium button; clicks never reach the bot`);
  } else {
    if (typeof type !== 'number' || !SELECT_TYPES.has(type)) throw new Error(`fake discord: "${customId}" is not a select menu (type ${String(type)})`);
    const min = typeof component['min_values'] === 'number' ? component['min_values'] : 1;
    const max = typeof component['max_values'] === 'number' ? component['max_values'] : 1;
    if (action.values.length < min || action.values.length > max) {
      throw new Error(`fake discord: select "${customId}" takes ${min}..${max} values, got ${action.values.length}`);
    }
    if (type === 3) {
      const allowed = records(component['options']).map((option) => option['value']);
      for (const value of action.values) {
        if (!allowed.includes(value)) throw new Error(`fake discord: "${value}" is not an option of "${customId}" (${allowed.join(', ')})`);
      }
    }
    data['values'] = action.values;
  }

  const guildId = origin?.guildId ?? state.guildOfChannel(message.channel_id)?.id ?? (opts.dm === true ? null : opts.guildId ?? null);
  const place: Place = { guildId, channelId: message.channel_id };
  return createRecord(state, 'component', user, place, opts, data, { commandName: null, focusedType: 3, source: message });
}
