// The quota governor: the one owner of the LL2 request budget. Every upstream call goes through
// `run`, which takes a slot from the shared ledger first and never sends what LL2 would refuse.
import type { Ll2Client } from '../ll2/client.ts';
import { Ll2NetworkError, Ll2QuotaError } from '../ll2/errors.ts';
import type { Logger } from '../log.ts';
import { errorText } from '../log.ts';
import type { QuotaLedger } from '../store/quotaLedger.ts';

/** interactive: a person is waiting (detail card, list fallback); background: catalogue refreshes. */
/**
 * interactive: a person is waiting (detail card, list fallback); background: catalogue refreshes;
 * reserved: a refresh that was starved and now holds a reservation (see reserveForSync).
 */
export type Priority = 'interactive' | 'background' | 'reserved';

export interface QuotaOptions {
  ledger: QuotaLedger;
  client: Ll2Client;
  limit: number;
  windowMs: number;
  /** Slots background work leaves free for people waiting. */
  interactiveReserve: number;
  now: () => number;
  logger: Logger;
}

/**
 * LL2 counts a request when it arrives, we when we send it: a slot is kept this much longer than
 * the window, so a request sent just as a slot frees can never reach LL2 before its window moved on.
 */
const WINDOW_MARGIN_MS = 2_000;

/** When the ledger cannot be read, upstream calls wait this long before trying again. */
const LEDGER_RETRY_SECS = 30;

export class QuotaGovernor {
  /** What we last learned, for footers and logs; the ledger stays the authority. */
  private blockedUntilMs = 0;
  /**
   * Until when the ledger last refused a caller of each priority: a person refused because a sync
   * holds slots must not hold up the sync itself (it may use those slots).
   */
  private readonly refusedUntilMs = new Map<Priority, number>();
  private reservedForSync = 0;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly options: QuotaOptions) {}

  get limit(): number {
    return this.options.limit;
  }

  /** Milliseconds until LL2 will accept requests again, as far as this process knows. */
  blockedForMs(): number {
    return Math.max(0, this.blockedUntilMs - this.options.now());
  }

  /** The window the ledger keeps slots for: LL2's, plus the margin. */
  private get ledgerWindowMs(): number {
    return this.options.windowMs + WINDOW_MARGIN_MS;
  }

  async used(): Promise<number> {
    return this.options.ledger.used(this.options.now(), this.ledgerWindowMs);
  }

  /**
   * People come first, but not forever: a refresh starved by steady demand reserves the slots it
   * needs, and people's requests then stop short of them until the refresh has run.
   */
  reserveForSync(slots: number): void {
    this.reservedForSync = Math.max(0, Math.min(slots, this.options.limit - 1));
  }

  releaseReservation(): void {
    this.reservedForSync = 0;
  }

  private allowed(priority: Priority): number {
    const { limit, interactiveReserve } = this.options;
    if (priority === 'reserved') return limit;
    if (priority === 'interactive') return limit - this.reservedForSync;
    return Math.max(1, limit - interactiveReserve);
  }

  /** Requests a caller of this priority could still send in the current window. */
  async headroom(priority: Priority): Promise<number> {
    const allowed = this.allowed(priority);
    if (this.blockedForMs() > 0 || (this.refusedUntilMs.get(priority) ?? 0) > this.options.now()) return 0;
    return Math.max(0, allowed - (await this.used()));
  }

  /**
   * Runs one upstream request under the budget. Identical concurrent requests (same key) share one
   * call. Throws Ll2QuotaError(local) without sending when no slot is free.
   */
  run<T>(key: string, priority: Priority, send: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing !== undefined) return existing as Promise<T>;
    const call = this.takeAndSend(key, priority, send).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private async takeAndSend<T>(key: string, priority: Priority, send: () => Promise<T>): Promise<T> {
    const { ledger, windowMs, now } = this.options;
    const allowed = this.allowed(priority);
    let slot;
    try {
      slot = await ledger.take(now(), this.ledgerWindowMs, allowed);
    } catch (error) {
      // without the shared count we cannot know the budget: send nothing rather than overspend
      this.options.logger.warn({ err: errorText(error) }, 'quota ledger unavailable; holding upstream requests');
      throw new Ll2QuotaError('GET', key, LEDGER_RETRY_SECS, 'store');
    }
    if (!slot.ok) {
      this.refusedUntilMs.set(priority, Math.max(this.refusedUntilMs.get(priority) ?? 0, now() + slot.retryAfterMs));
      throw new Ll2QuotaError('GET', key, Math.ceil(slot.retryAfterMs / 1000), 'local');
    }
    try {
      return await send();
    } catch (error) {
      if (error instanceof Ll2NetworkError && error.neverSent) {
        // the connection was never made: LL2 did not count it, so neither do we
        await ledger.release(slot.slot).catch(() => {});
      }
      if (error instanceof Ll2QuotaError && error.origin === 'upstream') {
        // a hostile or broken Retry-After must not hold us for longer than one window
        const waitSecs = Math.min(error.retryAfterSecs, Math.ceil(windowMs / 1000));
        const until = now() + waitSecs * 1000;
        this.blockedUntilMs = Math.max(this.blockedUntilMs, until);
        await ledger.blockUntil(until);
        this.options.logger.warn({ retryAfterSecs: waitSecs, key }, 'LL2 answered 429; holding all requests');
        void this.syncWithUpstream();
      }
      throw error;
    }
  }

  /** Aligns the ledger with LL2's own count (/api-throttle/ costs no quota). Never throws. */
  async syncWithUpstream(): Promise<void> {
    const { ledger, client, now, windowMs, logger } = this.options;
    try {
      const throttle = await client.throttle();
      // What LL2 has left for us caps what we have left: count as used whatever its remainder
      // does not cover. (A server reporting a larger limit, like an unlimited dev server, raises nothing.)
      const upstreamLeft = Math.max(0, throttle.your_request_limit - throttle.current_use);
      await ledger.raiseTo(Math.max(0, this.options.limit - upstreamLeft), now(), this.ledgerWindowMs);
      if (upstreamLeft === 0 && throttle.next_use_secs > 0) {
        const until = now() + Math.min(throttle.next_use_secs, Math.ceil(windowMs / 1000)) * 1000;
        this.blockedUntilMs = Math.max(this.blockedUntilMs, until);
        await ledger.blockUntil(until);
      }
      if (throttle.your_request_limit < this.options.limit) {
        logger.warn(
          { upstreamLimit: throttle.your_request_limit, configured: this.options.limit },
          'LL2 reports a lower request limit than configured (LL2_QUOTA_LIMIT)',
        );
      }
      logger.debug({ limit: throttle.your_request_limit, used: throttle.current_use, nextUseSecs: throttle.next_use_secs }, 'synced quota with /api-throttle/');
    } catch (error) {
      logger.debug({ err: errorText(error) }, 'could not read /api-throttle/');
    }
  }
}
