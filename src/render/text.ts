// Text shaping for Discord: cut at a word with "…", escape markdown, tidy upstream line breaks.
// Lengths are counted in UTF-16 units (String#length), never fewer than Discord counts, and a cut
// never splits a surrogate pair.

/** Cuts to at most `max` UTF-16 units, at a word boundary when one is near, ending in "…". */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = '';
  for (const char of text) {
    if (cut.length + char.length > max - 1) break;
    cut += char;
  }
  const space = cut.search(/\s\S*$/u);
  const base = space > cut.length * 0.6 ? cut.slice(0, space) : cut;
  return `${base.replace(/[\s.,;:!?\\-]+$/u, '')}…`;
}

/** Escapes Discord markdown and neutralises mention syntax in upstream text. */
const NEEDS_ESCAPING = /[\\*_`~|[\]@<]|^[#>-]/m;

export function escapeMarkdown(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text
    .replace(/\\/g, '\\\\')
    .replace(/[*_`~|[\]]/g, (c) => `\\${c}`)
    .replace(/^([#>-])/gm, '\\$1')
    .replace(/@(everyone|here)/g, '@\u200b$1')
    .replace(/<(@[!&]?|#)(\d+)>/g, '<\u200b$1$2>');
}

/** Upstream descriptions arrive with \r\n and stray blank lines. */
export function tidy(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
