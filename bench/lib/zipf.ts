// A Zipf sampler over a ranked list: the item at rank r is drawn with weight 1 / r^s.
import type { Prng } from '../../test/fixtures/ll2/prng.ts';

export function zipfSampler<T>(ranked: readonly T[], s: number, prng: Prng): () => T {
  if (ranked.length === 0) throw new Error('zipf over an empty list');
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= ranked.length; rank++) {
    total += 1 / rank ** s;
    cumulative.push(total);
  }
  return () => {
    const target = prng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return ranked[lo]!;
  };
}
