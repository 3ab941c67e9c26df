// One spacecraft in full: image, facts, configuration, description and its flights, newest first.
import { ButtonStyle, ComponentType, type APIEmbed, type APIEmbedField } from 'discord-api-types/v10';
import { DateTime } from 'luxon';
import { formatDuration } from '../duration.ts';
import type { Flight, SpacecraftDetailed } from '../ll2/schemas.ts';
import { encodeCustomId } from '../interactions/customId.ts';
import type { ActionRow, Message } from '../interactions/types.ts';
import type { ShowAnswer } from '../service/spacecraft.ts';
import { embedLength, field, fitEmbed } from './embed.ts';
import { freshnessText, retryText } from './footer.ts';
import { EMBED } from './limits.ts';
import { countText, imageUrl, inSpaceText, orUnknown, statusText, timeInSpace } from './spacecraft.ts';
import { clip, escapeMarkdown, tidy } from './text.ts';

const COLOUR = 0x8957e5;
const DESCRIPTION_MAX = 1500;
const FLIGHTS_SHOWN = 12;

export interface CardView {
  answer: ShowAnswer;
  now: number;
  ephemeral: boolean;
  /** Present when opened from a list: the button that returns to that page. */
  back?: { stateId: string; page: number };
}

export function renderCard(view: CardView): Message {
  const { answer, now } = view;
  const craft = answer.craft;
  const config = craft.spacecraft_config;
  const time = timeInSpace(craft, answer.freshness.fetchedAt, now);

  const fields: APIEmbedField[] = [
    field('Status', statusText(craft), true),
    field('Where', inSpaceText(craft), true),
    field('Serial number', escapeMarkdown(orUnknown(craft.serial_number)) + (craft.is_placeholder === true ? ' (placeholder)' : ''), true),
    field('Time in space', time.text, true),
    field('Time docked', formatDuration(craft.time_docked), true),
    field('Fastest turnaround', formatDuration(craft.fastest_turnaround), true),
    field('Flights', countText(craft.flights_count, 'flight', 'flights'), true),
    field('Mission ends', countText(craft.mission_ends_count, 'end', 'ends'), true),
  ];
  if (config !== null) {
    fields.push(field('Configuration', escapeMarkdown([config.name, config.type?.name].filter(Boolean).join(' · ')), true));
    const agency = config.agency;
    if (agency !== null) fields.push(field('Agency', escapeMarkdown(agency.abbrev && agency.abbrev !== agency.name ? `${agency.name} (${agency.abbrev})` : agency.name), true));
    const family = (config.family ?? []).map((f) => f.name).join(', ');
    if (family !== '') fields.push(field('Family', escapeMarkdown(family), true));
  }
  if (answer.flights !== null && answer.flights !== undefined) {
    fields.push(...flightFields(answer.flights));
  } else {
    fields.push(field('Flights list', `Flights will be available ${retryText(answer.flightsRetryAfterSecs)}.`));
  }

  const embed: APIEmbed = {
    title: escapeMarkdown(craft.name),
    color: COLOUR,
    fields,
    footer: { text: `#${craft.id} · ${freshnessText(answer.freshness, now, time.forward)}` },
  };
  if (craft.description) embed.description = clip(escapeMarkdown(tidy(craft.description)), DESCRIPTION_MAX);
  const image = imageUrl(craft.image?.image_url) ?? imageUrl(config?.image?.image_url);
  if (image) embed.image = { url: image };
  const thumbnail = imageUrl(config?.image?.thumbnail_url) ?? imageUrl(craft.image?.thumbnail_url);
  if (thumbnail) embed.thumbnail = { url: thumbnail };

  const components: ActionRow[] = [];
  if (view.back !== undefined) {
    components.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: encodeCustomId({ stateId: view.back.stateId, action: 'back', value: view.back.page }),
          label: '◀ Back to the list',
        },
      ],
    });
  }
  const fitted = fitEmbed(embed);
  if (embedLength(fitted) > EMBED.total) throw new Error('card does not fit'); // fitEmbed guarantees it; a bug if not
  return { embeds: [fitted], components, ephemeral: view.ephemeral };
}

function flightDate(flight: Flight): string {
  const net = flight.launch?.net;
  if (!net) return 'date unknown';
  const date = DateTime.fromISO(net, { zone: 'utc' });
  return date.isValid ? date.toFormat('yyyy-LL-dd') : 'date unknown';
}

function flightFields(flights: NonNullable<SpacecraftDetailed['flights']>): APIEmbedField[] {
  if (flights.length === 0) return [field('Flights list', 'LL2 lists no flights for this spacecraft.')];
  const newestFirst = [...flights].sort((a, b) => (b.launch?.net ?? '').localeCompare(a.launch?.net ?? ''));
  const lines = newestFirst.slice(0, FLIGHTS_SHOWN).map((flight) => {
    const parts = [`\`${flightDate(flight)}\``, escapeMarkdown(flight.launch?.name ?? 'unnamed launch')];
    if (flight.destination) parts.push(`→ ${escapeMarkdown(flight.destination)}`);
    if (flight.duration) parts.push(formatDuration(flight.duration));
    return clip(parts.join(' · '), 200);
  });
  // split into fields of ≤1024 characters
  const out: APIEmbedField[] = [];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length > 0) out.push(field(out.length === 0 ? `Flights (newest first, ${flights.length} in all)` : 'Flights (continued)', chunk.join('\n')));
    chunk = [];
  };
  for (const line of lines) {
    if ([...chunk, line].join('\n').length > EMBED.fieldValue) flush();
    chunk.push(line);
  }
  if (flights.length > FLIGHTS_SHOWN) chunk.push(`…and ${flights.length - FLIGHTS_SHOWN} earlier`);
  flush();
  return out;
}
