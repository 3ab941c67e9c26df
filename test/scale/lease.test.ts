// The catalogue sync lease in Redis (issue 5): one holder at a time, and it lapses when its holder
// dies, so another process takes the refresh over.
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { SYNC_LEASE } from '../../src/service/refresher.ts';
import { leaseFor } from '../../src/store/lease.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { dropNamespace, eventually } from '../support/cluster.ts';
import { testApp } from '../support/app.ts';
import { openStore, REDIS_URL, uniqueNamespace } from '../support/stores.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Two processes' stores on one Redis namespace. */
function twoStores(namespace = uniqueNamespace()): [Store, Store] {
  const stores: [Store, Store] = [openStore(REDIS_URL, namespace), openStore(REDIS_URL, namespace)];
  cleanup.push(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await dropNamespace(REDIS_URL, namespace);
  });
  return stores;
}

describe('the Redis lease', () => {
  it('is held by one process at a time, and only its holder renews or releases it', async () => {
    const [a, b] = twoStores().map(leaseFor) as [ReturnType<typeof leaseFor>, ReturnType<typeof leaseFor>];
    expect(await a.acquire('job', 10_000)).toBe(true);
    expect(await b.acquire('job', 10_000)).toBe(false);
    expect(await b.renew('job', 10_000)).toBe(false);
    await b.release('job'); // not the holder: nothing happens
    expect(await b.acquire('job', 10_000)).toBe(false);
    expect(await a.renew('job', 10_000)).toBe(true);
    await a.release('job');
    expect(await b.acquire('job', 10_000)).toBe(true);
  });

  it('lapses when its holder stops renewing it (it died), and another process takes it', async () => {
    const [a, b] = twoStores().map(leaseFor) as [ReturnType<typeof leaseFor>, ReturnType<typeof leaseFor>];
    expect(await a.acquire('job', 150)).toBe(true);
    expect(await b.acquire('job', 150)).toBe(false);
    await eventually('the lease to lapse', async () => b.acquire('job', 10_000), 2_000);
    expect(await a.renew('job', 10_000)).toBe(false);
  });
});

describe('two refreshers on one Redis', () => {
  let ll2: FakeLl2;

  async function twoApps(): Promise<[App, App, string]> {
    ll2 = await startFakeLl2();
    const namespace = uniqueNamespace();
    const apps: [App, App] = [
      await testApp({ ll2BaseUrl: ll2.baseUrl, storeUrl: REDIS_URL, storeNamespace: namespace }),
      await testApp({ ll2BaseUrl: ll2.baseUrl, storeUrl: REDIS_URL, storeNamespace: namespace }),
    ];
    cleanup.push(async () => {
      await Promise.all(apps.map((app) => app.close()));
      await ll2.close();
      await dropNamespace(REDIS_URL, namespace);
    });
    return [...apps, namespace];
  }

  it('leave the sync to the process holding the lease, and pick up its result', async () => {
    const [a, b] = await twoApps();
    await Promise.all([a.refresher.tick(), b.refresher.tick()]);
    const syncs = ll2.countedRequests();
    expect(syncs).toBe(8); // one full sync: 6 pages of spacecraft, configurations, statuses
    // whichever lost the race loads the stored version on its next pass, without asking LL2
    await a.refresher.tick();
    await b.refresher.tick();
    expect(a.catalogue.spacecraft?.fetchedAt).toBe(b.catalogue.spacecraft?.fetchedAt);
    expect(b.catalogue.spacecraft?.records).toHaveLength(a.catalogue.spacecraft?.records.length ?? -1);
    expect(ll2.countedRequests()).toBe(syncs);
  });

  it('take the sync over when the holder died and its lease lapsed', async () => {
    const [, b] = await twoApps();
    // a process took the lease for a short while, then died without releasing it
    const dead = openStore(REDIS_URL, b.store.namespace);
    cleanup.push(() => dead.close());
    expect(await leaseFor(dead).acquire(SYNC_LEASE, 300)).toBe(true);
    await b.refresher.tick();
    expect(ll2.countedRequests()).toBe(0);
    expect(b.catalogue.spacecraft).toBeNull();
    await eventually('the lease to lapse and the sync to run', async () => {
      await b.refresher.tick();
      return b.catalogue.spacecraft !== null;
    }, 3_000);
    expect(ll2.countedRequests()).toBe(8);
  });
});
