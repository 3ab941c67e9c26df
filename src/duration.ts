// ISO-8601 durations as LL2 sends them (P165DT16H39M18S, P0D, PT1.5S, -P1D, null), parsed with luxon.
import { Duration } from 'luxon';

/** Parsed durations: the same few thousand strings recur in every list, and luxon's parse is not free. */
const parsed = new Map<string, number | null>();
const PARSED_KEPT = 20_000;

/** Total seconds, or null when absent or unreadable. Days count as 24 h (as PostgreSQL intervals do). */
export function durationSeconds(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const seconds = parseSeconds(text);
  if (parsed.size >= PARSED_KEPT) parsed.clear();
  parsed.set(text, seconds);
  return seconds;
}

function parseSeconds(text: string): number | null {
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const duration = Duration.fromISO(negative ? trimmed.slice(1) : trimmed);
  if (!duration.isValid) return null;
  const seconds = duration.shiftTo('seconds').seconds;
  if (!Number.isFinite(seconds)) return null;
  return negative ? -seconds : seconds;
}

const UNITS: Array<[label: string, seconds: number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
];

/** Formatted durations, for the same reason as `parsed`. */
const formatted = new Map<string, string>();

/** "165 d 16 h 39 m"; "—" for null; "unknown" for text that is not a duration. */
export function formatDuration(text: string | null | undefined): string {
  if (text === null || text === undefined) return '—';
  const known = formatted.get(text);
  if (known !== undefined) return known;
  const seconds = text.trim() === '' ? undefined : durationSeconds(text);
  const result = seconds === undefined ? '—' : seconds === null ? 'unknown' : formatSeconds(seconds);
  if (formatted.size >= PARSED_KEPT) formatted.clear();
  formatted.set(text, result);
  return result;
}

export function formatSeconds(total: number): string {
  if (!Number.isFinite(total)) return 'unknown';
  const sign = total < 0 ? '−' : '';
  let rest = Math.abs(total);
  if (rest < 60) return `${sign}${Math.round(rest)} s`;
  rest = Math.floor(rest);
  const parts: string[] = [];
  for (const [label, size] of UNITS) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0) parts.push(`${thousands(amount)} ${label}`);
  }
  return sign + (parts.length > 0 ? parts.join(' ') : '0 m');
}

/** 1009 → "1,009" (what toLocaleString('en-US') gives, without its cost on every field). */
export function thousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "12 min ago", "2 h ago", "3 d ago", "just now". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** "in 12 min", "in 1 h 5 min". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `in ${s} s`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `in ${h} h` : `in ${h} h ${m} min`;
}
