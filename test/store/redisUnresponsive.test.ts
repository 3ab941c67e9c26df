// A Redis that stops answering with its socket still open (a partition, a paused server): every
// store call, the quota ledger's and the lease's included, gives up within the 1 s command timeout,
// and close() returns (node-redis bounds only the wait to be sent; a review found them all hanging).
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ledgerFor } from '../../src/store/quotaLedger.ts';
import { leaseFor } from '../../src/store/lease.ts';
import { openStore, uniqueNamespace } from '../support/stores.ts';

/** A TCP proxy to the local Redis that, once paused, passes nothing either way (the sockets stay open). */
function pausableProxy(): Promise<{ url: string; pause: () => void; close: () => void }> {
  let paused = false;
  const sockets: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(6379, '127.0.0.1');
    sockets.push(client, upstream);
    client.on('data', (d) => {
      if (!paused) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!paused) client.write(d);
    });
    client.on('error', () => {});
    upstream.on('error', () => {});
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `redis://127.0.0.1:${port}`,
        pause: () => {
          paused = true;
        },
        close: () => {
          server.close();
          for (const socket of sockets) socket.destroy();
        },
      });
    }),
  );
}

const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), ms))]);

describe('Redis stops answering (socket open, no replies)', () => {
  let proxy: Awaited<ReturnType<typeof pausableProxy>>;
  afterAll(() => proxy?.close());
  it('get, set and setSoon give up within the 1 s REDIS_COMMAND_TIMEOUT_MS, and close() returns', async () => {
    proxy = await pausableProxy();
    const store = openStore(proxy.url, uniqueNamespace());
    expect(await store.set('warm', { a: 1 })).toBe(true);
    proxy.pause();
    const settled = (p: Promise<unknown>) => p.then(() => 'answered', () => 'failed');
    const [got, set, soon, take, lease] = await Promise.all([
      within(store.getFresh('never-written', z.unknown()), 3_000),
      within(store.set('plain', { a: 2 }), 3_000),
      within(store.setSoon('soon', { a: 3 }), 3_000),
      within(settled(ledgerFor(store).take(Date.now(), 60_000, 15)), 3_000),
      within(settled(leaseFor(store).acquire('sync', 10_000)), 3_000),
    ]);
    expect({ got, set, soon, take, lease }).toEqual({ got: undefined, set: false, soon: false, take: 'failed', lease: 'failed' });
    expect(await within(store.close(), 3_000)).not.toBe('timed out');
  }, 20_000);
});
