// The local mirror of LL2's spacecraft, configurations and statuses. A sync builds a new version
// aside and swaps it in whole; the last good version lives in the store so a restart costs no quota.
import { z } from 'zod';
import type { Ll2Client, QueryParams } from '../ll2/client.ts';
import { configSchema, spacecraftSchema, statusSchema, type Page, type Spacecraft, type SpacecraftConfig, type SpacecraftStatus } from '../ll2/schemas.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { SortedCatalogue } from './engine.ts';
import type { Priority, QuotaGovernor } from './quota.ts';

export const PAGE_LIMIT = 100;
/** A sync that keeps finding more rows than announced stops after this many extra pages. */
const MAX_EXTRA_PAGES = 3;

const KEYS = {
  meta: 'catalogue:meta',
  spacecraft: 'catalogue:spacecraft',
  configurations: 'catalogue:configurations',
  statuses: 'catalogue:statuses',
} as const;

export type Part = 'spacecraft' | 'configurations' | 'statuses';
export const PARTS: readonly Part[] = ['spacecraft', 'configurations', 'statuses'];

const metaSchema = z.object({
  spacecraft: z.number().optional(),
  configurations: z.number().optional(),
  statuses: z.number().optional(),
});
type Meta = z.output<typeof metaSchema>;

const storedSchemas = {
  spacecraft: z.object({ fetchedAt: z.number(), records: z.array(spacecraftSchema) }),
  configurations: z.object({ fetchedAt: z.number(), records: z.array(configSchema) }),
  statuses: z.object({ fetchedAt: z.number(), records: z.array(statusSchema) }),
};

export interface Versioned<T> {
  fetchedAt: number;
  records: T[];
  byId: Map<number, T>;
}

export interface SpacecraftVersion extends Versioned<Spacecraft> {
  sorted: SortedCatalogue;
}

export class Catalogue {
  spacecraft: SpacecraftVersion | null = null;
  configurations: Versioned<SpacecraftConfig> | null = null;
  statuses: Versioned<SpacecraftStatus> | null = null;
  private loadedMeta: Meta = {};
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly deps: { store: Store; client: Ll2Client; quota: QuotaGovernor; logger: Logger; now: () => number },
  ) {}

  /** Called after any part changes (the name index rebuilds itself from here). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Requests a sync of this part will cost, judged by the version we hold. */
  estimatedPages(part: Part): number {
    const held = this[part]?.records.length ?? (part === 'spacecraft' ? 600 : 1);
    return Math.max(1, Math.ceil(held / PAGE_LIMIT));
  }

  get quota(): QuotaGovernor {
    return this.deps.quota;
  }

  fetchedAt(part: Part): number | null {
    return this[part]?.fetchedAt ?? null;
  }

  /** Loads what the store holds. Costs no quota. Returns the parts that changed. */
  async load(): Promise<Part[]> {
    const meta = (await this.deps.store.getFresh(KEYS.meta, metaSchema)) ?? {};
    const changed: Part[] = [];
    for (const part of PARTS) {
      const stamp = meta[part];
      if (stamp === undefined || stamp === this.loadedMeta[part]) continue;
      const stored = await this.deps.store.getFresh(KEYS[part], storedSchemas[part]);
      if (stored === undefined) continue;
      this.install(part, stored.records, stored.fetchedAt);
      changed.push(part);
    }
    if (changed.length > 0) {
      this.emit();
      this.deps.logger.info({ parts: changed }, 'loaded the catalogue version in the store');
    }
    return changed;
  }

  /** Parts being synced right now. */
  readonly syncing = new Set<Part>();

  /**
   * Mirrors one part from LL2 (background priority). The new version is built aside, then stored
   * and swapped in whole; any failure leaves the old version serving and is thrown to the caller.
   */
  async sync(part: Part, priority: Priority = 'background'): Promise<void> {
    this.syncing.add(part);
    try {
      await this.syncNow(part, priority);
    } finally {
      this.syncing.delete(part);
    }
  }

  private async syncNow(part: Part, priority: Priority): Promise<void> {
    const started = this.deps.now();
    const records =
      part === 'spacecraft'
        ? await this.mirror('spacecraft', priority, (p) => this.deps.client.listSpacecraft({ ...p, mode: 'normal', ordering: 'id' }))
        : part === 'configurations'
          ? await this.mirror('configurations', priority, (p) => this.deps.client.listConfigurations({ ...p, ordering: 'id' }))
          : await this.mirror('statuses', priority, (p) => this.deps.client.listStatuses(p));
    await this.deps.store.set(KEYS[part], { fetchedAt: started, records });
    // a failed read must not write a meta that forgets the parts we know are stored
    const meta = (await this.deps.store.getFresh(KEYS.meta, metaSchema)) ?? {};
    await this.deps.store.set(KEYS.meta, { ...this.loadedMeta, ...meta, [part]: started });
    this.install(part, records as never, started);
    this.emit();
    this.deps.logger.info({ part, records: records.length, ms: this.deps.now() - started }, 'catalogue part synced');
  }

  private async mirror<T extends { id: number }>(part: Part, priority: Priority, fetchPage: (params: QueryParams) => Promise<Page<T>>): Promise<T[]> {
    const byId = new Map<number, T>();
    let offset = 0;
    let count = Infinity;
    let pagesLeft = Infinity;
    // Paging by offset over ordering=id: rows added meanwhile land at the tail, so following the
    // newest count picks them up; the page budget stops a count that keeps growing.
    while (offset < count && pagesLeft > 0) {
      const params: QueryParams = { limit: PAGE_LIMIT, ...(offset > 0 ? { offset } : {}) };
      const page = await this.deps.quota.run(`sync:${part}:${offset}`, priority, () => fetchPage(params));
      for (const record of page.results) byId.set(record.id, record);
      if (pagesLeft === Infinity) {
        pagesLeft = Math.ceil(page.count / PAGE_LIMIT) + MAX_EXTRA_PAGES;
        // an implausible count (or one the budget cannot cover) would spend the window for nothing
        const needed = Math.ceil(page.count / PAGE_LIMIT) - 1;
        if (needed > (await this.deps.quota.headroom(priority))) {
          throw new Error(`LL2 announces ${page.count} ${part}; the ${needed} more pages that needs do not fit the quota now`);
        }
      }
      pagesLeft--;
      count = page.count;
      offset += PAGE_LIMIT;
      if (page.results.length === 0) break;
    }
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }

  private install(part: Part, records: unknown[], fetchedAt: number): void {
    this.loadedMeta[part] = fetchedAt;
    if (part === 'spacecraft') {
      const list = records as Spacecraft[];
      this.spacecraft = { fetchedAt, records: list, byId: new Map(list.map((r) => [r.id, r])), sorted: new SortedCatalogue(list) };
    } else if (part === 'configurations') {
      const list = records as SpacecraftConfig[];
      this.configurations = { fetchedAt, records: list, byId: new Map(list.map((r) => [r.id, r])) };
    } else {
      const list = records as SpacecraftStatus[];
      this.statuses = { fetchedAt, records: list, byId: new Map(list.map((r) => [r.id, r])) };
    }
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
