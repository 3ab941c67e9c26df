// Stored list state: who ran the query and what it was, under a short id the buttons carry.
import { z } from 'zod';
import { spacecraftQuerySchema, type SpacecraftQuery } from '../service/query.ts';
import type { Store } from '../store/store.ts';
import { newStateId } from './customId.ts';

export const PAGE_STATE_TTL_MS = 14 * 24 * 3600 * 1000;

const pageStateSchema = z.object({
  v: z.literal(1),
  ownerId: z.string(),
  query: spacecraftQuerySchema,
  createdAt: z.number(),
});

export type PageState = z.output<typeof pageStateSchema>;

export class PageStates {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  async create(ownerId: string, query: SpacecraftQuery): Promise<{ id: string; state: PageState }> {
    const id = newStateId();
    const state: PageState = { v: 1, ownerId, query, createdAt: this.now() };
    // Readable in this process at once (the store's memory layer); the answer does not wait for the
    // disk or Redis write, which lands within milliseconds — long before anyone can click a button.
    this.store.setSoon(`page:${id}`, state, PAGE_STATE_TTL_MS);
    return { id, state };
  }

  get(id: string): Promise<PageState | undefined> {
    return this.store.get(`page:${id}`, pageStateSchema);
  }
}
