// Summaries of measurements: percentiles, the busiest rolling window, and number formatting for tables.

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending list (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : total / sorted.length,
  };
}

/**
 * The most events inside any window of `windowMs` ending at an event, with LL2's (DRF's) rule:
 * an event at `t` still counts at `now` while `t > now - windowMs`.
 */
export function busiestWindow(times: readonly number[], windowMs: number): { count: number; endingAt: number | null } {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let endingAt: number | null = null;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    const now = sorted[end]!;
    while (sorted[start]! <= now - windowMs) start++;
    const count = end - start + 1;
    if (count > best) {
      best = count;
      endingAt = now;
    }
  }
  return { count: best, endingAt };
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value < 1) return `${value.toFixed(2)} ms`;
  if (value < 10) return `${value.toFixed(1)} ms`;
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

export function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–';
}

export function mib(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const value = bytes / 1024 / 1024;
  return `${Math.abs(value) < 10 ? value.toFixed(1) : value.toFixed(0)} MiB`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

export function met(ok: boolean): string {
  return ok ? '✅ met' : '❌ missed';
}
