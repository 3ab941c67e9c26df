// Narrowing helpers for wire data of unknown shape.

import type { JsonObject } from './types.ts';

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Length in characters as Discord counts them (UTF-16 code units; fine for limits in tests). */
export function lengthOf(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}

export function records(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
