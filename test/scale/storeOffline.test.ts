// Redis going away under a running bot (issue 5): answers keep coming from memory and say so in the
// footer, the process does not crash, it reconnects when Redis is back, and what was stored survives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeCustomId } from '../../src/interactions/customId.ts';
import { PageStates } from '../../src/interactions/pageState.ts';
import { storeNamespace } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { Store } from '../../src/store/store.ts';
import { fakeUser, startFakeDiscord, type FakeDiscord, type InteractionResult } from '../fakes/discord/index.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { customIds, deployCommands, eventually, footerOf, spawnSpacedock, startPrivateRedis, stopAllSpacedocks, type PrivateRedis, type SpacedockProcess } from '../support/cluster.ts';
import { uniqueNamespace } from '../support/stores.ts';

const OFFLINE = /store offline, answering from memory/;

let discord: FakeDiscord;
let ll2: FakeLl2;
let redis: PrivateRedis;
let bot: SpacedockProcess;
const namespace = uniqueNamespace();

beforeAll(async () => {
  redis = await startPrivateRedis();
  discord = await startFakeDiscord();
  ll2 = await startFakeLl2();
  await deployCommands(discord);
  bot = spawnSpacedock('bot', {
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_REST_API: discord.restBase,
    // blank, as in a `.env` copied from .env.example: one process, every shard
    SHARD_COUNT: '',
    STORE_URL: redis.url,
    STORE_NAMESPACE: namespace,
    LL2_BASE_URL: ll2.baseUrl,
    LL2_QUOTA_LIMIT: '1000',
  });
  await bot.waitForLog('connected to Discord');
  await eventually('the first catalogue sync', () => bot.logs.filter((l) => l.msg === 'catalogue part synced').length === 3, 15_000);
});

afterAll(async () => {
  await stopAllSpacedocks();
  await discord?.close();
  await ll2?.close();
  await redis?.destroy();
});

function answered(result: InteractionResult): asserts result is InteractionResult & { message: NonNullable<InteractionResult['message']> } {
  expect(result.settled, 'the interaction was answered').toBe(true);
  expect(result.errors).toEqual([]);
  expect(result.message).toBeDefined();
}

const nextButton = (result: InteractionResult) => {
  const id = customIds(result.message).find((c) => c.includes(':next:'));
  if (id === undefined) throw new Error('no next button');
  return id;
};

describe('a bot whose Redis goes away', () => {
  it('keeps answering from memory and says so, reconnects when Redis is back, and loses nothing stored', async () => {
    const ada = fakeUser('ada');
    const before = await discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' });
    answered(before);
    expect(footerOf(before.message)).not.toMatch(OFFLINE);

    const connectionErrors = () => bot.logs.filter((l) => l.msg === 'redis connection error').length;
    const errorsBefore = connectionErrors();
    await redis.stop('SIGKILL');
    // the bot learns of it when its connection closes (an answer already under way cannot know)
    await eventually('the bot to see its Redis connection close', () => connectionErrors() > errorsBefore);

    // a new list, a page of the list from before, and a detail card: all answered, all saying where from
    const during = await discord.slash(ada, 'spacecraft', 'search', { query: 'dragon' });
    answered(during);
    expect(footerOf(during.message)).toMatch(OFFLINE);
    expect(footerOf(during.message)).toMatch(/^page 1\/\d+ · \d+ results · catalogue synced/);
    const paged = await discord.click(before.message.id, nextButton(before), ada);
    answered(paged);
    expect(footerOf(paged.message)).toMatch(/^page 2\//);
    expect(footerOf(paged.message)).toMatch(OFFLINE);
    const pagedDuring = await discord.click(during.message.id, nextButton(during), ada);
    answered(pagedDuring);
    expect(footerOf(pagedDuring.message)).toMatch(/^page 2\//);
    const card = await discord.slash(ada, 'spacecraft', 'show', { name: 'Soyuz TMA-08M' }, { timeoutMs: 8_000 });
    answered(card);
    expect(footerOf(card.message)).toMatch(OFFLINE);
    expect(bot.alive()).toBe(true);
    expect(bot.logs.some((l) => l.msg === 'store unavailable; answering from memory')).toBe(true);

    await redis.start();
    await bot.waitForLog('store is answering again', 10_000);
    const after = await discord.slash(ada, 'spacecraft', 'search', { query: 'cygnus' });
    answered(after);
    expect(footerOf(after.message)).not.toMatch(OFFLINE);
    expect(bot.alive()).toBe(true);
    expect(bot.logs.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);

    // what was stored before the outage is still there for any process
    const reader = Store.open({ url: redis.url, namespace: storeNamespace(loadConfig({ LL2_BASE_URL: ll2.baseUrl }), namespace), logger: silentLogger() });
    try {
      const target = decodeCustomId(nextButton(before));
      expect(target?.owner).toEqual({ from: 'message' });
      expect(await new PageStates(reader, Date.now).get(target!.stateId)).toEqual({ query: { search: 'soyuz', detail: 'normal' } });
      const meta = await reader.getFresh('catalogue:meta', z.object({ spacecraft: z.number(), configurations: z.number(), statuses: z.number() }));
      expect(meta).toBeDefined();
    } finally {
      await reader.close();
    }
  });
});
