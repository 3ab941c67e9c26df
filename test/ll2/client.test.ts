import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Ll2Client, retryAfterSecs } from '../../src/ll2/client.ts';
import { Ll2BodyError, Ll2HttpError, Ll2NetworkError, Ll2QuotaError } from '../../src/ll2/errors.ts';
import { spacecraftDetailedSchema, spacecraftSchema, throttleSchema } from '../../src/ll2/schemas.ts';
import { toLl2Params } from '../../src/service/query.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { loadFixtureCatalogue, loadSeedSpacecraft } from '../fixtures/ll2/index.ts';

let fake: FakeLl2;
beforeAll(async () => {
  fake = await startFakeLl2();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.setMode('ok');
  fake.setQuota(false);
  fake.setLatency(0);
  fake.resetRequests();
  fake.resetQuota();
});

const client = (extra: Partial<ConstructorParameters<typeof Ll2Client>[0]> = {}) => new Ll2Client({ baseUrl: fake.baseUrl, timeoutMs: 1000, ...extra });

describe('LL2 schemas', () => {
  it('read every record of the real seed page and every fixture record', () => {
    for (const record of loadSeedSpacecraft()) expect(spacecraftSchema.safeParse(record).success).toBe(true);
    for (const record of loadFixtureCatalogue().spacecraft) expect(spacecraftSchema.safeParse(record).success).toBe(true);
  });

  it('let nulls survive where the schema says "never null", and pass unknown fields through', () => {
    const parsed = spacecraftSchema.parse({ id: 1, name: 'X', status: null, spacecraft_config: null, image: null, new_field_2027: { a: 1 } });
    expect(parsed.status).toBeNull();
    expect(parsed.time_in_space).toBeNull();
    expect((parsed as Record<string, unknown>).new_field_2027).toEqual({ a: 1 });
    expect(spacecraftDetailedSchema.parse({ id: 1, name: 'X', flights: [{ id: 5, launch: null, destination: null }] }).flights?.[0]?.launch).toBeNull();
  });

  it('reject records without an id or a name', () => {
    expect(spacecraftSchema.safeParse({ name: 'X' }).success).toBe(false);
    expect(spacecraftSchema.safeParse({ id: 1 }).success).toBe(false);
  });

  it('read /api-throttle/ as an array of one object or as an object', () => {
    const one = { your_request_limit: 15, limit_frequency_secs: 3600, current_use: 3, next_use_secs: 0, ident: '1.2.3.4' };
    expect(throttleSchema.parse([one])).toMatchObject({ current_use: 3 });
    expect(throttleSchema.parse(one)).toMatchObject({ current_use: 3 });
  });
});

describe('query → LL2 URL', () => {
  it('maps every option to its LL2 parameter', () => {
    const params = toLl2Params({ search: ' soyuz tma ', status: 4, inSpace: false, placeholder: true, config: 39, ordering: '-time_docked', detail: 'detailed' }, 100, 200);
    const url = new URL(client().urlFor('/spacecraft/', params));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      search: 'soyuz tma',
      status: '4',
      in_space: 'false',
      is_placeholder: 'true',
      spacecraft_config: '39',
      ordering: '-time_docked',
      limit: '100',
      offset: '200',
      mode: 'normal',
    });
    expect(url.pathname).toMatch(/\/2\.3\.0\/spacecraft\/$/);
  });

  it('leaves out what was not asked, and offset 0', () => {
    expect(toLl2Params({ detail: 'normal' }, 5, 0)).toEqual({ limit: 5, mode: 'normal' });
  });
});

describe('the LL2 client', () => {
  it('sends the API key as a Token header only when one is set', async () => {
    await client().getSpacecraft(63);
    await client({ apiKey: 'abc123' }).getSpacecraft(63);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([undefined, 'Token abc123']);
  });

  it('reports a 429 with the seconds until LL2 is available', async () => {
    fake.setQuota({ limit: 1, windowSecs: 600 });
    await client().getSpacecraft(63);
    const error = await client().getSpacecraft(63).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Ll2QuotaError);
    expect((error as Ll2QuotaError).origin).toBe('upstream');
    expect((error as Ll2QuotaError).retryAfterSecs).toBeGreaterThan(590);
  });

  it('reads the wait from the DRF message when Retry-After is missing', () => {
    expect(retryAfterSecs(undefined, '{"detail":"Request was throttled. Expected available in 1234 seconds."}')).toBe(1234);
    expect(retryAfterSecs('17', '')).toBe(17);
    expect(retryAfterSecs(undefined, 'nothing')).toBe(60);
  });

  it('names each failure: HTTP status, bad body, unreachable, timeout', async () => {
    await expect(client().getSpacecraft(123_456_789)).rejects.toBeInstanceOf(Ll2HttpError);
    fake.setMode('error500');
    await expect(client().listSpacecraft({})).rejects.toMatchObject({ status: 500 });
    fake.setMode('garbage');
    await expect(client().listSpacecraft({})).rejects.toBeInstanceOf(Ll2BodyError);
    await expect(client().listSpacecraft({})).rejects.toBeInstanceOf(Ll2BodyError);
    fake.setMode('down');
    await expect(client().listSpacecraft({})).rejects.toMatchObject({ reason: 'unreachable' });
    fake.setMode('hang');
    const error = await client({ timeoutMs: 200 }).listSpacecraft({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Ll2NetworkError);
    expect((error as Ll2NetworkError).reason).toBe('timeout');
  });
});
