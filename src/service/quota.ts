// The quota governor: the one owner of the LL2 request budget. Every upstream call goes through
// `run`, which takes a slot from the shared ledger first and never sends what LL2 would refuse.
import type { Ll2Client } from '../ll2/client.ts';
import { Ll2QuotaError } from '../ll2/errors.ts';
import type { Logger } from '../log.ts';
import type { QuotaLedger } from '../store/quotaLedger.ts';

/** interactive: a person is waiting (detail card, list fallback); background: catalogue refreshes. */
export type Priority = 'interactive' | 'background';

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

/** When the ledger cannot be read, upstream calls wait this long before trying again. */
const LEDGER_RETRY_SECS = 30;

export class QuotaGovernor {
  /** What we last learned, for footers and logs; the ledger stays the authority. */
  private blockedUntilMs = 0;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly options: QuotaOptions) {}

  get limit(): number {
    return this.options.limit;
  }

  /** Milliseconds until LL2 will accept requests again, as far as this process knows. */
  blockedForMs(): number {
    return Math.max(0, this.blockedUntilMs - this.options.now());
  }

  async used(): Promise<number> {
    return this.options.ledger.used(this.options.now(), this.options.windowMs);
  }

  /** Requests a caller of this priority could still send in the current window. */
  async headroom(priority: Priority): Promise<number> {
    const { limit, interactiveReserve } = this.options;
    const allowed = priority === 'interactive' ? limit : Math.max(1, limit - interactiveReserve);
    if (this.blockedForMs() > 0) return 0;
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
    const { ledger, limit, windowMs, interactiveReserve, now } = this.options;
    const allowed = priority === 'interactive' ? limit : Math.max(1, limit - interactiveReserve);
    let slot;
    try {
      slot = await ledger.take(now(), windowMs, allowed);
    } catch (error) {
      // without the shared count we cannot know the budget: send nothing rather than overspend
      this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'quota ledger unavailable; holding upstream requests');
      throw new Ll2QuotaError('GET', key, LEDGER_RETRY_SECS, 'store');
    }
    if (!slot.ok) {
      this.blockedUntilMs = Math.max(this.blockedUntilMs, now() + slot.retryAfterMs);
      throw new Ll2QuotaError('GET', key, Math.ceil(slot.retryAfterMs / 1000), 'local');
    }
    try {
      return await send();
    } catch (error) {
      if (error instanceof Ll2QuotaError && error.origin === 'upstream') {
        const until = now() + error.retryAfterSecs * 1000;
        this.blockedUntilMs = Math.max(this.blockedUntilMs, until);
        await ledger.blockUntil(until);
        this.options.logger.warn({ retryAfterSecs: error.retryAfterSecs, key }, 'LL2 answered 429; holding all requests');
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
      await ledger.raiseTo(Math.min(throttle.current_use, throttle.your_request_limit), now(), windowMs);
      if (throttle.current_use >= throttle.your_request_limit && throttle.next_use_secs > 0) {
        const until = now() + throttle.next_use_secs * 1000;
        this.blockedUntilMs = Math.max(this.blockedUntilMs, until);
        await ledger.blockUntil(until);
      }
      if (throttle.your_request_limit < this.options.limit) {
        logger.warn(
          { upstreamLimit: throttle.your_request_limit, configured: this.options.limit },
          'LL2 reports a lower request limit than configured (LL2_QUOTA_LIMIT)',
        );
      }
      logger.debug({ throttle }, 'synced quota with /api-throttle/');
    } catch (error) {
      logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'could not read /api-throttle/');
    }
  }
}
