import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS, contentId, decodeCustomId, encodeCustomId, ownerTag } from '../../src/interactions/customId.ts';
import { canonicalQuery } from '../../src/interactions/pageState.ts';

describe('custom_id codec', () => {
  it('round-trips every action and page within 100 characters, naming nobody (sc3)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), fc.integer({ min: 0, max: 999_999_999 }), fc.string(), (action, value, query) => {
        const stateId = contentId(query);
        const id = encodeCustomId({ stateId, action, value });
        expect(id.length).toBeLessThanOrEqual(100);
        expect(id.startsWith('sc3:')).toBe(true);
        expect(decodeCustomId(id)).toEqual({ stateId, owner: { from: 'message' }, action, value });
      }),
    );
  });

  it('still reads the buttons of earlier versions: the owner in the id (sc2), the owner in the state (sc1)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), fc.integer({ min: 0, max: 999_999_999 }), fc.string({ maxLength: 200 }), (action, value, user) => {
        const tag = ownerTag(user);
        expect(decodeCustomId(`sc2:AbCdEfGh1234:${tag}:${action}:${value}`)).toEqual({ stateId: 'AbCdEfGh1234', owner: { from: 'tag', tag }, action, value });
      }),
    );
    expect(decodeCustomId('sc1:AbCdEfGh1234:next:2')).toEqual({ stateId: 'AbCdEfGh1234', owner: { from: 'state' }, action: 'next', value: 2 });
  });

  it('rejects anything that is not ours instead of throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const decoded = decodeCustomId(text);
        if (decoded !== null) expect(['sc1:', 'sc2:', 'sc3:'].some((prefix) => text.startsWith(prefix))).toBe(true);
      }),
    );
    for (const bad of ['', 'sc1', 'sc1::next:2', 'sc1:abcdefgh:jump:2', 'sc1:abcdefgh:next:-1', 'sc1:abcdefgh:next:1e3', 'sc0:abcdefgh:next:2', 'sc2:abcdefgh:next:2', 'sc2:abcdefgh:a:b:jump:2', 'sc2:abcdefgh::next:2', 'sc3:abcdefgh:next', 'sc3:abcdefgh:owner:next:2', 'sc3:abc:next:2']) {
      expect(decodeCustomId(bad)).toBeNull();
    }
  });

  it('keeps snowflakes as they are and hashes user ids a custom_id cannot hold', () => {
    expect(ownerTag('80351110224678912')).toBe('80351110224678912');
    expect(ownerTag('console')).toBe('console');
    const odd = ownerTag('console-a:b');
    expect(odd).toMatch(/^h[A-Za-z0-9]{20}$/);
    expect(ownerTag('console-a:b')).toBe(odd);
    expect(ownerTag('console-a;b')).not.toBe(odd);
    // a tag-shaped id is hashed too, so nobody's id can equal somebody else's tag
    expect(ownerTag(odd)).not.toBe(odd);
  });

  it('gives equal queries one state id, whatever order the options came in, and different queries different ids', () => {
    const a = contentId(canonicalQuery({ search: 'soyuz', inSpace: true, detail: 'normal' }));
    const b = contentId(canonicalQuery({ inSpace: true, detail: 'normal', search: 'soyuz' }));
    expect(a).toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9]{12}$/);
    const others = [
      { search: 'soyuz', detail: 'normal' as const },
      { search: 'soyuz', inSpace: false, detail: 'normal' as const },
      { search: 'soyuz', inSpace: true, detail: 'detailed' as const },
      { search: 'soyuz', inSpace: true, placeholder: true, detail: 'normal' as const },
      { search: 'soyuz', inSpace: true, ordering: 'id' as const, detail: 'normal' as const },
    ].map((q) => contentId(canonicalQuery(q)));
    expect(new Set([a, ...others]).size).toBe(6);
  });
});
