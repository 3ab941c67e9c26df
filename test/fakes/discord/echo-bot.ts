// A trivial real discord.js bot: the baseline for benchmarks and the proof that the fake works
// with the unmodified client.
//   chat command      → one-line reply "echo /name sub k=v" with a button row and a select row
//                       (`/defer` defers, then edits; `/embed value_length:N` sends an embed whose
//                       4th field value has N characters; `ephemeral:true` replies ephemerally)
//   autocomplete      → one choice echoing what was typed
//   button / select   → update of the clicked message

import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type Interaction,
} from 'discord.js';

export interface EchoBotOptions {
  restBase: string;
  token: string;
  intents?: GatewayIntentBits[];
  /** discord.js `shards`; default its own default (shard 0 of 1). */
  shards?: number[] | 'auto';
  shardCount?: number;
  /** Runs before the bot answers each interaction (tests move the fake clock here). */
  beforeAnswer?: (interaction: Interaction) => void | Promise<void>;
  /** discord.js REST `globalRequestsPerSecond` (raise it for benchmarks). */
  globalRequestsPerSecond?: number;
  /** Keep every interaction in `interactions` (default true; a benchmark's bot would only grow its heap). */
  keepInteractions?: boolean;
}

export interface EchoBot {
  client: Client<true>;
  /** Every interaction received, by id (tests use them to answer late); empty with keepInteractions: false. */
  interactions: Map<string, Interaction>;
  /** Errors the bot got while answering (e.g. DiscordAPIError from the fake). */
  errors: unknown[];
  stop(): Promise<void>;
}

export const ECHO_BUTTON_ID = 'echo:again';
export const ECHO_SELECT_ID = 'echo:pick';

function echoComponents() {
  return [
    { type: 1, components: [{ type: 2, style: 1, label: 'Again', custom_id: ECHO_BUTTON_ID }] },
    {
      type: 1,
      components: [
        {
          type: 3,
          custom_id: ECHO_SELECT_ID,
          options: [
            { label: 'Alpha', value: 'a' },
            { label: 'Beta', value: 'b' },
            { label: 'Gamma', value: 'c' },
          ],
          min_values: 1,
          max_values: 2,
        },
      ],
    },
  ];
}

function describe(interaction: ChatInputCommandInteraction | AutocompleteInteraction): string {
  const sub = interaction.options.getSubcommand(false);
  const group = interaction.options.getSubcommandGroup(false);
  const leaves = interaction.options.data.flatMap((option) => option.options?.flatMap((o) => o.options ?? [o]) ?? [option]);
  const args = leaves.filter((o) => o.value !== undefined).map((o) => `${o.name}=${String(o.value)}`);
  return ['echo', `/${interaction.commandName}`, group, sub, ...args].filter((part) => part !== null && part !== '').join(' ');
}

async function answer(interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand()) {
    const content = describe(interaction);
    const flags = interaction.options.getBoolean('ephemeral') === true ? MessageFlags.Ephemeral : undefined;
    if (interaction.commandName === 'defer') {
      await interaction.deferReply(flags === undefined ? {} : { flags });
      await interaction.editReply({ content, components: echoComponents(), allowedMentions: { parse: [] } });
      return;
    }
    if (interaction.commandName === 'embed') {
      const length = interaction.options.getInteger('value_length') ?? 10;
      const fields = ['one', 'two', 'three', 'four'].map((name, i) => ({ name, value: i === 3 ? 'x'.repeat(length) : name }));
      await interaction.reply({ embeds: [{ title: 'Echo', fields }], allowedMentions: { parse: [] } });
      return;
    }
    await interaction.reply({
      content,
      components: echoComponents(),
      allowedMentions: { parse: [] },
      ...(flags === undefined ? {} : { flags }),
    });
    return;
  }
  if (interaction.isAutocomplete()) {
    const focused = interaction.options.getFocused(true);
    await interaction.respond([{ name: `${focused.name}: ${focused.value}`.slice(0, 100), value: String(focused.value).slice(0, 100) }]);
    return;
  }
  if (interaction.isButton()) {
    await interaction.update({ content: `clicked ${interaction.customId} by ${interaction.user.username}`, components: echoComponents() });
    return;
  }
  if (interaction.isStringSelectMenu()) {
    await interaction.update({ content: `picked ${interaction.values.join(',')}`, components: echoComponents() });
  }
}

export async function startEchoBot(opts: EchoBotOptions): Promise<EchoBot> {
  const options: ClientOptions = {
    intents: opts.intents ?? [GatewayIntentBits.Guilds],
    rest: { api: opts.restBase, ...(opts.globalRequestsPerSecond === undefined ? {} : { globalRequestsPerSecond: opts.globalRequestsPerSecond }) },
  };
  if (opts.shards !== undefined) options.shards = opts.shards;
  if (opts.shardCount !== undefined) options.shardCount = opts.shardCount;
  const client = new Client(options);
  const interactions = new Map<string, Interaction>();
  const errors: unknown[] = [];

  client.on(Events.InteractionCreate, (interaction) => {
    if (opts.keepInteractions !== false) interactions.set(interaction.id, interaction);
    void (async () => {
      try {
        await opts.beforeAnswer?.(interaction);
        await answer(interaction);
      } catch (error) {
        errors.push(error);
      }
    })();
  });

  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(opts.token);
  } catch (error) {
    await client.destroy();
    throw error;
  }
  const readyClient = await ready;
  return {
    client: readyClient,
    interactions,
    errors,
    stop: () => client.destroy(),
  };
}
