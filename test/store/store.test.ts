import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contentId } from '../../src/interactions/customId.ts';
import { canonicalQuery, PAGE_STATE_REWRITE_MS, PageStates } from '../../src/interactions/pageState.ts';
import type { Store } from '../../src/store/store.ts';
import { openStore, REDIS_URL, tempSqliteUrl, uniqueNamespace } from '../support/stores.ts';

const opened: Store[] = [];
const open = (url: string, ns?: string) => {
  const store = openStore(url, ns);
  opened.push(store);
  return store;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe.each([
  { name: 'SQLite', url: () => tempSqliteUrl() },
  { name: 'Redis', url: () => REDIS_URL },
])('the $name store', ({ url }) => {
  it('keeps list state across a restart (a new store instance on the same data)', async () => {
    const where = url();
    const ns = uniqueNamespace();
    const first = open(where, ns);
    const id = new PageStates(first, () => 1_000).remember({ search: 'soyuz', ordering: '-time_in_space', detail: 'normal' });
    await first.close();

    const second = open(where, ns);
    const state = await new PageStates(second, () => 2_000).get(id);
    expect(state).toEqual({ query: { search: 'soyuz', ordering: '-time_in_space', detail: 'normal' } });
  });

  it('finds a list state another process writes an instant after the click arrived', async () => {
    const where = url();
    const ns = uniqueNamespace();
    const writer = new PageStates(open(where, ns), Date.now);
    const reader = new PageStates(open(where, ns), Date.now);
    const query = { search: 'cygnus', detail: 'normal' as const };
    const id = contentId(canonicalQuery(query));
    const read = reader.get(id);
    await new Promise((resolve) => setTimeout(resolve, 30));
    writer.remember(query);
    expect(await read).toEqual({ query });
    expect(await reader.get('NeverWritten1')).toBeUndefined();
  });

  it('writes a burst of setSoon values in batches that another store instance reads, the newest value of a key winning', async () => {
    const where = url();
    const ns = uniqueNamespace();
    const writer = open(where, ns);
    const writes = Array.from({ length: 1_200 }, (_, i) => writer.setSoon(`burst:${i}`, { i, text: `“${i}” 🛰️ \\ "quoted"` }, 60_000));
    const older = writer.setSoon('burst:twice', { i: 1 }, 60_000);
    const newer = writer.setSoon('burst:twice', { i: 2 }, 60_000);
    // the writer's own reads need not wait for the batch
    expect(await writer.get('burst:7', z.object({ i: z.number() }).loose())).toMatchObject({ i: 7 });
    expect(await Promise.all([...writes, older, newer])).toEqual(Array.from({ length: 1_202 }, () => true));
    const reader = open(where, ns);
    const schema = z.object({ i: z.number(), text: z.string() });
    for (const i of [0, 499, 500, 1_199]) expect(await reader.get(`burst:${i}`, schema)).toEqual({ i, text: `“${i}” 🛰️ \\ "quoted"` });
    expect(await reader.get('burst:twice', z.object({ i: z.number() }))).toEqual({ i: 2 });
  });

  it('stores under any key setSoon is given what set would, odd characters included', async () => {
    const where = url();
    const ns = uniqueNamespace();
    const writer = open(where, ns);
    const keys = ['plain', 'nul\u0000inside', 'lone\ud800surrogate', "quote'); DROP TABLE spacedock; --", 'line\nbreak', '$[0]'];
    expect(await Promise.all(keys.map((key) => writer.setSoon(`soon:${key}`, { key }, 60_000)))).toEqual(keys.map(() => true));
    await writer.close();
    const reader = open(where, ns);
    for (const key of keys) expect(await reader.get(`soon:${key}`, z.object({ key: z.string() }))).toEqual({ key });
  });

  it('writes what setSoon queued before close() returns', async () => {
    const where = url();
    const ns = uniqueNamespace();
    const writer = open(where, ns);
    void writer.setSoon('late', { a: 1 }, 60_000);
    await writer.close();
    expect(await open(where, ns).get('late', z.object({ a: z.number() }))).toEqual({ a: 1 });
  });

  it('still reads list states written for sc1 buttons, with their owner', async () => {
    const store = open(url());
    await store.set('page:OldStyleId12', { v: 1, ownerId: 'user-1', query: { search: 'dragon', detail: 'normal' }, createdAt: 1_000 });
    expect(await new PageStates(store, Date.now).get('OldStyleId12')).toEqual({ query: { search: 'dragon', detail: 'normal' }, ownerId: 'user-1' });
  });

  it('stores a query once per rewrite interval (an hour), however often it is run, and again after it', async () => {
    const store = open(url());
    let now = 1_000;
    const pages = new PageStates(store, () => now);
    const writes: string[] = [];
    const setSoon = store.setSoon.bind(store);
    store.setSoon = (key, value, ttl) => {
      writes.push(key);
      return setSoon(key, value, ttl);
    };
    const query = { search: 'soyuz', detail: 'normal' as const };
    const id = pages.remember(query);
    for (let i = 0; i < 5; i++) expect(pages.remember({ ...query })).toBe(id);
    expect(pages.remember({ search: 'dragon', detail: 'normal' })).not.toBe(id);
    now += PAGE_STATE_REWRITE_MS - 1;
    pages.remember(query);
    expect(writes).toEqual([`page:${id}`, expect.stringMatching(/^page:/)]);
    now += 1;
    pages.remember(query);
    expect(writes).toHaveLength(3);
  });

  it('answers undefined for a value that no longer matches its schema', async () => {
    const store = open(url());
    await store.set('thing', { shape: 'old' });
    expect(await store.getFresh('thing', z.object({ shape: z.number() }))).toBeUndefined();
  });

  it('expires values after their time to live', async () => {
    const store = open(url());
    await store.set('short', { a: 1 }, 30);
    expect(await store.setSoon('soon', { a: 2 }, 30)).toBe(true);
    expect(await store.setSoon('long', { a: 3 }, 60_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(await store.getFresh('short', z.object({ a: z.number() }))).toBeUndefined();
    expect(await store.getFresh('soon', z.object({ a: z.number() }))).toBeUndefined();
    expect(await store.getFresh('long', z.object({ a: z.number() }))).toEqual({ a: 3 });
  });
});

describe('a store whose backend is unreachable', () => {
  it('keeps answering from memory, reports itself unhealthy, and never throws', async () => {
    const store = open('redis://127.0.0.1:1');
    expect(await store.set('k', { a: 1 })).toBe(false);
    expect(await store.setSoon('soon', { a: 2 })).toBe(false);
    expect(await store.get('soon', z.object({ a: z.number() }))).toEqual({ a: 2 });
    expect(store.healthy).toBe(false);
    expect(await store.get('k', z.object({ a: z.number() }))).toEqual({ a: 1 });
    expect(await store.get('missing', z.object({ a: z.number() }))).toBeUndefined();
  });
});

describe('a corrupt row in the SQLite file', () => {
  it('reads as missing for that key only; the store stays healthy and the row can be overwritten', async () => {
    const url = tempSqliteUrl();
    const ns = uniqueNamespace();
    const store = open(url, ns);
    await store.set('good', { a: 1 });
    await store.set('bad', { a: 2 });
    await store.sqlite!.query('UPDATE spacedock SET value = ? WHERE key = ?', 'not json {', `${ns}:bad`);
    const reopened = open(url, ns);
    expect(await reopened.get('bad', z.object({ a: z.number() }))).toBeUndefined();
    expect(reopened.healthy).toBe(true);
    expect(await reopened.get('good', z.object({ a: z.number() }))).toEqual({ a: 1 });
    expect(await reopened.set('bad', { a: 3 })).toBe(true);
    expect(await open(url, ns).get('bad', z.object({ a: z.number() }))).toEqual({ a: 3 });
  });
});

describe('expired rows in the SQLite file', () => {
  it('are deleted by the sweep, and live rows are kept', async () => {
    const url = tempSqliteUrl();
    const ns = uniqueNamespace();
    const store = open(url, ns);
    for (let i = 0; i < 20; i++) await store.set(`page:${i}`, { i }, 10);
    await store.set('keep', { i: -1 });
    await store.set('later', { i: -2 }, 60_000);
    await new Promise((r) => setTimeout(r, 30));
    await store.sweepNow();
    const rows = (await store.sqlite!.query('SELECT key FROM spacedock WHERE key LIKE ?', `${ns}:%`)) as Array<{ key: string }>;
    expect(rows.map((r) => r.key).sort()).toEqual([`${ns}:keep`, `${ns}:later`]);
  });
});
