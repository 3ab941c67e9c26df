// Autocomplete over spacecraft and configuration names, answered from memory (never upstream).
import type { Spacecraft, SpacecraftConfig } from '../ll2/schemas.ts';
import { AUTOCOMPLETE } from '../render/limits.ts';
import { clip } from '../render/text.ts';
import { ListCache } from '../util/listCache.ts';

/** One collator for every comparison: creating one per comparison made a rebuild 13× slower. */
const LABEL_ORDER = new Intl.Collator('en', { numeric: true });
/** Needles whose matches are kept for narrowing the next keystroke… */
const KEPT_NEEDLES = 512;
/** …holding at most this many matches in all (so a 10,000-name index cannot fill the heap with copies of itself). */
const KEPT_MATCHES = 400_000;
/** Answers kept for needles typed again (the same keystrokes come from many people). */
const KEPT_ANSWERS = 2_000;
const MAX_CHOICES = AUTOCOMPLETE.maxChoices;

export interface Choice {
  name: string;
  value: string;
}

interface Entry {
  id: number;
  label: string;
  haystack: string;
  words: string[];
  /** larger = shown first among equal matches */
  weight: number;
}

/** Every needle word somewhere in the text: what any match has (ranks 0 and 1 imply it). */
function contains(entry: Entry, needleWords: string[]): boolean {
  for (const w of needleWords) if (!entry.haystack.includes(w)) return false;
  return true;
}

/** For an entry that contains every needle word: 0 the text starts with the needle, 1 every needle word starts a word, else 2. */
function rankOfMatch(entry: Entry, needle: string, needleWords: string[]): number {
  if (entry.haystack.startsWith(needle)) return 0;
  for (const w of needleWords) if (!entry.words.some((word) => word.startsWith(w))) return 2;
  return 1;
}

function choiceOf(entry: Entry): Choice {
  return { name: clip(entry.label, AUTOCOMPLETE.maxNameLength), value: String(entry.id) };
}

class Index {
  private entries: Entry[] = [];
  /** Matches of recent needles, to narrow the next keystroke; least recently typed forgotten first. */
  private readonly matchesOf = new ListCache<string, Entry>(KEPT_NEEDLES, KEPT_MATCHES);
  private readonly firstKeystroke = new Map<string, Entry[]>();
  /** The answer to every first keystroke, worked out when the index is built. */
  private readonly firstAnswers = new Map<string, Choice[]>();
  private readonly answers = new Map<string, Choice[]>();

  replace(entries: Entry[]): void {
    // sorted once here, so a keystroke is one pass that can stop early
    this.entries = entries.sort((a, b) => b.weight - a.weight || LABEL_ORDER.compare(a.label, b.label));
    this.matchesOf.clear();
    // every first keystroke would scan the whole index: work those out once, here
    this.firstKeystroke.clear();
    const chars = new Set<string>();
    for (const entry of this.entries) for (const char of entry.haystack) if (char !== ' ') chars.add(char);
    this.firstAnswers.clear();
    for (const char of chars) {
      const matched = this.entries.filter((entry) => entry.haystack.includes(char));
      this.firstKeystroke.set(char, matched);
      this.firstAnswers.set(char, rank(matched, char, [char], MAX_CHOICES));
    }
    this.answers.clear();
  }

  get size(): number {
    return this.entries.length;
  }

  suggest(text: string, limit: number = MAX_CHOICES): Choice[] {
    const needle = normalise(text);
    if (needle === '') return this.entries.slice(0, limit).map(choiceOf);
    if (limit > MAX_CHOICES) return rank(this.matching(needle), needle, words(needle), limit);
    // the best MAX_CHOICES; any smaller limit is their beginning (ranks fill in order)
    let answer = this.firstAnswers.get(needle) ?? this.answers.get(needle);
    if (answer === undefined) {
      answer = rank(this.matching(needle), needle, words(needle), MAX_CHOICES);
      this.answers.set(needle, answer);
      if (this.answers.size > KEPT_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    }
    return answer.slice(0, limit);
  }

  /**
   * Every entry containing each word of the needle, best-weighted first. Typing adds characters:
   * whatever matches "soyu" is among what matched "soy". The matches of recent needles are kept, so
   * a keystroke scans only what its longest known prefix matched (many people typing at once each
   * find their own previous keystroke here).
   */
  private matching(needle: string): readonly Entry[] {
    const known = this.firstKeystroke.get(needle) ?? this.matchesOf.get(needle);
    if (known !== undefined) return known;
    let candidates: readonly Entry[] = this.entries;
    for (let end = needle.length - 1; end > 0; end--) {
      const prefix = this.matchesOf.get(needle.slice(0, end)) ?? this.firstKeystroke.get(needle.slice(0, end));
      if (prefix !== undefined) {
        candidates = prefix;
        break;
      }
    }
    const needleWords = words(needle);
    const matched: Entry[] = [];
    for (const entry of candidates) if (contains(entry, needleWords)) matched.push(entry);
    this.matchesOf.set(needle, matched);
    return matched;
  }
}

function words(needle: string): string[] {
  return needle.split(' ').filter((w) => w !== '');
}

/** The first `limit` of: text starting with the needle, then every needle word starting a word, then the rest; each by weight. */
function rank(matched: readonly Entry[], needle: string, needleWords: string[], limit: number): Choice[] {
  const buckets: Entry[][] = [[], [], []];
  for (const entry of matched) {
    const bucket = buckets[rankOfMatch(entry, needle, needleWords)]!;
    if (bucket.length < limit) bucket.push(entry);
    // the first rank alone fills the answer
    if (buckets[0]!.length >= limit) break;
  }
  return buckets.flat().slice(0, limit).map(choiceOf);
}

export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

function wordsOf(text: string): string[] {
  return normalise(text)
    .split(/[\s\-–—()[\]“”"'.,/]+/u)
    .filter((w) => w !== '');
}

/** Names of spacecraft and configurations, rebuilt whenever the catalogue changes. */
export class NameIndex {
  readonly spacecraft = new Index();
  readonly configurations = new Index();

  rebuild(spacecraft: readonly Spacecraft[], configurations: readonly SpacecraftConfig[]): void {
    this.spacecraft.replace(
      spacecraft.map((craft) => {
        const config = craft.spacecraft_config?.name;
        const name = craft.name.trim() === '' ? `Spacecraft #${craft.id}` : craft.name;
        const label = config !== undefined && config !== null && config.trim() !== '' && !normalise(name).includes(normalise(config)) ? `${name} · ${config}` : name;
        return {
          id: craft.id,
          label,
          haystack: normalise(`${craft.name} ${config ?? ''}`),
          words: wordsOf(`${craft.name} ${config ?? ''}`),
          weight: (craft.in_space === true ? 1_000_000 : 0) + (craft.flights_count ?? 0) * 1_000 + (craft.status?.id === 1 ? 500 : 0),
        };
      }),
    );
    const crafts = new Map<number, number>();
    for (const craft of spacecraft) {
      const id = craft.spacecraft_config?.id;
      if (id !== undefined) crafts.set(id, (crafts.get(id) ?? 0) + 1);
    }
    const configs = new Map<number, SpacecraftConfig>();
    for (const config of configurations) configs.set(config.id, config);
    // before the configuration list is synced, the configurations seen on spacecraft stand in
    for (const craft of spacecraft) if (craft.spacecraft_config && !configs.has(craft.spacecraft_config.id)) configs.set(craft.spacecraft_config.id, craft.spacecraft_config);
    this.configurations.replace(
      [...configs.values()].map((config) => {
        const agency = config.agency?.abbrev ?? config.agency?.name;
        const count = crafts.get(config.id) ?? 0;
        const label = [config.name.trim() === '' ? `Configuration #${config.id}` : config.name, config.type?.name, agency, `${count} craft`].filter((p) => p !== undefined && p !== null && p.trim() !== '').join(' · ');
        return {
          id: config.id,
          label,
          haystack: normalise(`${config.name} ${config.agency?.name ?? ''} ${agency ?? ''}`),
          words: wordsOf(`${config.name} ${config.agency?.name ?? ''} ${agency ?? ''}`),
          weight: count + (config.in_use === true ? 10_000 : 0),
        };
      }),
    );
  }
}
