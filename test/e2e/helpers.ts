// Reading what the bot sent, as the fake Discord recorded it: components by action, the page a list
// shows, Discord's limits, and the traffic-wide rules (no mentions parsed, no token, no errors).
import { expect } from 'vitest';
import type { FakeDiscord, FakeMessage, InteractionResult, RecordedRequest } from '../fakes/discord/index.ts';
import type { JsonObject } from '../fakes/discord/types.ts';
import type { FakeLl2 } from '../fakes/ll2/server.ts';

export interface ComponentView {
  type: number;
  customId: string;
  disabled: boolean;
  label: string | undefined;
  /** For select menus: the option values. */
  values: string[];
  /** Decoded `sc3:<state>:<action>:<value>`; null for anything else. */
  target: { stateId: string; action: string; value: number } | null;
}

const CUSTOM_ID = /^sc3:([A-Za-z0-9]+):([a-z]+):(\d+)$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Every interactive component of a message, row by row. */
export function componentsOf(message: Pick<FakeMessage, 'components'>): ComponentView[] {
  return list(message.components).flatMap((row) =>
    list(row['components']).map((component): ComponentView => {
      const customId = typeof component['custom_id'] === 'string' ? component['custom_id'] : '';
      const match = CUSTOM_ID.exec(customId);
      return {
        type: typeof component['type'] === 'number' ? component['type'] : 0,
        customId,
        disabled: component['disabled'] === true,
        label: typeof component['label'] === 'string' ? component['label'] : undefined,
        values: list(component['options']).map((option) => String(option['value'])),
        target: match === null ? null : { stateId: match[1]!, action: match[2]!, value: Number(match[3]) },
      };
    }),
  );
}

/** The component for one action (`next`, `open`, `back`…); fails the test when absent. */
export function component(message: Pick<FakeMessage, 'components'>, action: string): ComponentView {
  const found = componentsOf(message).find((c) => c.target?.action === action);
  if (found === undefined) throw new Error(`no "${action}" component; custom_ids: ${componentsOf(message).map((c) => c.customId).join(', ') || 'none'}`);
  return found;
}

export function stateIdOf(message: Pick<FakeMessage, 'components'>): string {
  const ids = new Set(componentsOf(message).flatMap((c) => (c.target === null ? [] : [c.target.stateId])));
  expect(ids.size, 'all components of one message point at one list state').toBe(1);
  return [...ids][0]!;
}

/**
 * Who may page the message itself: whoever Discord says it answers (interaction_metadata.user), as
 * the bot reads it; an ephemeral message is seen only by that person anyway.
 */
export function ownerOf(message: JsonObject): string {
  const metadata = (message as { interaction_metadata?: { user?: { id?: unknown } } }).interaction_metadata;
  const id = metadata?.user?.id;
  if (typeof id !== 'string') throw new Error('the message answers no interaction (no interaction_metadata)');
  return id;
}

export function embedOf(message: Pick<FakeMessage, 'embeds'> | undefined): JsonObject {
  const embed = message?.embeds[0];
  if (embed === undefined) throw new Error('the message has no embed');
  return embed;
}

export function titleOf(message: Pick<FakeMessage, 'embeds'> | undefined): string {
  return String(embedOf(message)['title'] ?? '');
}

export function footerOf(message: Pick<FakeMessage, 'embeds'> | undefined): string {
  const footer = embedOf(message)['footer'];
  return isObject(footer) ? String(footer['text'] ?? '') : '';
}

export function fieldsOf(message: Pick<FakeMessage, 'embeds'> | undefined): { name: string; value: string }[] {
  return list(embedOf(message)['fields']).map((f) => ({ name: String(f['name']), value: String(f['value']) }));
}

/** `{ page, pages, count }` from a list footer "page 2/34 · 166 results · …". */
export function pageOf(message: Pick<FakeMessage, 'embeds'> | undefined): { page: number; pages: number; count: number } {
  const match = /^page (\d+)\/(\d+) · ([\d,]+) results? · /.exec(footerOf(message));
  if (match === null) throw new Error(`not a list footer: ${footerOf(message)}`);
  return { page: Number(match[1]), pages: Number(match[2]), count: Number(match[3]!.replace(/,/g, '')) };
}

/** The message a result produced; fails the test when there is none. */
export function messageOf(result: InteractionResult): FakeMessage {
  if (result.message === undefined) {
    throw new Error(`interaction ${result.interactionId} produced no message (type ${String(result.type)}, errors ${JSON.stringify(result.errors)})`);
  }
  return result.message;
}

/** A result answered once, without any Discord error. */
export function expectAnswered(result: InteractionResult, type: number): FakeMessage | undefined {
  expect(result.errors, 'Discord errors for this interaction').toEqual([]);
  expect(result.settled).toBe(true);
  expect(result.type).toBe(type);
  return result.message;
}

/** Re-checks Discord's message limits on what the fake stored (it rejects oversize bodies already). */
export function expectWithinLimits(message: Pick<FakeMessage, 'embeds' | 'components' | 'content'>): void {
  expect(message.content.length).toBeLessThanOrEqual(2000);
  expect(message.embeds.length).toBeLessThanOrEqual(10);
  let total = 0;
  for (const embed of message.embeds) {
    const title = String(embed['title'] ?? '');
    const description = String(embed['description'] ?? '');
    const footer = isObject(embed['footer']) ? String(embed['footer']['text'] ?? '') : '';
    const fields = list(embed['fields']);
    expect(title.length).toBeLessThanOrEqual(256);
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(footer.length).toBeLessThanOrEqual(2048);
    expect(fields.length).toBeLessThanOrEqual(25);
    total += title.length + description.length + footer.length;
    for (const f of fields) {
      const name = String(f['name']);
      const value = String(f['value']);
      expect(name.length).toBeGreaterThan(0);
      expect(name.length).toBeLessThanOrEqual(256);
      expect(value.length).toBeGreaterThan(0);
      expect(value.length).toBeLessThanOrEqual(1024);
      total += name.length + value.length;
    }
  }
  expect(total).toBeLessThanOrEqual(6000);
  const rows = list(message.components);
  expect(rows.length).toBeLessThanOrEqual(5);
  for (const row of rows) expect(list(row['components']).length).toBeLessThanOrEqual(5);
  for (const c of componentsOf(message)) {
    expect(c.customId.length).toBeGreaterThan(0);
    expect(c.customId.length).toBeLessThanOrEqual(100);
  }
}

export function expectValidChoices(result: InteractionResult): { name: string; value: string | number }[] {
  expectAnswered(result, 8);
  const choices = result.choices ?? [];
  expect(choices.length).toBeLessThanOrEqual(25);
  for (const choice of choices) {
    expect(choice.name.length).toBeGreaterThanOrEqual(1);
    expect(choice.name.length).toBeLessThanOrEqual(100);
    expect(typeof choice.value).toBe('string');
    expect(String(choice.value).length).toBeLessThanOrEqual(100);
  }
  return choices;
}

/** The message body a request carries, when it creates or edits a message (else undefined). */
export function sentMessageBody(request: RecordedRequest): JsonObject | undefined {
  const body = isObject(request.body) ? request.body : undefined;
  if (body === undefined) return undefined;
  if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(request.path)) {
    // 4 reply, 7 update carry a message; 5/6 deferrals and 8 autocomplete do not
    return (body['type'] === 4 || body['type'] === 7) && isObject(body['data']) ? body['data'] : undefined;
  }
  if (/^\/webhooks\/\d+\/[^/]+(\/messages\/[^/]+)?$/.test(request.path) && (request.method === 'POST' || request.method === 'PATCH')) return body;
  if (/^\/channels\/\d+\/messages(\/\d+)?$/.test(request.path) && (request.method === 'POST' || request.method === 'PATCH')) return body;
  return undefined;
}

/**
 * The rules every exchange in a suite keeps: each message sent says `allowed_mentions: {parse: []}`,
 * the bot token appears in no body, query or message (nor in what LL2 was sent), and Discord never
 * answered the bot with an error (no 40060, 10062, 50035…).
 */
export function expectCleanTraffic(discord: FakeDiscord, ll2?: FakeLl2): void {
  const sent = discord.requests.filter((request) => sentMessageBody(request) !== undefined);
  expect(sent.length, 'messages sent').toBeGreaterThan(0);
  for (const request of sent) {
    expect(sentMessageBody(request)?.['allowed_mentions'], `${request.method} ${request.path}`).toEqual({ parse: [] });
  }
  for (const message of discord.messages.values()) {
    if ((message.flags & 128) !== 0) continue; // a deferral still loading has sent no content yet
    expect(message.allowed_mentions, `message ${message.id}`).toEqual({ parse: [] });
  }

  const token = discord.token;
  for (const request of discord.requests) {
    expect(JSON.stringify(request.body ?? null)).not.toContain(token);
    expect(JSON.stringify(request.query)).not.toContain(token);
    expect(request.path).not.toContain(token);
  }
  for (const message of discord.messages.values()) expect(JSON.stringify(message)).not.toContain(token);
  for (const request of ll2?.requests ?? []) {
    expect(JSON.stringify(request)).not.toContain(token);
  }

  const failed = discord.requests.filter((request) => request.error !== undefined);
  expect(failed.map((r) => `${r.method} ${r.path} → ${r.status} ${r.error?.code}`)).toEqual([]);
}

/**
 * Posts a message with the given components in the fake's first guild channel, as the bot could
 * have (the test stands in for an earlier version or a wiped store); returns its id.
 */
/** Replace a channel message's components as the bot (what an earlier version would have drawn). */
export async function editComponents(discord: FakeDiscord, message: Pick<FakeMessage, 'id' | 'channel_id'>, components: unknown[]): Promise<void> {
  const response = await fetch(`${discord.restBase}/v10/channels/${message.channel_id}/messages/${message.id}`, {
    method: 'PATCH',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ components, allowed_mentions: { parse: [] } }),
  });
  expect(response.status).toBe(200);
}

export async function postMessage(discord: FakeDiscord, content: string, components: unknown[]): Promise<string> {
  const channelId = discord.guilds[0]!.channels[0]!.id;
  const response = await fetch(`${discord.restBase}/v10/channels/${channelId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content, allowed_mentions: { parse: [] }, components }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}
