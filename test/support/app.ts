// Builds the real app (store, client, quota, catalogue, service, router) against a fake LL2.
import { createApp, type App, type AppOptions } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { tempSqliteUrl, uniqueNamespace } from './stores.ts';

export interface TestAppOptions extends AppOptions {
  ll2BaseUrl: string;
  storeUrl?: string;
  env?: Record<string, string>;
}

export function testClock(start = Date.parse('2026-12-03T12:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    set: (ms: number) => {
      now = ms;
    },
  };
}

export async function testApp(options: TestAppOptions): Promise<App> {
  const config = loadConfig({
    LL2_BASE_URL: options.ll2BaseUrl,
    STORE_URL: options.storeUrl ?? tempSqliteUrl(),
    LL2_TIMEOUT_MS: '2000',
    ...options.env,
  });
  const { ll2BaseUrl: _, storeUrl: __, env: ___, ...appOptions } = options;
  return createApp(config, silentLogger(), { refresh: false, storeNamespace: uniqueNamespace(), ...appOptions });
}
