// The gateway transport: the only place that knows discord.js. Maps its interactions onto the
// plain model; answers go out through discord.js's REST client (restResponder.ts).
import {
  ApplicationCommandOptionType,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type MessageComponentInteraction,
} from 'discord.js';
import type { Logger } from '../log.ts';
import type { Router } from '../interactions/router.ts';
import type { Interaction, OptionValue } from '../interactions/types.ts';
import { restResponder } from './restResponder.ts';

export interface GatewayOptions {
  token: string;
  router: Router;
  logger: Logger;
  restApi?: string | undefined;
  shards?: number[] | 'auto' | undefined;
  shardCount?: number | undefined;
}

function options(data: readonly CommandInteractionOption[]): { subcommand: string | null; options: Record<string, OptionValue> } {
  // Discord leaves `options` out of a subcommand given no options: go by the option's type
  let subcommand: string | null = null;
  let list = data;
  for (let option = data[0]; option !== undefined; option = list[0]) {
    if (option.type !== ApplicationCommandOptionType.Subcommand && option.type !== ApplicationCommandOptionType.SubcommandGroup) break;
    subcommand = subcommand === null ? option.name : `${subcommand} ${option.name}`;
    list = option.options ?? [];
  }
  const out: Record<string, OptionValue> = {};
  for (const option of list) {
    if (option.value !== undefined && option.value !== null) out[option.name] = option.value;
  }
  return { subcommand, options: out };
}

export function toInteraction(interaction: ChatInputCommandInteraction | MessageComponentInteraction | AutocompleteInteraction): Interaction {
  const user = { id: interaction.user.id, name: interaction.user.username };
  if (interaction.isAutocomplete()) {
    const focused = interaction.options.getFocused(true);
    return {
      kind: 'autocomplete',
      interactionId: interaction.id,
      user,
      command: interaction.commandName,
      ...options(interaction.options.data),
      focused: { name: focused.name, value: String(focused.value) },
    };
  }
  if (interaction.isChatInputCommand()) {
    return { kind: 'command', interactionId: interaction.id, user, command: interaction.commandName, ...options(interaction.options.data) };
  }
  return {
    kind: 'component',
    interactionId: interaction.id,
    user,
    customId: interaction.customId,
    values: interaction.isStringSelectMenu() ? [...interaction.values] : [],
    messageEphemeral: interaction.message.flags.has(MessageFlags.Ephemeral),
    // interaction: what Discord sent before interaction_metadata (deprecated), for older messages
    messageOwnerId: interaction.message.interactionMetadata?.user.id ?? interaction.message.interaction?.user.id ?? null,
  };
}

/**
 * The shards this process runs. discord.js's Client reads SHARD_COUNT and SHARDS from the environment
 * (its ShardingManager's protocol) whenever `shardCount` is left at 1, and refuses our blank or "auto"
 * SHARD_COUNT there; so the client is built with a count it will not override, and given the count
 * we mean right after (it is first used at login).
 */
function shardPlan(opts: GatewayOptions): { shards: number[] | 'auto'; shardCount: number } {
  if (opts.shards === 'auto') return { shards: 'auto', shardCount: 1 }; // Discord's /gateway/bot decides
  const shardCount = opts.shardCount ?? 1;
  return { shards: opts.shards ?? Array.from({ length: shardCount }, (_, id) => id), shardCount };
}

export async function startGateway(opts: GatewayOptions): Promise<Client> {
  const plan = shardPlan(opts);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    // our renderers already produce Discord's JSON (snake_case): skip discord.js's deep key rewrite
    jsonTransformer: (json: unknown) => json,
    shards: plan.shards,
    shardCount: plan.shardCount + 1,
    ...(opts.restApi === undefined ? {} : { rest: { api: opts.restApi } }),
  });
  client.options.shardCount = plan.shardCount;
  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isChatInputCommand() && !interaction.isMessageComponent() && !interaction.isAutocomplete()) return;
    void opts.router.handle(toInteraction(interaction), restResponder(client.rest, interaction));
  });
  client.on(Events.Error, (error) => opts.logger.error({ err: error.message }, 'discord client error'));
  client.on(Events.ShardReady, (id) => opts.logger.info({ shard: id }, 'shard ready'));
  client.on(Events.ShardDisconnect, (event, id) => opts.logger.warn({ shard: id, code: event.code }, 'shard disconnected'));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(opts.token);
  await ready;
  opts.logger.info({ user: client.user?.tag, shards: client.ws.shards.size }, 'connected to Discord');
  return client;
}
