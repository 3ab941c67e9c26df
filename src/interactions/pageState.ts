// Stored list state: the query a list shows, under a short id the buttons carry. The id is derived
// from the query, so the same search run again (by anyone) reuses one stored state: a popular
// search is written once an hour at most, not once per person who runs it. Who may page a message itself is
// in the buttons (customId.ts), not here.
import { z } from 'zod';
import { spacecraftQuerySchema, type SpacecraftQuery } from '../service/query.ts';
import type { Store } from '../store/store.ts';
import { contentId } from './customId.ts';

/** How long a list's buttons keep working after its query was last stored. */
export const PAGE_STATE_TTL_MS = 14 * 24 * 3600 * 1000;
/**
 * A query this process stored less than this long ago is not stored again: buttons live at least
 * TTL − this, and a state the store lost (a Redis restart without persistence, an eviction) is back
 * within this long of the next such search.
 */
export const PAGE_STATE_REWRITE_MS = 3600 * 1000;
/** How long a missing list state is waited for once (a write from another process still on its way). */
const LATE_WRITE_WAIT_MS = 150;
/** Queries this process remembers having stored (oldest forgotten first; forgetting only costs a write). */
const REMEMBERED_WRITES = 10_000;

const pageStateSchema = z.union([
  z.object({ v: z.literal(2), query: spacecraftQuerySchema }),
  // written before the owner moved into the buttons (sc1 custom_ids point at these)
  z.object({ v: z.literal(1), ownerId: z.string(), query: spacecraftQuerySchema, createdAt: z.number() }),
]);

export interface PageState {
  query: SpacecraftQuery;
  /** Only on states written for sc1 buttons, whose custom_ids do not say who owns the message. */
  ownerId?: string;
}

/** The query in one fixed shape: equal queries give equal text whatever order options came in. */
export function canonicalQuery(query: SpacecraftQuery): string {
  return JSON.stringify([query.search ?? null, query.status ?? null, query.inSpace ?? null, query.placeholder ?? null, query.config ?? null, query.ordering ?? null, query.detail]);
}

export class PageStates {
  /** canonical query → its state id and when this process last stored it (insertion order = age, for forgetting). */
  private readonly written = new Map<string, { id: string; at: number }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** The state id for this query, storing it unless this process did so within PAGE_STATE_REWRITE_MS. */
  remember(query: SpacecraftQuery): string {
    const canonical = canonicalQuery(query);
    const now = this.now();
    const known = this.written.get(canonical);
    if (known !== undefined && now - known.at < PAGE_STATE_REWRITE_MS) return known.id;
    const id = known?.id ?? contentId(canonical);
    const entry = { id, at: now };
    this.written.delete(canonical);
    this.written.set(canonical, entry);
    if (this.written.size > REMEMBERED_WRITES) this.written.delete(this.written.keys().next().value!);
    // Readable in this process at once (the store's memory layer); the answer does not wait for the
    // disk or Redis write, which lands within milliseconds — long before anyone can click a button.
    // A write that did not reach the store (store offline) is tried again by the next such search.
    void this.store.setSoon(`page:${id}`, { v: 2, query }, PAGE_STATE_TTL_MS).then((stored) => {
      if (!stored && this.written.get(canonical) === entry) this.written.delete(canonical);
    });
    return id;
  }

  async get(id: string): Promise<PageState | undefined> {
    // Another process may have drawn the list an instant ago and its write not landed yet (a client
    // that clicks at machine speed, HTTP workers in round robin): look once more before "expired".
    const state =
      (await this.store.get(`page:${id}`, pageStateSchema)) ??
      (await new Promise((resolve) => setTimeout(resolve, LATE_WRITE_WAIT_MS)).then(() => this.store.getFresh(`page:${id}`, pageStateSchema)));
    if (state === undefined) return undefined;
    return state.v === 1 ? { query: state.query, ownerId: state.ownerId } : { query: state.query };
  }
}
