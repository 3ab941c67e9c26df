import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationSeconds, formatAge, formatDuration, formatWait } from '../src/duration.ts';

describe('durations', () => {
  it('formats LL2 durations as days, hours and minutes', () => {
    expect(formatDuration('P165DT16H39M18S')).toBe('165 d 16 h 39 m');
    expect(formatDuration('PT14H50M')).toBe('14 h 50 m');
    expect(formatDuration('P1009DT7H21M')).toBe('1,009 d 7 h 21 m');
    expect(formatDuration('P27DT8H33M')).toBe('27 d 8 h 33 m');
  });

  it('shows zero, fractional seconds and negatives without NaN', () => {
    expect(formatDuration('P0D')).toBe('0 s');
    expect(formatDuration('PT1.5S')).toBe('2 s');
    expect(formatDuration('-P1D')).toBe('−1 d');
  });

  it('shows missing values as a dash and garbage as unknown', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration('')).toBe('—');
    expect(formatDuration('soon')).toBe('unknown');
    expect(formatDuration('P1Y')).not.toMatch(/NaN|Invalid|null/);
  });

  it('counts days as 24 hours for ordering', () => {
    expect(durationSeconds('P1DT1H')).toBe(90_000);
    expect(durationSeconds(null)).toBeNull();
    expect(durationSeconds('nonsense')).toBeNull();
  });

  it('never prints NaN, Invalid or null for any generated duration', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(23), fc.nat(59), fc.nat(59), (d, h, m, s) => {
        const text = formatDuration(`P${d}DT${h}H${m}M${s}S`);
        expect(text).not.toMatch(/NaN|Invalid|null|undefined/);
        expect(durationSeconds(`P${d}DT${h}H${m}M${s}S`)).toBe(d * 86400 + h * 3600 + m * 60 + s);
      }),
    );
  });

  it('says ages and waits in words', () => {
    expect(formatAge(10_000)).toBe('just now');
    expect(formatAge(12 * 60_000)).toBe('12 min ago');
    expect(formatAge(2 * 3600_000)).toBe('2 h ago');
    expect(formatWait(30)).toBe('in 30 s');
    expect(formatWait(600)).toBe('in 10 min');
    expect(formatWait(3900)).toBe('in 1 h 5 min');
  });
});
