// Building and editing message objects the way Discord returns them.

import { isPresent, isRecord, records } from './json.ts';
import { MESSAGE_FLAGS } from './limits.ts';
import type { FakeState, InteractionRecord } from './state.ts';
import type { FakeMessage, JsonObject, RecordedFile } from './types.ts';

const CREATE_FLAGS = MESSAGE_FLAGS.suppressEmbeds | MESSAGE_FLAGS.ephemeral | MESSAGE_FLAGS.suppressNotifications | MESSAGE_FLAGS.componentsV2;
const EXTRA_KEYS = new Set(['ephemeral', 'interactionId', 'allowed_mentions', 'edits', 'deleted']);

export interface MessageSource {
  body: JsonObject;
  files: RecordedFile[];
  channelId: string;
  /** 0 default, 20 chat-input command reply. */
  type: number;
  interaction: InteractionRecord | null;
  /** Extra flags forced by the fake (LOADING for a deferred reply). */
  forcedFlags?: number;
  followUp?: boolean;
}

function interactionMetadata(interaction: InteractionRecord, originalResponseId: string | null): JsonObject {
  const metadata: JsonObject = {
    id: interaction.id,
    type: interaction.payload['type'],
    user: userJson(interaction),
    authorizing_integration_owners: interaction.payload['authorizing_integration_owners'],
  };
  if (interaction.commandName !== null) metadata['name'] = interaction.commandName;
  if (originalResponseId !== null) metadata['original_response_message_id'] = originalResponseId;
  if (interaction.sourceMessageId !== null) metadata['interacted_message_id'] = interaction.sourceMessageId;
  return metadata;
}

function userJson(interaction: InteractionRecord): JsonObject {
  const { user } = interaction;
  return {
    id: user.id,
    username: user.username,
    global_name: user.global_name ?? null,
    discriminator: user.discriminator ?? '0',
    avatar: user.avatar ?? null,
    public_flags: 0,
  };
}

function attachmentFrom(state: FakeState, file: RecordedFile, entry: JsonObject | undefined): JsonObject {
  const id = state.ids.next();
  const filename = typeof entry?.['filename'] === 'string' ? entry['filename'] : file.name;
  const attachment: JsonObject = {
    id,
    filename,
    size: file.size,
    url: `https://cdn.discordapp.invalid/attachments/${id}/${encodeURIComponent(filename)}`,
    proxy_url: `https://media.discordapp.invalid/attachments/${id}/${encodeURIComponent(filename)}`,
    content_type: file.contentType,
  };
  if (typeof entry?.['description'] === 'string') attachment['description'] = entry['description'];
  return attachment;
}

function fileIndex(file: RecordedFile): number {
  const match = /^files\[(\d+)\]$/.exec(file.field);
  return match?.[1] === undefined ? -1 : Number(match[1]);
}

/** Attachments after a create/edit: kept ones referenced by id, plus uploaded files. */
function resolveAttachments(state: FakeState, body: JsonObject, files: RecordedFile[], existing: JsonObject[]): JsonObject[] {
  const listed = body['attachments'];
  if (!Array.isArray(listed)) return [...existing, ...files.map((file) => attachmentFrom(state, file, undefined))];
  const result: JsonObject[] = [];
  const used = new Set<RecordedFile>();
  for (const entry of records(listed)) {
    const kept = existing.find((attachment) => String(attachment['id']) === String(entry['id']));
    if (kept) {
      result.push(kept);
      continue;
    }
    const file = files.find((candidate) => fileIndex(candidate) === Number(entry['id']));
    if (file) {
      used.add(file);
      result.push(attachmentFrom(state, file, entry));
    }
  }
  for (const file of files) if (!used.has(file)) result.push(attachmentFrom(state, file, undefined));
  return result;
}

function normalizeEmbeds(value: unknown): JsonObject[] {
  return records(value).map((embed) => ({ type: 'rich', ...embed }));
}

export function createMessage(state: FakeState, source: MessageSource): FakeMessage {
  const { body, interaction } = source;
  const flags = ((typeof body['flags'] === 'number' ? body['flags'] : 0) & CREATE_FLAGS) | (source.forcedFlags ?? 0);
  const now = state.clock.now();
  const message: FakeMessage = {
    id: state.ids.next(),
    type: source.type,
    channel_id: source.channelId,
    content: typeof body['content'] === 'string' ? body['content'] : '',
    embeds: normalizeEmbeds(body['embeds']),
    components: records(body['components']),
    attachments: resolveAttachments(state, body, source.files, []),
    flags,
    author: state.botUser,
    timestamp: new Date(now).toISOString(),
    edited_timestamp: null,
    tts: body['tts'] === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    mention_channels: [],
    pinned: false,
    reactions: [],
    position: 0,
    ephemeral: (flags & MESSAGE_FLAGS.ephemeral) !== 0,
    interactionId: interaction?.id ?? null,
    allowed_mentions: body['allowed_mentions'],
    edits: 0,
    deleted: false,
  };
  if (isPresent(body['poll'])) message['poll'] = body['poll'];
  if (interaction !== null) {
    message['webhook_id'] = state.config.applicationId;
    message['application_id'] = state.config.applicationId;
    const followUpOf = source.followUp === true ? interaction.originalMessageId : null;
    message['interaction_metadata'] = interactionMetadata(interaction, followUpOf);
    if (interaction.commandName !== null && interaction.kind === 'command') {
      message['interaction'] = { id: interaction.id, type: interaction.payload['type'], name: interaction.commandName, user: userJson(interaction) };
    }
  }
  state.messages.set(message.id, message);
  return message;
}

/** The state a message would have after `body` is applied, without touching the message. */
export function previewEdit(message: FakeMessage, body: JsonObject): { content: unknown; embeds: unknown; components: unknown; attachments: unknown; poll: unknown } {
  return {
    content: 'content' in body ? body['content'] : message.content,
    embeds: 'embeds' in body ? body['embeds'] : message.embeds,
    components: 'components' in body ? body['components'] : message.components,
    attachments: 'attachments' in body ? body['attachments'] : message.attachments,
    poll: message['poll'],
  };
}

export function applyEdit(state: FakeState, message: FakeMessage, body: JsonObject, files: RecordedFile[]): void {
  if ('content' in body) message.content = typeof body['content'] === 'string' ? body['content'] : '';
  if ('embeds' in body) message.embeds = normalizeEmbeds(body['embeds']);
  if ('components' in body) message.components = records(body['components']);
  if ('attachments' in body || files.length > 0) message.attachments = resolveAttachments(state, body, files, message.attachments);
  if ('allowed_mentions' in body) message.allowed_mentions = body['allowed_mentions'];
  if (typeof body['flags'] === 'number') {
    // Only SUPPRESS_EMBEDS can change on edit; a first edit may switch a deferred reply to components v2.
    const switchable = MESSAGE_FLAGS.suppressEmbeds | MESSAGE_FLAGS.componentsV2;
    message.flags = (message.flags & ~MESSAGE_FLAGS.suppressEmbeds) | (body['flags'] & switchable);
  }
  message.flags &= ~MESSAGE_FLAGS.loading;
  message.edited_timestamp = new Date(state.clock.now()).toISOString();
  message.edits += 1;
}

/** The message as Discord sends it on the wire (no fake bookkeeping). */
export function toApiMessage(message: FakeMessage): JsonObject {
  const api: JsonObject = {};
  for (const [key, value] of Object.entries(message)) if (!EXTRA_KEYS.has(key)) api[key] = value;
  return structuredClone(api);
}

export function findComponent(components: unknown, customId: string): JsonObject | undefined {
  for (const component of records(components)) {
    if (component['custom_id'] === customId) return component;
    for (const key of ['components', 'items'] as const) {
      const nested = findComponent(component[key], customId);
      if (nested) return nested;
    }
    const accessory = component['accessory'];
    if (isRecord(accessory) && accessory['custom_id'] === customId) return accessory;
  }
  return undefined;
}

export function customIdsOf(components: unknown): string[] {
  const ids: string[] = [];
  for (const component of records(components)) {
    if (typeof component['custom_id'] === 'string') ids.push(component['custom_id']);
    for (const key of ['components', 'items'] as const) ids.push(...customIdsOf(component[key]));
    const accessory = component['accessory'];
    if (isRecord(accessory) && typeof accessory['custom_id'] === 'string') ids.push(accessory['custom_id']);
  }
  return ids;
}
