// Keeps the catalogue fresh within the quota: syncs each part when it is due, one process at a time
// (a lease), backs off after failures, and picks up versions other processes stored.
import { Ll2QuotaError } from '../ll2/errors.ts';
import type { Logger } from '../log.ts';
import type { Lease } from '../store/lease.ts';
import { PARTS, type Catalogue, type Part } from './catalogue.ts';

export interface RefresherOptions {
  catalogue: Catalogue;
  lease: Lease;
  logger: Logger;
  now: () => number;
  /** How often each part is re-synced. */
  intervalsMs: Record<Part, number>;
  /** Past this age a sync may use the slots kept for people (the data is overdue). */
  maxAgeMs: number;
  tickMs?: number;
}

const MAX_BACKOFF_MS = 60 * 60 * 1000;
const LEASE_MS = 10 * 60 * 1000;
/** How long a sync that does not fit the budget waits before looking again. */
const WAIT_FOR_BUDGET_MS = 5 * 60 * 1000;

export class Refresher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly failures = new Map<Part, number>();
  private readonly nextAttempt = new Map<Part, number>();

  constructor(private readonly options: RefresherOptions) {}

  start(): void {
    if (this.timer !== null) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: pick up others' versions, then sync what is due. Never throws. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    const { catalogue, lease, logger, now } = this.options;
    try {
      await catalogue.load();
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not read the stored catalogue');
    }
    for (const part of PARTS) {
      const fetchedAt = catalogue.fetchedAt(part);
      const due = fetchedAt === null || now() - fetchedAt >= this.options.intervalsMs[part];
      if (!due || now() < (this.nextAttempt.get(part) ?? 0)) continue;
      let held = false;
      try {
        // data older than the bound may use the slots kept for people; a first sync may not
        const overdue = fetchedAt !== null && now() - fetchedAt >= this.options.maxAgeMs;
        const priority = overdue ? 'interactive' : 'background';
        // a sync that runs out of budget half-way wastes what it spent: start only when it fits
        const pages = catalogue.estimatedPages(part);
        if ((await catalogue.quota.headroom(priority)) < pages) {
          this.nextAttempt.set(part, now() + WAIT_FOR_BUDGET_MS);
          logger.info({ part, pages }, 'catalogue sync waits for quota headroom');
          continue;
        }
        held = await lease.acquire(`sync:${part}`, LEASE_MS);
        if (!held) continue;
        await catalogue.sync(part, priority);
        this.failures.delete(part);
        this.nextAttempt.delete(part);
      } catch (error) {
        const failures = (this.failures.get(part) ?? 0) + 1;
        this.failures.set(part, failures);
        const backoff = Math.min(MAX_BACKOFF_MS, 60_000 * 2 ** (failures - 1));
        const wait = error instanceof Ll2QuotaError ? Math.max(backoff, error.retryAfterSecs * 1000) : backoff;
        this.nextAttempt.set(part, now() + wait);
        logger.warn({ part, failures, retryInMs: wait, err: error instanceof Error ? error.message : String(error) }, 'catalogue sync failed; keeping the last good version');
      } finally {
        if (held) await lease.release(`sync:${part}`).catch(() => {});
      }
    }
  }
}
