import { Agent, type Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { loadFixtureCatalogue } from '../fixtures/ll2/index.ts';
import { testApp, testClock } from '../support/app.ts';
import { tempSqliteUrl, uniqueNamespace } from '../support/stores.ts';

let fake: FakeLl2;
const apps: App[] = [];
const spacecraftCalls = () => fake.requests.filter((r) => r.path.endsWith('/spacecraft/') && r.counted).length;

beforeEach(async () => {
  fake = await startFakeLl2();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  await fake.close();
});

async function app(options: Partial<Parameters<typeof testApp>[0]> = {}): Promise<App> {
  const created = await testApp({ ll2BaseUrl: fake.baseUrl, ...options });
  apps.push(created);
  return created;
}

describe('the catalogue', () => {
  it('mirrors every spacecraft in ceil(count/100) requests, paging by id', async () => {
    const total = loadFixtureCatalogue().spacecraft.length;
    const bot = await app();
    await bot.catalogue.sync('spacecraft');
    expect(bot.catalogue.spacecraft?.records).toHaveLength(total);
    expect(spacecraftCalls()).toBe(Math.ceil(total / 100));
    for (const request of fake.requests) expect(request.query.ordering).toBe('id');
  });

  it('serves instantly after a restart without spending quota (same SQLite file)', async () => {
    const storeUrl = tempSqliteUrl();
    const ns = uniqueNamespace();
    const first = await app({ storeUrl, storeNamespace: ns });
    for (const part of ['spacecraft', 'configurations', 'statuses'] as const) await first.catalogue.sync(part);
    await first.close();
    fake.resetRequests();

    const second = await app({ storeUrl, storeNamespace: ns });
    expect(fake.requests).toHaveLength(0);
    expect(second.catalogue.spacecraft?.records.length).toBe(first.catalogue.spacecraft?.records.length);
    expect(second.catalogue.configurations?.records.length).toBeGreaterThan(0);
    const answer = await second.service.search({ search: 'soyuz', detail: 'normal' }, 0, 5);
    expect(answer.count).toBeGreaterThan(0);
    expect(answer.freshness.origin).toBe('catalogue');
    expect(fake.requests).toHaveLength(0);
  });

  it('keeps the old catalogue serving when a sync fails half-way', async () => {
    const bot = await app();
    await bot.catalogue.sync('spacecraft');
    const before = bot.catalogue.spacecraft;
    fake.addSpacecraft({ ...loadFixtureCatalogue().spacecraft[0]!, id: 77_777, name: 'Added Later' } as never);
    fake.failAfter(3);
    await expect(bot.catalogue.sync('spacecraft')).rejects.toThrow(/503/);
    expect(bot.catalogue.spacecraft).toBe(before);
    const found = await bot.service.search({ search: 'Added Later', detail: 'normal' }, 0, 5);
    expect(found.count).toBe(0);
    // and a fresh process on the same store reads the last good version too
    fake.failAfter(null);
  });

  it('picks up rows added while it pages (the count grows mid-sync)', async () => {
    let calls = 0;
    const template = loadFixtureCatalogue().spacecraft[0]!;
    const base = new Agent();
    const dispatcher = base.compose((dispatch: Dispatcher['dispatch']) => (opts, handler) => {
      if (String(opts.path).includes('/spacecraft/') && ++calls === 2) {
        for (let i = 0; i < 150; i++) fake.addSpacecraft({ ...template, id: 90_000 + i, name: `Late ${i}` } as never);
      }
      return dispatch(opts, handler);
    });
    const bot = await app({ dispatcher });
    await bot.catalogue.sync('spacecraft');
    const total = loadFixtureCatalogue().spacecraft.length + 150;
    expect(bot.catalogue.spacecraft?.records).toHaveLength(total);
    expect(new Set(bot.catalogue.spacecraft?.records.map((r) => r.id)).size).toBe(total);
    await base.close();
  });
});

describe('the quota governor', () => {
  it('never exceeds the quota under a burst of concurrent detail cards, and never meets a 429', async () => {
    fake.setQuota({ limit: 15, windowSecs: 3600 });
    const bot = await app();
    const ids = loadFixtureCatalogue().spacecraft.slice(0, 60).map((c) => c.id);
    const results = await Promise.allSettled(ids.map((id) => bot.service.show(id)));
    expect(fake.countedRequests()).toBeLessThanOrEqual(15);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
    const served = results.filter((r) => r.status === 'fulfilled').length;
    expect(served).toBe(15);
    for (const result of results) {
      if (result.status === 'rejected') expect((result.reason as Error).message).toMatch(/quota is used up\. Try again in/);
    }
  });

  it('says the catalogue is loading, not "try again in 1 h", while its first sync holds the requests there are', async () => {
    fake.setQuota({ limit: 15, windowSecs: 3600 });
    fake.setLatency(100);
    const bot = await app();
    const ids = loadFixtureCatalogue().spacecraft.map((c) => c.id);
    const first = bot.refresher.tick();
    await new Promise((r) => setTimeout(r, 20));
    expect(bot.catalogue.syncing.has('spacecraft')).toBe(true);
    const results = await Promise.allSettled(ids.slice(0, 20).map((id) => bot.service.show(id)));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
    expect(refused.length).toBeGreaterThan(0);
    for (const message of refused) expect(message).toMatch(/is loading the spacecraft catalogue from Launch Library 2 \(its first start\).*Try again in a minute\.$/);
    await first;
    // then the catalogue answers what was refused
    expect((await bot.service.show(ids[19]!)).craft.id).toBe(ids[19]);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
  });

  it('sends one request for many identical concurrent ones', async () => {
    const bot = await app();
    const id = loadFixtureCatalogue().spacecraft[5]!.id;
    await Promise.all(Array.from({ length: 20 }, () => bot.service.show(id)));
    expect(fake.requests.filter((r) => r.path.endsWith(`/spacecraft/${id}/`))).toHaveLength(1);
  });

  it('reads /api-throttle/ (free) and leaves what LL2 already counts', async () => {
    fake.setQuota({ limit: 15, windowSecs: 3600 });
    const bot = await app();
    const ids = loadFixtureCatalogue().spacecraft.map((c) => c.id);
    // another client on the same IP spent 13 of 15 already
    for (let i = 0; i < 13; i++) await fetch(`${fake.baseUrl}/spacecraft/${ids[i]}/`);
    await bot.quota.syncWithUpstream();
    expect(fake.requests.some((r) => r.path.endsWith('/api-throttle/'))).toBe(true);
    const results = await Promise.allSettled(ids.slice(20, 30).map((id) => bot.service.show(id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
  });

  it('on a 429 holds every request for the time LL2 asked, then asks /api-throttle/', async () => {
    const clock = testClock();
    fake.setQuota({ limit: 3, windowSecs: 600 });
    const bot = await app({ now: clock.now });
    const ids = loadFixtureCatalogue().spacecraft.map((c) => c.id);
    for (const id of ids.slice(0, 3)) await bot.service.show(id);
    await expect(bot.service.show(ids[3]!)).rejects.toThrow(/quota is used up/);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.requests.some((r) => r.path.endsWith('/api-throttle/'))).toBe(true);
    // held: no further request reaches LL2
    await expect(bot.service.show(ids[4]!)).rejects.toThrow(/quota is used up/);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(bot.quota.blockedForMs()).toBeGreaterThan(0);
  });
});

describe('detail cards', () => {
  it('are cached: the second look costs nothing', async () => {
    const bot = await app();
    const id = loadFixtureCatalogue().spacecraft[0]!.id;
    const first = await bot.service.show(id);
    const second = await bot.service.show(id);
    expect(first.freshness.origin).toBe('live');
    expect(second.freshness.origin).toBe('cache');
    expect(fake.countedRequests()).toBe(1);
  });

  it('fall back to the catalogue record with a retry time when the quota is spent', async () => {
    const bot = await app({ env: { LL2_QUOTA_LIMIT: '9' } });
    await bot.catalogue.sync('spacecraft'); // 6 requests of the 9
    const ids = bot.catalogue.spacecraft!.records.map((c) => c.id);
    for (const id of ids.slice(0, 3)) await bot.service.show(id);
    const answer = await bot.service.show(ids[10]!);
    expect(answer.flights).toBeNull();
    expect(answer.flightsRetryAfterSecs).toBeGreaterThan(0);
    expect(answer.freshness.degraded?.reason).toBe('quota');
  });

  it('serve the stale cached card when LL2 is down', async () => {
    const clock = testClock();
    const bot = await app({ now: clock.now, env: { DETAIL_TTL_MINUTES: '10' } });
    const id = loadFixtureCatalogue().spacecraft[0]!.id;
    await bot.service.show(id);
    clock.advance(60 * 60_000);
    fake.setMode('down');
    const answer = await bot.service.show(id);
    expect(answer.freshness.origin).toBe('cache');
    expect(answer.freshness.degraded?.reason).toBe('unreachable');
    expect(answer.flights).not.toBeNull();
  });
});

describe('list queries before the catalogue exists', () => {
  it('ask LL2 with the search and filters, once per 100 rows, and page locally', async () => {
    const bot = await app();
    const first = await bot.service.search({ search: 'soyuz', ordering: '-time_in_space', detail: 'normal' }, 0, 5);
    expect(first.count).toBeGreaterThan(5);
    expect(first.freshness.origin).toBe('live');
    const request = fake.requests.at(-1)!;
    expect(request.query).toMatchObject({ search: 'soyuz', ordering: '-time_in_space', limit: '100' });
    const second = await bot.service.search({ search: 'soyuz', ordering: '-time_in_space', detail: 'normal' }, 5, 5);
    expect(second.freshness.origin).toBe('cache');
    expect(fake.countedRequests()).toBe(1);
    expect(second.results[0]!.id).not.toBe(first.results[0]!.id);
  });

  it('say clearly when LL2 is unreachable and nothing is stored', async () => {
    const bot = await app();
    fake.setMode('down');
    await expect(bot.service.search({ detail: 'normal' }, 0, 5)).rejects.toThrow(/not answering/);
  });
});

describe('the quota is shared fairly', () => {
  it('refuses ids the catalogue does not know without asking LL2', async () => {
    const bot = await app();
    await bot.catalogue.sync('spacecraft');
    fake.resetRequests();
    for (let i = 0; i < 5; i++) await expect(bot.service.show(900_001 + i, 'mallory')).rejects.toThrow(/No spacecraft with id/);
    expect(fake.requests).toHaveLength(0);
  });

  it('asks LL2 about an unknown id once, then remembers the 404', async () => {
    const bot = await app();
    for (let i = 0; i < 3; i++) await expect(bot.service.show(900_001)).rejects.toThrow(/LL2 has no spacecraft with id 900001/);
    expect(fake.countedRequests()).toBe(1);
  });

  it('gives one person a third of the budget for new cards; past it, the catalogue answers and others still get live cards', async () => {
    const bot = await app();
    await bot.catalogue.sync('spacecraft');
    const ids = bot.catalogue.spacecraft!.records.map((c) => c.id);
    fake.resetRequests();
    for (const id of ids.slice(0, 5)) expect((await bot.service.show(id, 'mallory')).freshness.origin).toBe('live');
    const sixth = await bot.service.show(ids[5]!, 'mallory');
    expect(sixth.flights).toBeNull();
    expect(sixth.flightsRetryAfterSecs).toBeGreaterThan(3000);
    expect(fake.countedRequests()).toBe(5);
    expect((await bot.service.show(ids[5]!, 'alice')).freshness.origin).toBe('live');
    // what someone else fetched is cached: mallory gets it too
    expect((await bot.service.show(ids[5]!, 'mallory')).flights).not.toBeNull();
  });
});

describe('data from one LL2 source', () => {
  it('never answers for another source on the same store, and each source has its own budget', async () => {
    const storeUrl = tempSqliteUrl();
    const ns = uniqueNamespace();
    const first = await app({ storeUrl, storeNamespace: ns });
    await first.catalogue.sync('spacecraft');
    const other = await startFakeLl2({ spacecraft: [] });
    try {
      const second = await app({ ll2BaseUrl: other.baseUrl, storeUrl, storeNamespace: ns });
      expect(second.catalogue.spacecraft).toBeNull();
      expect(await second.quota.used()).toBe(0);
      const again = await app({ storeUrl, storeNamespace: ns });
      expect(again.catalogue.spacecraft?.records.length).toBe(first.catalogue.spacecraft?.records.length);
      expect(await again.quota.used()).toBe(6);
    } finally {
      await other.close();
    }
  });
});
