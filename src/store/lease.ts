// A lease: at most one process at a time does a job (the catalogue refresh); it expires if the holder dies.
import { randomUUID } from 'node:crypto';
import type { Store } from './store.ts';

export interface Lease {
  /** Takes the lease for `ttlMs` when nobody holds it (or we already do). */
  acquire(name: string, ttlMs: number): Promise<boolean>;
  /** Extends a lease we hold; false when it is no longer ours (it expired and someone took it). */
  renew(name: string, ttlMs: number): Promise<boolean>;
  release(name: string): Promise<void>;
}

const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
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

  private key(name: string): string {
    return `${this.prefix}:lease:${name}`;
  }

  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const ok = await (await this.connect()).set(this.key(name), this.holder, { NX: true, PX: ttlMs });
    // we may already hold it (re-entrant)
    return ok === 'OK' || (await this.renew(name, ttlMs));
  }

  async renew(name: string, ttlMs: number): Promise<boolean> {
    const renewed = await (await this.connect()).eval(RENEW_SCRIPT, { keys: [this.key(name)], arguments: [this.holder, String(ttlMs)] });
    return Number(renewed) === 1;
  }

  async release(name: string): Promise<void> {
    await (await this.connect()).eval(RELEASE_SCRIPT, { keys: [this.key(name)], arguments: [this.holder] });
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
  async renew(name: string): Promise<boolean> {
    return this.held.has(name);
  }
  async release(name: string): Promise<void> {
    this.held.delete(name);
  }
}

export function leaseFor(store: Store): Lease {
  if (store.redis !== null) return new RedisLease(async () => (await store.redisClient()) as RedisLeaseClient, store.namespace);
  return new LocalLease();
}
