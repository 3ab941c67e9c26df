// Gateway sharding settings (issue 5): SHARD_COUNT=auto takes Discord's recommendation, SHARD_IDS
// picks this process's share, and nonsense is refused at start with a clear message.
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type Running } from '../../src/bot.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { tempSqliteUrl, uniqueNamespace } from '../support/stores.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function fakes(shardCount: number): Promise<{ discord: FakeDiscord; ll2: FakeLl2 }> {
  const discord = await startFakeDiscord({ shardCount });
  const ll2 = await startFakeLl2();
  cleanup.push(async () => {
    await discord.close();
    await ll2.close();
  });
  return { discord, ll2 };
}

async function start(env: Record<string, string>, { discord, ll2 }: { discord: FakeDiscord; ll2: FakeLl2 }): Promise<Running> {
  const config = loadConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_REST_API: discord.restBase,
    LL2_BASE_URL: ll2.baseUrl,
    STORE_URL: tempSqliteUrl(),
    ...env,
  });
  const running = await startBot(config, silentLogger(), { refresh: false, storeNamespace: uniqueNamespace() });
  cleanup.push(() => running.stop());
  return running;
}

/**
 * discord.js's Client also reads SHARD_COUNT from the environment when it is built; the bot must
 * start whatever our own setting holds there (`auto`, or blank as in .env.example).
 */
async function withEnvironment<T>(value: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env.SHARD_COUNT;
  process.env.SHARD_COUNT = value;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.SHARD_COUNT;
    else process.env.SHARD_COUNT = saved;
  }
}

describe('gateway sharding', () => {
  it('runs as many shards as Discord recommends with SHARD_COUNT=auto', async () => {
    const both = await fakes(3);
    const running = await withEnvironment('auto', () => start({ SHARD_COUNT: 'auto' }, both));
    await both.discord.waitForShards(3);
    expect(both.discord.identifies.map((i) => i.shard).sort()).toEqual([[0, 3], [1, 3], [2, 3]]);
    expect(running.client?.ws.shards.size).toBe(3);
  });

  it('runs one shard over all guilds when SHARD_COUNT is blank', async () => {
    const both = await fakes(1);
    await withEnvironment('', () => start({ SHARD_COUNT: '' }, both));
    await both.discord.waitForShards(1);
    expect(both.discord.identifies.map((i) => i.shard)).toEqual([[0, 1]]);
  });

  it('runs only the shards SHARD_IDS names out of SHARD_COUNT', async () => {
    const both = await fakes(4);
    await withEnvironment('4', () => start({ SHARD_COUNT: '4', SHARD_IDS: '1,3' }, both));
    await both.discord.waitForShards(2);
    expect(both.discord.identifies.map((i) => i.shard).sort()).toEqual([[1, 4], [3, 4]]);
  });

  it('refuses shard ids without a fixed count, or outside it', () => {
    expect(() => loadConfig({ SHARD_IDS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ SHARD_COUNT: 'auto', SHARD_IDS: '0' })).toThrow(/SHARD_IDS: needs SHARD_COUNT/);
    expect(() => loadConfig({ SHARD_COUNT: '2', SHARD_IDS: '0,2' })).toThrow(/SHARD_IDS: every id must be below SHARD_COUNT \(2\)/);
    expect(loadConfig({ SHARD_COUNT: '2', SHARD_IDS: '1' }).SHARD_IDS).toEqual([1]);
  });

  it('keeps every key under STORE_NAMESPACE (default spacedock), and refuses one that is not a plain name', () => {
    expect(loadConfig({}).STORE_NAMESPACE).toBe('spacedock');
    expect(loadConfig({ STORE_NAMESPACE: 'bot-a.prod' }).STORE_NAMESPACE).toBe('bot-a.prod');
    expect(() => loadConfig({ STORE_NAMESPACE: 'has space' })).toThrow(/STORE_NAMESPACE/);
  });
});
