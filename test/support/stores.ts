// Real stores for tests: an SQLite file in a fresh temp folder, or Redis under a unique namespace.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { silentLogger } from '../../src/log.ts';
import { Store } from '../../src/store/store.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function tempSqliteUrl(): string {
  return `sqlite://${join(mkdtempSync(join(tmpdir(), 'spacedock-')), 'store.sqlite')}`;
}

export function uniqueNamespace(): string {
  return `spacedock-test-${randomUUID().slice(0, 8)}`;
}

export function openStore(url: string, namespace = uniqueNamespace()): Store {
  return Store.open({ url, logger: silentLogger(), namespace });
}
