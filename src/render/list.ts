// A page of search results: fields per spacecraft, a menu to open any of them, page buttons.
import { ButtonStyle, ComponentType, type APIButtonComponent, type APIEmbed } from 'discord-api-types/v10';
import { formatDuration, thousands } from '../duration.ts';
import type { Spacecraft } from '../ll2/schemas.ts';
import type { ActionRow, Message } from '../interactions/types.ts';
import { encodeCustomId } from '../interactions/customId.ts';
import type { SpacecraftQuery } from '../service/query.ts';
import type { SearchAnswer } from '../service/spacecraft.ts';
import { field, fitEmbed } from './embed.ts';
import { freshnessText } from './footer.ts';
import { COMPONENTS } from './limits.ts';
import { countText, imageUrl, statusText, timeInSpace } from './spacecraft.ts';
import { clip, escapeMarkdown, tidy } from './text.ts';

export const PAGE_SIZE = 5;
const COLOUR = 0x1f6feb;

export interface ListView {
  stateId: string;
  page: number;
  answer: SearchAnswer;
  /** "search “soyuz” · in space · sorted by most time in space" */
  filters: string;
  query: SpacecraftQuery;
  now: number;
  ephemeral: boolean;
}

export function pageCount(count: number): number {
  return Math.max(1, Math.ceil(count / PAGE_SIZE));
}

export function renderList(view: ListView): Message {
  const { answer, page, now } = view;
  const pages = pageCount(answer.count);
  if (answer.count === 0 || answer.results.length === 0) {
    return {
      embeds: [
        fitEmbed({
          title: answer.count === 0 ? 'No spacecraft found' : 'No more spacecraft',
          description:
            answer.count === 0
              ? `Nothing matches ${view.filters === '' ? 'this search' : `**${escapeMarkdown(view.filters)}**`}.\nTry fewer filters or another spelling — names autocomplete as you type.`
              : 'This page is past the end of the results. Run the command again to start over.',
          color: 0x6e7681,
          footer: { text: freshnessText(answer.freshness, now, false) },
        }),
      ],
      components: [],
      ephemeral: view.ephemeral,
    };
  }

  let forward = false;
  const first = (page - 1) * PAGE_SIZE;
  const fields = answer.results.map((craft, i) => {
    const time = timeInSpace(craft, answer.freshness.fetchedAt, now);
    forward ||= time.forward;
    return field(`${first + i + 1}. ${escapeMarkdown(craft.name)}`, entryText(craft, time.text, view.query.detail === 'detailed'));
  });
  const embed: APIEmbed = {
    title: view.filters === '' ? 'Spacecraft' : `Spacecraft · ${escapeMarkdown(view.filters)}`,
    color: COLOUR,
    fields,
    footer: { text: `page ${page}/${pages} · ${thousands(answer.count)} result${answer.count === 1 ? '' : 's'} · ${freshnessText(answer.freshness, now, forward)}` },
  };
  const thumbnail = answer.results.map((c) => imageUrl(c.image?.thumbnail_url)).find((url) => url !== undefined);
  if (thumbnail) embed.thumbnail = { url: thumbnail };

  return { embeds: [fitEmbed(embed)], components: listComponents(view.stateId, page, pages, answer.results, first), ephemeral: view.ephemeral };
}

function entryText(craft: Spacecraft, inSpace: string, detailed: boolean): string {
  const marker = craft.in_space === true ? '🛰️ **in space now** · ' : '';
  const config = craft.spacecraft_config?.name;
  const lines = [
    `${marker}${statusText(craft)}${config ? ` · ${escapeMarkdown(config)}` : ''}`,
    `⏱ ${inSpace} in space · 🔗 ${formatDuration(craft.time_docked)} docked · 🚀 ${countText(craft.flights_count, 'flight', 'flights')}`,
  ];
  if (detailed) {
    const agency = craft.spacecraft_config?.agency;
    const type = craft.spacecraft_config?.type?.name;
    const extra = [type, agency ? (agency.abbrev ?? agency.name) : null, craft.serial_number ? `serial ${craft.serial_number}` : null].filter(Boolean).join(' · ');
    if (extra !== '') lines.push(escapeMarkdown(extra));
    if (craft.description) lines.push(`> ${clip(escapeMarkdown(tidy(craft.description)).replace(/\n+/g, ' '), 300)}`);
  }
  return lines.join('\n');
}

function listComponents(stateId: string, page: number, pages: number, results: Spacecraft[], first: number): ActionRow[] {
  const rows: ActionRow[] = [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: encodeCustomId({ stateId, action: 'open', value: page }),
          placeholder: 'Open a spacecraft card…',
          options: results.slice(0, COMPONENTS.selectOptions).map((craft, i) => {
            const description = [craft.status?.name, craft.spacecraft_config?.name].filter(Boolean).join(' · ');
            return {
              label: clip(`${first + i + 1}. ${craft.name}`, COMPONENTS.selectOptionLabel),
              value: String(craft.id),
              ...(description === '' ? {} : { description: clip(description, COMPONENTS.selectOptionDescription) }),
            };
          }),
        },
      ],
    },
  ];
  if (pages > 1) {
    const button = (action: 'first' | 'prev' | 'next' | 'last', target: number, emoji: string, disabled: boolean): APIButtonComponent => ({
      type: ComponentType.Button,
      style: action === 'next' ? ButtonStyle.Primary : ButtonStyle.Secondary,
      custom_id: encodeCustomId({ stateId, action, value: target }),
      label: emoji,
      disabled,
    });
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        button('first', 1, '⏮', page <= 1),
        button('prev', Math.max(1, page - 1), '◀', page <= 1),
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: encodeCustomId({ stateId, action: 'page', value: page }),
          label: `${page} / ${pages}`,
          disabled: true,
        },
        button('next', Math.min(pages, page + 1), '▶', page >= pages),
        button('last', pages, '⏭', page >= pages),
      ],
    });
  }
  return rows;
}
