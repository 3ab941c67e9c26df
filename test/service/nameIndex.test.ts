import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spacecraftSchema } from '../../src/ll2/schemas.ts';
import { NameIndex } from '../../src/service/nameIndex.ts';
import { loadFixtureCatalogue } from '../fixtures/ll2/index.ts';

const fixture = loadFixtureCatalogue();
const records = fixture.spacecraft.map((r) => spacecraftSchema.parse(r));

describe('the name index', () => {
  it('offers at most 25 names of at most 100 characters, ids as values', () => {
    const index = new NameIndex();
    index.rebuild(records, []);
    for (const text of ['', 's', 'soyuz', 'dragon c2', '神舟', 'zzzz']) {
      const choices = index.spacecraft.suggest(text);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const c of choices) {
        expect(c.name.length).toBeGreaterThan(0);
        expect(c.name.length).toBeLessThanOrEqual(100);
        expect(c.value).toMatch(/^\d+$/);
      }
    }
    expect(index.spacecraft.suggest('endur')[0]?.name).toMatch(/Endurance/);
  });

  it('answers each keystroke as a full ranking of a fresh index would, however people interleave their typing and whatever the limit', () => {
    const words = [...new Set(records.flatMap((r) => r.name.toLowerCase().split(/\s+/)))];
    const typed = fc.array(fc.tuple(fc.constantFrom(...words), fc.nat(12), fc.constantFrom(5, 25), fc.constantFrom('', ' ', ' s', ' 1')), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(typed, (keystrokes) => {
        const warm = new NameIndex();
        warm.rebuild(records, []);
        for (const [word, cut, limit, tail] of keystrokes) {
          const text = word.slice(0, Math.max(1, cut)) + tail;
          // a limit above 25 ranks every match afresh (no kept answers): the reference
          const cold = new NameIndex();
          cold.rebuild(records, []);
          const reference = cold.spacecraft.suggest(text, 1_000).slice(0, limit);
          expect(warm.spacecraft.suggest(text, limit)).toEqual(reference);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('forgets kept answers when the catalogue changes', () => {
    const index = new NameIndex();
    index.rebuild(records, []);
    expect(index.spacecraft.suggest('zq')).toEqual([]);
    expect(index.spacecraft.suggest('zqx')).toEqual([]);
    const added = spacecraftSchema.parse({ ...fixture.spacecraft[0], id: 99_001, name: 'Zqx Explorer' });
    index.rebuild([...records, added], []);
    expect(index.spacecraft.suggest('zq').map((c) => c.value)).toEqual(['99001']);
    expect(index.spacecraft.suggest('zqx').map((c) => c.value)).toEqual(['99001']);
    expect(index.spacecraft.suggest('z').map((c) => c.value)).toContain('99001');
  });
});
