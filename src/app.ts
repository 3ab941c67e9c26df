// Wires the layers together from a Config: store → LL2 client → quota → catalogue → service → router.
import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { commands } from '../commands/index.ts';
import type { Config } from './config.ts';
import { Router } from './interactions/router.ts';
import { AnswerCache } from './interactions/answerCache.ts';
import { PageStates } from './interactions/pageState.ts';
import { Ll2Client } from './ll2/client.ts';
import type { Logger } from './log.ts';
import { Catalogue } from './service/catalogue.ts';
import { QuotaGovernor } from './service/quota.ts';
import { Refresher } from './service/refresher.ts';
import { SpacecraftService } from './service/spacecraft.ts';
import { leaseFor } from './store/lease.ts';
import { ledgerFor } from './store/quotaLedger.ts';
import { Store } from './store/store.ts';

export interface App {
  config: Config;
  store: Store;
  client: Ll2Client;
  quota: QuotaGovernor;
  catalogue: Catalogue;
  service: SpacecraftService;
  router: Router;
  refresher: Refresher;
  logger: Logger;
  close(): Promise<void>;
}

export interface AppOptions {
  now?: () => number;
  dispatcher?: Dispatcher;
  /** Start the background refresher (default true). */
  refresh?: boolean;
  deferAfterMs?: number;
  storeNamespace?: string;
}

const MINUTE = 60_000;

/**
 * The store namespace: the configured one, plus a short tag of the LL2 source (base URL and key).
 * Data mirrored from one LL2 (the fake, the dev server) never answers for another, and each
 * source's request budget is counted on its own, as LL2 counts it per key.
 */
export function storeNamespace(config: Config, namespace = config.STORE_NAMESPACE): string {
  const tag = createHash('sha256').update(`${config.LL2_BASE_URL}\n${config.LL2_API_KEY ?? ''}`).digest('hex').slice(0, 8);
  return `${namespace}:${tag}`;
}

export async function createApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const now = options.now ?? Date.now;
  const store = Store.open({ url: config.STORE_URL, logger, namespace: storeNamespace(config, options.storeNamespace) });
  const client = new Ll2Client({
    baseUrl: config.LL2_BASE_URL,
    apiKey: config.LL2_API_KEY,
    timeoutMs: config.LL2_TIMEOUT_MS,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
  const quota = new QuotaGovernor({
    ledger: ledgerFor(store),
    client,
    limit: config.LL2_QUOTA_LIMIT,
    windowMs: config.LL2_QUOTA_WINDOW_SECS * 1000,
    interactiveReserve: Math.min(3, Math.max(0, config.LL2_QUOTA_LIMIT - 1)),
    now,
    logger: logger.child({ component: 'quota' }),
  });
  const catalogue = new Catalogue({ store, client, quota, logger: logger.child({ component: 'catalogue' }), now });
  const service = new SpacecraftService({
    store,
    client,
    quota,
    catalogue,
    logger: logger.child({ component: 'service' }),
    now,
    detailTtlMs: config.DETAIL_TTL_MINUTES * MINUTE,
    listTtlMs: 30 * MINUTE,
    // a third of the budget per person, so one person cannot spend the window on new cards
    personShare: { limit: Math.max(2, Math.floor(config.LL2_QUOTA_LIMIT / 3)), windowMs: config.LL2_QUOTA_WINDOW_SECS * 1000 },
  });
  // the last good catalogue serves at once; no quota spent
  await catalogue.load();
  const pages = new PageStates(store, now);
  const answers = new AnswerCache(now);
  const router = new Router({
    commands,
    context: { service, pages, answers, now, logger },
    logger: logger.child({ component: 'router' }),
    ...(options.deferAfterMs === undefined ? {} : { deferAfterMs: options.deferAfterMs }),
  });
  const refresher = new Refresher({
    catalogue,
    lease: leaseFor(store),
    logger: logger.child({ component: 'refresher' }),
    now,
    intervalsMs: {
      spacecraft: config.CATALOGUE_REFRESH_MINUTES * MINUTE,
      configurations: Math.max(config.CATALOGUE_REFRESH_MINUTES, 24 * 60) * MINUTE,
      statuses: Math.max(config.CATALOGUE_REFRESH_MINUTES, 24 * 60) * MINUTE,
    },
    maxAgeMs: config.CATALOGUE_MAX_AGE_MINUTES * MINUTE,
  });
  // the first sync starts in the background; close() waits for it, so even a short piped console
  // session leaves a stored catalogue behind for the next start
  const started = options.refresh === false ? Promise.resolve() : quota.syncWithUpstream().then(() => refresher.start());
  return {
    config,
    store,
    client,
    quota,
    catalogue,
    service,
    router,
    refresher,
    logger,
    async close() {
      const { hits, misses } = answers.stats;
      if (hits + misses > 0) logger.info({ drawn: misses, reused: hits }, 'list pages this process drew, and reused within their second');
      await started;
      await refresher.stop();
      await store.close();
    },
  };
}
