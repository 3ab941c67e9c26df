// The REST half of the fake: `/api/v10/...` over node:http, answering like Discord, including
// its errors. Every request is recorded with what was answered.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscordHttpError, discordErrors, type FieldError } from './errors.ts';
import { buildStoredCommand } from './commands.ts';
import { isRecord } from './json.ts';
import { LIMITS, MESSAGE_FLAGS } from './limits.ts';
import { applyEdit, createMessage, previewEdit, toApiMessage } from './messages.ts';
import type { FakeState, InteractionRecord } from './state.ts';
import type { Command, FakeMessage, JsonObject, RecordedFile, RecordedRequest } from './types.ts';
import { validateCommand, validateCommandList } from './validate-command.ts';
import { isEmptyMessage, validateAutocompleteData, validateMessageBody, validateModalData } from './validate-message.ts';

interface Ctx {
  method: string;
  segments: string[];
  query: Record<string, string>;
  body: unknown;
  files: RecordedFile[];
  authValid: boolean;
  record: RecordedRequest;
}

interface Reply {
  status: number;
  body?: unknown;
}

const API_PREFIX = ['api', 'v10'];

export function createRestHandler(state: FakeState, gatewayUrl: () => string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(state, gatewayUrl, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, message: `fake discord crashed: ${String(error)}` }));
    });
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

async function parseBody(contentType: string, raw: Buffer): Promise<{ body: unknown; files: RecordedFile[]; invalid: boolean }> {
  if (raw.length === 0) return { body: undefined, files: [], invalid: false };
  if (contentType.startsWith('application/json')) {
    try {
      return { body: JSON.parse(raw.toString('utf8')) as unknown, files: [], invalid: false };
    } catch {
      return { body: raw.toString('utf8'), files: [], invalid: true };
    }
  }
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let body: unknown;
    let invalid = false;
    const files: RecordedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') {
          try {
            body = JSON.parse(value) as unknown;
          } catch {
            invalid = true;
          }
        }
      } else {
        files.push({ field, name: value.name, size: value.size, contentType: value.type || 'application/octet-stream' });
      }
    }
    return { body, files, invalid };
  }
  return { body: raw.toString('utf8'), files: [], invalid: false };
}

async function handle(state: FakeState, gatewayUrl: () => string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = state.clock.now();
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const segments = url.pathname.split('/').filter((part) => part.length > 0).map((part) => decodeURIComponent(part));
  const method = (req.method ?? 'GET').toUpperCase();
  const query = Object.fromEntries(url.searchParams.entries());
  const raw = await readBody(req);
  const parsed = await parseBody(String(req.headers['content-type'] ?? ''), raw);
  const authorization = req.headers.authorization;
  const versioned = API_PREFIX.every((part, i) => segments[i] === part);
  const routeSegments = versioned ? segments.slice(API_PREFIX.length) : segments;

  const record: RecordedRequest = {
    method,
    path: `/${routeSegments.join('/')}`,
    query,
    body: parsed.body,
    files: parsed.files,
    authorized: authorization !== undefined,
    at,
    status: 0,
    response: undefined,
  };
  const ctx: Ctx = {
    method,
    segments: routeSegments,
    query,
    body: parsed.body,
    files: parsed.files,
    authValid: authorization === `Bot ${state.config.token}`,
    record,
  };

  let reply: Reply;
  try {
    if (!versioned) throw discordErrors.notFound();
    if (parsed.invalid) throw discordErrors.invalidJson();
    reply = route(state, ctx, gatewayUrl);
  } catch (error) {
    if (!(error instanceof DiscordHttpError)) throw error;
    reply = { status: error.status, body: error.body };
    record.error = { code: error.body.code, message: error.body.message, paths: error.paths };
  }
  record.status = reply.status;
  record.response = reply.body;
  state.requests.push(record);

  if (reply.body === undefined) res.writeHead(reply.status);
  else res.writeHead(reply.status, { 'content-type': 'application/json' });
  res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  state.changed();
}

function requireAuth(ctx: Ctx): void {
  if (!ctx.authValid) throw discordErrors.unauthorized();
}

function route(state: FakeState, ctx: Ctx, gatewayUrl: () => string): Reply {
  const [first, second, third, fourth, fifth, sixth, seventh] = ctx.segments;
  const { method } = ctx;

  if (first === 'gateway') {
    if (method !== 'GET') throw discordErrors.methodNotAllowed();
    if (second === undefined) return { status: 200, body: { url: gatewayUrl() } };
    if (second === 'bot' && third === undefined) {
      requireAuth(ctx);
      const total = 1000;
      return {
        status: 200,
        body: {
          url: gatewayUrl(),
          shards: state.config.shardCount,
          session_start_limit: {
            total,
            remaining: Math.max(0, total - state.sessionsStarted),
            reset_after: 86_400_000,
            max_concurrency: state.config.maxConcurrency,
          },
        },
      };
    }
  }

  if (first === 'users' && second === '@me' && third === undefined && method === 'GET') {
    requireAuth(ctx);
    return { status: 200, body: state.botUser };
  }

  if (first === 'interactions' && second !== undefined && third !== undefined && fourth === 'callback' && fifth === undefined) {
    if (method !== 'POST') throw discordErrors.methodNotAllowed();
    return interactionCallback(state, ctx, second, third);
  }

  if (first === 'webhooks' && second !== undefined && third !== undefined) {
    if (fourth === undefined) return webhookExecute(state, ctx, second, third);
    if (fourth === 'messages' && fifth !== undefined && sixth === undefined) return webhookMessage(state, ctx, second, third, fifth);
  }

  if (first === 'applications' && second !== undefined) {
    if (second === '@me' && third === undefined && method === 'GET') {
      requireAuth(ctx);
      return { status: 200, body: applicationJson(state) };
    }
    requireAuth(ctx);
    if (second !== state.config.applicationId) throw discordErrors.missingAccess();
    if (third === 'commands') return commandsRoute(state, ctx, null, fourth, fifth);
    if (third === 'guilds' && fourth !== undefined && fifth === 'commands') {
      if (state.guild(fourth) === undefined) throw discordErrors.missingAccess();
      return commandsRoute(state, ctx, fourth, sixth, seventh);
    }
  }

  if (first === 'channels' && second !== undefined && third === 'messages') {
    requireAuth(ctx);
    return channelMessages(state, ctx, second, fourth, fifth);
  }

  throw discordErrors.notFound();
}

function attach(ctx: Ctx, interaction: InteractionRecord): void {
  ctx.record.interactionId = interaction.id;
  interaction.requests.push(ctx.record);
}

function fail(errors: FieldError[]): void {
  if (errors.length > 0) throw discordErrors.invalidFormBody(errors);
}

function requireNonEmpty(state: { content?: unknown; embeds?: unknown; components?: unknown; attachments?: unknown; poll?: unknown }, files: RecordedFile[]): void {
  if (files.length === 0 && isEmptyMessage(state)) throw discordErrors.emptyMessage();
}

const ALLOWED_CALLBACKS: Record<InteractionRecord['kind'], number[]> = {
  command: [4, 5, 9],
  component: [4, 5, 6, 7, 9],
  autocomplete: [8],
};

function interactionCallback(state: FakeState, ctx: Ctx, id: string, token: string): Reply {
  const interaction = state.interactions.get(id);
  if (interaction === undefined || interaction.token !== token) throw discordErrors.unknownInteraction();
  attach(ctx, interaction);
  if (interaction.callbackType !== null) throw discordErrors.alreadyAcknowledged();
  if (interaction.dead || state.clock.now() - interaction.createdAt > LIMITS.firstAnswerMs) {
    interaction.dead = true;
    throw discordErrors.unknownInteraction();
  }
  const body = ctx.body;
  if (!isRecord(body) || typeof body['type'] !== 'number') {
    throw discordErrors.invalidFormBody([{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
  }
  const type = body['type'];
  const allowed = ALLOWED_CALLBACKS[interaction.kind];
  if (!allowed.includes(type)) {
    throw discordErrors.invalidFormBody([
      {
        path: ['type'],
        code: 'INTERACTION_RESPONSE_TYPE_INVALID',
        message: `Interaction response type ${type} is not valid for this interaction (allowed: ${allowed.join(', ')})`,
      },
    ]);
  }
  const data = isRecord(body['data']) ? body['data'] : {};
  const source = interaction.sourceMessageId === null ? undefined : state.messages.get(interaction.sourceMessageId);
  let message: FakeMessage | undefined;

  switch (type) {
    case 4: {
      fail(validateMessageBody(data, ['data']));
      requireNonEmpty(data, ctx.files);
      message = createMessage(state, {
        body: data,
        files: ctx.files,
        channelId: interaction.channelId,
        type: interaction.kind === 'command' ? 20 : 0,
        interaction,
      });
      interaction.callbackType = 4;
      interaction.originalMessageId = message.id;
      interaction.settled = true;
      break;
    }
    case 5: {
      fail(validateMessageBody({ flags: data['flags'] }, ['data']));
      const flags = typeof data['flags'] === 'number' ? data['flags'] & (MESSAGE_FLAGS.ephemeral | MESSAGE_FLAGS.componentsV2) : 0;
      message = createMessage(state, {
        body: { flags },
        files: [],
        channelId: interaction.channelId,
        type: interaction.kind === 'command' ? 20 : 0,
        interaction,
        forcedFlags: MESSAGE_FLAGS.loading,
      });
      interaction.callbackType = 5;
      interaction.originalMessageId = message.id;
      break;
    }
    case 6: {
      if (source === undefined) throw discordErrors.unknownMessage();
      message = source;
      interaction.callbackType = 6;
      interaction.originalMessageId = source.id;
      break;
    }
    case 7: {
      if (source === undefined || source.deleted) throw discordErrors.unknownMessage();
      fail(validateMessageBody(data, ['data']));
      requireNonEmpty(previewEdit(source, data), ctx.files);
      applyEdit(state, source, data, ctx.files);
      message = source;
      interaction.callbackType = 7;
      interaction.originalMessageId = source.id;
      interaction.settled = true;
      break;
    }
    case 8: {
      fail(validateAutocompleteData(body['data'], interaction.focusedType));
      interaction.choices = Array.isArray(data['choices'])
        ? data['choices'].filter(isRecord).map((choice) => ({
            name: String(choice['name']),
            value: typeof choice['value'] === 'number' ? choice['value'] : String(choice['value']),
          }))
        : [];
      interaction.callbackType = 8;
      interaction.settled = true;
      break;
    }
    case 9: {
      fail(validateModalData(body['data']));
      interaction.modal = data;
      interaction.callbackType = 9;
      interaction.settled = true;
      break;
    }
    default:
      throw discordErrors.invalidFormBody([{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Unsupported interaction response type' }]);
  }

  if (ctx.query['with_response'] !== 'true') return { status: 204 };
  const callback: JsonObject = { id: interaction.id, type: interaction.payload['type'], activity_instance_id: null };
  const resource: JsonObject = { type };
  if (message !== undefined) {
    callback['response_message_id'] = message.id;
    callback['response_message_loading'] = (message.flags & MESSAGE_FLAGS.loading) !== 0;
    callback['response_message_ephemeral'] = message.ephemeral;
    resource['message'] = toApiMessage(message);
  }
  return { status: 200, body: { interaction: callback, resource } };
}

function webhookInteraction(state: FakeState, ctx: Ctx, applicationId: string, token: string): InteractionRecord {
  if (applicationId !== state.config.applicationId) throw discordErrors.unknownWebhook();
  const interaction = state.interactionsByToken.get(token);
  if (interaction === undefined) throw discordErrors.invalidWebhookToken();
  attach(ctx, interaction);
  if (state.clock.now() - interaction.createdAt > LIMITS.tokenLifetimeMs) {
    interaction.dead = true;
    throw discordErrors.invalidWebhookToken();
  }
  return interaction;
}

function webhookExecute(state: FakeState, ctx: Ctx, applicationId: string, token: string): Reply {
  if (ctx.method !== 'POST') throw discordErrors.methodNotAllowed();
  const interaction = webhookInteraction(state, ctx, applicationId, token);
  // Before the first callback the interaction webhook does not exist yet; autocomplete never has one.
  if (interaction.callbackType === null || interaction.callbackType === 8) throw discordErrors.unknownWebhook();
  const body = isRecord(ctx.body) ? ctx.body : {};
  fail(validateMessageBody(body, []));
  requireNonEmpty(body, ctx.files);
  const message = createMessage(state, {
    body,
    files: ctx.files,
    channelId: interaction.channelId,
    type: 0,
    interaction,
    followUp: true,
  });
  interaction.followUpIds.push(message.id);
  return ctx.query['wait'] === 'true' ? { status: 200, body: toApiMessage(message) } : { status: 204 };
}

function webhookMessage(state: FakeState, ctx: Ctx, applicationId: string, token: string, messageId: string): Reply {
  const interaction = webhookInteraction(state, ctx, applicationId, token);
  if (interaction.callbackType === null) throw discordErrors.unknownWebhook();
  const targetId = messageId === '@original' ? interaction.originalMessageId : messageId;
  const owned = targetId !== null && (targetId === interaction.originalMessageId || interaction.followUpIds.includes(targetId));
  const message = targetId === null || !owned ? undefined : state.messages.get(targetId);
  if (message === undefined || message.deleted) throw discordErrors.unknownMessage();
  const finishesDeferral = message.id === interaction.originalMessageId && (interaction.callbackType === 5 || interaction.callbackType === 6);

  switch (ctx.method) {
    case 'GET':
      return { status: 200, body: toApiMessage(message) };
    case 'PATCH': {
      const body = isRecord(ctx.body) ? ctx.body : {};
      fail(validateMessageBody(body, []));
      requireNonEmpty(previewEdit(message, body), ctx.files);
      applyEdit(state, message, body, ctx.files);
      if (finishesDeferral) interaction.settled = true;
      return { status: 200, body: toApiMessage(message) };
    }
    case 'DELETE':
      message.deleted = true;
      if (finishesDeferral) interaction.settled = true;
      return { status: 204 };
    default:
      throw discordErrors.methodNotAllowed();
  }
}

function commandsRoute(state: FakeState, ctx: Ctx, guildId: string | null, commandId: string | undefined, extra: string | undefined): Reply {
  if (extra !== undefined) throw discordErrors.notFound();
  const current = guildId === null ? state.commands.global : state.commands.guilds.get(guildId) ?? [];
  const store = (list: Command[]) => {
    if (guildId === null) state.commands.global = list;
    else state.commands.guilds.set(guildId, list);
  };
  const build = (body: JsonObject): Command => {
    const type = typeof body['type'] === 'number' ? body['type'] : 1;
    const previous = current.find((command) => command.type === type && command.name === body['name']);
    return buildStoredCommand(state, body, previous?.id ?? state.ids.next(), guildId);
  };

  if (commandId === undefined) {
    switch (ctx.method) {
      case 'GET':
        return { status: 200, body: structuredClone(current) };
      case 'PUT': {
        fail(validateCommandList(ctx.body));
        const list = Array.isArray(ctx.body) ? ctx.body.filter(isRecord).map(build) : [];
        store(list);
        return { status: 200, body: structuredClone(list) };
      }
      case 'POST': {
        fail(validateCommand(ctx.body, []));
        const command = build(isRecord(ctx.body) ? ctx.body : {});
        const index = current.findIndex((existing) => existing.id === command.id);
        const list = [...current];
        if (index === -1) {
          const sameType = current.filter((existing) => existing.type === command.type).length;
          const limit = command.type === 1 ? LIMITS.chatInputCommands : LIMITS.contextMenuCommands;
          if (sameType >= limit) {
            throw new DiscordHttpError(400, 30032, `Maximum number of application commands reached (${limit})`);
          }
          list.push(command);
        } else list[index] = command;
        store(list);
        return { status: index === -1 ? 201 : 200, body: structuredClone(command) };
      }
      default:
        throw discordErrors.methodNotAllowed();
    }
  }

  const existing = current.find((command) => command.id === commandId);
  if (existing === undefined) throw discordErrors.unknownCommand();
  switch (ctx.method) {
    case 'GET':
      return { status: 200, body: structuredClone(existing) };
    case 'PATCH': {
      const merged = { ...existing, ...(isRecord(ctx.body) ? ctx.body : {}) };
      fail(validateCommand(merged, []));
      const command = buildStoredCommand(state, merged, existing.id, guildId);
      store(current.map((c) => (c.id === existing.id ? command : c)));
      return { status: 200, body: structuredClone(command) };
    }
    case 'DELETE':
      store(current.filter((c) => c.id !== existing.id));
      return { status: 204 };
    default:
      throw discordErrors.methodNotAllowed();
  }
}

function channelMessages(state: FakeState, ctx: Ctx, channelId: string, messageId: string | undefined, extra: string | undefined): Reply {
  if (extra !== undefined) throw discordErrors.notFound();
  if (state.guildOfChannel(channelId) === undefined && ![...state.dmChannels.values()].includes(channelId)) {
    throw discordErrors.unknownChannel();
  }
  if (messageId === undefined) {
    if (ctx.method !== 'POST') throw discordErrors.methodNotAllowed();
    const body = isRecord(ctx.body) ? ctx.body : {};
    fail(validateMessageBody(body, []));
    requireNonEmpty(body, ctx.files);
    if (typeof body['flags'] === 'number' && (body['flags'] & MESSAGE_FLAGS.ephemeral) !== 0) {
      throw discordErrors.invalidFormBody([{ path: ['flags'], code: 'MESSAGE_FLAGS_INVALID', message: 'Ephemeral messages can only be sent as interaction responses' }]);
    }
    const message = createMessage(state, { body, files: ctx.files, channelId, type: 0, interaction: null });
    return { status: 200, body: toApiMessage(message) };
  }
  const message = state.messages.get(messageId);
  if (message === undefined || message.deleted || message.channel_id !== channelId || message.ephemeral) throw discordErrors.unknownMessage();
  switch (ctx.method) {
    case 'GET':
      return { status: 200, body: toApiMessage(message) };
    case 'PATCH': {
      const body = isRecord(ctx.body) ? ctx.body : {};
      fail(validateMessageBody(body, []));
      requireNonEmpty(previewEdit(message, body), ctx.files);
      applyEdit(state, message, body, ctx.files);
      return { status: 200, body: toApiMessage(message) };
    }
    case 'DELETE':
      message.deleted = true;
      return { status: 204 };
    default:
      throw discordErrors.methodNotAllowed();
  }
}

function applicationJson(state: FakeState): JsonObject {
  return {
    id: state.config.applicationId,
    name: state.config.botUsername,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    team: null,
    owner: { id: '1', username: 'owner', discriminator: '0', global_name: null, avatar: null, public_flags: 0 },
    bot: state.botUser,
    tags: [],
    integration_types_config: { '0': {} },
  };
}
