import { describe, expect, it } from 'vitest';
import { freshnessText } from '../../src/render/footer.ts';
import { renderCard } from '../../src/render/card.ts';
import { spacecraftSchema } from '../../src/ll2/schemas.ts';
import type { Freshness } from '../../src/service/spacecraft.ts';
import { loadFixtureCatalogue } from '../fixtures/ll2/index.ts';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const MIN = 60_000;
const fresh = (f: Partial<Freshness>): Freshness => ({ origin: 'catalogue', fetchedAt: NOW, degraded: null, memoryOnly: false, ...f });

describe('the freshness footer', () => {
  it('says where the data came from and how old it is', () => {
    expect(freshnessText(fresh({ origin: 'live' }), NOW, false)).toBe('live from LL2');
    expect(freshnessText(fresh({ origin: 'cache', fetchedAt: NOW - 12 * MIN }), NOW, false)).toBe('cached 12 min ago');
    expect(freshnessText(fresh({ fetchedAt: NOW - 3 * MIN }), NOW, false)).toBe('catalogue synced 3 min ago');
    expect(freshnessText(fresh({ origin: 'cache', fetchedAt: NOW - 120 * MIN, degraded: { reason: 'quota', retryAfterSecs: 600 } }), NOW, false)).toBe(
      'LL2 over quota — data from 2 h ago',
    );
    expect(freshnessText(fresh({ degraded: { reason: 'unreachable', retryAfterSecs: null }, fetchedAt: NOW - 5 * MIN }), NOW, false)).toBe(
      'LL2 unreachable — data from 5 min ago',
    );
    expect(freshnessText(fresh({ memoryOnly: true }), NOW, true)).toBe(
      'catalogue synced just now · in-space times counted forward to now · store offline, answering from memory',
    );
  });
});

describe('time in space of a craft in space now', () => {
  const endurance = spacecraftSchema.parse(loadFixtureCatalogue().spacecraft.find((c) => c.id === 9003));

  it('is counted forward from the data’s age, and the footer says so', () => {
    expect(endurance.in_space).toBe(true);
    const asFetched = renderCard({ answer: { craft: endurance, flights: null, flightsRetryAfterSecs: 600, freshness: fresh({}) }, now: NOW, ephemeral: false });
    const later = renderCard({ answer: { craft: endurance, flights: null, flightsRetryAfterSecs: 600, freshness: fresh({}) }, now: NOW + 2 * 24 * 60 * MIN, ephemeral: false });
    const value = (m: typeof asFetched) => m.embeds[0]!.fields!.find((f) => f.name === 'Time in space')!.value;
    const days = (text: string) => Number(/^([\d,]+) d/.exec(text)![1]!.replace(',', ''));
    expect(days(value(later)) - days(value(asFetched))).toBe(2);
    expect(asFetched.embeds[0]!.footer!.text).not.toMatch(/counted forward/);
    expect(later.embeds[0]!.footer!.text).toMatch(/in-space times counted forward to now/);
    expect(later.embeds[0]!.fields!.find((f) => f.name === 'Flights list')!.value).toBe('Flights will be available in 10 min.');
  });
});
