// Shared phrasing of one spacecraft's facts (status, in space, durations), used by list and card.
import { durationSeconds, formatDuration, formatSeconds, thousands } from '../duration.ts';
import type { Spacecraft } from '../ll2/schemas.ts';
import { escapeMarkdown } from './text.ts';

const STATUS_ICON: Record<number, string> = { 1: '🟢', 2: '⚪', 3: '💥', 4: '🔸' };

export function statusText(craft: Spacecraft): string {
  const status = craft.status;
  if (status === null) return 'unknown';
  return `${STATUS_ICON[status.id] ?? '🔹'} ${escapeMarkdown(status.name)}`;
}

export function inSpaceText(craft: Spacecraft): string {
  if (craft.in_space === true) return '🛰️ in space now';
  if (craft.in_space === false) return 'on the ground';
  return 'unknown';
}

/**
 * Time in space as of now: for a craft in space the figure LL2 gave grows with the data's age,
 * so it is counted forward; `forward` says whether that happened (for the footer).
 */
export function timeInSpace(craft: Spacecraft, fetchedAt: number, now: number): { text: string; forward: boolean } {
  const seconds = durationSeconds(craft.time_in_space);
  if (craft.in_space === true && seconds !== null && now > fetchedAt) {
    return { text: formatSeconds(seconds + (now - fetchedAt) / 1000), forward: now - fetchedAt >= 60_000 };
  }
  return { text: formatDuration(craft.time_in_space), forward: false };
}

export function countText(value: number | null, one: string, many: string): string {
  if (value === null) return 'unknown';
  return `${thousands(value)} ${value === 1 ? one : many}`;
}

/** Discord accepts only http(s) image URLs in embeds; anything else from upstream is left out. */
export function imageUrl(url: string | null | undefined): string | undefined {
  if (url === null || url === undefined || url.length > 2000) return undefined;
  return /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined;
}

export function orUnknown(value: string | null | undefined): string {
  return value === null || value === undefined || value.trim() === '' ? '—' : value;
}
