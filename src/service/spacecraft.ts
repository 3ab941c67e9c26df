// The spacecraft service: decides, for every question, between the local catalogue, the store's
// caches and an upstream call — and says how fresh each answer is.
import { z } from 'zod';
import { NotFoundError, UpstreamUnavailableError } from '../errors.ts';
import type { Ll2Client } from '../ll2/client.ts';
import { Ll2Error, Ll2HttpError, Ll2QuotaError } from '../ll2/errors.ts';
import { spacecraftDetailedSchema, spacecraftSchema, type Spacecraft, type SpacecraftDetailed, type SpacecraftStatus } from '../ll2/schemas.ts';
import type { Logger } from '../log.ts';
import { errorText } from '../log.ts';
import type { Store } from '../store/store.ts';
import { formatWait } from '../duration.ts';
import type { Catalogue } from './catalogue.ts';
import { AUTOCOMPLETE } from '../render/limits.ts';
import { clip } from '../render/text.ts';
import { NameIndex, normalise, type Choice } from './nameIndex.ts';
import { queryKey, toLl2Params, type SpacecraftQuery } from './query.ts';
import type { QuotaGovernor } from './quota.ts';

/** Where an answer came from and how old it is; rendered in every footer. */
export interface Freshness {
  origin: 'live' | 'cache' | 'catalogue';
  fetchedAt: number;
  /** Why older data is shown: LL2 refused (quota) or could not be reached. */
  degraded: null | { reason: 'quota' | 'unreachable' | 'store'; retryAfterSecs: number | null };
  /** The store is failing: this answer comes from this process's memory. */
  memoryOnly: boolean;
}

export interface SearchAnswer {
  results: Spacecraft[];
  count: number;
  freshness: Freshness;
}

export interface ShowAnswer {
  craft: SpacecraftDetailed | Spacecraft;
  /** null when only the catalogue's normal-mode record was available */
  flights: SpacecraftDetailed['flights'] | null;
  flightsRetryAfterSecs: number | null;
  freshness: Freshness;
}

export interface ServiceOptions {
  store: Store;
  client: Ll2Client;
  quota: QuotaGovernor;
  catalogue: Catalogue;
  logger: Logger;
  now: () => number;
  detailTtlMs: number;
  listTtlMs: number;
  /** How many upstream requests one person may cause per window. */
  personShare: { limit: number; windowMs: number };
}

const FALLBACK_BLOCK = 100;
const cachedListSchema = z.object({ fetchedAt: z.number(), count: z.number(), results: z.array(spacecraftSchema) });
const cachedDetailSchema = z.object({ fetchedAt: z.number(), record: spacecraftDetailedSchema });
/** Stored far longer than they count as fresh: stale data beats no data when LL2 is away. */
const KEEP_STALE_MS = 30 * 24 * 3600 * 1000;
/** An id LL2 answered 404 for is not asked again for this long. */
const MISSING_TTL_MS = 6 * 3600 * 1000;

export class SpacecraftService {
  readonly names = new NameIndex();
  /** Spacecraft seen in upstream answers before the catalogue exists, so autocomplete has something. */
  private readonly seen = new Map<number, Spacecraft>();
  /** Upstream requests each person caused recently (this process). */
  private readonly shares = new Map<string, number[]>();

  constructor(private readonly options: ServiceOptions) {
    options.catalogue.onChange(() => this.rebuildNames());
  }

  get catalogue(): Catalogue {
    return this.options.catalogue;
  }

  /**
   * What a list page drawn from the synced catalogue depends on besides its query and the clock: the
   * catalogue versions (spacecraft, configuration and status names) and whether the store answers
   * (the footer says when it does not). null before the first sync (answers come from LL2 then).
   */
  listBasis(): readonly unknown[] | null {
    const { spacecraft, configurations, statuses } = this.options.catalogue;
    return spacecraft === null ? null : [spacecraft, configurations, statuses, this.options.store.healthy];
  }

  statuses(): SpacecraftStatus[] {
    return this.options.catalogue.statuses?.records ?? [];
  }

  async search(query: SpacecraftQuery, offset: number, limit: number): Promise<SearchAnswer> {
    const version = this.options.catalogue.spacecraft;
    if (version !== null) {
      const { count, results } = version.sorted.query(query, limit, offset);
      return { count, results, freshness: this.freshness('catalogue', version.fetchedAt, null) };
    }
    return this.searchUpstream(query, offset, limit);
  }

  /** While the catalogue is empty: LL2 answers, 100 rows a request, cached; pages are cut locally. */
  private async searchUpstream(query: SpacecraftQuery, offset: number, limit: number): Promise<SearchAnswer> {
    const block = Math.floor(offset / FALLBACK_BLOCK) * FALLBACK_BLOCK;
    const key = `list:${queryKey(query)}:${block}`;
    const cached = await this.options.store.get(key, cachedListSchema);
    const slice = (entry: z.output<typeof cachedListSchema>) => entry.results.slice(offset - block, offset - block + limit);
    if (cached !== undefined && this.options.now() - cached.fetchedAt < this.options.listTtlMs) {
      return { count: cached.count, results: slice(cached), freshness: this.freshness('cache', cached.fetchedAt, null) };
    }
    try {
      const params = toLl2Params(query, FALLBACK_BLOCK, block);
      const page = await this.options.quota.run(this.options.client.urlFor('/spacecraft/', params), 'interactive', () =>
        this.options.client.listSpacecraft(params),
      );
      // LL2 pages can repeat a row when the data changes under them: keep the first of each id
      const seenIds = new Set<number>();
      const results = page.results.filter((r) => (seenIds.has(r.id) ? false : (seenIds.add(r.id), true)));
      const entry = { fetchedAt: this.options.now(), count: Math.max(page.count, block + results.length), results };
      await this.options.store.set(key, entry, KEEP_STALE_MS);
      this.remember(page.results);
      return { count: entry.count, results: slice(entry), freshness: this.freshness('live', entry.fetchedAt, null) };
    } catch (error) {
      const degraded = this.degradedBy(error);
      if (cached !== undefined) {
        return { count: cached.count, results: slice(cached), freshness: this.freshness('cache', cached.fetchedAt, degraded) };
      }
      throw this.unavailable(error, degraded, 'The spacecraft list is not loaded yet');
    }
  }

  /**
   * One spacecraft with its flights. `personId` (who asked) gets a fair share of upstream requests:
   * past it, their new cards come from the catalogue and the quota stays for everyone else.
   */
  async show(id: number, personId?: string): Promise<ShowAnswer> {
    const key = `detail:${id}`;
    const cached = await this.options.store.get(key, cachedDetailSchema);
    if (cached !== undefined && this.options.now() - cached.fetchedAt < this.options.detailTtlMs) {
      return { craft: cached.record, flights: cached.record.flights, flightsRetryAfterSecs: null, freshness: this.freshness('cache', cached.fetchedAt, null) };
    }
    const version = this.options.catalogue.spacecraft;
    // an id the catalogue does not know costs nothing to refuse (and cannot be used to drain the quota)
    if (version !== null && !version.byId.has(id) && cached === undefined) throw new NotFoundError(`No spacecraft with id ${id} is known.`);
    if (await this.options.store.get(`missing:${id}`, z.literal(true))) throw new NotFoundError(`LL2 has no spacecraft with id ${id}.`);
    const share = personId === undefined ? 0 : this.shareWaitSecs(personId);
    if (share > 0) {
      const record = version?.byId.get(id);
      if (record !== undefined && version !== null) {
        return { craft: cached?.record ?? record, flights: cached?.record.flights ?? null, flightsRetryAfterSecs: cached === undefined ? share : null, freshness: this.freshness(cached === undefined ? 'catalogue' : 'cache', cached?.fetchedAt ?? version.fetchedAt, null) };
      }
    }
    try {
      if (personId !== undefined) this.spendShare(personId);
      const record = await this.options.quota.run(`detail:${id}`, 'interactive', () => this.options.client.getSpacecraft(id));
      const fetchedAt = this.options.now();
      await this.options.store.set(key, { fetchedAt, record }, KEEP_STALE_MS);
      this.remember([record]);
      return { craft: record, flights: record.flights, flightsRetryAfterSecs: null, freshness: this.freshness('live', fetchedAt, null) };
    } catch (error) {
      if (error instanceof Ll2HttpError && error.status === 404) {
        await this.options.store.set(`missing:${id}`, true, MISSING_TTL_MS);
        throw new NotFoundError(`LL2 has no spacecraft with id ${id}.`);
      }
      const degraded = this.degradedBy(error);
      if (cached !== undefined) {
        return { craft: cached.record, flights: cached.record.flights, flightsRetryAfterSecs: null, freshness: this.freshness('cache', cached.fetchedAt, degraded) };
      }
      const record = version?.byId.get(id) ?? this.seen.get(id);
      if (record !== undefined && version !== null) {
        return {
          craft: record,
          flights: null,
          flightsRetryAfterSecs: degraded?.retryAfterSecs ?? null,
          freshness: this.freshness('catalogue', version.fetchedAt, degraded),
        };
      }
      throw this.unavailable(error, degraded, 'That spacecraft card cannot be loaded right now');
    }
  }

  /**
   * The spacecraft a `show name:` value means: an id (what autocomplete sends), an exact name, or
   * else the best match (`guessed`: the answer should say it is one pick of several).
   */
  async resolve(text: string): Promise<{ id: number; guessed: boolean }> {
    const trimmed = text.trim();
    // "63" (what autocomplete sends) or "#63" (as autocomplete and cards show ids)
    const id = /^#?\s*(\d{1,9})$/.exec(trimmed)?.[1];
    if (id !== undefined) return { id: Number(id), guessed: false };
    const wanted = normalise(trimmed);
    const named = (crafts: Iterable<Spacecraft>) => [...crafts].find((craft) => normalise(craft.name) === wanted);
    const exact = named([...(this.options.catalogue.spacecraft?.records ?? []), ...this.seen.values()]);
    if (exact !== undefined) return { id: exact.id, guessed: false };
    const best = this.names.spacecraft.suggest(trimmed, 1)[0];
    if (best !== undefined) return { id: Number(best.value), guessed: true };
    if (this.options.catalogue.spacecraft === null) {
      const answer = await this.searchUpstream({ search: trimmed, detail: 'normal' }, 0, 1);
      // the upstream page (remembered in `seen`) may hold the exact name even when it is not first
      const upstream = named(this.seen.values());
      if (upstream !== undefined) return { id: upstream.id, guessed: false };
      const first = answer.results[0];
      if (first !== undefined) return { id: first.id, guessed: true };
    }
    throw new NotFoundError(`No spacecraft matches “${trimmed.slice(0, 80)}”. Pick one from the suggestions.`);
  }

  /** Names matching the text; typed digits that are a known spacecraft's id put that one first (show takes ids). */
  suggestSpacecraft(text: string): Choice[] {
    const choices = this.names.spacecraft.suggest(text);
    const id = text.trim();
    const craft = /^\d{1,9}$/.test(id) ? this.options.catalogue.spacecraft?.byId.get(Number(id)) : undefined;
    if (craft === undefined) return choices;
    const label = craft.name.trim() === '' ? `Spacecraft #${craft.id}` : `#${craft.id} · ${craft.name.trim()}`;
    const byId = { name: clip(label, AUTOCOMPLETE.maxNameLength), value: String(craft.id) };
    return [byId, ...choices.filter((c) => c.value !== byId.value)].slice(0, AUTOCOMPLETE.maxChoices);
  }

  suggestConfigurations(text: string): Choice[] {
    return this.names.configurations.suggest(text);
  }

  /** The configuration name for a `config` filter value, for "no results" messages. */
  configurationName(id: number): string | null {
    return this.options.catalogue.configurations?.byId.get(id)?.name ?? this.options.catalogue.spacecraft?.records.find((c) => c.spacecraft_config?.id === id)?.spacecraft_config?.name ?? null;
  }

  statusName(id: number): string | null {
    return this.options.catalogue.statuses?.byId.get(id)?.name ?? null;
  }

  /** Seconds until this person may cause another upstream request (0: now). */
  private shareWaitSecs(personId: string): number {
    const { limit, windowMs } = this.options.personShare;
    const now = this.options.now();
    const recent = (this.shares.get(personId) ?? []).filter((t) => t > now - windowMs);
    this.shares.set(personId, recent);
    if (recent.length < limit) return 0;
    return Math.ceil((recent[recent.length - limit]! + windowMs - now) / 1000);
  }

  private spendShare(personId: string): void {
    const list = this.shares.get(personId) ?? [];
    list.push(this.options.now());
    this.shares.set(personId, list);
    if (this.shares.size > 10_000) this.shares.delete(this.shares.keys().next().value!);
  }

  private remember(records: Spacecraft[]): void {
    if (this.options.catalogue.spacecraft !== null) return;
    for (const record of records) this.seen.set(record.id, record);
    this.rebuildNames();
  }

  private rebuildNames(): void {
    const records = this.options.catalogue.spacecraft?.records ?? [...this.seen.values()];
    this.names.rebuild(records, this.options.catalogue.configurations?.records ?? []);
  }

  private freshness(origin: Freshness['origin'], fetchedAt: number, degraded: Freshness['degraded']): Freshness {
    return { origin, fetchedAt, degraded, memoryOnly: !this.options.store.healthy };
  }

  private degradedBy(error: unknown): NonNullable<Freshness['degraded']> {
    if (error instanceof Ll2QuotaError) return { reason: error.origin === 'store' ? 'store' : 'quota', retryAfterSecs: error.retryAfterSecs };
    if (error instanceof Ll2Error) return { reason: 'unreachable', retryAfterSecs: null };
    throw error;
  }

  private unavailable(error: unknown, degraded: NonNullable<Freshness['degraded']>, what: string): UpstreamUnavailableError {
    this.options.logger.warn({ err: errorText(error) }, `${what}: upstream unavailable`);
    if (degraded.reason === 'store') {
      return new UpstreamUnavailableError(`${what}: the bot's storage is offline, so it cannot safely ask Launch Library 2 now. Try again in a minute.`, degraded.retryAfterSecs);
    }
    if (error instanceof Ll2HttpError && error.status === 404) {
      return new UpstreamUnavailableError(`${what}: Launch Library 2 answered “not found” — the bot's LL2_BASE_URL may be wrong.`, null);
    }
    const { catalogue } = this.options;
    if (error instanceof Ll2QuotaError && error.origin === 'local' && this.options.quota.blockedForMs() === 0 && catalogue.spacecraft === null && catalogue.syncing.has('spacecraft')) {
      // the first sync holds the requests there are: it ends within a minute, and then the catalogue answers
      return new UpstreamUnavailableError(`${what}: the bot is loading the spacecraft catalogue from Launch Library 2 (its first start) and has no request to spare until then. Try again in a minute.`, 60);
    }
    if (degraded.reason === 'quota') {
      const wait = degraded.retryAfterSecs === null ? 'soon' : formatWait(degraded.retryAfterSecs);
      return new UpstreamUnavailableError(`${what}: Launch Library 2's request quota is used up. Try again ${wait}.`, degraded.retryAfterSecs);
    }
    return new UpstreamUnavailableError(`${what}: Launch Library 2 is not answering. Try again in a few minutes.`, null);
  }
}

