// DRF SimpleRateThrottle: a sliding log of request times per ident; a request is refused when
// the log already holds `limit` entries younger than the window.

export interface Quota {
  limit: number;
  windowSecs: number;
}

export type ThrottleDecision =
  | { allowed: true }
  /** waitSecs: DRF's `Throttled.wait` (already rounded up), or null when DRF cannot tell. */
  | { allowed: false; waitSecs: number | null };

export interface QuotaUsage {
  currentUse: number;
  /** ASSUMPTION: 0 while a request is available now, else seconds until the oldest entry leaves. */
  nextUseSecs: number;
}

/** With the quota off we still keep a log (so /api-throttle/ reports use), pruned over this window. */
export const UNLIMITED_LOG_WINDOW_SECS = 3600;

export interface Throttle {
  /** Checks and, when allowed, records one request for `ident`. */
  attempt(ident: string, quota: Quota | false): ThrottleDecision;
  usage(ident: string, quota: Quota | false): QuotaUsage;
  reset(): void;
}

/** `nowMs` is the injectable clock; DRF works in (float) seconds, so do we. */
export function createThrottle(nowMs: () => number): Throttle {
  /** Oldest first, in seconds. */
  const logs = new Map<string, number[]>();

  function prunedLog(ident: string, windowSecs: number, now: number): number[] {
    const log = logs.get(ident) ?? [];
    // DRF drops entries that are `<= now - duration`.
    while (log.length > 0 && (log[0] ?? 0) <= now - windowSecs) log.shift();
    logs.set(ident, log);
    return log;
  }

  return {
    attempt(ident, quota) {
      const now = nowMs() / 1000;
      const log = prunedLog(ident, quota ? quota.windowSecs : UNLIMITED_LOG_WINDOW_SECS, now);
      if (quota && log.length >= quota.limit) {
        // DRF SimpleRateThrottle.wait(), then Throttled rounds it up.
        const oldest = log[0];
        const remaining = oldest === undefined ? quota.windowSecs : quota.windowSecs - (now - oldest);
        const available = quota.limit - log.length + 1;
        return { allowed: false, waitSecs: available <= 0 ? null : Math.ceil(remaining / available) };
      }
      log.push(now);
      return { allowed: true };
    },
    usage(ident, quota) {
      const now = nowMs() / 1000;
      const log = prunedLog(ident, quota ? quota.windowSecs : UNLIMITED_LOG_WINDOW_SECS, now);
      const oldest = log[0];
      const full = quota !== false && log.length >= quota.limit;
      return {
        currentUse: log.length,
        nextUseSecs: full ? Math.ceil(oldest === undefined ? quota.windowSecs : quota.windowSecs - (now - oldest)) : 0,
      };
    },
    reset() {
      logs.clear();
    },
  };
}
