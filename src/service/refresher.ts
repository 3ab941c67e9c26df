// Keeps the catalogue fresh within the quota: syncs each part when it is due, one process at a time
// (one lease for the whole catalogue, renewed while held, so it lapses soon after a holder dies),
// backs off after failures, and picks up versions other processes stored.
import { Ll2QuotaError } from '../ll2/errors.ts';
import type { Logger } from '../log.ts';
import { errorText } from '../log.ts';
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
/** A part due for this long past its interval reserves the slots its sync needs. */
const STARVED_AFTER_MS = 60 * 60 * 1000;
/** A starved sync holding a reservation looks again this often (slots free as the window slides). */
const WAIT_FOR_RESERVATION_MS = 60 * 1000;
/** How long a sync that does not fit the budget waits before looking again. */
const WAIT_FOR_BUDGET_MS = 5 * 60 * 1000;
/** The sync lease lapses this long after its holder stops renewing it (it died). */
const LEASE_MS = 60_000;
const RENEW_EVERY_MS = LEASE_MS / 4;
/** While another process syncs, look for its result this often (instead of the next tick). */
const WAIT_FOR_HOLDER_MS = 1_000;
/** The lease a process holds while it syncs the catalogue. */
export const SYNC_LEASE = 'catalogue-sync';

export class Refresher {
  private timer: NodeJS.Timeout | null = null;
  private followUp: NodeJS.Timeout | null = null;
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
    if (this.followUp !== null) clearTimeout(this.followUp);
    this.timer = null;
    this.followUp = null;
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
    const { lease, logger } = this.options;
    // before anything is awaited (people may be asking for cards meanwhile), hold what a first sync needs
    this.holdForFirstSync();
    await this.loadStored();
    this.holdForFirstSync();
    if (this.dueParts().length === 0) return;
    // One process syncs at a time, the whole catalogue under one lease; the others load its result.
    let held = false;
    try {
      held = await lease.acquire(SYNC_LEASE, LEASE_MS);
    } catch (error) {
      logger.warn({ err: errorText(error) }, 'could not take the catalogue sync lease; trying again later');
      return;
    }
    if (!held) {
      this.waitForHolder();
      return;
    }
    const renewal = setInterval(() => {
      lease.renew(SYNC_LEASE, LEASE_MS).catch((error: unknown) => {
        logger.warn({ err: errorText(error) }, 'could not renew the catalogue sync lease');
      });
    }, RENEW_EVERY_MS);
    renewal.unref();
    try {
      // another process may have finished a sync between our load and our lease
      await this.loadStored();
      for (const part of this.dueParts()) await this.syncPart(part, this.missingPages());
    } finally {
      clearInterval(renewal);
      await lease.release(SYNC_LEASE).catch(() => {});
    }
  }

  /** What the parts never synced need in all (0 once each has a version). */
  private missingPages(): number {
    const { catalogue } = this.options;
    return PARTS.filter((p) => catalogue.fetchedAt(p) === null).reduce((pages, p) => pages + catalogue.estimatedPages(p), 0);
  }

  /** Whether the reservation held is for a first sync (so it is given back once nothing is missing). */
  private holdingForFirst = false;

  /**
   * Parts never synced hold back the slots all of them need: without them no list can be answered,
   * so people's cards must not use those slots up. Given back once every part has a version
   * (synced here or loaded from another process's sync).
   */
  private holdForFirstSync(): void {
    const pages = this.missingPages();
    if (pages > 0) {
      this.options.catalogue.quota.reserveForSync(pages);
      this.holdingForFirst = true;
    } else if (this.holdingForFirst) {
      this.options.catalogue.quota.releaseReservation();
      this.holdingForFirst = false;
    }
  }

  /** Parts past their interval and outside their back-off. */
  private dueParts(): Part[] {
    const { catalogue, now, intervalsMs } = this.options;
    return PARTS.filter((part) => {
      const fetchedAt = catalogue.fetchedAt(part);
      const due = fetchedAt === null || now() - fetchedAt >= intervalsMs[part];
      return due && now() >= (this.nextAttempt.get(part) ?? 0);
    });
  }

  private async loadStored(): Promise<void> {
    try {
      await this.options.catalogue.load();
    } catch (error) {
      this.options.logger.warn({ err: errorText(error) }, 'could not read the stored catalogue');
    }
  }

  /** Someone else holds the lease: look again soon, so their version is picked up without waiting a whole tick. */
  private waitForHolder(): void {
    if (this.timer === null || this.followUp !== null) return;
    this.followUp = setTimeout(() => {
      this.followUp = null;
      void this.tick();
    }, WAIT_FOR_HOLDER_MS);
    this.followUp.unref();
  }

  /** `missingPages`: what the parts never synced (this one among them, if it is one) need in all. */
  private async syncPart(part: Part, missingPages: number): Promise<void> {
    const { catalogue, logger, now } = this.options;
    const fetchedAt = catalogue.fetchedAt(part);
    const quota = catalogue.quota;
    try {
      // data older than the bound may use the slots kept for people
      const overdue = fetchedAt !== null && now() - fetchedAt >= this.options.maxAgeMs;
      // steady demand for cards must not put a refresh off for ever: once it has waited long
      // enough, it reserves the slots it needs and people's requests stop short of them
      const starved = fetchedAt !== null && now() - fetchedAt >= this.options.intervalsMs[part] + STARVED_AFTER_MS;
      // a first sync comes before people's cards: until it has run, every search needs LL2
      const first = fetchedAt === null;
      const pages = catalogue.estimatedPages(part);
      if (starved) quota.reserveForSync(pages);
      else if (first) quota.reserveForSync(missingPages);
      const priority = starved || first ? 'reserved' : overdue ? 'interactive' : 'background';
      // a sync that runs out of budget half-way wastes what it spent: start only when it fits
      if ((await quota.headroom(priority)) < pages) {
        this.nextAttempt.set(part, now() + (starved || first ? WAIT_FOR_RESERVATION_MS : WAIT_FOR_BUDGET_MS));
        logger.info({ part, pages, starved, first }, 'catalogue sync waits for quota headroom');
        return;
      }
      await catalogue.sync(part, priority);
      quota.releaseReservation();
      this.holdForFirstSync();
      this.failures.delete(part);
      this.nextAttempt.delete(part);
    } catch (error) {
      quota.releaseReservation();
      this.holdForFirstSync();
      const failures = (this.failures.get(part) ?? 0) + 1;
      this.failures.set(part, failures);
      const backoff = Math.min(MAX_BACKOFF_MS, 60_000 * 2 ** (failures - 1));
      const wait = error instanceof Ll2QuotaError ? Math.max(backoff, error.retryAfterSecs * 1000) : backoff;
      this.nextAttempt.set(part, now() + wait);
      logger.warn({ part, failures, retryInMs: wait, err: errorText(error) }, 'catalogue sync failed; keeping the last good version');
    }
  }
}
