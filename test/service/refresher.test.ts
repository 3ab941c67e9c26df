import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { testApp, testClock } from '../support/app.ts';

const HOUR = 3_600_000;
let fake: FakeLl2;
let app: App;
const clock = testClock();

beforeEach(async () => {
  clock.set(Date.parse('2026-12-03T12:00:00Z'));
  fake = await startFakeLl2({ quota: { limit: 15, windowSecs: 3600 }, now: clock.now });
  app = await testApp({ ll2BaseUrl: fake.baseUrl, now: clock.now, env: { CATALOGUE_REFRESH_MINUTES: '360' } });
});
afterEach(async () => {
  await app.close();
  await fake.close();
});

describe('the refresher', () => {
  it('syncs every part once at start, within the quota, then nothing until a part is due', async () => {
    await app.refresher.tick();
    expect(app.catalogue.spacecraft).not.toBeNull();
    expect(app.catalogue.configurations).not.toBeNull();
    expect(app.catalogue.statuses).not.toBeNull();
    const first = fake.countedRequests();
    expect(first).toBe(8); // 6 pages of spacecraft, 1 of configurations, 1 of statuses
    clock.advance(HOUR);
    await app.refresher.tick();
    expect(fake.countedRequests()).toBe(first);
    clock.advance(5 * HOUR);
    await app.refresher.tick();
    expect(fake.countedRequests()).toBe(first + 6); // only the spacecraft were due
  });

  it('keeps the last good catalogue after a failed refresh, and retries with growing back-off', async () => {
    await app.refresher.tick();
    const good = app.catalogue.spacecraft;
    clock.advance(6 * HOUR);
    fake.setMode('error500');
    await app.refresher.tick();
    expect(app.catalogue.spacecraft).toBe(good);
    const afterFailure = fake.requests.length;
    await app.refresher.tick(); // inside the back-off: nothing is sent
    expect(fake.requests.length).toBe(afterFailure);
    fake.setMode('ok');
    clock.advance(61_000);
    await app.refresher.tick();
    expect(app.catalogue.spacecraft).not.toBe(good);
    expect(app.catalogue.spacecraft!.fetchedAt).toBe(clock.now());
  });

  it('leaves slots for people: a background refresh never takes the last three of the window', async () => {
    await app.refresher.tick(); // the first sync: 8 requests at 12:00
    clock.advance(6 * HOUR + 60_000); // the spacecraft are due again (6 pages); the first 8 left the window
    // people already spent 6 of 15 on detail cards
    const ids = [63, 62, 61, 122, 602, 57];
    for (const id of ids) await app.service.show(id);
    const before = fake.countedRequests();
    await app.refresher.tick(); // wants 6; background may use only 12 - 6 = 6 this hour: it runs
    expect(fake.countedRequests()).toBe(before + 6);
    clock.advance(6 * HOUR + 60_000);
    for (const id of [334, 9001, 9002, 9003, 9004, 9005, 9006]) await app.service.show(id);
    const busy = fake.countedRequests();
    await app.refresher.tick(); // wants 6; 7 spent leaves background only 5: it waits
    expect(fake.countedRequests()).toBe(busy);
    expect(await app.quota.used()).toBeLessThanOrEqual(12);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
    // a person can still open a card
    await expect(app.service.show(9007)).resolves.toMatchObject({ freshness: { origin: 'live' } });
  });

  it('runs the first sync before people\'s cards: cards asked for meanwhile leave it the slots it needs', async () => {
    // a fresh store, and people opening cards while the catalogue is being fetched for the first time
    fake.setLatency(30);
    const sync = app.refresher.tick();
    const cards = Promise.all([63, 62, 61, 122, 602, 57, 334, 9001, 9002, 9003, 9004, 9005].map((id, i) => app.service.show(id, `person-${i}`).catch((error: unknown) => error)));
    await Promise.all([sync, cards]);
    expect(app.catalogue.spacecraft).not.toBeNull();
    expect(app.catalogue.configurations).not.toBeNull();
    expect(app.catalogue.statuses).not.toBeNull();
    expect(fake.countedRequests()).toBeLessThanOrEqual(15);
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
    // the search that needed the catalogue is answered from it
    await expect(app.service.search({ search: 'soyuz', detail: 'normal' }, 0, 5)).resolves.toMatchObject({ freshness: { origin: 'catalogue' } });
  });

  it('waits with the slots it holds when people spent the hour before the first sync could run', async () => {
    for (const id of [63, 62, 61, 122, 602, 57, 334, 9001, 9002, 9003]) await app.service.show(id, `person-${id}`);
    await app.refresher.tick(); // 10 spent: the 8 pages do not fit; the sync holds a reservation and waits
    expect(app.catalogue.spacecraft).toBeNull();
    // people's cards now stop short of the held slots (refused here, without asking LL2)
    const spent = fake.countedRequests();
    await expect(app.service.show(9004, 'someone')).rejects.toThrow();
    expect(fake.countedRequests()).toBe(spent);
    clock.advance(HOUR + 60_000);
    await app.refresher.tick();
    expect(app.catalogue.spacecraft).not.toBeNull();
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
  });
});

describe('a refresh starved by steady demand for cards', () => {
  it('reserves the slots it needs after waiting an hour, and then runs', async () => {
    await app.refresher.tick(); // 8 requests at 12:00
    const ids = app.catalogue.spacecraft!.records.map((c) => c.id);
    let next = 0;
    // people open new cards all day, as fast as the quota allows (several people, so no fair-share limit)
    const demand = async () => {
      for (let i = 0; i < 15; i++) {
        const answer = await app.service.show(ids[next % ids.length]!, `person-${next}`).catch(() => null);
        if (answer?.freshness.origin === 'live') next++; // a new card next time: every slot that frees is taken
      }
    };
    let refreshedAt: number | null = null;
    for (let minute = 0; minute < 12 * 60; minute += 10) {
      clock.advance(10 * 60_000);
      await demand();
      await app.refresher.tick();
      if (refreshedAt === null && app.catalogue.spacecraft!.fetchedAt > Date.parse('2026-12-03T12:00:00Z')) refreshedAt = clock.now();
    }
    expect(refreshedAt).not.toBeNull();
    // due at 18:00, starved from 19:00; the reservation lets it run within the next window
    expect(refreshedAt!).toBeLessThanOrEqual(Date.parse('2026-12-03T20:10:00Z'));
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
  });
});
