// zod schemas for the LL2 2.3.0 spacecraft API. Tolerant by design: unknown fields pass through,
// and fields the schema calls required still survive null (API-NOTES: the schema under-states nullability).
import { z } from 'zod';

const nullish = <T extends z.ZodType>(schema: T) => schema.nullable().optional().transform((v) => v ?? null);

export const durationText = nullish(z.string());

export const idName = z.looseObject({ id: z.number().int(), name: z.string() });

export const imageSchema = z.looseObject({
  id: z.number().int().optional(),
  name: nullish(z.string()),
  image_url: nullish(z.string()),
  thumbnail_url: nullish(z.string()),
  credit: nullish(z.string()),
});

export const agencySchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  abbrev: nullish(z.string()),
  type: nullish(idName),
});

export const familySchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  description: nullish(z.string()),
  maiden_flight: nullish(z.string()),
});

export const configSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  type: nullish(idName),
  agency: nullish(agencySchema),
  family: nullish(z.array(familySchema)),
  in_use: nullish(z.boolean()),
  image: nullish(imageSchema),
});

export const configDetailedSchema = configSchema.extend({
  capability: nullish(z.string()),
  history: nullish(z.string()),
  details: nullish(z.string()),
  maiden_flight: nullish(z.string()),
  height: nullish(z.number()),
  diameter: nullish(z.number()),
  crew_capacity: nullish(z.number()),
  payload_capacity: nullish(z.number()),
  human_rated: nullish(z.boolean()),
  wiki_link: nullish(z.string()),
  info_link: nullish(z.string()),
});

export const spacecraftSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  serial_number: nullish(z.string()),
  is_placeholder: nullish(z.boolean()),
  image: nullish(imageSchema),
  in_space: nullish(z.boolean()),
  time_in_space: durationText,
  time_docked: durationText,
  flights_count: nullish(z.number().int()),
  mission_ends_count: nullish(z.number().int()),
  status: nullish(idName),
  description: nullish(z.string()),
  spacecraft_config: nullish(configSchema),
  fastest_turnaround: durationText,
});

export const launchSchema = z.looseObject({
  id: nullish(z.string()),
  name: nullish(z.string()),
  net: nullish(z.string()),
  status: nullish(z.looseObject({ id: z.number().int().optional(), name: nullish(z.string()), abbrev: nullish(z.string()) })),
});

export const flightSchema = z.looseObject({
  id: z.number().int(),
  destination: nullish(z.string()),
  mission_end: nullish(z.string()),
  launch: nullish(launchSchema),
  duration: durationText,
  turn_around_time: durationText,
});

export const spacecraftDetailedSchema = spacecraftSchema.extend({
  spacecraft_config: nullish(configDetailedSchema),
  flights: nullish(z.array(flightSchema)),
});

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    count: z.number().int().nonnegative(),
    next: nullish(z.string()),
    previous: nullish(z.string()),
    results: z.array(item),
  });

export const statusSchema = idName;

const throttleObject = z.looseObject({
  your_request_limit: z.number(),
  limit_frequency_secs: z.number(),
  current_use: z.number(),
  next_use_secs: z.number(),
  ident: nullish(z.string()),
});
/** LL2's schema says an array of one object; clients read an object. Accept both. */
export const throttleSchema = z.union([throttleObject, z.array(throttleObject).min(1).transform((a) => a[0]!)]);

export type Spacecraft = z.output<typeof spacecraftSchema>;
export type SpacecraftDetailed = z.output<typeof spacecraftDetailedSchema>;
export type SpacecraftConfig = z.output<typeof configSchema>;
export type SpacecraftStatus = z.output<typeof statusSchema>;
export type Flight = z.output<typeof flightSchema>;
export type Throttle = z.output<typeof throttleObject>;
export type Page<T> = { count: number; next: string | null; previous: string | null; results: T[] };
