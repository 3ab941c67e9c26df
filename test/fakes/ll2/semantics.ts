// LL2's query semantics, re-implemented from how its stack behaves (Django REST framework,
// django-filter, PostgreSQL) — NOT from the bot's code: a differential test compares the two.
// Pure functions: query params in, filtered/ordered/paginated rows out.
import { durationSeconds } from '../../fixtures/ll2/duration.ts';

// ---------------------------------------------------------------------------------------------
// Assumptions. Each is our best reading of LL2; change it here if a real response disagrees.

/**
 * ASSUMPTION: where NULLs go when ordering. PostgreSQL's default treats NULL as larger than any
 * value: NULLs come LAST ascending and FIRST descending (Django adds no NULLS FIRST/LAST).
 */
export const NULLS_SORT_AS: 'largest' | 'smallest' = 'largest';

/**
 * ASSUMPTION: how rows with equal sort keys are ordered. PostgreSQL leaves it unspecified; we
 * break ties by id ascending, as if LL2 ordered by `<field>, id`.
 */
export const TIE_BREAK: OrderTerm = { field: 'id', descending: false };

/** ASSUMPTION: without (valid) `ordering`, spacecraft come by id ascending. */
export const DEFAULT_SPACECRAFT_ORDERING: readonly OrderTerm[] = [{ field: 'id', descending: false }];

/**
 * ASSUMPTION: configurations ordered by `name` follow an en-US collation (PostgreSQL with an
 * en_US.UTF-8 database, approximated by ICU): case and punctuation matter less than letters.
 */
export const NAME_COLLATOR = new Intl.Collator('en-US');

/** LL2's page size when `limit` is absent or invalid, and the cap on `limit`. */
export const DEFAULT_PAGE_LIMIT = 10;
export const MAX_PAGE_LIMIT = 100;

// ---------------------------------------------------------------------------------------------
// Query params, read like Django's QueryDict.

/** Every value of every param, in arrival order (Django keeps blanks; `a` alone means `a=`). */
export type QueryParams = ReadonlyMap<string, readonly string[]>;

export function parseQuery(search: URLSearchParams): QueryParams {
  const params = new Map<string, string[]>();
  for (const [key, value] of search) {
    const values = params.get(key);
    if (values) values.push(value);
    else params.set(key, [value]);
  }
  return params;
}

/** `request.query_params.get(key)`: Django returns the LAST value of a repeated param. */
export function lastValue(params: QueryParams, key: string): string | undefined {
  return params.get(key)?.at(-1);
}

/** Characters Python's str.split()/str.strip() treat as whitespace (JS's \s differs slightly). */
const PY_WHITESPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, 'u');
const PY_STRIP = new RegExp(`^[${PY_WHITESPACE}]+|[${PY_WHITESPACE}]+$`, 'gu');

export function pyStrip(value: string): string {
  return value.replace(PY_STRIP, '');
}

// ---------------------------------------------------------------------------------------------
// django-filter.

/**
 * django-filter's BooleanWidget (used by its DRF FilterSets): 'true'/'1' and 'false'/'0' in any
 * case; anything else means "no filter" (not an error).
 */
export function parseBooleanFilter(value: string | undefined): boolean | undefined {
  switch (value?.toLowerCase()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      return undefined;
  }
}

export type NumberFilter = { kind: 'absent' } | { kind: 'invalid' } | { kind: 'value'; value: number };

const DECIMAL = /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?$/;

/**
 * ASSUMPTION: `spacecraft_config` and `status` are NumberFilters (so `abc` answers
 * "Enter a number.", as the brief says), which parse with Django's DecimalField: surrounding
 * whitespace, decimals and exponents are accepted; Inf/NaN are not. Empty means "no filter".
 */
export function parseNumberFilter(value: string | undefined): NumberFilter {
  if (value === undefined || value === '') return { kind: 'absent' };
  const trimmed = pyStrip(value);
  if (!DECIMAL.test(trimmed)) return { kind: 'invalid' };
  return { kind: 'value', value: Number(trimmed.replaceAll('_', '')) };
}

/** An integer primary key compared with a Decimal: Django's IntegerField.get_prep_value truncates (int()). */
export function matchesId(id: number, filter: NumberFilter & { kind: 'value' }): boolean {
  return Math.trunc(filter.value) === id;
}

export const ENTER_A_NUMBER = 'Enter a number.';

// ---------------------------------------------------------------------------------------------
// DRF SearchFilter over PostgreSQL.

/**
 * DRF SearchFilter terms: NUL characters dropped, commas count as spaces, split on (Python)
 * whitespace. ASSUMPTION: no quoted phrases (DRF 3.15 keeps "quoted phrases" together; the
 * brief asks for plain splitting).
 */
export function searchTerms(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.replaceAll('\0', '').replaceAll(',', ' ').split(PY_WHITESPACE_RUN).filter((term) => term !== '');
}

/**
 * `icontains` on PostgreSQL is `UPPER(field) LIKE UPPER('%term%')`. ASSUMPTION: UPPER works per
 * character and never changes length (libc towupper), so 'ß' stays 'ß' where JS would give 'SS'.
 */
export function pgUpper(value: string): string {
  let out = '';
  for (const ch of value) {
    const upper = ch.toUpperCase();
    out += upper.length === ch.length ? upper : ch;
  }
  return out;
}

/** Every term must be a case-insensitive substring of at least one field. */
export function matchesSearch(fields: readonly string[], terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const upperFields = fields.map(pgUpper);
  return terms.every((term) => {
    const upperTerm = pgUpper(term);
    return upperFields.some((field) => field.includes(upperTerm));
  });
}

// ---------------------------------------------------------------------------------------------
// DRF OrderingFilter.

export interface OrderTerm {
  field: string;
  descending: boolean;
}

/**
 * DRF OrderingFilter: comma-separated, each term stripped, unknown fields silently dropped; if
 * nothing valid is left, the default ordering applies.
 */
export function parseOrdering(
  value: string | undefined,
  validFields: readonly string[],
  fallback: readonly OrderTerm[],
): OrderTerm[] {
  if (!value) return [...fallback];
  const terms: OrderTerm[] = [];
  for (const raw of value.split(',')) {
    const term = pyStrip(raw);
    const descending = term.startsWith('-');
    const field = descending ? term.slice(1) : term;
    if (validFields.includes(field)) terms.push({ field, descending });
  }
  return terms.length > 0 ? terms : [...fallback];
}

export type SortKey = number | string | null;

function compareKeys(a: SortKey, b: SortKey, collator: Intl.Collator): number {
  if (a === b) return 0;
  const nullRank = NULLS_SORT_AS === 'largest' ? 1 : -1;
  if (a === null) return nullRank;
  if (b === null) return -nullRank;
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts rows by the terms, then by TIE_BREAK unless the terms already include its field.
 * `keyOf` gives a row's value for a field (durations as seconds, nullable).
 */
export function orderRows<T>(
  rows: readonly T[],
  terms: readonly OrderTerm[],
  keyOf: (row: T, field: string) => SortKey,
  collator: Intl.Collator = NAME_COLLATOR,
): T[] {
  const allTerms = terms.some((t) => t.field === TIE_BREAK.field) ? [...terms] : [...terms, TIE_BREAK];
  const keyed = rows.map((row) => ({ row, keys: allTerms.map((t) => keyOf(row, t.field)) }));
  keyed.sort((a, b) => {
    for (const [index, term] of allTerms.entries()) {
      const order = compareKeys(a.keys[index] ?? null, b.keys[index] ?? null, collator);
      if (order !== 0) return term.descending ? -order : order;
    }
    return 0;
  });
  return keyed.map(({ row }) => row);
}

/** An LL2 duration as a sort key: its total length in seconds. */
export function durationKey(value: string | null): number | null {
  return value === null ? null : durationSeconds(value);
}

// ---------------------------------------------------------------------------------------------
// DRF LimitOffsetPagination.

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** Python's int() on a string: whitespace around, a sign, digits with single underscores. */
function pyInt(value: string): number | undefined {
  const trimmed = pyStrip(value);
  return /^[+-]?\d+(?:_\d+)*$/.test(trimmed) ? Number(trimmed.replaceAll('_', '')) : undefined;
}

/** DRF get_limit: a positive int capped at MAX_PAGE_LIMIT; anything else (0, negative, junk) → default. */
export function pageLimit(params: QueryParams): number {
  const value = lastValue(params, 'limit');
  const parsed = value === undefined ? undefined : pyInt(value);
  if (parsed === undefined || parsed <= 0) return DEFAULT_PAGE_LIMIT;
  return Math.min(parsed, MAX_PAGE_LIMIT);
}

/** DRF get_offset: a non-negative int; anything else → 0. */
export function pageOffset(params: QueryParams): number {
  const value = lastValue(params, 'offset');
  const parsed = value === undefined ? undefined : pyInt(value);
  return parsed === undefined || parsed < 0 ? 0 : parsed;
}

/**
 * One page plus DRF's links. `pageUrl` is the absolute URL of the list without its query; links
 * keep every param (re-encoded and sorted by name, as DRF's replace_query_param does), always
 * carry `limit`, and drop `offset` when it would be 0.
 */
export function paginate<T>(rows: readonly T[], params: QueryParams, pageUrl: string): Page<T> {
  const limit = pageLimit(params);
  const offset = pageOffset(params);
  const count = rows.length;
  const results = count === 0 || offset > count ? [] : rows.slice(offset, offset + limit);
  const next = offset + limit >= count ? null : linkWith(pageUrl, params, { limit, offset: offset + limit });
  let previous: string | null = null;
  if (offset > 0) {
    previous =
      offset - limit <= 0
        ? linkWith(pageUrl, params, { limit, offset: null })
        : linkWith(pageUrl, params, { limit, offset: offset - limit });
  }
  return { count, next, previous, results };
}

function linkWith(pageUrl: string, params: QueryParams, set: { limit: number; offset: number | null }): string {
  const merged = new Map(params);
  merged.set('limit', [String(set.limit)]);
  if (set.offset === null) merged.delete('offset');
  else merged.set('offset', [String(set.offset)]);
  const query = [...merged.entries()]
    .sort(([a], [b]) => compareCodePoints(a, b))
    .flatMap(([key, values]) => values.map((value) => `${quotePlus(key)}=${quotePlus(value)}`))
    .join('&');
  return `${pageUrl}?${query}`;
}

/** Python's string order (by code point), which differs from JS's UTF-16 order above U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a, (ch) => ch.codePointAt(0) ?? 0);
  const right = Array.from(b, (ch) => ch.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

const QUOTE_PLUS_SAFE = /^[A-Za-z0-9_.~-]$/;
const utf8 = new TextEncoder();

/** Python's urllib.parse.quote_plus: UTF-8, only `A-Za-z0-9_.-~` kept, space as '+'. */
export function quotePlus(value: string): string {
  let out = '';
  for (const ch of value) {
    if (ch === ' ') out += '+';
    else if (QUOTE_PLUS_SAFE.test(ch)) out += ch;
    else for (const byte of utf8.encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
