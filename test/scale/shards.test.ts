// Two real bot processes, one gateway shard each, on one Redis (issue 5): the catalogue is synced by
// one of them only, the LL2 quota holds across both, and a list survives its process (rolling deploy).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeUser, shardOf, startFakeDiscord, type FakeDiscord, type FakeGuild, type InteractionResult } from '../fakes/discord/index.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { loadFixtureCatalogue } from '../fixtures/ll2/index.ts';
import { customIds, deployCommands, dropNamespace, eventually, footerOf, listNamespace, spawnSpacedock, stopAllSpacedocks, type SpacedockProcess } from '../support/cluster.ts';
import { REDIS_URL, uniqueNamespace } from '../support/stores.ts';

const QUOTA = 15;
const PARTS = ['spacecraft', 'configurations', 'statuses'];

let discord: FakeDiscord;
let ll2: FakeLl2;
let namespace: string;
let guilds: [FakeGuild, FakeGuild];
const bots: SpacedockProcess[] = [];

function startShard(id: number): SpacedockProcess {
  const bot = spawnSpacedock(`shard ${id}`, {
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_REST_API: discord.restBase,
    SHARD_COUNT: '2',
    SHARD_IDS: String(id),
    STORE_URL: REDIS_URL,
    STORE_NAMESPACE: namespace,
    LL2_BASE_URL: ll2.baseUrl,
    LL2_QUOTA_LIMIT: String(QUOTA),
  });
  bots.push(bot);
  return bot;
}

const synced = (bot: SpacedockProcess) => new Set(bot.logs.filter((l) => l.msg === 'catalogue part synced').map((l) => String(l['part'])));
const loaded = (bot: SpacedockProcess) => new Set(bot.logs.filter((l) => l.msg === 'loaded the catalogue version in the store').flatMap((l) => (Array.isArray(l['parts']) ? l['parts'].map(String) : [])));
const hasAll = (parts: Set<string>) => PARTS.every((part) => parts.has(part));
/** List and detail requests the catalogue sync makes (not /api-throttle/, not detail cards). */
const syncRequests = () => ll2.requests.filter((r) => r.counted && /\/(spacecraft|spacecraft_configurations|config\/spacecraft_statuses)\/$/.test(r.path));

beforeAll(async () => {
  namespace = uniqueNamespace();
  discord = await startFakeDiscord({ shardCount: 2 });
  ll2 = await startFakeLl2({ quota: { limit: QUOTA, windowSecs: 3600 } });
  await deployCommands(discord);
  const byShard = (id: number) => discord.guilds.find((g) => shardOf(g.id, 2) === id);
  const [g0, g1] = [byShard(0), byShard(1)];
  if (g0 === undefined || g1 === undefined) throw new Error('the fake Discord has no guild per shard');
  guilds = [g0, g1];
  // both start at once, as after a deploy of two fresh processes
  const [a, b] = [startShard(0), startShard(1)];
  await Promise.all([a.waitForLog('connected to Discord'), b.waitForLog('connected to Discord')]);
  await discord.waitForShards(2);
  // one of them syncs, the other loads what it stored
  await eventually('the catalogue in both processes', () => (hasAll(synced(a)) || hasAll(synced(b))) && hasAll(new Set([...synced(a), ...loaded(a)])) && hasAll(new Set([...synced(b), ...loaded(b)])), 15_000);
});

afterAll(async () => {
  await stopAllSpacedocks();
  await discord?.close();
  await ll2?.close();
  if (namespace !== undefined) await dropNamespace(REDIS_URL, namespace);
});

function answered(result: InteractionResult): asserts result is InteractionResult & { message: NonNullable<InteractionResult['message']> } {
  expect(result.settled, 'the interaction was answered').toBe(true);
  expect(result.errors).toEqual([]);
  expect(result.message).toBeDefined();
}

describe('two gateway processes (one shard each) on one Redis', () => {
  it('sync the catalogue once: one process mirrors LL2, the other loads what it stored', async () => {
    const [a, b] = bots as [SpacedockProcess, SpacedockProcess];
    const syncers = [a, b].filter((bot) => synced(bot).size > 0);
    expect(syncers).toHaveLength(1);
    // every page of every part was asked for exactly once
    const pages = syncRequests().map((r) => `${r.path}?offset=${r.query['offset'] ?? '0'}`);
    expect(pages.length).toBeGreaterThan(0);
    expect(new Set(pages).size).toBe(pages.length);
    // and both answer from the catalogue
    const ada = fakeUser('ada');
    for (const guild of guilds) {
      const result = await discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' }, { guildId: guild.id });
      answered(result);
      expect(footerOf(result.message)).toMatch(/catalogue synced/);
    }
    expect(syncRequests()).toHaveLength(pages.length);
  });

  it('never spend more than the LL2 quota together: a burst of detail cards through both', async () => {
    const before = ll2.countedRequests();
    expect(before).toBeLessThanOrEqual(QUOTA - 3); // the first sync left the people's reserve
    const ids = loadFixtureCatalogue().spacecraft.map((s) => s.id).slice(0, 16);
    const users = ids.map((_, i) => fakeUser(`burst${i}`));
    const results = await Promise.all(
      ids.map((id, i) => discord.slash(users[i]!, 'spacecraft', 'show', { name: String(id) }, { guildId: guilds[i % 2]!.id, timeoutMs: 10_000 })),
    );
    for (const result of results) answered(result);
    // both processes served part of the burst
    expect(new Set(results.flatMap((r) => r.deliveredTo))).toEqual(new Set([0, 1]));
    const footers = results.map((r) => footerOf(r.message));
    const live = footers.filter((f) => /live from LL2/.test(f)).length;
    expect(live).toBe(QUOTA - before);
    expect(footers.filter((f) => /LL2 over quota/.test(f))).toHaveLength(ids.length - live);
    // LL2 saw at most its limit, and never had to refuse anything
    expect(ll2.countedRequests()).toBe(QUOTA);
    expect(ll2.requests.filter((r) => r.status === 429)).toEqual([]);
    const keys = await listNamespace(REDIS_URL, namespace);
    expect(keys.filter((k) => k.startsWith(`${namespace}:`) && k.endsWith(':quota:log'))).toHaveLength(1);
  });

  it('let a list started through the shard-0 process page on through another process after the first is killed (rolling deploy)', async () => {
    const [a, b] = bots as [SpacedockProcess, SpacedockProcess];
    const ada = fakeUser('ada');
    const started = await discord.slash(ada, 'spacecraft', 'search', {}, { guildId: guilds[0].id });
    answered(started);
    expect(started.deliveredTo).toEqual([0]);
    await eventually('the shard-0 process to log the search', () => a.handled(started.interactionId));
    expect(footerOf(started.message)).toMatch(/^page 1\//);
    const next = customIds(started.message).find((id) => id.includes(':next:'));
    expect(next).toBeDefined();

    // the old shard-0 process goes away; the other shard keeps answering meanwhile
    await a.stop('SIGTERM');
    const meanwhile = await discord.slash(ada, 'spacecraft', 'search', { query: 'dragon' }, { guildId: guilds[1].id });
    answered(meanwhile);
    await eventually('the shard-1 process to log the search', () => b.handled(meanwhile.interactionId));

    // its replacement takes shard 0 over, with nothing in memory
    const syncsBefore = syncRequests().length;
    const c = startShard(0);
    await c.waitForLog('connected to Discord');
    await discord.waitForShards(2);
    const paged = await discord.click(started.message.id, next!, ada, { guildId: guilds[0].id });
    answered(paged);
    expect(paged.deliveredTo).toEqual([0]);
    await eventually('the new shard-0 process to log the click', () => c.handled(paged.interactionId));
    expect(a.handled(paged.interactionId)).toBe(false);
    expect(paged.type).toBe(7); // the list message itself turned the page
    expect(footerOf(paged.message)).toMatch(/^page 2\/\d+ · \d+ results · catalogue synced/);
    // the replacement loaded the catalogue from the store: no new sync
    expect(syncRequests()).toHaveLength(syncsBefore);
    expect(c.alive()).toBe(true);
    expect(b.alive()).toBe(true);
  });
});
