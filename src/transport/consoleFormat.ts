// Prints a Message the way Discord would show it, as plain terminal text.
import { ComponentType, type APIEmbed } from 'discord-api-types/v10';
import { decodeCustomId } from '../interactions/customId.ts';
import type { Message } from '../interactions/types.ts';

/** Discord markdown read as plain text: bold markers dropped, escapes undone. */
export function plain(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/\\([\\*_`~|[\]>#-])/g, '$1').replace(/@\u200b/g, '@').replace(/<\u200b/g, '<');
}

export function formatMessage(message: Message): string {
  const out: string[] = [];
  if (message.ephemeral) out.push('(only you can see this)');
  if (message.content) out.push(plain(message.content));
  for (const embed of message.embeds) out.push(plain(formatEmbed(embed)));
  for (const row of message.components) {
    const parts: string[] = [];
    for (const component of row.components) {
      if (component.type === ComponentType.Button && 'custom_id' in component) {
        const label = component.label ?? '';
        const word = buttonWord(component.custom_id);
        const shown = word === '' || label.toLowerCase().includes(word) ? label : `${label} ${word}`;
        parts.push(component.disabled ? `(${label})` : `[${shown}]`);
      } else if (component.type === ComponentType.StringSelect) {
        const options = component.options.map((o) => o.label.replace(/^(\d+)\..*$/, '$1'));
        parts.push(`menu: "open N" opens ${options.join(', ')}`);
      }
    }
    if (parts.length > 0) out.push(`  ${parts.join(' ')}`);
  }
  return out.join('\n');
}

function buttonWord(customId: string): string {
  const action = decodeCustomId(customId)?.action ?? '';
  return action === 'back' ? 'back' : ['first', 'prev', 'next', 'last'].includes(action) ? action : '';
}

function formatEmbed(embed: APIEmbed): string {
  const lines: string[] = [];
  if (embed.title) lines.push(`┌─ ${embed.title}`);
  else lines.push('┌─');
  const bar = (text: string, indent = '') => text.split('\n').forEach((l) => lines.push(`│ ${indent}${l}`));
  if (embed.image?.url) bar(`[image] ${embed.image.url}`);
  if (embed.thumbnail?.url) bar(`[thumbnail] ${embed.thumbnail.url}`);
  if (embed.description) {
    bar(embed.description);
    lines.push('│');
  }
  let inlineRow: string[] = [];
  const flushInline = () => {
    if (inlineRow.length > 0) bar(inlineRow.join('   '));
    inlineRow = [];
  };
  for (const field of embed.fields ?? []) {
    if (field.inline) {
      inlineRow.push(`${field.name}: ${field.value.replace(/\n/g, ' ')}`);
      if (inlineRow.length === 3) flushInline();
      continue;
    }
    flushInline();
    bar(field.name);
    bar(field.value, '   ');
  }
  flushInline();
  if (embed.footer?.text) lines.push(`└─ ${embed.footer.text}`);
  else lines.push('└─');
  return lines.join('\n');
}
