// /spacecraft search | show — options parsed here, answers asked of the service, rendered as plain data.
import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { z } from 'zod';
import { ExpiredListError, UserError } from '../src/errors.ts';
import { decodeCustomId, ownerTag, type ComponentTarget } from '../src/interactions/customId.ts';
import type { Command, HandlerContext } from '../src/interactions/context.ts';
import type { AutocompleteInteraction, CommandInteraction, ComponentInteraction, Message, Outcome, OptionValue } from '../src/interactions/types.ts';
import { renderCard } from '../src/render/card.ts';
import { PAGE_SIZE, pageCount, renderList } from '../src/render/list.ts';
import { clip, escapeMarkdown } from '../src/render/text.ts';
import { AUTOCOMPLETE } from '../src/render/limits.ts';
import { ORDERINGS, type Ordering, type SpacecraftQuery } from '../src/service/query.ts';

export const DEFAULT_STATUSES = [
  { id: 1, name: 'Active' },
  { id: 2, name: 'Retired' },
  { id: 3, name: 'Destroyed' },
  { id: 4, name: 'Single Use' },
];

export const SORT_LABELS: Record<Ordering, string> = {
  '-flights_count': 'Most flights first',
  flights_count: 'Fewest flights first',
  '-time_in_space': 'Most time in space first',
  time_in_space: 'Least time in space first',
  '-time_docked': 'Most time docked first',
  time_docked: 'Least time docked first',
  '-mission_ends_count': 'Most mission ends first',
  mission_ends_count: 'Fewest mission ends first',
  '-id': 'Newest in the database first (id, descending)',
  id: 'Oldest in the database first (id, ascending)',
};

/** The command's JSON; `statuses` lets `npm run deploy` offer every status the API reports. */
export function spacecraftCommandData(statuses = DEFAULT_STATUSES): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const known = new Map(DEFAULT_STATUSES.map((s) => [s.id, s.name]));
  for (const s of statuses) known.set(s.id, s.name);
  return {
    name: 'spacecraft',
    description: 'Look up spacecraft from Launch Library 2',
    dm_permission: true,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'search',
        description: 'Search and filter spacecraft',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'query', description: 'Words in the name or configuration, e.g. soyuz', autocomplete: true, max_length: 100 },
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'status',
            description: 'Only spacecraft with this status',
            choices: [...known].slice(0, 25).map(([id, name]) => ({ name: clip(name, 100), value: id })),
          },
          { type: ApplicationCommandOptionType.Boolean, name: 'in_space', description: 'Only spacecraft in space now (true) or on the ground (false)' },
          { type: ApplicationCommandOptionType.Boolean, name: 'placeholder', description: 'Only placeholder records (true) or real ones (false)' },
          { type: ApplicationCommandOptionType.String, name: 'config', description: 'Only this configuration, e.g. Soyuz MS', autocomplete: true, max_length: 100 },
          {
            type: ApplicationCommandOptionType.String,
            name: 'sort',
            description: 'Order of the results',
            choices: ORDERINGS.map((value) => ({ name: SORT_LABELS[value], value })),
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'detail',
            description: 'How much each result shows',
            choices: [
              { name: 'Normal', value: 'normal' },
              { name: 'Detailed (configuration, agency, description)', value: 'detailed' },
            ],
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'show',
        description: 'One spacecraft in full, with its flights',
        options: [{ type: ApplicationCommandOptionType.String, name: 'name', description: 'Spacecraft name', required: true, autocomplete: true, max_length: 100 }],
      },
    ],
  };
}

const bool = z.union([z.boolean(), z.enum(['true', 'false', 'yes', 'no']).transform((v) => v === 'true' || v === 'yes')]);
const searchOptions = z.strictObject({
  query: z.string().max(100).optional(),
  status: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  in_space: bool.optional(),
  placeholder: bool.optional(),
  config: z.union([z.string().max(100), z.number().int().transform(String)]).optional(),
  sort: z.enum(ORDERINGS as unknown as [Ordering, ...Ordering[]]).optional(),
  detail: z.enum(['normal', 'detailed']).optional(),
});

/** What each option accepts, said to a person who typed something else. */
const OPTION_HELP: Record<string, string> = {
  query: 'at most 100 characters of words from a name or configuration',
  status: `one of ${DEFAULT_STATUSES.map((s) => `${s.id} (${s.name})`).join(', ')}`,
  in_space: 'true or false',
  placeholder: 'true or false',
  config: 'a configuration name or id (autocomplete offers them)',
  sort: `one of ${ORDERINGS.join(', ')}`,
  detail: 'normal or detailed',
};

function parseOptions(options: Record<string, OptionValue>) {
  const parsed = searchOptions.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      throw new UserError(`Unknown option: ${issue.keys.join(', ')}. The options are ${Object.keys(OPTION_HELP).join(', ')}.`);
    }
    const name = String(issue?.path[0] ?? 'an option');
    throw new UserError(`The option \`${name}\` takes ${OPTION_HELP[name] ?? 'one of the offered choices'}.`);
  }
  return parsed.data;
}

async function toQuery(options: Record<string, OptionValue>, context: HandlerContext): Promise<SpacecraftQuery> {
  const o = parseOptions(options);
  const query: SpacecraftQuery = { detail: o.detail ?? 'normal' };
  if (o.query !== undefined && o.query.trim() !== '') query.search = o.query.trim();
  if (o.status !== undefined) query.status = o.status;
  if (o.in_space !== undefined) query.inSpace = o.in_space;
  if (o.placeholder !== undefined) query.placeholder = o.placeholder;
  if (o.sort !== undefined) query.ordering = o.sort;
  if (o.config !== undefined && o.config.trim() !== '') query.config = resolveConfig(o.config.trim(), context);
  return query;
}

function resolveConfig(text: string, context: HandlerContext): number {
  if (/^\d{1,9}$/.test(text)) return Number(text);
  const best = context.service.suggestConfigurations(text)[0];
  if (best === undefined) throw new UserError(`No configuration matches “${clip(text, 80)}”. Pick one from the suggestions.`);
  return Number(best.value);
}

export function describeFilters(query: SpacecraftQuery, context: HandlerContext): string {
  const parts: string[] = [];
  if (query.search !== undefined) parts.push(`“${clip(query.search, 80)}”`);
  if (query.status !== undefined) parts.push(context.service.statusName(query.status) ?? DEFAULT_STATUSES.find((s) => s.id === query.status)?.name ?? `status ${query.status}`);
  if (query.inSpace !== undefined) parts.push(query.inSpace ? 'in space now' : 'not in space');
  if (query.placeholder !== undefined) parts.push(query.placeholder ? 'placeholders' : 'no placeholders');
  if (query.config !== undefined) parts.push(`config ${context.service.configurationName(query.config) ?? `#${query.config}`}`);
  if (query.ordering !== undefined) parts.push(SORT_LABELS[query.ordering].replace(/ first.*$/, ' first').toLowerCase());
  return parts.join(' · ');
}

async function listPage(context: HandlerContext, list: { stateId: string }, query: SpacecraftQuery, requestedPage: number, ephemeral: boolean): Promise<Message> {
  // the same page asked again this second, from the same catalogue, is the page already drawn
  const basis = context.service.listBasis();
  const key = `${list.stateId}:${requestedPage}:${ephemeral ? 'e' : 'p'}`;
  const drawn = basis === null ? undefined : context.answers.get(key, basis);
  if (drawn !== undefined) return drawn;

  let page = Math.max(1, requestedPage);
  let answer = await context.service.search(query, (page - 1) * PAGE_SIZE, PAGE_SIZE);
  const pages = pageCount(answer.count);
  if (page > pages) {
    // the catalogue shrank since the buttons were drawn: show the last page there is
    page = pages;
    answer = await context.service.search(query, (page - 1) * PAGE_SIZE, PAGE_SIZE);
  }
  const message = renderList({ ...list, page, answer, filters: describeFilters(query, context), query, now: context.now(), ephemeral });
  const fromCatalogue = answer.freshness.origin === 'catalogue' && answer.freshness.degraded === null;
  return basis !== null && fromCatalogue ? context.answers.set(key, basis, message) : message;
}

async function execute(interaction: CommandInteraction, context: HandlerContext): Promise<Outcome> {
  if (interaction.subcommand === 'search') {
    const query = await toQuery(interaction.options, context);
    const stateId = context.pages.remember(query);
    return { kind: 'reply', message: await listPage(context, { stateId }, query, 1, false) };
  }
  if (interaction.subcommand === 'show') {
    const name = interaction.options.name;
    if (typeof name !== 'string' || name.trim() === '') throw new UserError('Tell me which spacecraft: `/spacecraft show name:<name>`.');
    const { id, guessed } = await context.service.resolve(name);
    const answer = await context.service.show(id, interaction.user.id);
    const card = renderCard({ answer, now: context.now(), ephemeral: false });
    // typed text that names no spacecraft exactly: say this is one pick, and how to choose another
    if (!guessed) return { kind: 'reply', message: card };
    return { kind: 'reply', message: { ...card, content: `Closest match for “${escapeMarkdown(clip(name.trim(), 80))}”. For another, type more of its name and pick one from the suggestions.` } };
  }
  throw new UserError('Unknown subcommand. Try `/spacecraft search` or `/spacecraft show`.');
}

/** Before the first catalogue sync the index is empty: offer what was typed, so Enter still works. */
function typedText(text: string, choices: Array<{ name: string; value: string }>) {
  const trimmed = text.trim();
  if (choices.length > 0 || trimmed === '') return choices;
  return [{ name: clip(`${trimmed} (catalogue still loading — search by this name)`, AUTOCOMPLETE.maxNameLength), value: clip(trimmed, AUTOCOMPLETE.maxValueLength) }];
}

async function autocomplete(interaction: AutocompleteInteraction, context: HandlerContext): Promise<Outcome> {
  const { name, value } = interaction.focused;
  const text = String(value);
  const loaded = context.service.catalogue.spacecraft !== null;
  if (name === 'name') {
    const choices = context.service.suggestSpacecraft(text);
    return { kind: 'choices', choices: loaded ? choices : typedText(text, choices) };
  }
  if (name === 'config') return { kind: 'choices', choices: context.service.suggestConfigurations(text) };
  if (name === 'query') {
    // a search word is text, not an id: offer configuration names first (broad), then spacecraft names
    const configs = context.service.names.configurations.suggest(text, 5).map((c) => c.name.split(' · ')[0] ?? c.name);
    const crafts = context.service.names.spacecraft.suggest(text, AUTOCOMPLETE.maxChoices).map((c) => c.name.split(' · ')[0] ?? c.name);
    const seen = new Set<string>();
    const choices = [...configs, ...crafts]
      .map((n) => n.trim())
      .filter((n) => n !== '' && !/^(Spacecraft|Configuration) #\d+$/.test(n))
      .filter((n) => (seen.has(n.toLowerCase()) ? false : (seen.add(n.toLowerCase()), true)))
      .slice(0, AUTOCOMPLETE.maxChoices)
      .map((n) => ({ name: clip(n, AUTOCOMPLETE.maxNameLength), value: clip(n, AUTOCOMPLETE.maxValueLength) }));
    return { kind: 'choices', choices: loaded ? choices : typedText(text, choices) };
  }
  return { kind: 'choices', choices: [] };
}

/** Whether the clicker may page this message itself (see customId.ts for where each kind of button says so). */
function isOwner(interaction: ComponentInteraction, target: ComponentTarget, stateOwnerId: string | undefined): boolean {
  const clicker = interaction.user.id;
  switch (target.owner.from) {
    case 'message':
      // an ephemeral message is seen by one person only; a public one belongs to whoever it answers
      return interaction.messageEphemeral || interaction.messageOwnerId === clicker;
    case 'tag':
      return target.owner.tag === ownerTag(clicker);
    case 'state':
      return stateOwnerId !== undefined && ownerTag(stateOwnerId) === ownerTag(clicker);
  }
}

async function component(interaction: ComponentInteraction, context: HandlerContext): Promise<Outcome> {
  const target = decodeCustomId(interaction.customId);
  if (target === null) throw new ExpiredListError();
  const state = await context.pages.get(target.stateId);
  if (state === undefined) throw new ExpiredListError();

  // The person who ran the command pages the message itself; anyone else gets an ephemeral copy
  // (same stored query), which is theirs: only they see it.
  const owner = isOwner(interaction, target, state.ownerId);
  // a list from an sc1 button moves onto its query's id (a fresh 14 days, shared with the same search)
  const list = { stateId: state.ownerId === undefined ? target.stateId : context.pages.remember(state.query) };
  const ephemeral = owner ? interaction.messageEphemeral : true;
  const respond = (message: Outcome & { kind: 'reply' }): Outcome => (owner ? { kind: 'update', message: message.message } : message);

  if (target.action === 'open') {
    const value = interaction.values[0];
    if (value === undefined || !/^\d{1,9}$/.test(value)) throw new UserError('Pick a spacecraft from the menu.');
    const answer = await context.service.show(Number(value), interaction.user.id);
    return respond({ kind: 'reply', message: renderCard({ answer, now: context.now(), ephemeral, back: { ...list, page: target.value } }) });
  }
  if (target.action === 'card') {
    const answer = await context.service.show(target.value, interaction.user.id);
    return respond({ kind: 'reply', message: renderCard({ answer, now: context.now(), ephemeral, back: { ...list, page: 1 } }) });
  }
  return respond({ kind: 'reply', message: await listPage(context, list, state.query, target.value, ephemeral) });
}

export const spacecraftCommand = {
  data: spacecraftCommandData(),
  componentPrefix: 'sc',
  execute,
  autocomplete,
  component,
} satisfies Command;
