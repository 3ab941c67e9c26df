// The scripted workload of issue 3: people searching (Zipf over words drawn from the data), paging
// lists they ran earlier, typing names into autocomplete character by character and opening detail
// cards (Zipf over spacecraft), spread over a simulated day. Deterministic for a seed, and
// independent of who answers it: Spacedock and the naive pass-through replay the same script.
import { spacecraftSchema, type Spacecraft } from '../../src/ll2/schemas.ts';
import { PAGE_SIZE, pageCount } from '../../src/render/list.ts';
import { SortedCatalogue } from '../../src/service/engine.ts';
import type { Ordering, SpacecraftQuery } from '../../src/service/query.ts';
import { createPrng } from '../../test/fixtures/ll2/prng.ts';
import type { SpacecraftRecord } from '../../test/fixtures/ll2/index.ts';
import { zipfSampler } from './zipf.ts';

export type Step =
  /** One keystroke in an autocompleted option: `text` is what is typed so far. */
  | { kind: 'autocomplete'; option: 'name' | 'query'; text: string }
  /** `/spacecraft search`; `list` numbers the list so later steps can page it. */
  | { kind: 'search'; list: number; search: string; ordering?: Ordering }
  /** A next/prev button on list `list`, which then shows `page`. */
  | { kind: 'page'; list: number; page: number; direction: 'next' | 'prev'; byOwner: boolean }
  /** `/spacecraft show name:<id>` (the value autocomplete hands back). */
  | { kind: 'show'; id: number }
  /** The "open a card" menu of list `list` at `page`, picking `id`. */
  | { kind: 'open'; list: number; page: number; id: number };

export interface ScriptedInteraction {
  /** Simulated time (ms since the start of the run). */
  at: number;
  user: string;
  step: Step;
}

export interface Workload {
  interactions: ScriptedInteraction[];
  /** The query each list number was made with. */
  lists: Array<{ owner: string; query: SpacecraftQuery }>;
  spanMs: number;
  mix: Record<Step['kind'], number>;
  distinctCards: number;
  words: number;
}

export interface WorkloadOptions {
  records: readonly SpacecraftRecord[];
  count: number;
  /** The simulated span the interactions should cover (sessions arrive with a daily rhythm). */
  spanMs: number;
  seed: number;
  users?: number;
}

const ORDERINGS_USED: readonly Ordering[] = ['-flights_count', '-time_in_space', '-time_docked', 'flights_count'];
const WORD_SPLIT = /[\s\-–—()[\]“”"'.,/:;]+/u;
const SECOND = 1000;

/** Words of names and configuration names, most common first (by how many spacecraft have them). */
export function searchWordsByFrequency(records: readonly Spacecraft[]): string[] {
  const frequency = new Map<string, number>();
  for (const craft of records) {
    const words = new Set(`${craft.name} ${craft.spacecraft_config?.name ?? ''}`.toLowerCase().split(WORD_SPLIT));
    for (const word of words) {
      // people search by words, not by serial fragments: at least three characters, two of them letters
      if (word.length < 3 || (word.match(/\p{L}/gu) ?? []).length < 2) continue;
      frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
  }
  return [...frequency].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([word]) => word);
}

/** Spacecraft most people would look up first: in space now, then most flown. */
export function spacecraftByPopularity(records: readonly Spacecraft[]): Spacecraft[] {
  return [...records].sort(
    (a, b) => Number(b.in_space) - Number(a.in_space) || (b.flights_count ?? 0) - (a.flights_count ?? 0) || a.id - b.id,
  );
}

interface ListState {
  owner: string;
  query: SpacecraftQuery;
  pages: number;
  page: number;
  /** Simulated time of its last step, so a later session only touches it afterwards. */
  lastAt: number;
}

function generate(options: WorkloadOptions, sessionsPerMs: number) {
  const prng = createPrng(options.seed);
  const crafts = spacecraftSchema.array().parse(options.records);
  const engine = new SortedCatalogue(crafts);
  const words = searchWordsByFrequency(crafts);
  const nextWord = zipfSampler(words, 1.0, prng);
  const nextCraft = zipfSampler(spacecraftByPopularity(crafts), 1.0, prng);
  const users = Array.from({ length: options.users ?? 400 }, (_, i) => `user-${i + 1}`);
  const nextUser = zipfSampler(users, 0.8, prng);
  const between = (lo: number, hi: number) => lo + prng.next() * (hi - lo);

  const out: ScriptedInteraction[] = [];
  const lists: ListState[] = [];
  const push = (at: number, user: string, step: Step) => out.push({ at: Math.round(at), user, step });

  const keystrokes = (at: number, user: string, option: 'name' | 'query', text: string, upTo: number): number => {
    const chars = [...text];
    let t = at;
    for (let i = 1; i <= Math.min(chars.length, upTo); i++) {
      push(t, user, { kind: 'autocomplete', option, text: chars.slice(0, i).join('') });
      t += between(150, 450);
    }
    return t;
  };

  const clickPages = (at: number, user: string, listId: number, clicks: number): number => {
    const list = lists[listId]!;
    let t = at;
    for (let i = 0; i < clicks && list.pages > 1; i++) {
      const back = list.page >= list.pages || (list.page > 1 && prng.chance(0.25));
      const byOwner = user === list.owner;
      const page = back ? list.page - 1 : list.page + 1;
      push(t, user, { kind: 'page', list: listId, page, direction: back ? 'prev' : 'next', byOwner });
      // someone else's click opens their own copy: the owner's message stays where it was
      if (byOwner) list.page = page;
      list.lastAt = t;
      t += between(5, 40) * SECOND;
    }
    return t;
  };

  const searchSession = (start: number, user: string) => {
    let word = nextWord();
    if (prng.chance(0.12)) {
      // two words, both from one spacecraft's name, as people narrow a search down
      const matching = crafts.filter((c) => `${c.name} ${c.spacecraft_config?.name ?? ''}`.toLowerCase().includes(word));
      const other = matching.length === 0 ? undefined : prng.pick(matching).name.toLowerCase().split(WORD_SPLIT).find((w) => w.length >= 2 && w !== word);
      if (other !== undefined) word = `${word} ${other}`;
    }
    let t = prng.chance(0.5) ? keystrokes(start, user, 'query', word, prng.int(2, 6)) : start;
    t += between(1, 3) * SECOND;
    const query: SpacecraftQuery = { search: word, detail: 'normal' };
    if (prng.chance(0.15)) query.ordering = prng.pick(ORDERINGS_USED);
    const listId = lists.length;
    const pages = pageCount(engine.query(query, PAGE_SIZE, 0).count);
    lists.push({ owner: user, query, pages, page: 1, lastAt: t });
    push(t, user, { kind: 'search', list: listId, search: word, ...(query.ordering === undefined ? {} : { ordering: query.ordering }) });
    t += between(3, 20) * SECOND;
    if (prng.chance(0.6)) t = clickPages(t, user, listId, prng.int(1, 4));
    if (prng.chance(0.35)) {
      const list = lists[listId]!;
      const shown = engine.query(query, PAGE_SIZE, (list.page - 1) * PAGE_SIZE).results;
      if (shown.length > 0) {
        push(t, user, { kind: 'open', list: listId, page: list.page, id: prng.pick(shown).id });
        list.lastAt = t;
      }
    }
  };

  const showSession = (start: number, user: string) => {
    const craft = nextCraft();
    let t = prng.chance(0.85) ? keystrokes(start, user, 'name', craft.name, prng.int(3, 8)) : start;
    t += between(0.5, 2) * SECOND;
    push(t, user, { kind: 'show', id: craft.id });
  };

  /** Back to a list run earlier (often hours ago): a few more pages. */
  const returnSession = (start: number, user: string): boolean => {
    const recent = lists.slice(-200).map((_, i, a) => lists.length - a.length + i).filter((id) => lists[id]!.lastAt < start && lists[id]!.pages > 1);
    if (recent.length === 0) return false;
    const listId = prng.pick(recent);
    const owner = prng.chance(0.85) ? lists[listId]!.owner : user;
    clickPages(start, owner, listId, prng.int(1, 3));
    return true;
  };

  // sessions arrive as a Poisson process whose rate follows the day (quiet at night, busy in the evening)
  const rhythm = (t: number) => 1 + 0.6 * Math.sin((2 * Math.PI * t) / (24 * 3600 * SECOND) - Math.PI / 2);
  let t = 0;
  while (out.length < options.count * 1.3) {
    t += -Math.log(1 - prng.next()) / (sessionsPerMs * 1.6);
    if (!prng.chance(rhythm(t) / 1.6)) continue;
    const user = nextUser();
    const kind = prng.next();
    if (kind < 0.42) searchSession(t, user);
    else if (kind < 0.85 || !returnSession(t, user)) showSession(t, user);
  }

  const interactions = out
    .map((interaction, order) => ({ interaction, order }))
    .sort((a, b) => a.interaction.at - b.interaction.at || a.order - b.order)
    .slice(0, options.count)
    .map((entry) => entry.interaction);
  return { interactions, lists, words: words.length };
}

export function buildWorkload(options: WorkloadOptions): Workload {
  // a guessed session rate, corrected until the interactions fill the span (within 2 %)
  let rate = 1 / (60 * SECOND);
  let generated = generate(options, rate);
  for (let pass = 0; pass < 4; pass++) {
    const span = generated.interactions.at(-1)?.at ?? options.spanMs;
    if (Math.abs(span - options.spanMs) / options.spanMs < 0.02) break;
    rate *= span / options.spanMs;
    generated = generate(options, rate);
  }
  const { interactions, lists, words } = generated;
  const mix: Record<Step['kind'], number> = { autocomplete: 0, search: 0, page: 0, show: 0, open: 0 };
  const cards = new Set<number>();
  for (const { step } of interactions) {
    mix[step.kind]++;
    if (step.kind === 'show' || step.kind === 'open') cards.add(step.id);
  }
  return {
    interactions,
    lists: lists.map((l) => ({ owner: l.owner, query: l.query })),
    spanMs: interactions.at(-1)?.at ?? 0,
    mix,
    distinctCards: cards.size,
    words,
  };
}
