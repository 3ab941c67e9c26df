// A spacecraft list query: what a person asked for, independent of where the answer comes from.
import { z } from 'zod';
import type { QueryParams } from '../ll2/client.ts';

export const ORDER_FIELDS = ['flights_count', 'id', 'mission_ends_count', 'time_docked', 'time_in_space'] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];
export const ORDERINGS = ORDER_FIELDS.flatMap((f) => [f, `-${f}`] as const);
export type Ordering = OrderField | `-${OrderField}`;

export const DETAIL_LEVELS = ['normal', 'detailed'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];

export const spacecraftQuerySchema = z.object({
  search: z.string().max(200).optional(),
  status: z.number().int().nonnegative().optional(),
  inSpace: z.boolean().optional(),
  placeholder: z.boolean().optional(),
  config: z.number().int().nonnegative().optional(),
  ordering: z.enum(ORDERINGS as unknown as [Ordering, ...Ordering[]]).optional(),
  detail: z.enum(DETAIL_LEVELS).default('normal'),
});

export type SpacecraftQuery = z.output<typeof spacecraftQuerySchema>;

/** LL2 `/spacecraft/` parameters for this query (mode is always normal: lists come from the catalogue shape). */
export function toLl2Params(query: SpacecraftQuery, limit: number, offset: number): QueryParams {
  const params: QueryParams = {};
  if (query.search !== undefined && query.search.trim() !== '') params.search = query.search.trim();
  if (query.inSpace !== undefined) params.in_space = query.inSpace;
  if (query.placeholder !== undefined) params.is_placeholder = query.placeholder;
  if (query.config !== undefined) params.spacecraft_config = query.config;
  if (query.status !== undefined) params.status = query.status;
  if (query.ordering !== undefined) params.ordering = query.ordering;
  params.limit = limit;
  if (offset > 0) params.offset = offset;
  params.mode = 'normal';
  return params;
}

/** A stable key for caches: same query → same key, whatever the option order. */
export function queryKey(query: SpacecraftQuery): string {
  const params = toLl2Params(query, 100, 0);
  return Object.keys(params)
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}
