// custom_id codec: `sc1:<state id>:<action>:<number>`. The id names a stored page state; the number
// is a page (or, for `card`, a spacecraft id). Absolute targets make a double click harmless.
import { randomBytes } from 'node:crypto';
import { COMPONENTS } from '../render/limits.ts';

export const ACTIONS = ['first', 'prev', 'next', 'last', 'page', 'open', 'back', 'card'] as const;
export type Action = (typeof ACTIONS)[number];

export interface ComponentTarget {
  stateId: string;
  action: Action;
  value: number;
}

const PREFIX = 'sc1';
const STATE_ID = /^[A-Za-z0-9]{6,24}$/;
const PATTERN = /^sc1:([A-Za-z0-9]{6,24}):([a-z]+):(\d{1,9})$/;

export function encodeCustomId(target: ComponentTarget): string {
  if (!STATE_ID.test(target.stateId)) throw new Error(`invalid state id ${target.stateId}`);
  if (!Number.isInteger(target.value) || target.value < 0 || target.value > 999_999_999) throw new Error(`invalid value ${target.value}`);
  const id = `${PREFIX}:${target.stateId}:${target.action}:${target.value}`;
  if (id.length > COMPONENTS.customId) throw new Error('custom_id too long');
  return id;
}

/** null for anything that is not one of ours (old formats, other bots' ids, garbage). */
export function decodeCustomId(customId: string): ComponentTarget | null {
  const match = PATTERN.exec(customId);
  if (match === null) return null;
  const action = ACTIONS.find((a) => a === match[2]);
  if (action === undefined) return null;
  return { stateId: match[1]!, action, value: Number(match[3]) };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 12 base62 characters: ~71 bits, unguessable enough that nobody pages someone else's list by accident. */
let pool = Buffer.alloc(0);
let used = 0;

export function newStateId(): string {
  // one call into the CSPRNG per hundred ids, not one per id
  if (used + 12 > pool.length) {
    pool = randomBytes(1200);
    used = 0;
  }
  let id = '';
  for (let i = used; i < used + 12; i++) id += ALPHABET[pool[i]! % ALPHABET.length];
  used += 12;
  return id;
}
