import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Ll2Client } from '../../src/ll2/client.ts';
import { silentLogger } from '../../src/log.ts';
import { QuotaGovernor } from '../../src/service/quota.ts';
import { MemoryQuotaLedger } from '../../src/store/quotaLedger.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';

const servers: Array<Server | FakeLl2> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => ('baseUrl' in s ? s.close() : new Promise<void>((r) => s.close(() => r())))));
});

/** A hostile upstream that answers every request with the given status, headers and body. */
async function hostile(status: number, headers: Record<string, string>, body: string): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(status, headers).end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/2.3.0`;
}

function governor(baseUrl: string, ledger = new MemoryQuotaLedger()) {
  const client = new Ll2Client({ baseUrl, timeoutMs: 1000 });
  return { ledger, client, quota: new QuotaGovernor({ ledger, client, limit: 15, windowMs: 3_600_000, interactiveReserve: 3, now: Date.now, logger: silentLogger() }) };
}

describe('the quota governor against a hostile or broken upstream', () => {
  it('never holds requests for longer than one window, whatever Retry-After says', async () => {
    const url = await hostile(429, { 'retry-after': '999999999' }, '{"detail":"Request was throttled."}');
    const { quota, client } = governor(url);
    await expect(quota.run('a', 'interactive', () => client.getSpacecraft(1))).rejects.toThrow(/quota/);
    expect(quota.blockedForMs()).toBeLessThanOrEqual(3_600_000);
    expect(quota.blockedForMs()).toBeGreaterThan(3_500_000);
  });

  it('gives the slot back when the connection was never made (LL2 did not count it)', async () => {
    const { quota, client, ledger } = governor('http://127.0.0.1:1/2.3.0');
    for (let i = 0; i < 20; i++) await expect(quota.run(`a${i}`, 'interactive', () => client.getSpacecraft(1))).rejects.toThrow(/unreachable/);
    expect(await ledger.used(Date.now(), 3_600_000)).toBe(0);
  });

  it('keeps the slot when the request reached LL2, even if it failed', async () => {
    const url = await hostile(500, {}, 'oops');
    const { quota, client, ledger } = governor(url);
    await expect(quota.run('a', 'interactive', () => client.getSpacecraft(1))).rejects.toThrow(/500/);
    expect(await ledger.used(Date.now(), 3_600_000)).toBe(1);
  });
});

describe('syncing with /api-throttle/', () => {
  it('counts as used what LL2 has not left for us, and nothing against a server with a larger limit', async () => {
    const fake = await startFakeLl2({ quota: { limit: 15, windowSecs: 3600 } });
    servers.push(fake);
    for (let i = 0; i < 10; i++) await fetch(`${fake.baseUrl}/spacecraft/63/`);
    const strict = governor(fake.baseUrl);
    await strict.quota.syncWithUpstream();
    expect(await strict.quota.used()).toBe(10);

    const unlimited = await startFakeLl2();
    servers.push(unlimited);
    for (let i = 0; i < 40; i++) await fetch(`${unlimited.baseUrl}/spacecraft/63/`);
    const relaxed = governor(unlimited.baseUrl);
    await relaxed.quota.syncWithUpstream();
    expect(await relaxed.quota.used()).toBe(0);
  });
});
