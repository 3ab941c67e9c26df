// A lease: at most one process at a time does a job (the catalogue refresh); it expires if the holder dies.
import { randomUUID } from 'node:crypto';
import type { Store } from './store.ts';

export interface Lease {
  acquire(name: string, ttlMs: number): Promise<boolean>;
  release(name: string): Promise<void>;
}

const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

interface RedisLeaseClient {
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export class RedisLease implements Lease {
  private readonly holder = randomUUID();
  constructor(
    private readonly connect: () => Promise<RedisLeaseClient>,
    private readonly prefix: string,
  ) {}

  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const key = `${this.prefix}:lease:${name}`;
    const client = await this.connect();
    const ok = await client.set(key, this.holder, { NX: true, PX: ttlMs });
    if (ok === 'OK') return true;
    // we may already hold it (re-entrant renew)
    const renewed = await client.eval(
      `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`,
      { keys: [key], arguments: [this.holder, String(ttlMs)] },
    );
    return Number(renewed) === 1;
  }

  async release(name: string): Promise<void> {
    await (await this.connect()).eval(RELEASE_SCRIPT, { keys: [`${this.prefix}:lease:${name}`], arguments: [this.holder] });
  }
}

/** One process owns an SQLite file or a memory store: the lease is always ours. */
export class LocalLease implements Lease {
  private readonly held = new Set<string>();
  async acquire(name: string): Promise<boolean> {
    if (this.held.has(name)) return false;
    this.held.add(name);
    return true;
  }
  async release(name: string): Promise<void> {
    this.held.delete(name);
  }
}

export function leaseFor(store: Store): Lease {
  if (store.redis !== null) return new RedisLease(async () => (await store.redisClient()) as RedisLeaseClient, store.namespace);
  return new LocalLease();
}
