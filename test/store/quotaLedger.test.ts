import { afterEach, describe, expect, it } from 'vitest';
import { ledgerFor, MemoryQuotaLedger, type QuotaLedger } from '../../src/store/quotaLedger.ts';
import type { Store } from '../../src/store/store.ts';
import { openStore, REDIS_URL, tempSqliteUrl, uniqueNamespace } from '../support/stores.ts';

const WINDOW = 3_600_000;
const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

type Backend = { name: string; pair(): [QuotaLedger, QuotaLedger] };
const backends: Backend[] = [
  {
    name: 'memory',
    pair: () => {
      const one = new MemoryQuotaLedger();
      return [one, one];
    },
  },
  {
    name: 'SQLite (two store instances on one file)',
    pair: () => {
      const url = tempSqliteUrl();
      const ns = uniqueNamespace();
      const a = openStore(url, ns);
      const b = openStore(url, ns);
      opened.push(a, b);
      return [ledgerFor(a), ledgerFor(b)];
    },
  },
  {
    name: 'Redis (two store instances, one namespace)',
    pair: () => {
      const ns = uniqueNamespace();
      const a = openStore(REDIS_URL, ns);
      const b = openStore(REDIS_URL, ns);
      opened.push(a, b);
      return [ledgerFor(a), ledgerFor(b)];
    },
  },
];

describe.each(backends)('quota ledger on $name', ({ pair }) => {
  it('grants the limit, then refuses with the time until the oldest request leaves the window', async () => {
    const [ledger] = pair();
    const t0 = 1_000_000;
    for (let i = 0; i < 15; i++) expect(await ledger.take(t0 + i * 1000, WINDOW, 15)).toMatchObject({ ok: true });
    const refused = await ledger.take(t0 + 20_000, WINDOW, 15);
    expect(refused).toEqual({ ok: false, retryAfterMs: WINDOW - 20_000 });
    expect(await ledger.used(t0 + 20_000, WINDOW)).toBe(15);
    // the window slides: the first request has left it
    expect(await ledger.take(t0 + WINDOW + 1, WINDOW, 15)).toMatchObject({ ok: true });
  });

  it('keeps slots back for lower-priority takes', async () => {
    const [ledger] = pair();
    for (let i = 0; i < 12; i++) expect((await ledger.take(5_000 + i, WINDOW, 12)).ok).toBe(true);
    expect((await ledger.take(6_000, WINDOW, 12)).ok).toBe(false);
    expect((await ledger.take(6_000, WINDOW, 15)).ok).toBe(true);
  });

  it('never grants more than the limit to concurrent takers from two instances', async () => {
    const [a, b] = pair();
    const now = 50_000_000;
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).take(now, WINDOW, 15)));
    expect(results.filter((r) => r.ok)).toHaveLength(15);
    expect(await a.used(now, WINDOW)).toBe(15);
  });

  it('honours a block (after a 429) for every instance', async () => {
    const [a, b] = pair();
    const now = 90_000_000;
    await a.blockUntil(now + 120_000);
    expect(await b.take(now, WINDOW, 15)).toEqual({ ok: false, retryAfterMs: 120_000 });
    expect((await b.take(now + 120_001, WINDOW, 15)).ok).toBe(true);
  });

  it('gives back a released slot (a request that never reached LL2)', async () => {
    const [a, b] = pair();
    const now = 150_000_000;
    const slots = [];
    for (let i = 0; i < 15; i++) slots.push(await a.take(now, WINDOW, 15));
    expect((await b.take(now, WINDOW, 15)).ok).toBe(false);
    const first = slots[0]!;
    if (!first.ok) throw new Error('expected a slot');
    await b.release(first.slot);
    expect(await a.used(now, WINDOW)).toBe(14);
    expect((await b.take(now, WINDOW, 15)).ok).toBe(true);
  });

  it('raises its count to what LL2 reports without lowering it', async () => {
    const [a] = pair();
    const now = 120_000_000;
    await a.take(now, WINDOW, 15);
    await a.raiseTo(10, now, WINDOW);
    expect(await a.used(now, WINDOW)).toBe(10);
    await a.raiseTo(3, now, WINDOW);
    expect(await a.used(now, WINDOW)).toBe(10);
  });
});
