import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS, decodeCustomId, encodeCustomId, newStateId } from '../../src/interactions/customId.ts';

describe('custom_id codec', () => {
  it('round-trips every action and page within 100 characters', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), fc.integer({ min: 0, max: 999_999_999 }), (action, value) => {
        const stateId = newStateId();
        const id = encodeCustomId({ stateId, action, value });
        expect(id.length).toBeLessThanOrEqual(100);
        expect(decodeCustomId(id)).toEqual({ stateId, action, value });
      }),
    );
  });

  it('rejects anything that is not ours instead of throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const decoded = decodeCustomId(text);
        if (decoded !== null) expect(text.startsWith('sc1:')).toBe(true);
      }),
    );
    for (const bad of ['', 'sc1', 'sc1::next:2', 'sc1:abcdefgh:jump:2', 'sc1:abcdefgh:next:-1', 'sc1:abcdefgh:next:1e3', 'sc0:abcdefgh:next:2']) {
      expect(decodeCustomId(bad)).toBeNull();
    }
  });

  it('makes state ids that differ', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newStateId()));
    expect(ids.size).toBe(1000);
  });
});
