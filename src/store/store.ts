// The keyv-backed store (SQLite file by default, Redis when shared), with a bounded in-memory layer
// in front: reads of a key we wrote or read recently need no I/O, and when the backing store fails
// the bot keeps answering from memory and says so (`healthy`) instead of failing the interaction.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvRedis, { type RedisClientConnectionType } from '@keyv/redis';
import type { z } from 'zod';
import type { Logger } from '../log.ts';
import { errorText } from '../log.ts';

/** How often expired rows are deleted from an SQLite store. */
const SWEEP_EVERY_MS = 3_600_000;
/** setSoon's writes go in batches: at most this long after the first of a batch… */
const WRITE_BATCH_MS = 10;
/** …or as soon as this many are waiting. */
const WRITE_BATCH_MAX = 500;
/** How often a failing store is tried again. */
const RETRY_FAILING_STORE_MS = 5_000;
/** Redis: how long the first connection may take before answers stop waiting for it. */
const REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** Redis: a command with no reply by then (a hung server, a partition) fails, so answers never wait on it. */
const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** Redis: reconnection back-off cap; the client keeps reconnecting for as long as the process runs. */
const REDIS_MAX_BACKOFF_MS = 2_000;

export type StoreKind = 'sqlite' | 'redis' | 'memory';

type RedisClient = RedisClientConnectionType;

/** Connected and answering (a cluster client only says whether it is open). */
function isReady(client: RedisClient): boolean {
  const ready: unknown = Reflect.get(client, 'isReady');
  return typeof ready === 'boolean' ? ready : client.isOpen;
}

export interface StoreOptions {
  url: string;
  namespace?: string;
  logger: Logger;
  /** Entries kept in memory in front of the backing store. */
  memoryEntries?: number;
}

/**
 * @keyv/sqlite writes one row per statement (keyv's setMany falls back to one set() each, every
 * one a statement prepared, run on the thread pool and committed alone). Many rows in one upsert
 * cost about as much as one: keyv still prefixes and serialises each entry, this only writes them.
 */
class BatchingKeyvSqlite extends KeyvSqlite {
  async setMany(entries: Array<{ key: string; value: unknown }>): Promise<boolean[]> {
    // every key and value bound as it is (as set() binds them): 2 per row, far below SQLite's limit
    await this.query(
      `INSERT INTO ${this.opts.table} (key, value) VALUES ${entries.map(() => '(?, ?)').join(', ')} ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      ...entries.flatMap((entry) => [entry.key, entry.value]),
    );
    return entries.map(() => true);
  }
}

export class Store {
  private readonly memory = new Map<string, { value: unknown; expiresAt: number | null }>();
  private failing: { since: number; message: string; lastAttempt: number } | null = null;

  private constructor(
    readonly kind: StoreKind,
    private readonly keyv: Keyv,
    private readonly logger: Logger,
    private readonly memoryEntries: number,
    readonly redis: KeyvRedis<unknown> | null,
    readonly sqlite: KeyvSqlite | null,
    readonly namespace: string,
  ) {}

  static open(options: StoreOptions): Store {
    const namespace = options.namespace ?? 'spacedock';
    const memoryEntries = options.memoryEntries ?? 5_000;
    const url = options.url;
    if (url.startsWith('redis://') || url.startsWith('rediss://')) {
      // Our own client rather than keyv's default: while Redis is away, commands fail at once
      // (no offline queue, a command timeout) so answers come from memory instead of hanging, and
      // the client reconnects in the background for as long as the process runs.
      const adapter = new KeyvRedis<unknown>(
        {
          url,
          disableOfflineQueue: true,
          commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS },
          socket: { connectTimeout: REDIS_CONNECT_TIMEOUT_MS, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, REDIS_MAX_BACKOFF_MS) },
        },
        { namespace, throwOnConnectError: true, throwOnErrors: true },
      );
      const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true, useKeyPrefix: false });
      keyv.on('error', () => {}); // failures are thrown to our callers, which record them
      const store = new Store('redis', keyv, options.logger, memoryEntries, adapter, null, namespace);
      store.connectRedis(adapter.client);
      return store;
    }
    if (url.startsWith('sqlite://')) {
      const path = resolve(url.slice('sqlite://'.length));
      mkdirSync(dirname(path), { recursive: true });
      const adapter = new BatchingKeyvSqlite({ uri: `sqlite://${path}`, table: 'spacedock', busyTimeout: 5_000 });
      const keyv = new Keyv({ store: adapter, namespace, throwOnErrors: true });
      keyv.on('error', () => {});
      const store = new Store('sqlite', keyv, options.logger, memoryEntries, null, adapter, namespace);
      // WAL: readers never wait for the writer, and a commit needs no sync of the main file;
      // NORMAL is durable across a crash of the process (what matters for list state)
      void adapter.query('PRAGMA journal_mode = WAL').then(() => adapter.query('PRAGMA synchronous = NORMAL')).catch((error: unknown) => {
        options.logger.debug({ err: errorText(error) }, 'could not switch SQLite to WAL');
      });
      store.sweepExpiredRows();
      return store;
    }
    const keyv = new Keyv({ namespace, throwOnErrors: true });
    return new Store('memory', keyv, options.logger, memoryEntries, null, null, namespace);
  }

  private sweeper: NodeJS.Timeout | null = null;

  /**
   * SQLite keeps expired rows (keyv only hides them on read): delete them now and every hour, so
   * old list states and caches do not pile up in the file.
   */
  private sweepExpiredRows(): void {
    if (this.sqlite === null) return;
    const sweep = async () => {
      try {
        await this.sweepNow();
      } catch (error) {
        this.logger.debug({ err: errorText(error) }, 'could not sweep expired rows');
      }
    };
    void sweep();
    this.sweeper = setInterval(() => void sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  /** Deletes expired rows now (SQLite); for tests and maintenance. */
  async sweepNow(): Promise<void> {
    if (this.sqlite === null) return;
    await this.sqlite.query("DELETE FROM spacedock WHERE key LIKE ? AND json_extract(value, '$.expires') < ?", `${this.namespace}:%`, Date.now());
  }

  /** Redis: settles once the first connection is made, or after REDIS_CONNECT_TIMEOUT_MS. */
  private firstConnection: Promise<void> | null = null;

  private connectRedis(client: RedisClient): void {
    client.on('error', (error: unknown) => {
      this.logger.debug({ err: errorText(error) }, 'redis connection error');
    });
    client.on('ready', () => {
      if (this.failing === null) return;
      this.logger.info({ store: this.kind }, 'store is answering again');
      this.failing = null;
    });
    let timer: NodeJS.Timeout | undefined;
    const connected = client.connect().then(
      () => undefined,
      // only a client closed before it ever connected ends here
      (error: unknown) => this.logger.debug({ err: errorText(error) }, 'redis connection abandoned'),
    );
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, REDIS_CONNECT_TIMEOUT_MS);
      timer.unref();
    });
    this.firstConnection = Promise.race([connected, waited]).finally(() => {
      clearTimeout(timer);
      this.firstConnection = null;
    });
  }

  /**
   * The Redis client (connected, or failing fast while it reconnects), for atomic primitives keyv
   * does not offer (quota, lease); each command it runs fails after REDIS_COMMAND_TIMEOUT_MS
   * without a reply, as the store's own do.
   */
  async redisClient(): Promise<unknown> {
    const adapter = this.redis;
    if (adapter === null) throw new Error('not a Redis store');
    if (this.firstConnection !== null) await this.firstConnection;
    this.boundedClient ??= boundReplies(adapter.client, REDIS_COMMAND_TIMEOUT_MS);
    return this.boundedClient;
  }

  private boundedClient: unknown = null;

  /** False while the backing store is failing (or Redis is disconnected); answers then come from memory. */
  get healthy(): boolean {
    return this.failing === null && this.redisReady();
  }

  private redisReady(): boolean {
    return this.redis === null || isReady(this.redis.client);
  }

  /** Reads and validates a value; undefined when missing, expired, unreadable or the store is down. */
  async get<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S> | undefined> {
    const cached = this.fromMemory(key);
    const raw = cached ?? (await this.backing(() => this.readOne(key), undefined));
    if (raw === undefined || raw === null) return undefined;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn({ key, issues: parsed.error.issues.slice(0, 3) }, 'stored value does not match its schema; ignoring it');
      return undefined;
    }
    if (cached === undefined) this.remember(key, raw, null);
    return parsed.data;
  }

  /** A value that cannot be decoded (a corrupt row) reads as missing, and is later overwritten. */
  private async readOne(key: string): Promise<unknown> {
    try {
      return await this.keyv.get(key);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      this.logger.warn({ key }, 'stored value cannot be decoded; treating it as missing');
      return undefined;
    }
  }

  /** Reads the backing store only (skips memory): for values another process may have changed. */
  async getFresh<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S> | undefined> {
    this.memory.delete(key);
    return this.get(key, schema);
  }

  async set(key: string, value: unknown, ttlMs?: number): Promise<boolean> {
    this.remember(key, value, ttlMs === undefined ? null : Date.now() + ttlMs);
    return this.backing(async () => {
      await this.keyv.set(key, value, ttlMs);
      return true;
    }, false);
  }

  private readonly inFlight = new Set<Promise<boolean>>();

  /**
   * Like set, but the caller need not wait for the backing store (memory has it at once); close()
   * does. The promise (never rejected) says whether the value reached the backing store.
   */
  setSoon(key: string, value: unknown, ttlMs?: number): Promise<boolean> {
    this.remember(key, value, ttlMs === undefined ? null : Date.now() + ttlMs);
    const write = new Promise<boolean>((resolve) => {
      const waiting = this.queued.get(key)?.waiting ?? [];
      waiting.push(resolve);
      // the same key again before the batch went: the newer value replaces the older
      this.queued.delete(key);
      this.queued.set(key, { value, ttlMs, waiting });
    }).finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
    if (this.queued.size >= WRITE_BATCH_MAX) void this.writeQueued();
    else this.batchTimer ??= setTimeout(() => void this.writeQueued(), WRITE_BATCH_MS);
    return write;
  }

  /** setSoon's writes waiting for their batch: key → value, TTL and who waits for the outcome. */
  private queued = new Map<string, { value: unknown; ttlMs: number | undefined; waiting: Array<(stored: boolean) => void> }>();
  private batchTimer: NodeJS.Timeout | null = null;

  /** One write for everything queued (one SQLite statement, one Redis transaction). */
  private async writeQueued(): Promise<void> {
    if (this.batchTimer !== null) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.queued.size === 0) return;
    const batch = [...this.queued];
    this.queued = new Map();
    const stored = await this.backing(async () => {
      // failures throw (throwOnErrors); @keyv/redis answers nothing at all for a batch it wrote
      const results: unknown = await this.keyv.setMany(batch.map(([key, { value, ttlMs }]) => ({ key, value, ...(ttlMs === undefined ? {} : { ttl: ttlMs }) })));
      return !Array.isArray(results) || results.every((ok) => ok !== false);
    }, false);
    for (const [, { waiting }] of batch) for (const resolve of waiting) resolve(stored);
  }

  async delete(key: string): Promise<void> {
    this.memory.delete(key);
    await this.backing(() => this.keyv.delete(key), false);
  }

  async close(): Promise<void> {
    if (this.sweeper !== null) clearInterval(this.sweeper);
    await this.writeQueued();
    await Promise.all(this.inFlight);
    try {
      if (this.firstConnection !== null) await this.firstConnection;
      const client = this.redis?.client;
      // a client still reconnecting has nothing to flush: stop it rather than wait for Redis
      if (client !== undefined && !isReady(client)) {
        if (client.isOpen) client.destroy();
        return;
      }
      await (client === undefined ? this.keyv.disconnect() : withTimeout(this.keyv.disconnect(), REDIS_COMMAND_TIMEOUT_MS));
    } catch (error) {
      // a Redis that stopped answering never replies to QUIT either
      if (this.redis?.client.isOpen === true) this.redis.client.destroy();
      this.logger.debug({ err: error }, 'store disconnect failed');
    }
  }

  private fromMemory(key: string): unknown {
    const entry = this.memory.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.memory.delete(key);
      return undefined;
    }
    // refresh recency (Map keeps insertion order)
    this.memory.delete(key);
    this.memory.set(key, entry);
    return entry.value;
  }

  private remember(key: string, value: unknown, expiresAt: number | null): void {
    this.memory.delete(key);
    this.memory.set(key, { value, expiresAt });
    while (this.memory.size > this.memoryEntries) {
      const oldest = this.memory.keys().next().value;
      if (oldest === undefined) break;
      this.memory.delete(oldest);
    }
  }

  private async backing<T>(operation: () => Promise<T>, fallback: T): Promise<T> {
    if (this.firstConnection !== null) await this.firstConnection;
    // Redis reconnects by itself and says when it is back ('ready'): while it is away, do not even try
    if (!this.redisReady()) {
      this.markFailing(new Error('Redis is not connected'));
      return fallback;
    }
    // while the store is failing, try it again only every few seconds: answers must not wait on it
    if (this.failing !== null && Date.now() - this.failing.lastAttempt < RETRY_FAILING_STORE_MS) return fallback;
    if (this.failing !== null) this.failing.lastAttempt = Date.now();
    try {
      // node-redis' command timeout covers only the wait to be sent (and not MULTI at all): bound the reply here
      const result = this.redis === null ? await operation() : await withTimeout(operation(), REDIS_COMMAND_TIMEOUT_MS);
      if (this.failing !== null) {
        this.logger.info({ store: this.kind }, 'store is answering again');
        this.failing = null;
      }
      return result;
    } catch (error) {
      this.markFailing(error);
      return fallback;
    }
  }

  private markFailing(error: unknown): void {
    if (this.failing !== null) return;
    const message = errorText(error);
    this.logger.warn({ store: this.kind, err: message }, 'store unavailable; answering from memory');
    this.failing = { since: Date.now(), message, lastAttempt: Date.now() };
  }
}

/** The client, with every method that answers a promise bound to `ms` (node-redis bounds only the wait to be sent). */
function boundReplies<T extends object>(client: T, ms: number): T {
  return new Proxy(client, {
    // read on the client itself, never through the proxy: its getters use private fields
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = Reflect.apply(value, target, args);
        return result instanceof Promise ? withTimeout(result, ms) : result;
      };
    },
  });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
