// custom_id codec: `sc3:<state id>:<action>:<number>`. The id names a stored page state (the query;
// the same query always has the same id) and the number is a page (or, for `card`, a spacecraft id);
// absolute targets make a double click harmless. Nothing in it names a person, so one drawn answer
// serves everyone who asks the same thing: who may page a message itself is whoever Discord says the
// message answers (its interaction_metadata), or, on an ephemeral message, the one person who sees it.
// Buttons drawn by earlier versions are still read: `sc2:<state id>:<owner>:<action>:<number>` (the
// owner in the id) and `sc1:<state id>:<action>:<number>` (the owner kept in the state).
import { createHash } from 'node:crypto';
import { COMPONENTS } from '../render/limits.ts';

export const ACTIONS = ['first', 'prev', 'next', 'last', 'page', 'open', 'back', 'card'] as const;
export type Action = (typeof ACTIONS)[number];

/** Where to learn who may page the message: the message itself (sc3), the id (sc2), the stored state (sc1). */
export type OwnerSource = { from: 'message' } | { from: 'tag'; tag: string } | { from: 'state' };

export interface ComponentTarget {
  stateId: string;
  owner: OwnerSource;
  action: Action;
  value: number;
}

const STATE_ID = /^[A-Za-z0-9]{6,24}$/;
const OWNER = /^[A-Za-z0-9_-]{1,32}$/;
const PATTERN_V3 = /^sc3:([A-Za-z0-9]{6,24}):([a-z]+):(\d{1,9})$/;
const PATTERN_V2 = /^sc2:([A-Za-z0-9]{6,24}):([A-Za-z0-9_-]{1,32}):([a-z]+):(\d{1,9})$/;
const PATTERN_V1 = /^sc1:([A-Za-z0-9]{6,24}):([a-z]+):(\d{1,9})$/;

export function encodeCustomId(target: { stateId: string; action: Action; value: number }): string {
  if (!STATE_ID.test(target.stateId)) throw new Error(`invalid state id ${target.stateId}`);
  if (!Number.isInteger(target.value) || target.value < 0 || target.value > 999_999_999) throw new Error(`invalid value ${target.value}`);
  const id = `sc3:${target.stateId}:${target.action}:${target.value}`;
  if (id.length > COMPONENTS.customId) throw new Error('custom_id too long');
  return id;
}

function action(text: string): Action | undefined {
  return ACTIONS.find((a) => a === text);
}

/** null for anything that is not one of ours (other bots' ids, garbage). */
export function decodeCustomId(customId: string): ComponentTarget | null {
  const v3 = PATTERN_V3.exec(customId);
  if (v3 !== null) {
    const act = action(v3[2]!);
    return act === undefined ? null : { stateId: v3[1]!, owner: { from: 'message' }, action: act, value: Number(v3[3]) };
  }
  const v2 = PATTERN_V2.exec(customId);
  if (v2 !== null) {
    const act = action(v2[3]!);
    return act === undefined ? null : { stateId: v2[1]!, owner: { from: 'tag', tag: v2[2]! }, action: act, value: Number(v2[4]) };
  }
  const v1 = PATTERN_V1.exec(customId);
  if (v1 !== null) {
    const act = action(v1[2]!);
    return act === undefined ? null : { stateId: v1[1]!, owner: { from: 'state' }, action: act, value: Number(v1[3]) };
  }
  return null;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function base62(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return out;
}

/**
 * A user id as sc2 custom_ids carried it: Discord's snowflakes (and the console's simple names) as
 * they are; anything else as `h` + 20 base62 characters of its SHA-256, so it could hold no `:`.
 */
export function ownerTag(userId: string): string {
  if (OWNER.test(userId) && !userId.startsWith('h')) return userId;
  return `h${base62(createHash('sha256').update(userId).digest(), 20)}`;
}

/** 12 base62 characters (~71 bits) of a SHA-256 of `canonical`: the same text always gives the same id. */
export function contentId(canonical: string): string {
  return base62(createHash('sha256').update(canonical).digest(), 12);
}
