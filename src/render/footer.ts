// The footer line that says where an answer's data came from and how old it is.
import { formatAge, formatWait } from '../duration.ts';
import type { Freshness } from '../service/spacecraft.ts';

export function freshnessText(freshness: Freshness, now: number, countedForward: boolean): string {
  const age = formatAge(now - freshness.fetchedAt);
  let text: string;
  if (freshness.degraded !== null) {
    const why = { quota: 'LL2 over quota', unreachable: 'LL2 unreachable', store: 'store offline' }[freshness.degraded.reason];
    text = `${why} — data from ${age === 'just now' ? 'moments ago' : age}`;
  } else if (freshness.origin === 'live') {
    text = 'live from LL2';
  } else if (freshness.origin === 'cache') {
    text = `cached ${age}`;
  } else {
    text = `catalogue synced ${age}`;
  }
  if (countedForward) text += ' · in-space times counted forward to now';
  if (freshness.memoryOnly) text += ' · store offline, answering from memory';
  return text;
}

export function retryText(seconds: number | null): string {
  return seconds === null ? 'later' : formatWait(seconds);
}
