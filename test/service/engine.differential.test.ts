// The local query engine against the fake LL2 (an independent implementation of LL2's semantics)
// over the same data: every generated query must give the same count and the same id sequence.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ll2Client } from '../../src/ll2/client.ts';
import { spacecraftSchema } from '../../src/ll2/schemas.ts';
import { SortedCatalogue } from '../../src/service/engine.ts';
import { ORDERINGS, toLl2Params, type SpacecraftQuery } from '../../src/service/query.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { loadFixtureCatalogue } from '../fixtures/ll2/index.ts';

const fixture = loadFixtureCatalogue();
const records = fixture.spacecraft.map((r) => spacecraftSchema.parse(r));
const engine = new SortedCatalogue(records);
let fake: FakeLl2;
let client: Ll2Client;

beforeAll(async () => {
  fake = await startFakeLl2();
  client = new Ll2Client({ baseUrl: fake.baseUrl, timeoutMs: 5000 });
});
afterAll(async () => {
  await fake.close();
});

const words = [...new Set(records.flatMap((r) => `${r.name} ${r.spacecraft_config?.name ?? ''}`.split(/\s+/)))].filter((w) => w !== '');
const word = fc.oneof(
  fc.constantFrom(...words),
  fc.constantFrom(...words).chain((w) => fc.tuple(fc.nat(w.length), fc.integer({ min: 1, max: 4 })).map(([start, len]) => w.slice(start, start + len) || w)),
  fc.constantFrom(...words).map((w) => w.toUpperCase()),
  fc.constantFrom('zzz', 'ß', 'İ', '“', '号', '-', 'MS-2', ' '),
);
// words taken from one record (so several words usually match together), or anything at all
const recordWords = fc.constantFrom(...records).chain((r) => {
  const own = `${r.name} ${r.spacecraft_config?.name ?? ''}`.split(/\s+/).filter((w) => w !== '');
  return fc.subarray(own, { minLength: 1, maxLength: 2 }).chain((ws) =>
    fc.constantFrom(' ', ',', ', ').chain((sep) => fc.constantFrom(ws.join(sep), ws.join(sep).toLowerCase(), ws.map((w) => w.slice(0, 3)).join(sep))),
  );
});
const search = fc.oneof(
  fc.constant(undefined),
  recordWords,
  recordWords,
  word,
  fc.array(word, { minLength: 2, maxLength: 3 }).chain((ws) => fc.constantFrom(' ', ',', ', ', '  ').map((sep) => ws.join(sep))),
);
const statusIds = [...new Set(records.map((r) => r.status?.id).filter((id): id is number => id !== undefined))];
const configIds = [...new Set(records.map((r) => r.spacecraft_config?.id).filter((id): id is number => id !== undefined))];

const queryArb: fc.Arbitrary<{ query: SpacecraftQuery; limit: number; offset: number }> = fc
  .record({
    search,
    inSpace: fc.option(fc.boolean(), { nil: undefined }),
    placeholder: fc.option(fc.boolean(), { nil: undefined }),
    status: fc.option(fc.oneof(fc.constantFrom(...statusIds), fc.constant(99)), { nil: undefined }),
    config: fc.option(fc.oneof(fc.constantFrom(...configIds), fc.constant(99_999)), { nil: undefined }),
    ordering: fc.option(fc.constantFrom(...ORDERINGS), { nil: undefined }),
    limit: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constant(250)),
    offset: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 700 })),
    // filters are rarer than bare searches and orderings, so results stay non-empty most of the time
    withFilters: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ limit, offset, withFilters, ...q }) => {
    const query: SpacecraftQuery = { detail: 'normal' };
    if (q.search !== undefined) query.search = q.search;
    if (q.ordering !== undefined) query.ordering = q.ordering;
    if (withFilters === 0) {
      if (q.inSpace !== undefined) query.inSpace = q.inSpace;
      if (q.placeholder !== undefined) query.placeholder = q.placeholder;
      if (q.status !== undefined) query.status = q.status;
      if (q.config !== undefined) query.config = q.config;
    } else if (withFilters === 1 && q.status !== undefined) query.status = q.status;
    else if (withFilters === 2 && q.config !== undefined) query.config = q.config;
    return { query, limit, offset };
  });

describe('the local query engine matches LL2 (the fake) on generated queries', () => {
  it('gives the same count and id sequence for ≥500 queries', async () => {
    let nonEmpty = 0;
    let matched = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(queryArb, async ({ query, limit, offset }) => {
        runs++;
        const upstream = await client.listSpacecraft(toLl2Params(query, limit, offset));
        const local = engine.query(query, limit, offset);
        if (upstream.results.length > 0) nonEmpty++;
        if (upstream.count > 0) matched++;
        expect({ count: local.count, ids: local.results.map((r) => r.id) }).toEqual({ count: upstream.count, ids: upstream.results.map((r) => r.id) });
      }),
      { numRuns: 600, seed: Number(process.env.DIFF_SEED ?? 20261203) },
    );
    expect(runs).toBeGreaterThanOrEqual(500);
    // the comparison is only worth something if most queries return rows
    expect(matched).toBeGreaterThan(runs * 0.4);
    expect(nonEmpty).toBeGreaterThan(runs * 0.3);
  });

  it('agrees on every ordering over the whole catalogue, nulls included', async () => {
    for (const ordering of ORDERINGS) {
      for (let offset = 0; offset < records.length; offset += 100) {
        const upstream = await client.listSpacecraft(toLl2Params({ ordering, detail: 'normal' }, 100, offset));
        const local = engine.query({ ordering, detail: 'normal' }, 100, offset);
        expect(local.results.map((r) => r.id)).toEqual(upstream.results.map((r) => r.id));
      }
    }
  });
});
