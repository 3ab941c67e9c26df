// The upstream request log behind the quota governor: a sliding window of request times, like
// LL2's own throttle (DRF's SimpleRateThrottle). Taking a slot is one atomic step in every backend,
// so processes that share a store can never together spend more than the limit.
import { randomUUID } from 'node:crypto';
import type { Store } from './store.ts';

export type TakeResult = { ok: true; slot: string } | { ok: false; retryAfterMs: number };

export interface QuotaLedger {
  /** Takes a slot when fewer than `allowed` requests were made in the window and nothing blocks us. */
  take(now: number, windowMs: number, allowed: number): Promise<TakeResult>;
  /** Gives a slot back: the request never reached LL2 (connection refused, no such host). */
  release(slot: string): Promise<void>;
  /** Requests counted in the window ending now. */
  used(now: number, windowMs: number): Promise<number>;
  /** Records that LL2 already counts `count` requests (from /api-throttle/), without lowering ours. */
  raiseTo(count: number, now: number, windowMs: number): Promise<void>;
  /** Blocks every take until `until` (after a 429). */
  blockUntil(until: number): Promise<void>;
}

/** Retry time for a full window: when enough of the oldest entries have left it. */
function retryFor(sorted: number[], allowed: number, windowMs: number, now: number): number {
  const index = sorted.length - allowed; // this entry must expire before a slot frees
  const entry = sorted[Math.max(0, index)] ?? now;
  return Math.max(1, entry + windowMs - now);
}

export class MemoryQuotaLedger implements QuotaLedger {
  private entries: number[] = [];
  private readonly slots = new Map<string, number>();
  private blocked = 0;

  async take(now: number, windowMs: number, allowed: number): Promise<TakeResult> {
    this.prune(now, windowMs);
    if (this.blocked > now) return { ok: false, retryAfterMs: this.blocked - now };
    if (this.entries.length < allowed) {
      this.entries.push(now);
      const slot = randomUUID();
      this.slots.set(slot, now);
      if (this.slots.size > 1000) this.slots.delete(this.slots.keys().next().value!);
      return { ok: true, slot };
    }
    return { ok: false, retryAfterMs: retryFor(this.entries, allowed, windowMs, now) };
  }

  async release(slot: string): Promise<void> {
    const at = this.slots.get(slot);
    if (at === undefined) return;
    this.slots.delete(slot);
    const index = this.entries.indexOf(at);
    if (index >= 0) this.entries.splice(index, 1);
  }

  async used(now: number, windowMs: number): Promise<number> {
    this.prune(now, windowMs);
    return this.entries.length;
  }

  async raiseTo(count: number, now: number, windowMs: number): Promise<void> {
    this.prune(now, windowMs);
    while (this.entries.length < count) this.entries.push(now);
    this.entries.sort((a, b) => a - b);
  }

  async blockUntil(until: number): Promise<void> {
    this.blocked = Math.max(this.blocked, until);
  }

  private prune(now: number, windowMs: number): void {
    this.entries = this.entries.filter((t) => t > now - windowMs);
  }
}

const TAKE_SCRIPT = `
local log, block = KEYS[1], KEYS[2]
local now, window, allowed, member = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
local blocked = tonumber(redis.call('GET', block) or '0')
if blocked > now then return {0, blocked - now} end
local n = redis.call('ZCARD', log)
if n < allowed then
  redis.call('ZADD', log, now, member)
  redis.call('PEXPIRE', log, window)
  return {1, 0}
end
local idx = n - allowed
if idx < 0 then idx = 0 end
local entry = redis.call('ZRANGE', log, idx, idx, 'WITHSCORES')
local wait = tonumber(entry[2]) + window - now
if wait < 1 then wait = 1 end
return {0, wait}
`;

const RAISE_SCRIPT = `
local log = KEYS[1]
local count, now, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
local n = redis.call('ZCARD', log)
while n < count do
  redis.call('ZADD', log, now, ARGV[4] .. ':' .. n)
  n = n + 1
end
redis.call('PEXPIRE', log, window)
return n
`;

interface RedisEval {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  zRemRangeByScore(key: string, min: number | string, max: number | string): Promise<unknown>;
  zCard(key: string): Promise<number>;
  zRem(key: string, member: string): Promise<unknown>;
  set(key: string, value: string, options?: { PX?: number }): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

/** Atomic across processes: each take is one Lua script on a sorted set. */
export class RedisQuotaLedger implements QuotaLedger {
  constructor(
    private readonly connect: () => Promise<RedisEval>,
    private readonly prefix: string,
  ) {}

  private get logKey() {
    return `${this.prefix}:quota:log`;
  }
  private get blockKey() {
    return `${this.prefix}:quota:block`;
  }

  async take(now: number, windowMs: number, allowed: number): Promise<TakeResult> {
    const slot = `${now}:${randomUUID()}`;
    const reply = await (await this.connect()).eval(TAKE_SCRIPT, {
      keys: [this.logKey, this.blockKey],
      arguments: [String(now), String(windowMs), String(allowed), slot],
    });
    const [ok, wait] = Array.isArray(reply) ? reply.map(Number) : [0, 1000];
    return ok === 1 ? { ok: true, slot } : { ok: false, retryAfterMs: wait ?? 1000 };
  }

  async release(slot: string): Promise<void> {
    await (await this.connect()).zRem(this.logKey, slot);
  }

  async used(now: number, windowMs: number): Promise<number> {
    const client = await this.connect();
    await client.zRemRangeByScore(this.logKey, '-inf', now - windowMs);
    return client.zCard(this.logKey);
  }

  async raiseTo(count: number, now: number, windowMs: number): Promise<void> {
    await (await this.connect()).eval(RAISE_SCRIPT, {
      keys: [this.logKey],
      arguments: [String(count), String(now), String(windowMs), `sync:${now}:${randomUUID()}`],
    });
  }

  async blockUntil(until: number): Promise<void> {
    const client = await this.connect();
    const current = Number((await client.get(this.blockKey)) ?? '0');
    if (until > current) await client.set(this.blockKey, String(until), { PX: Math.max(1, until - Date.now()) + 60_000 });
  }
}

type SqlQuery = (sql: string, ...params: unknown[]) => Promise<unknown>;

/**
 * SQLite: a take is a single INSERT … SELECT … WHERE statement, which SQLite runs under its write
 * lock, so two processes on one file cannot both take the last slot (one gets SQLITE_BUSY and retries).
 */
export class SqliteQuotaLedger implements QuotaLedger {
  private ready: Promise<void> | null = null;

  constructor(
    private readonly query: SqlQuery,
    private readonly scope: string,
  ) {}

  private init(): Promise<void> {
    this.ready ??= (async () => {
      await this.query('CREATE TABLE IF NOT EXISTS spacedock_quota (id TEXT PRIMARY KEY, scope TEXT NOT NULL, ts INTEGER NOT NULL)');
      await this.query('CREATE INDEX IF NOT EXISTS spacedock_quota_scope_ts ON spacedock_quota (scope, ts)');
    })();
    return this.ready;
  }

  async take(now: number, windowMs: number, allowed: number): Promise<TakeResult> {
    await this.init();
    const id = randomUUID();
    const blockId = `${this.scope}:block`;
    await this.retrying(() =>
      this.query(
        `INSERT INTO spacedock_quota (id, scope, ts)
         SELECT ?, ?, ?
         WHERE (SELECT count(*) FROM spacedock_quota WHERE scope = ? AND ts > ?) < ?
           AND COALESCE((SELECT ts FROM spacedock_quota WHERE id = ?), 0) <= ?`,
        id, this.scope, now, this.scope, now - windowMs, allowed, blockId, now,
      ),
    );
    const rows = await this.rows('SELECT 1 AS ok FROM spacedock_quota WHERE id = ?', id);
    if (rows.length > 0) return { ok: true, slot: id };
    const block = await this.rows('SELECT ts FROM spacedock_quota WHERE id = ?', blockId);
    const blockedUntil = Number((block[0] as { ts?: unknown } | undefined)?.ts ?? 0);
    if (blockedUntil > now) return { ok: false, retryAfterMs: blockedUntil - now };
    const times = (await this.rows('SELECT ts FROM spacedock_quota WHERE scope = ? AND ts > ? ORDER BY ts', this.scope, now - windowMs)).map((r) =>
      Number((r as { ts?: unknown }).ts),
    );
    return { ok: false, retryAfterMs: retryFor(times, allowed, windowMs, now) };
  }

  async release(slot: string): Promise<void> {
    await this.init();
    await this.retrying(() => this.query('DELETE FROM spacedock_quota WHERE id = ? AND scope = ?', slot, this.scope));
  }

  async used(now: number, windowMs: number): Promise<number> {
    await this.init();
    await this.retrying(() => this.query('DELETE FROM spacedock_quota WHERE scope = ? AND ts <= ?', this.scope, now - windowMs));
    const rows = await this.rows('SELECT count(*) AS n FROM spacedock_quota WHERE scope = ? AND ts > ?', this.scope, now - windowMs);
    return Number((rows[0] as { n?: unknown } | undefined)?.n ?? 0);
  }

  async raiseTo(count: number, now: number, windowMs: number): Promise<void> {
    const used = await this.used(now, windowMs);
    for (let i = used; i < count; i++) {
      await this.retrying(() => this.query('INSERT INTO spacedock_quota (id, scope, ts) VALUES (?, ?, ?)', randomUUID(), this.scope, now));
    }
  }

  async blockUntil(until: number): Promise<void> {
    await this.init();
    // the block row has its own scope, so it is never counted as a request
    await this.retrying(() =>
      this.query(
        `INSERT INTO spacedock_quota (id, scope, ts) VALUES (?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET ts = max(ts, excluded.ts)`,
        `${this.scope}:block`, `${this.scope}:block`, until,
      ),
    );
  }

  private async rows(sql: string, ...params: unknown[]): Promise<unknown[]> {
    const result = await this.retrying(() => this.query(sql, ...params));
    return Array.isArray(result) ? result : [];
  }

  private async retrying<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        const busy = error instanceof Error && /SQLITE_BUSY|database is locked/.test(error.message);
        if (!busy || attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 10 + attempt * 10));
      }
    }
  }
}

/** The ledger that matches the store: shared when the store is shared. */
export function ledgerFor(store: Store): QuotaLedger {
  if (store.redis !== null) return new RedisQuotaLedger(async () => (await store.redisClient()) as RedisEval, store.namespace);
  if (store.sqlite !== null) {
    const sqlite = store.sqlite;
    return new SqliteQuotaLedger((sql, ...params) => sqlite.query(sql, ...params), store.namespace);
  }
  return new MemoryQuotaLedger();
}
