import { describe, expect, it } from 'vitest';
import { ListCache } from '../../src/util/listCache.ts';

describe('the list cache', () => {
  it('forgets the least recently used first, within both bounds', () => {
    const cache = new ListCache<string, number>(3, 10);
    cache.set('a', [1, 2]);
    cache.set('b', [3]);
    cache.set('c', [4]);
    expect(cache.get('a')).toEqual([1, 2]); // a is now the most recent
    cache.set('d', [5]); // four keys: b (least recent) goes
    expect(cache.get('b')).toBeUndefined();
    expect([cache.size, cache.heldElements]).toEqual([3, 4]);
    cache.set('e', [1, 2, 3, 4, 5, 6, 7]); // 11 elements: c (least recent) goes, leaving 10
    expect(cache.get('c')).toBeUndefined();
    expect([cache.size, cache.heldElements]).toEqual([3, 10]);
    cache.set('f', [8]); // a is now the least recent (d and e were set after it)
    expect(cache.get('a')).toBeUndefined();
    expect([cache.size, cache.heldElements]).toEqual([3, 9]);
  });

  it('keeps the newest list even when it alone is over the bound, and counts a replaced list once', () => {
    const cache = new ListCache<string, number>(3, 4);
    cache.set('a', [1]);
    cache.set('big', [1, 2, 3, 4, 5, 6]);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('big')).toHaveLength(6);
    cache.set('big', [1]);
    expect([cache.size, cache.heldElements]).toEqual([1, 1]);
    cache.clear();
    expect([cache.size, cache.heldElements]).toEqual([0, 0]);
  });
});
