// fast-check generators of LL2-shaped records: nulls, extremes, unicode, long text.
import fc from 'fast-check';
import { spacecraftDetailedSchema, type SpacecraftDetailed } from '../../src/ll2/schemas.ts';

const text = (max: number) => fc.oneof(fc.string({ maxLength: max }), fc.string({ unit: 'grapheme', maxLength: max }), fc.constant('x'.repeat(max)));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const duration = maybe(
  fc.oneof(
    fc.tuple(fc.nat(20000), fc.nat(23), fc.nat(59), fc.nat(59)).map(([d, h, m, s]) => `P${d}DT${h}H${m}M${s}S`),
    fc.constantFrom('P0D', 'PT1.5S', '-P1D', 'garbage', ''),
  ),
);
const image = maybe(
  fc.record({ id: fc.nat(), name: maybe(text(300)), image_url: maybe(fc.webUrl()), thumbnail_url: maybe(fc.webUrl()), credit: maybe(text(50)) }),
);
const agency = maybe(fc.record({ id: fc.nat(), name: text(300), abbrev: maybe(text(20)), type: maybe(fc.record({ id: fc.nat(), name: text(50) })) }));
const config = maybe(
  fc.record({
    id: fc.nat(),
    name: text(300),
    type: maybe(fc.record({ id: fc.nat(), name: text(60) })),
    agency,
    family: maybe(fc.array(fc.record({ id: fc.nat(), name: text(200), description: maybe(text(100)), maiden_flight: maybe(fc.constant('2013-09-18')) }), { maxLength: 6 })),
    in_use: maybe(fc.boolean()),
    image,
  }),
);
const flight = fc.record({
  id: fc.nat(),
  destination: maybe(text(300)),
  mission_end: maybe(fc.constant('2024-01-01T00:00:00Z')),
  launch: maybe(
    fc.record({
      id: fc.uuid(),
      name: maybe(text(300)),
      net: maybe(fc.date({ min: new Date('1960-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString())),
      status: maybe(fc.record({ id: fc.nat(), name: maybe(text(40)), abbrev: maybe(text(10)) })),
    }),
  ),
  duration,
  turn_around_time: duration,
});

export const spacecraftArb: fc.Arbitrary<SpacecraftDetailed> = fc
  .record({
    id: fc.nat(1_000_000),
    name: text(255),
    serial_number: maybe(text(300)),
    is_placeholder: maybe(fc.boolean()),
    image,
    in_space: maybe(fc.boolean()),
    time_in_space: duration,
    time_docked: duration,
    flights_count: maybe(fc.nat(10_000)),
    mission_ends_count: maybe(fc.nat(10_000)),
    status: maybe(fc.record({ id: fc.nat(10), name: text(100) })),
    description: maybe(text(2048)),
    spacecraft_config: config,
    fastest_turnaround: duration,
    flights: maybe(fc.array(flight, { maxLength: 60 })),
  })
  .map((raw) => spacecraftDetailedSchema.parse(raw));
