import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, escapeMarkdown, tidy } from '../../src/render/text.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('text shaping', () => {
  it('leaves short text alone', () => {
    expect(clip('Soyuz MS-25', 100)).toBe('Soyuz MS-25');
  });

  it('cuts long text at a word and ends it with an ellipsis', () => {
    const cut = clip('The quick brown fox jumps over the lazy dog again and again', 30);
    expect(cut.length).toBeLessThanOrEqual(30);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).toBe('The quick brown fox jumps…');
  });

  it('never exceeds the limit or splits a surrogate pair, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (text, max) => {
        const cut = clip(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(LONE_SURROGATE.test(cut)).toBe(false);
      }),
    );
  });

  it('neutralises mentions and markdown from upstream text', () => {
    const escaped = escapeMarkdown('@everyone look at <@123456> *bold* _it_ `code` ~~s~~ ||spoiler||');
    expect(escaped).not.toMatch(/@everyone/);
    expect(escaped).not.toMatch(/<@123456>/);
    expect(escaped).toContain('\\*bold\\*');
    expect(escaped).toContain('\\`code\\`');
  });

  it('turns CRLF into newlines and squeezes blank runs', () => {
    expect(tidy('a\r\n\r\n\r\n\r\nb\r\n')).toBe('a\n\nb');
  });
});
