import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord-api-types/v10';
import { renderCard } from '../../src/render/card.ts';
import { embedLength } from '../../src/render/embed.ts';
import { COMPONENTS, EMBED } from '../../src/render/limits.ts';
import { PAGE_SIZE, renderList } from '../../src/render/list.ts';
import type { Message } from '../../src/interactions/types.ts';
import type { Freshness } from '../../src/service/spacecraft.ts';
import { spacecraftArb } from '../support/arbitraries.ts';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const freshness = fc.record({
  origin: fc.constantFrom('live', 'cache', 'catalogue'),
  fetchedAt: fc.integer({ min: NOW - 90 * 86_400_000, max: NOW }),
  degraded: fc.option(fc.record({ reason: fc.constantFrom('quota', 'unreachable', 'store'), retryAfterSecs: fc.option(fc.nat(7200), { nil: null }) }), { nil: null }),
  memoryOnly: fc.boolean(),
}) as fc.Arbitrary<Freshness>;

function assertWithinLimits(message: Message): void {
  expect(message.embeds.length).toBeLessThanOrEqual(EMBED.perMessage);
  let total = 0;
  for (const embed of message.embeds as APIEmbed[]) {
    expect((embed.title ?? '').length).toBeLessThanOrEqual(EMBED.title);
    expect((embed.description ?? '').length).toBeLessThanOrEqual(EMBED.description);
    expect((embed.footer?.text ?? '').length).toBeLessThanOrEqual(EMBED.footer);
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(EMBED.fields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(EMBED.fieldName);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(EMBED.fieldValue);
    }
    total += embedLength(embed);
  }
  expect(total).toBeLessThanOrEqual(EMBED.total);
  expect(message.components.length).toBeLessThanOrEqual(COMPONENTS.rows);
  const ids = new Set<string>();
  for (const row of message.components) {
    expect(row.components.length).toBeLessThanOrEqual(COMPONENTS.buttonsPerRow);
    for (const component of row.components) {
      if ('custom_id' in component) {
        expect(component.custom_id.length).toBeLessThanOrEqual(COMPONENTS.customId);
        expect(ids.has(component.custom_id)).toBe(false);
        ids.add(component.custom_id);
      }
      if ('options' in component && Array.isArray(component.options)) {
        expect(component.options.length).toBeLessThanOrEqual(COMPONENTS.selectOptions);
        for (const option of component.options) {
          expect(option.label.length).toBeGreaterThan(0);
          expect(option.label.length).toBeLessThanOrEqual(COMPONENTS.selectOptionLabel);
          expect((option.description ?? '').length).toBeLessThanOrEqual(COMPONENTS.selectOptionDescription);
        }
      }
      if ('label' in component && typeof component.label === 'string') expect(component.label.length).toBeLessThanOrEqual(COMPONENTS.buttonLabel);
    }
  }
  const text = JSON.stringify(message);
  expect(text).not.toMatch(/\bNaN\b|Invalid DateTime|Invalid Duration|":null|\bundefined\b/);
}

describe('renderers stay within Discord limits', () => {
  it('renders any spacecraft card within every limit and without NaN or null', () => {
    fc.assert(
      fc.property(spacecraftArb, freshness, fc.boolean(), fc.option(fc.nat(7200), { nil: null }), (craft, fresh, fromList, retry) => {
        const message = renderCard({
          answer: { craft, flights: craft.flights, flightsRetryAfterSecs: retry, freshness: fresh },
          now: NOW,
          ephemeral: false,
          ...(fromList ? { back: { stateId: 'AbCdEfGhIjKl', page: 3 } } : {}),
        });
        assertWithinLimits(message);
        const embed = message.embeds[0]!;
        expect(embed.footer?.text).toMatch(/live|cached|catalogue|LL2|store offline/);
      }),
      { numRuns: 300 },
    );
  });

  it('renders any results page within every limit', () => {
    fc.assert(
      fc.property(
        fc.array(spacecraftArb, { minLength: 0, maxLength: PAGE_SIZE }),
        fc.nat(100_000),
        fc.integer({ min: 1, max: 30 }),
        freshness,
        fc.constantFrom('normal' as const, 'detailed' as const),
        fc.string({ maxLength: 400 }),
        (results, extra, page, fresh, detail, filters) => {
          const count = results.length === 0 ? 0 : results.length + extra;
          const message = renderList({ stateId: 'AbCdEfGhIjKl', page, answer: { results, count, freshness: fresh }, filters, query: { detail }, now: NOW, ephemeral: false });
          assertWithinLimits(message);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a spacecraft whose every field is maximal', () => {
  const long = (n: number, word = 'spacecraft') => Array.from({ length: Math.ceil(n / (word.length + 1)) }, () => word).join(' ').slice(0, n);
  const maximal = {
    id: 999_999,
    name: long(255, 'Ж'),
    serial_number: long(300),
    is_placeholder: true,
    image: { id: 1, name: long(300), image_url: 'https://example.com/a.png', thumbnail_url: 'https://example.com/t.png', credit: long(300) },
    in_space: true,
    time_in_space: 'P20000DT23H59M59S',
    time_docked: 'P20000DT23H59M59S',
    flights_count: 10_000,
    mission_ends_count: 10_000,
    status: { id: 9, name: long(100) },
    description: long(2048, '@everyone *x*'),
    spacecraft_config: {
      id: 1,
      name: long(300),
      type: { id: 1, name: long(100) },
      agency: { id: 1, name: long(300), abbrev: long(50), type: null },
      family: Array.from({ length: 6 }, (_, i) => ({ id: i, name: long(300), description: null, maiden_flight: null })),
      in_use: true,
      image: null,
    },
    fastest_turnaround: 'P1D',
    flights: Array.from({ length: 60 }, (_, i) => ({
      id: i,
      destination: long(300),
      mission_end: null,
      launch: { id: `id-${i}`, name: long(300), net: '2024-01-01T00:00:00Z', status: null },
      duration: 'P1D',
      turn_around_time: null,
    })),
  };

  it('still renders a card within 6000 characters in all', () => {
    const message = renderCard({
      answer: { craft: maximal as never, flights: maximal.flights as never, flightsRetryAfterSecs: null, freshness: { origin: 'live', fetchedAt: NOW, degraded: null, memoryOnly: false } },
      now: NOW,
      ephemeral: false,
      back: { stateId: 'AbCdEfGhIjKl', page: 3 },
    });
    assertWithinLimits(message);
    expect(embedLength(message.embeds[0]!)).toBeGreaterThan(5000);
  });
});
