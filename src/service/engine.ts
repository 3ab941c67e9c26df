// The local query engine: answers LL2 `/spacecraft/` list queries from the catalogue with LL2's
// semantics. Where API-NOTES marks the semantics as inferred, the choice is one switch below.
import { durationSeconds } from '../duration.ts';
import type { Spacecraft } from '../ll2/schemas.ts';
import type { OrderField, Ordering, SpacecraftQuery } from './query.ts';
import { ListCache } from '../util/listCache.ts';

export interface Semantics {
  /** PostgreSQL treats NULL as larger than any value: last ascending, first descending. [inferred] */
  nulls: 'largest' | 'smallest';
  /** The order of rows with equal sort keys; PostgreSQL leaves it unspecified, LL2 appears to fall back to id. [inferred] */
  tieBreak: 'id-asc';
  /** Order without an `ordering` parameter. [inferred] */
  defaultOrdering: Ordering;
  /** Search words are split on whitespace and commas; each must match name or configuration name (DRF SearchFilter). [inferred] */
  searchSplit: RegExp;
}

export const LL2_SEMANTICS: Semantics = {
  nulls: 'largest',
  tieBreak: 'id-asc',
  defaultOrdering: 'id',
  searchSplit: /[\s,]+/u,
};

type SortKey = (craft: Spacecraft) => number | null;

const SORT_KEYS: Record<OrderField, SortKey> = {
  id: (c) => c.id,
  flights_count: (c) => c.flights_count,
  mission_ends_count: (c) => c.mission_ends_count,
  time_docked: (c) => durationSeconds(c.time_docked),
  time_in_space: (c) => durationSeconds(c.time_in_space),
};

export function searchWords(search: string | undefined, semantics = LL2_SEMANTICS): string[] {
  if (search === undefined) return [];
  return search
    .split(semantics.searchSplit)
    .map((w) => w.toLowerCase())
    .filter((w) => w !== '');
}

export function matches(craft: Spacecraft, query: SpacecraftQuery, words: string[], text = searchText(craft)): boolean {
  if (query.inSpace !== undefined && craft.in_space !== query.inSpace) return false;
  if (query.placeholder !== undefined && craft.is_placeholder !== query.placeholder) return false;
  if (query.config !== undefined && craft.spacecraft_config?.id !== query.config) return false;
  if (query.status !== undefined && craft.status?.id !== query.status) return false;
  // in the name or in the configuration name: one look at both, a word holds no line break
  for (const word of words) if (!text.includes(word)) return false;
  return true;
}

/** What search words are matched against: the name, a line break and the configuration name, lower-cased. */
export function searchText(craft: Spacecraft): string {
  return `${craft.name}\n${craft.spacecraft_config?.name ?? ''}`.toLowerCase();
}

/** Sorts a copy of `records` by an LL2 ordering. */
export function sortBy(records: readonly Spacecraft[], ordering: Ordering, semantics = LL2_SEMANTICS): Spacecraft[] {
  const descending = ordering.startsWith('-');
  const field = (descending ? ordering.slice(1) : ordering) as OrderField;
  const key = SORT_KEYS[field];
  const nullRank = semantics.nulls === 'largest' ? Infinity : -Infinity;
  const keyed = records.map((craft) => ({ craft, k: key(craft) ?? nullRank }));
  keyed.sort((a, b) => {
    if (a.k !== b.k) return descending ? (a.k < b.k ? 1 : -1) : a.k < b.k ? -1 : 1;
    return a.craft.id - b.craft.id;
  });
  return keyed.map((e) => e.craft);
}

/** The recent-query memo holds at most this many matches in all (references, ~8 bytes each). */
const RECENT_MATCHES = 250_000;
/** …and at most this many queries. */
const RECENT_QUERIES = 2_000;

/** Precomputed orderings of one catalogue version, so a query is a filter over a sorted list. */
export class SortedCatalogue {
  private readonly sorted = new Map<Ordering, Spacecraft[]>();
  /** Each ordering's records with their lower-cased search text, made on its first search. */
  private readonly searchable = new Map<Ordering, Array<{ craft: Spacecraft; text: string }>>();
  private texts: Map<Spacecraft, string> | null = null;

  constructor(
    readonly records: readonly Spacecraft[],
    private readonly semantics = LL2_SEMANTICS,
  ) {}

  private searchableIn(ordering: Ordering): Array<{ craft: Spacecraft; text: string }> {
    let list = this.searchable.get(ordering);
    if (list === undefined) {
      const texts = (this.texts ??= new Map(this.records.map((r) => [r, searchText(r)])));
      list = this.ordered(ordering).map((craft) => ({ craft, text: texts.get(craft) ?? searchText(craft) }));
      this.searchable.set(ordering, list);
    }
    return list;
  }

  ordered(ordering: Ordering): Spacecraft[] {
    let list = this.sorted.get(ordering);
    if (list === undefined) {
      list = sortBy(this.records, ordering, this.semantics);
      this.sorted.set(ordering, list);
    }
    return list;
  }

  /** Every match of recent queries, in order: paging and popular searches cost a slice. */
  private readonly recent = new ListCache<string, Spacecraft>(RECENT_QUERIES, RECENT_MATCHES);

  query(query: SpacecraftQuery, limit: number, offset: number): { count: number; results: Spacecraft[] } {
    const all = this.matching(query);
    const cappedLimit = Math.min(Math.max(limit, 1), 100);
    return { count: all.length, results: all.slice(offset, offset + cappedLimit) };
  }

  private matching(query: SpacecraftQuery): readonly Spacecraft[] {
    const key = JSON.stringify([query.search ?? null, query.inSpace ?? null, query.placeholder ?? null, query.config ?? null, query.status ?? null, query.ordering ?? null]);
    const known = this.recent.get(key);
    if (known !== undefined) return known;
    const words = searchWords(query.search, this.semantics);
    const all: Spacecraft[] = [];
    for (const { craft, text } of this.searchableIn(query.ordering ?? this.semantics.defaultOrdering)) if (matches(craft, query, words, text)) all.push(craft);
    this.recent.set(key, all);
    return all;
  }
}
