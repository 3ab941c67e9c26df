// Drawn list pages, kept for the rest of the second they were drawn in. A popular search asked by
// many people at once (a busy server, an event everyone follows) is answered once a second, not once
// per person: nothing in a list page names who asked (see customId.ts), so the same page serves all.
// A page is reused only while everything it was drawn from is the same object it was then (the
// catalogue versions, whether the store is answering); the clock moves on each second, so footers
// ("catalogue synced 3 min ago") and time-in-space lines are never older than a second. Only answers
// from the synced catalogue are kept: live, cached and degraded answers are drawn every time.
import type { Message } from './types.ts';

interface Entry {
  basis: readonly unknown[];
  message: Message;
}

export interface AnswerCacheStats {
  hits: number;
  misses: number;
}

export class AnswerCache {
  private second = Number.NaN;
  private readonly entries = new Map<string, Entry>();
  readonly stats: AnswerCacheStats = { hits: 0, misses: 0 };

  constructor(
    private readonly now: () => number,
    /** Pages kept per second at most (a burst of distinct searches must not grow memory). */
    private readonly maxEntries = 2_000,
  ) {}

  private current(): Map<string, Entry> {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.second) {
      this.entries.clear();
      this.second = second;
    }
    return this.entries;
  }

  /** The page drawn this second under `key` from the same `basis` (compared element by element, ===). */
  get(key: string, basis: readonly unknown[]): Message | undefined {
    const entry = this.current().get(key);
    if (entry !== undefined && sameBasis(entry.basis, basis)) {
      this.stats.hits++;
      return entry.message;
    }
    this.stats.misses++;
    return undefined;
  }

  /**
   * Keeps `message` for the rest of this second and returns it frozen: the mark of a shared message,
   * whose callback bytes are made once (types.ts callbackJson). Messages are plain data nobody edits;
   * only the top is frozen, since parts of it may be the catalogue's own objects.
   */
  set(key: string, basis: readonly unknown[], message: Message): Message {
    const entries = this.current();
    const frozen = Object.freeze(message);
    if (entries.size < this.maxEntries || entries.has(key)) entries.set(key, { basis, message: frozen });
    return frozen;
  }
}

function sameBasis(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
