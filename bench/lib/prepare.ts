// Preparation shared by the Discord and start-up benchmarks: a store that already holds the
// catalogue (synced from a fake LL2 serving the given records), and the bot's commands deployed on
// the fake Discord the way `npm run deploy` would.
import { statSync } from 'node:fs';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { PARTS } from '../../src/service/catalogue.ts';
import { Store } from '../../src/store/store.ts';
import type { FakeDiscord, FakeMessage } from '../../test/fakes/discord/index.ts';

export interface PreparedStore {
  url: string;
  /** The store namespace (STORE_NAMESPACE) the catalogue was written under. */
  namespace: string;
  records: number;
  syncMs: number;
  /** Size of the SQLite file after the sync (null for Redis). */
  bytes: number | null;
}

export const DEFAULT_NAMESPACE = 'spacedock';

/**
 * Syncs every catalogue part from the fake LL2 at `ll2BaseUrl` into the store at `url` (SQLite
 * file or Redis), then forgets the ledger entries the preparation spent, so the bot starts as if
 * the sync had happened long ago. The bot must then use the same LL2_BASE_URL: Spacedock keeps
 * each LL2 source's data apart in its store.
 */
export async function prepareCatalogueStore(url: string, ll2BaseUrl: string, namespace = DEFAULT_NAMESPACE): Promise<PreparedStore> {
  // the preparation may spend what it needs: 10,000 records are 101 pages
  const config = loadConfig({ LL2_BASE_URL: ll2BaseUrl, STORE_URL: url, STORE_NAMESPACE: namespace, LL2_QUOTA_LIMIT: '100000' });
  const app = await createApp(config, silentLogger(), { refresh: false });
  try {
    const started = performance.now();
    for (const part of PARTS) await app.catalogue.sync(part);
    const syncMs = performance.now() - started;
    // a store that failed meanwhile kept the catalogue in this process's memory only
    if (!app.store.healthy) throw new Error(`the store at ${url} is not answering`);
    const records = app.catalogue.spacecraft?.records.length ?? 0;
    if (app.store.sqlite !== null) await app.store.sqlite.query('DELETE FROM spacedock_quota');
    if (app.store.redis !== null) await deleteRedisKeys(app.store, `${app.store.namespace}:quota:*`);
    return { url, namespace, records, syncMs, bytes: url.startsWith('sqlite://') ? statSync(url.slice('sqlite://'.length)).size : null };
  } finally {
    await app.close();
  }
}

/** The footer text of a message's first embed, read defensively (the fake's messages are plain JSON). */
function footerText(message: FakeMessage | undefined): string | undefined {
  const footer: unknown = message?.embeds[0]?.['footer'];
  if (typeof footer !== 'object' || footer === null || !('text' in footer)) return undefined;
  return typeof footer.text === 'string' ? footer.text : undefined;
}

/** Throws unless a search answer came from the local catalogue (the bot loaded its store). */
export function assertFromCatalogue(message: FakeMessage | undefined, who: string): void {
  const footer = footerText(message);
  if (footer === undefined || !footer.includes('catalogue')) {
    throw new Error(`${who} did not answer from its catalogue (footer: ${JSON.stringify(footer)}): the prepared store was not loaded`);
  }
}

interface RedisKeys {
  keys(pattern: string): Promise<string[]>;
  del(keys: string[]): Promise<number>;
}

function isRedisKeys(client: unknown): client is RedisKeys {
  return typeof client === 'object' && client !== null && 'keys' in client && typeof client.keys === 'function' && 'del' in client && typeof client.del === 'function';
}

/** Deletes the keys matching `pattern` (a benchmark's own namespace) from a Redis store. */
export async function deleteRedisKeys(store: Store, pattern: string): Promise<number> {
  const client = await store.redisClient();
  if (!isRedisKeys(client)) return 0;
  const keys = await client.keys(pattern);
  if (keys.length > 0) await client.del(keys);
  return keys.length;
}

/** Removes everything a benchmark wrote under its own namespace in Redis. */
export async function dropRedisNamespace(url: string, namespace: string): Promise<void> {
  if (namespace === DEFAULT_NAMESPACE) throw new Error('refusing to delete the default namespace');
  const store = Store.open({ url, namespace, logger: silentLogger() });
  try {
    await deleteRedisKeys(store, `${namespace}*`);
  } finally {
    await store.close();
  }
}

export { deployCommands } from '../../test/support/bot.ts';
