// Keeps an embed inside Discord's limits whatever the data: each part clipped, then the whole
// brought under the 6000 total by shortening the description and dropping trailing fields.
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { EMBED } from './limits.ts';
import { clip } from './text.ts';

export function embedLength(embed: APIEmbed): number {
  let total = (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length + (embed.author?.name ?? '').length;
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

export function field(name: string, value: string, inline = false): APIEmbedField {
  return { name: clip(name.trim() === '' ? '—' : name, EMBED.fieldName), value: clip(value.trim() === '' ? '—' : value, EMBED.fieldValue), inline };
}

/** Clips every part; `budget` is what this embed may use of the message's 6000. */
export function fitEmbed(embed: APIEmbed, budget: number = EMBED.total): APIEmbed {
  const fitted: APIEmbed = { ...embed };
  if (fitted.title !== undefined) fitted.title = clip(fitted.title, EMBED.title);
  if (fitted.description !== undefined) fitted.description = clip(fitted.description, EMBED.description);
  if (fitted.footer !== undefined) fitted.footer = { ...fitted.footer, text: clip(fitted.footer.text, EMBED.footer) };
  if (fitted.author !== undefined) fitted.author = { ...fitted.author, name: clip(fitted.author.name, EMBED.authorName) };
  if (fitted.fields !== undefined) fitted.fields = fitted.fields.slice(0, EMBED.fields).map((f) => field(f.name, f.value, f.inline ?? false));

  let over = embedLength(fitted) - budget;
  if (over > 0 && fitted.description !== undefined) {
    const keep = Math.max(0, fitted.description.length - over - 1);
    if (keep > 20) fitted.description = clip(fitted.description, keep);
    else delete fitted.description;
    over = embedLength(fitted) - budget;
  }
  while (over > 0 && fitted.fields !== undefined && fitted.fields.length > 0) {
    const longest = fitted.fields.reduce((best, f, i) => (f.value.length > fitted.fields![best]!.value.length ? i : best), 0);
    const target = fitted.fields[longest]!;
    if (target.value.length <= 120) break;
    const keep = Math.max(100, target.value.length - over - 1);
    fitted.fields = fitted.fields.map((f, i) => (i === longest ? { ...f, value: clip(f.value, keep) } : f));
    over = embedLength(fitted) - budget;
  }
  while (over > 0 && fitted.fields !== undefined && fitted.fields.length > 0) {
    fitted.fields = fitted.fields.slice(0, -1);
    over = embedLength(fitted) - budget;
  }
  return fitted;
}
