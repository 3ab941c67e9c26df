// Autocomplete over spacecraft and configuration names, answered from memory (never upstream).
import type { Spacecraft, SpacecraftConfig } from '../ll2/schemas.ts';
import { AUTOCOMPLETE } from '../render/limits.ts';
import { clip } from '../render/text.ts';

/** One collator for every comparison: creating one per comparison made a rebuild 13× slower. */
const LABEL_ORDER = new Intl.Collator('en', { numeric: true });
/** Needles whose matches are kept for narrowing the next keystroke. */
const KEPT_NEEDLES = 512;

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

function entryRank(entry: Entry, needle: string, needleWords: string[]): number {
  if (needle === '') return 0;
  if (entry.haystack.startsWith(needle)) return 0;
  if (needleWords.every((w) => entry.words.some((word) => word.startsWith(w)))) return 1;
  if (needleWords.every((w) => entry.haystack.includes(w))) return 2;
  return -1;
}

function choiceOf(entry: Entry): Choice {
  return { name: clip(entry.label, AUTOCOMPLETE.maxNameLength), value: String(entry.id) };
}

class Index {
  private entries: Entry[] = [];
  private readonly matchesOf = new Map<string, Entry[]>();
  private readonly firstKeystroke = new Map<string, Entry[]>();

  replace(entries: Entry[]): void {
    // sorted once here, so a keystroke is one pass that can stop early
    this.entries = entries.sort((a, b) => b.weight - a.weight || LABEL_ORDER.compare(a.label, b.label));
    this.matchesOf.clear();
    // every first keystroke would scan the whole index: work those out once, here
    this.firstKeystroke.clear();
    const chars = new Set<string>();
    for (const entry of this.entries) for (const char of entry.haystack) if (char !== ' ') chars.add(char);
    for (const char of chars) this.firstKeystroke.set(char, this.entries.filter((entry) => entryRank(entry, char, [char]) >= 0));
  }

  get size(): number {
    return this.entries.length;
  }

  suggest(text: string, limit: number = AUTOCOMPLETE.maxChoices): Choice[] {
    const needle = normalise(text);
    const needleWords = needle.split(' ').filter((w) => w !== '');
    // Typing adds characters: whatever matches "soyu" is among what matched "soy". The matches of
    // recent needles are kept, so a keystroke scans only what its longest known prefix matched
    // (many people typing at once each find their own previous keystroke here).
    if (needle === '') return this.entries.slice(0, limit).map(choiceOf);
    let candidates = this.entries;
    for (let end = needle.length; end > 0; end--) {
      const prefix = needle.slice(0, end);
      const known = this.matchesOf.get(prefix) ?? this.firstKeystroke.get(prefix);
      if (known !== undefined) {
        candidates = known;
        break;
      }
    }
    const matched: Entry[] = [];
    const buckets: Entry[][] = [[], [], []];
    for (const entry of candidates) {
      const rank = entryRank(entry, needle, needleWords);
      if (rank < 0) continue;
      matched.push(entry);
      const bucket = buckets[rank]!;
      if (bucket.length < limit) bucket.push(entry);
    }
    if (needle !== '') {
      this.matchesOf.delete(needle);
      this.matchesOf.set(needle, matched);
      if (this.matchesOf.size > KEPT_NEEDLES) this.matchesOf.delete(this.matchesOf.keys().next().value!);
    }
    const out: Choice[] = [];
    for (const bucket of buckets) {
      for (const entry of bucket) {
        if (out.length >= limit) return out;
        out.push(choiceOf(entry));
      }
    }
    return out;
  }
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
