import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_SYNTHETIC_COUNT,
  generateSpacecraft,
  loadFixtureCatalogue,
  loadHandmadeSpacecraft,
  loadSeedSpacecraft,
  loadSyntheticSpacecraft,
  toDetailedSpacecraft,
  type FixtureCatalogue,
  type SpacecraftRecord,
} from '../../fixtures/ll2/index.ts';
import { durationSeconds } from '../../fixtures/ll2/duration.ts';
import { startFakeLl2, type FakeLl2, type FakeLl2Options } from './server.ts';

// --- helpers ---------------------------------------------------------------------------------

const craftSchema = z.looseObject({
  response_mode: z.string(),
  id: z.int(),
  name: z.string(),
  in_space: z.boolean(),
  is_placeholder: z.boolean(),
  flights_count: z.int().nullable(),
  time_in_space: z.string().nullable(),
  status: z.object({ id: z.int(), name: z.string() }),
  spacecraft_config: z.looseObject({ id: z.int(), name: z.string() }),
});
const pageSchema = <T extends z.ZodType>(item: T) =>
  z.strictObject({ count: z.int(), next: z.string().nullable(), previous: z.string().nullable(), results: z.array(item) });
const spacecraftPage = pageSchema(craftSchema);
const flightSchema = z.looseObject({ mission_end: z.string().nullable(), turn_around_time: z.string().nullable() });
const detailedSchema = craftSchema.extend({
  spacecraft_config: z.looseObject({ id: z.int(), response_mode: z.literal('detailed'), human_rated: z.boolean().nullable() }),
  flights: z.array(flightSchema),
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function get(fake: FakeLl2, pathAndQuery: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await request(`${fake.baseUrl}${pathAndQuery}`, { headers });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

async function getPage(fake: FakeLl2, pathAndQuery: string) {
  const answer = await get(fake, pathAndQuery);
  expect(answer.status).toBe(200);
  return spacecraftPage.parse(JSON.parse(answer.text));
}

const ids = (page: { results: { id: number }[] }): number[] => page.results.map((r) => r.id);

let catalogue: FixtureCatalogue;
const started: FakeLl2[] = [];

/** A fake over the fixture catalogue (loaded once), closed after the file. */
async function startFake(options: FakeLl2Options = {}): Promise<FakeLl2> {
  const fake = await startFakeLl2({ ...catalogue, ...options });
  started.push(fake);
  return fake;
}

function craft(id: number, overrides: Partial<SpacecraftRecord> = {}): SpacecraftRecord {
  const base = catalogue.spacecraft.find((r) => r.id === 55);
  if (!base) throw new Error('seed record 55 missing');
  return { ...structuredClone(base), id, name: `Craft ${id}`, ...overrides };
}

function byId(id: number): SpacecraftRecord {
  const found = catalogue.spacecraft.find((r) => r.id === id);
  if (!found) throw new Error(`no fixture record ${id}`);
  return found;
}

let fake: FakeLl2;

beforeAll(async () => {
  catalogue = loadFixtureCatalogue();
  fake = await startFake();
});

afterAll(async () => {
  await Promise.all(started.map((f) => f.close()));
});

// --- fixtures --------------------------------------------------------------------------------

describe('the LL2 fixture catalogue', () => {
  it('holds 590 spacecraft with unique ids, sorted by id', () => {
    const all = catalogue.spacecraft.map((r) => r.id);
    expect(all).toHaveLength(590);
    expect(new Set(all).size).toBe(590);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(loadSeedSpacecraft()).toHaveLength(10);
    expect(loadHandmadeSpacecraft()).toHaveLength(15);
    expect(loadSyntheticSpacecraft()).toHaveLength(565);
  });

  it('keeps the real seed page as LL2 served it', () => {
    const page = JSON.parse(readFileSync(new URL('../../fixtures/ll2/seed-spacecraft-page.json', import.meta.url), 'utf8'));
    expect(page).toMatchObject({ count: 590, next: expect.stringContaining('offset=450&ordering=time_in_space') });
    expect(loadSeedSpacecraft().map((r) => r.id)).toEqual([552, 63, 62, 61, 122, 602, 57, 334, 69, 55]);
  });

  it('uses one identical config object per config id, each listed in configurations.json', () => {
    const listed = new Map(catalogue.configurations.map((c) => [c.id, JSON.stringify(c)]));
    for (const record of catalogue.spacecraft) {
      expect(JSON.stringify(record.spacecraft_config)).toBe(listed.get(record.spacecraft_config.id));
    }
    const used = new Set(catalogue.spacecraft.map((r) => r.spacecraft_config.id));
    expect([...listed.keys()].filter((id) => !used.has(id))).toEqual([]);
    expect(catalogue.configurationDetails.map((d) => d.id)).toEqual(catalogue.configurations.map((c) => c.id));
  });

  it('lists the five statuses, 5 "Lost" being hand-made', () => {
    expect(catalogue.statuses).toEqual([
      { id: 1, name: 'Active' },
      { id: 2, name: 'Retired' },
      { id: 3, name: 'Destroyed' },
      { id: 4, name: 'Single Use' },
      { id: 5, name: 'Lost' },
    ]);
  });

  it('covers every hand-made edge case', () => {
    expect(byId(9001).image).toBeNull();
    expect(byId(9001).spacecraft_config.image).toBeNull();
    expect([byId(9001).time_in_space, byId(9001).time_docked, byId(9001).fastest_turnaround]).toEqual([null, null, null]);
    expect(byId(9002)).toMatchObject({ time_in_space: 'P0D', flights_count: 1 });
    expect(byId(9003)).toMatchObject({ in_space: true, status: { id: 1 }, flights_count: 4 });
    expect(byId(9004)).toMatchObject({ is_placeholder: true, serial_number: 'TBD' });
    const longDescription = byId(9005).description;
    expect(longDescription).toHaveLength(2048);
    for (const piece of ['\r\n', '*', '_', '`', '@everyone', '<@123>']) expect(longDescription).toContain(piece);
    expect(byId(9006).name).toContain('“Dick”');
    expect(byId(9007).name).toBe('神舟十八号');
    expect(byId(9008).name).toContain('🚀');
    expect(byId(9009).flights_count).toBeGreaterThanOrEqual(30);
    expect(byId(9010)).toMatchObject({ flights_count: null, mission_ends_count: null });
    expect(byId(9011).time_in_space).toBe('PT1.5S');
    expect(byId(9012).name).toHaveLength(255);
    expect(byId(9013).status).toEqual({ id: 5, name: 'Lost' });
    expect(byId(9014).time_docked).toBe('-PT3M');
    expect(byId(9015).description).toBe('');
  });

  it('matches what the generator produces, so the committed synthetic file is not stale', () => {
    expect(generateSpacecraft(DEFAULT_SYNTHETIC_COUNT)).toEqual(loadSyntheticSpacecraft());
  });

  it('generates any number of records deterministically, different for another seed', () => {
    const ten = generateSpacecraft(10);
    expect(ten).toHaveLength(10);
    expect(generateSpacecraft(10)).toEqual(ten);
    expect(generateSpacecraft(10, 7)).not.toEqual(ten);
    const big = loadFixtureCatalogue({ syntheticCount: 10_000 }).spacecraft;
    expect(big).toHaveLength(10_025);
    expect(new Set(big.map((r) => r.id)).size).toBe(10_025);
    expect(new Set(big.map((r) => r.name)).size).toBe(10_025);
  });

  it('has realistic variety: many flights_count ties, nulls and durations of every form', () => {
    const ones = catalogue.spacecraft.filter((r) => r.flights_count === 1).length;
    expect(ones).toBeGreaterThan(100);
    expect(catalogue.spacecraft.some((r) => r.time_in_space === null)).toBe(true);
    expect(catalogue.spacecraft.some((r) => r.time_docked === null)).toBe(true);
    expect(new Set(catalogue.spacecraft.map((r) => r.spacecraft_config.id)).size).toBeGreaterThanOrEqual(30);
    expect(new Set(catalogue.spacecraft.map((r) => r.status.id))).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('builds detailed records consistent with the normal ones', () => {
    const detailsById = new Map(catalogue.configurationDetails.map((d) => [d.id, d]));
    for (const record of catalogue.spacecraft) {
      const detailed = toDetailedSpacecraft(record, detailsById.get(record.spacecraft_config.id));
      expect(detailed.response_mode).toBe('detailed');
      expect(detailed.flights).toHaveLength(record.flights_count ?? 0);
      if (record.in_space && detailed.flights.length > 0) expect(detailed.flights.at(-1)?.mission_end).toBeNull();
      const turnarounds = detailed.flights.flatMap((f) => (f.turn_around_time ? [durationSeconds(f.turn_around_time)] : []));
      if (record.fastest_turnaround && turnarounds.length > 0) {
        expect(Math.min(...turnarounds)).toBe(durationSeconds(record.fastest_turnaround));
      }
    }
    expect(toDetailedSpacecraft(byId(9009), detailsById.get(119))).toEqual(toDetailedSpacecraft(byId(9009), detailsById.get(119)));
  });
});

// --- list envelope and pagination ----------------------------------------------------------

describe('GET /spacecraft/', () => {
  it('answers the DRF envelope with 10 records ordered by id by default', async () => {
    const page = await getPage(fake, '/spacecraft/');
    expect(page.count).toBe(590);
    expect(ids(page)).toEqual(catalogue.spacecraft.slice(0, 10).map((r) => r.id));
    expect(page.previous).toBeNull();
    expect(page.next).toBe(`${fake.baseUrl}/spacecraft/?limit=10&offset=10`);
    expect(page.results[0]?.response_mode).toBe('normal');
  });

  it('links next and previous with every query param, sorted by name like DRF, always with limit', async () => {
    const page = await getPage(fake, '/spacecraft/?search=soyuz&ordering=id&offset=5&limit=3&format=json');
    expect(page.next).toBe(`${fake.baseUrl}/spacecraft/?format=json&limit=3&offset=8&ordering=id&search=soyuz`);
    expect(page.previous).toBe(`${fake.baseUrl}/spacecraft/?format=json&limit=3&offset=2&ordering=id&search=soyuz`);
    const spaced = await getPage(fake, '/spacecraft/?search=soyuz%20ms');
    expect(spaced.next).toBe(`${fake.baseUrl}/spacecraft/?limit=10&offset=10&search=soyuz+ms`);
  });

  it('drops offset from previous when it would be 0, and has null links at both ends', async () => {
    const second = await getPage(fake, '/spacecraft/?limit=10&offset=4');
    expect(second.previous).toBe(`${fake.baseUrl}/spacecraft/?limit=10`);
    const last = await getPage(fake, '/spacecraft/?limit=100&offset=500');
    expect(last.results).toHaveLength(90);
    expect(last.next).toBeNull();
    expect(last.previous).toBe(`${fake.baseUrl}/spacecraft/?limit=100&offset=400`);
    const beyond = await getPage(fake, '/spacecraft/?offset=1000');
    expect(beyond).toMatchObject({ count: 590, next: null, results: [] });
  });

  it('caps limit at 100 and falls back to 10 for a zero, negative or non-integer limit', async () => {
    expect((await getPage(fake, '/spacecraft/?limit=500')).results).toHaveLength(100);
    expect((await getPage(fake, '/spacecraft/?limit=500')).next).toBe(`${fake.baseUrl}/spacecraft/?limit=100&offset=100`);
    for (const bad of ['0', '-5', 'abc', '2.5', '']) {
      expect((await getPage(fake, `/spacecraft/?limit=${bad}`)).results).toHaveLength(10);
    }
  });

  it('treats an invalid or negative offset as 0', async () => {
    const first = ids(await getPage(fake, '/spacecraft/'));
    expect(ids(await getPage(fake, '/spacecraft/?offset=-3'))).toEqual(first);
    expect(ids(await getPage(fake, '/spacecraft/?offset=x'))).toEqual(first);
  });

  it('filters on in_space and is_placeholder, accepting true/false/True/False/1/0 and ignoring other values', async () => {
    const inSpace = catalogue.spacecraft.filter((r) => r.in_space).length;
    for (const value of ['true', 'True', '1']) {
      const page = await getPage(fake, `/spacecraft/?in_space=${value}&limit=100`);
      expect(page.count).toBe(inSpace);
      expect(page.results.every((r) => r.in_space)).toBe(true);
    }
    for (const value of ['false', 'False', '0']) {
      expect((await getPage(fake, `/spacecraft/?in_space=${value}`)).count).toBe(590 - inSpace);
    }
    expect((await getPage(fake, '/spacecraft/?in_space=yes')).count).toBe(590);
    const placeholders = catalogue.spacecraft.filter((r) => r.is_placeholder).map((r) => r.id);
    expect(ids(await getPage(fake, '/spacecraft/?is_placeholder=1&limit=100'))).toEqual(placeholders);
  });

  it('filters on the exact name, case-sensitively', async () => {
    expect(ids(await getPage(fake, `/spacecraft/?name=${encodeURIComponent('Soyuz MS-10')}`))).toEqual([9002]);
    expect((await getPage(fake, '/spacecraft/?name=soyuz%20ms-10')).count).toBe(0);
    expect((await getPage(fake, '/spacecraft/?name=Soyuz')).count).toBe(0);
  });

  it('filters on spacecraft_config and status ids, combined with AND', async () => {
    const tmaM = catalogue.spacecraft.filter((r) => r.spacecraft_config.id === 39);
    expect((await getPage(fake, '/spacecraft/?spacecraft_config=39')).count).toBe(tmaM.length);
    expect(ids(await getPage(fake, '/spacecraft/?status=5'))).toEqual([9013]);
    const destroyedStarships = catalogue.spacecraft.filter((r) => r.spacecraft_config.id === 117 && r.status.id === 3);
    expect((await getPage(fake, '/spacecraft/?spacecraft_config=117&status=3')).count).toBe(destroyedStarships.length);
    expect((await getPage(fake, '/spacecraft/?status=99')).count).toBe(0);
    expect((await getPage(fake, '/spacecraft/?status=')).count).toBe(590);
  });

  it('answers 400 "Enter a number." for a non-numeric id filter', async () => {
    const one = await get(fake, '/spacecraft/?status=abc');
    expect(one.status).toBe(400);
    expect(JSON.parse(one.text)).toEqual({ status: ['Enter a number.'] });
    const two = await get(fake, '/spacecraft/?status=abc&spacecraft_config=1x');
    expect(JSON.parse(two.text)).toEqual({ spacecraft_config: ['Enter a number.'], status: ['Enter a number.'] });
  });

  it('searches every word, case-insensitively, in the name or the config name', async () => {
    const endurance = await getPage(fake, '/spacecraft/?search=dragon%20ENDURANCE');
    expect(endurance.results.map((r) => r.name).sort()).toEqual(['Dragon C210 Endurance', 'Dragon C212 Endurance']);
    // "crew" only matches the config name "Crew Dragon", "endurance" only the craft name.
    expect((await getPage(fake, '/spacecraft/?search=crew+endurance')).count).toBe(2);
    // Commas separate words too.
    expect((await getPage(fake, '/spacecraft/?search=endurance,c212')).results.map((r) => r.id)).toEqual([9003]);
    const soyuzMs = catalogue.spacecraft.filter((r) => /soyuz/i.test(`${r.name} ${r.spacecraft_config.name}`) && /ms/i.test(`${r.name}|${r.spacecraft_config.name}`));
    expect((await getPage(fake, '/spacecraft/?search=Soyuz%20MS')).count).toBe(soyuzMs.length);
    expect(ids(await getPage(fake, `/spacecraft/?search=${encodeURIComponent('神舟')}`))).toEqual([9007]);
    expect(ids(await getPage(fake, `/spacecraft/?search=${encodeURIComponent('“Dick”')}`))).toEqual([9006]);
    expect((await getPage(fake, '/spacecraft/?search=%20,%20')).count).toBe(590);
    expect((await getPage(fake, '/spacecraft/?search=zzzz%20soyuz')).count).toBe(0);
  });

  it('uses the last value of a repeated param, as Django does', async () => {
    const page = await getPage(fake, '/spacecraft/?status=1&status=5');
    expect(ids(page)).toEqual([9013]);
    expect(page.next).toBeNull();
    const repeated = await getPage(fake, '/spacecraft/?status=4&status=4&limit=2');
    expect(repeated.next).toBe(`${fake.baseUrl}/spacecraft/?limit=2&offset=2&status=4&status=4`);
  });

  it('answers detailed records with mode=detailed', async () => {
    const answer = await get(fake, '/spacecraft/?mode=detailed&name=Space%20Shuttle%20Discovery');
    const page = pageSchema(detailedSchema).parse(JSON.parse(answer.text));
    expect(page.results[0]?.response_mode).toBe('detailed');
    expect(page.results[0]?.flights).toHaveLength(39);
  });
});

// --- ordering -----------------------------------------------------------------------------

describe('ordering of /spacecraft/', () => {
  let small: FakeLl2;
  beforeAll(async () => {
    small = await startFake({
      spacecraft: [
        craft(1, { flights_count: 3, mission_ends_count: 3, time_in_space: 'P1D', time_docked: null }),
        craft(2, { flights_count: null, mission_ends_count: null, time_in_space: 'PT23H', time_docked: 'PT5M' }),
        craft(3, { flights_count: 1, mission_ends_count: 0, time_in_space: null, time_docked: 'P0D' }),
        craft(4, { flights_count: 3, mission_ends_count: 2, time_in_space: 'PT1.5S', time_docked: '-PT3M' }),
        craft(5, { flights_count: null, mission_ends_count: 1, time_in_space: 'PT2S', time_docked: null }),
        craft(6, { flights_count: 0, mission_ends_count: 0, time_in_space: 'PT1S', time_docked: 'PT5M' }),
      ],
    });
  });

  it('sorts ascending with nulls last and ties broken by id ascending', async () => {
    expect(ids(await getPage(small, '/spacecraft/?ordering=flights_count'))).toEqual([6, 3, 1, 4, 2, 5]);
  });

  it('sorts descending with nulls first and ties still broken by id ascending', async () => {
    expect(ids(await getPage(small, '/spacecraft/?ordering=-flights_count'))).toEqual([2, 5, 1, 4, 3, 6]);
    expect(ids(await getPage(small, '/spacecraft/?ordering=-mission_ends_count'))).toEqual([2, 1, 4, 5, 3, 6]);
  });

  it('orders durations by total length, fractional seconds and negative values included', async () => {
    expect(ids(await getPage(small, '/spacecraft/?ordering=time_in_space'))).toEqual([6, 4, 5, 2, 1, 3]);
    expect(ids(await getPage(small, '/spacecraft/?ordering=-time_in_space'))).toEqual([3, 1, 2, 5, 4, 6]);
    expect(ids(await getPage(small, '/spacecraft/?ordering=time_docked'))).toEqual([4, 3, 2, 6, 1, 5]);
  });

  it('accepts several comma-separated fields and drops unknown ones', async () => {
    expect(ids(await getPage(small, '/spacecraft/?ordering=-flights_count,-id'))).toEqual([5, 2, 4, 1, 3, 6]);
    expect(ids(await getPage(small, '/spacecraft/?ordering=name,%20-id'))).toEqual([6, 5, 4, 3, 2, 1]);
    expect(ids(await getPage(small, '/spacecraft/?ordering=name'))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ids(await getPage(small, '/spacecraft/?ordering=--id'))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sees records added between two page fetches', async () => {
    const before = await getPage(small, '/spacecraft/?limit=3');
    small.addSpacecraft(craft(0));
    const after = await getPage(small, '/spacecraft/?limit=3&offset=3');
    expect(before.count).toBe(6);
    expect(after.count).toBe(7);
    expect(ids(after)).toEqual([3, 4, 5]);
    expect(() => small.addSpacecraft(craft(0))).toThrow(/already exists/);
  });
});

// --- other endpoints ----------------------------------------------------------------------

describe('the other LL2 endpoints', () => {
  it('answers the detailed shape for /spacecraft/{id}/, with one flight per flights_count', async () => {
    const answer = await get(fake, '/spacecraft/9009/');
    expect(answer.status).toBe(200);
    const detailed = detailedSchema.parse(JSON.parse(answer.text));
    expect(detailed).toMatchObject({ id: 9009, response_mode: 'detailed', spacecraft_config: { response_mode: 'detailed' } });
    expect(detailed.flights).toHaveLength(39);
    const nullCounts = detailedSchema.parse(JSON.parse((await get(fake, '/spacecraft/9010/')).text));
    expect(nullCounts.flights).toEqual([]);
    const inSpace = detailedSchema.parse(JSON.parse((await get(fake, '/spacecraft/9003/')).text));
    expect(inSpace.flights.at(-1)?.mission_end).toBeNull();
  });

  it('answers 404 Not found for an unknown spacecraft or path', async () => {
    for (const path of ['/spacecraft/123456/', '/spacecraft/abc/', '/launches/', '/']) {
      const answer = await get(fake, path);
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.text)).toEqual({ detail: 'Not found.' });
    }
  });

  it('redirects a path without its trailing slash, keeping the query', async () => {
    const answer = await get(fake, '/spacecraft?limit=2');
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe('/2.3.0/spacecraft/?limit=2');
  });

  it('lists configurations with name, in_use and agency filters, search over agency abbrev, ordering by name', async () => {
    const configPage = pageSchema(z.looseObject({ id: z.int(), name: z.string(), in_use: z.boolean() }));
    const all = configPage.parse(JSON.parse((await get(fake, '/spacecraft_configurations/?limit=100')).text));
    expect(all.count).toBe(catalogue.configurations.length);
    const inUse = configPage.parse(JSON.parse((await get(fake, '/spacecraft_configurations/?in_use=true&limit=100')).text));
    expect(inUse.results.every((c) => c.in_use)).toBe(true);
    const rfsa = configPage.parse(JSON.parse((await get(fake, '/spacecraft_configurations/?search=rfsa&limit=100')).text));
    expect(rfsa.results.map((c) => c.name)).toContain('Soyuz TMA-M');
    const byName = configPage.parse(JSON.parse((await get(fake, '/spacecraft_configurations/?ordering=name&limit=3')).text));
    expect(byName.results.map((c) => c.name)).toEqual(['Apollo CSM', 'Apollo LM', 'ATV']);
    const exact = configPage.parse(JSON.parse((await get(fake, '/spacecraft_configurations/?name=Tianzhou')).text));
    expect(exact.results.map((c) => c.id)).toEqual([25]);
    expect((await get(fake, '/spacecraft_configurations/?agency=x')).status).toBe(400);
  });

  it('lists spacecraft statuses in the same envelope', async () => {
    const answer = await get(fake, '/config/spacecraft_statuses/');
    expect(JSON.parse(answer.text)).toEqual({ count: 5, next: null, previous: null, results: catalogue.statuses });
  });
});

// --- quota --------------------------------------------------------------------------------

describe('the quota', () => {
  const throttleSchema = z.array(
    z.strictObject({
      your_request_limit: z.int(),
      limit_frequency_secs: z.int(),
      current_use: z.int(),
      next_use_secs: z.int(),
      ident: z.string(),
    }),
  );

  it('answers 429 with Retry-After once the limit is used, until the oldest request leaves the window', async () => {
    let clock = 1_000_000;
    const limited = await startFake({ quota: { limit: 3, windowSecs: 3600 }, now: () => clock });
    for (let i = 0; i < 3; i++) {
      expect((await get(limited, '/spacecraft/?limit=1')).status).toBe(200);
      clock += 10_000;
    }
    const refused = await get(limited, '/spacecraft/?limit=1');
    expect(refused.status).toBe(429);
    // The oldest request was 30 s ago: it leaves the 3600 s window in 3570 s.
    expect(refused.headers['retry-after']).toBe('3570');
    expect(JSON.parse(refused.text)).toEqual({ detail: 'Request was throttled. Expected available in 3570 seconds.' });

    clock += 3_569_500; // 0.5 s before the oldest leaves: rounded up to 1 second
    const almost = await get(limited, '/spacecraft/?limit=1');
    expect(almost.headers['retry-after']).toBe('1');
    expect(JSON.parse(almost.text)).toEqual({ detail: 'Request was throttled. Expected available in 1 second.' });
    clock += 500;
    expect((await get(limited, '/spacecraft/?limit=1')).status).toBe(200);
    expect(limited.countedRequests()).toBe(4);
    expect(limited.requests.filter((r) => r.status === 429).every((r) => !r.counted)).toBe(true);
  });

  it('does not count /api-throttle/, which reports the current use', async () => {
    let clock = 5_000_000;
    const limited = await startFake({ quota: { limit: 2, windowSecs: 60 }, now: () => clock });
    await get(limited, '/spacecraft/');
    clock += 15_000;
    await get(limited, '/spacecraft/');
    for (let i = 0; i < 3; i++) {
      const answer = await get(limited, '/api-throttle/');
      expect(answer.status).toBe(200);
      expect(throttleSchema.parse(JSON.parse(answer.text))).toEqual([
        { your_request_limit: 2, limit_frequency_secs: 60, current_use: 2, next_use_secs: 45, ident: '127.0.0.1' },
      ]);
    }
    expect(limited.countedRequests()).toBe(2);
    expect(limited.requests.filter((r) => r.path === '/2.3.0/api-throttle/').every((r) => !r.counted)).toBe(true);
    clock += 45_000;
    const freed = throttleSchema.parse(JSON.parse((await get(limited, '/api-throttle/')).text));
    expect(freed[0]).toMatchObject({ current_use: 1, next_use_secs: 0 });
  });

  it('counts per API key when an Authorization token is sent, apart from the IP', async () => {
    const limited = await startFake({ quota: { limit: 1, windowSecs: 3600 } });
    expect((await get(limited, '/spacecraft/')).status).toBe(200);
    expect((await get(limited, '/spacecraft/')).status).toBe(429);
    expect((await get(limited, '/spacecraft/', { authorization: 'Token abc123' })).status).toBe(200);
    expect((await get(limited, '/spacecraft/', { authorization: 'Token abc123' })).status).toBe(429);
    const usage = throttleSchema.parse(JSON.parse((await get(limited, '/api-throttle/', { authorization: 'Token abc123' })).text));
    expect(usage[0]?.ident).toBe('abc123');
    expect(limited.requests.map((r) => r.headers.authorization)).toContain('Token abc123');
    limited.setQuota(false);
    expect((await get(limited, '/spacecraft/')).status).toBe(200);
  });

  it('records every request with its method, path, query, authorization and status', async () => {
    const recorder = await startFake();
    await get(recorder, '/spacecraft/?search=soyuz&search=dragon&limit=5', { authorization: 'Token k' });
    expect(recorder.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/2.3.0/spacecraft/',
        query: { search: 'dragon', limit: '5' },
        rawQuery: 'search=soyuz&search=dragon&limit=5',
        headers: { authorization: 'Token k' },
        ident: 'k',
        counted: true,
        status: 200,
      }),
    ]);
    recorder.resetRequests();
    expect(recorder.requests).toEqual([]);
    expect(recorder.countedRequests()).toBe(0);
  });
});

// --- failure switches -------------------------------------------------------------------------

describe('the failure switches', () => {
  it('down destroys the socket without an answer', async () => {
    const broken = await startFake();
    broken.setMode('down');
    await expect(get(broken, '/spacecraft/')).rejects.toThrow();
    expect(broken.requests[0]?.status).toBeNull();
    broken.setMode('ok');
    expect((await get(broken, '/spacecraft/')).status).toBe(200);
  });

  it('garbage answers 200 with invalid JSON, then with valid JSON of the wrong shape', async () => {
    const broken = await startFake();
    broken.setMode('garbage');
    const first = await get(broken, '/spacecraft/');
    expect(first.status).toBe(200);
    expect(() => JSON.parse(first.text)).toThrow();
    const second = await get(broken, '/spacecraft/');
    expect(second.status).toBe(200);
    expect(spacecraftPage.safeParse(JSON.parse(second.text)).success).toBe(false);
    expect(broken.countedRequests()).toBe(2);
  });

  it("error500 answers Django's HTML error page", async () => {
    const broken = await startFake();
    broken.setMode('error500');
    const answer = await get(broken, '/spacecraft/');
    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toContain('text/html');
  });

  it('failAfter lets n counted requests through, then answers 503 until lifted', async () => {
    const flaky = await startFake();
    flaky.failAfter(2);
    expect((await get(flaky, '/spacecraft/?limit=100')).status).toBe(200);
    expect((await get(flaky, '/api-throttle/')).status).toBe(200);
    expect((await get(flaky, '/spacecraft/?limit=100&offset=100')).status).toBe(200);
    expect((await get(flaky, '/spacecraft/?limit=100&offset=200')).status).toBe(503);
    expect((await get(flaky, '/spacecraft/?limit=100&offset=200')).status).toBe(503);
    flaky.failAfter(null);
    expect((await get(flaky, '/spacecraft/?limit=100&offset=200')).status).toBe(200);
  });

  it('hang never answers, and close() still returns', async () => {
    const stuck = await startFakeLl2({ ...catalogue });
    stuck.setMode('hang');
    const pending = request(`${stuck.baseUrl}/spacecraft/`, { signal: AbortSignal.timeout(50) });
    await expect(pending).rejects.toThrow();
    const late = request(`${stuck.baseUrl}/spacecraft/`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await stuck.close();
    expect(await late).toBeInstanceOf(Error);
  });

  it('latency delays every answer, /api-throttle/ included', async () => {
    const slow = await startFake({ latencyMs: 40 });
    for (const path of ['/spacecraft/?limit=1', '/api-throttle/']) {
      const started = performance.now();
      expect((await get(slow, path)).status).toBe(200);
      // A lower bound only (timers may fire a millisecond early): never flaky on a slow machine.
      expect(performance.now() - started).toBeGreaterThanOrEqual(38);
    }
    slow.setLatency(0);
    expect((await get(slow, '/spacecraft/?limit=1')).status).toBe(200);
  });

  it('serves a replaced catalogue after setSpacecraft', async () => {
    const swapped = await startFake();
    swapped.setSpacecraft([craft(1), craft(2)]);
    expect(ids(await getPage(swapped, '/spacecraft/'))).toEqual([1, 2]);
  });
});
