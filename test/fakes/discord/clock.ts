// The one time source for every Discord deadline the fake enforces (3 s, 15 min), so tests
// move time instead of sleeping.

export interface FakeClock {
  now(): number;
  advance(ms: number): void;
}

export function createClock(base: () => number = Date.now): FakeClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a finite ms >= 0, got ${ms}`);
      offset += ms;
    },
  };
}
