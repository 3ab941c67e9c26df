// A strict local Discord (REST + gateway on 127.0.0.1) for the real discord.js client, and the
// test API that plays users: slash commands, autocomplete, clicks, selects.
//
// An interaction is "settled" when the bot finished answering it:
//   - a type 4 (reply), 7 (update), 8 (autocomplete) or 9 (modal) callback was accepted, or
//   - after a type 5 / 6 deferral, the first accepted PATCH (or DELETE) of `@original`, or
//   - its token died (10062 after 3 s, 50027 after 15 min), or
//   - with `settleOnError`, the first Discord error the bot got.
// The result is taken `graceMs` after settling, so a second answer inside that window shows up
// (as a 40060 in `errors`, or an extra edit/follow-up).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import { createClock, type FakeClock } from './clock.ts';
import { FakeGateway, type IdentifyRecord } from './gateway.ts';
import { buildCommandInteraction, buildComponentInteraction, type ComponentAction } from './interactions.ts';
import { createRestHandler } from './rest.ts';
import { FakeState, type InteractionRecord } from './state.ts';
import type {
  CallbackType,
  Command,
  FakeGuild,
  FakeMessage,
  FakeUser,
  InteractionOptions,
  InteractionResult,
  JsonObject,
  OptionValue,
  RecordedRequest,
} from './types.ts';

export interface StartFakeDiscordOptions {
  token?: string;
  applicationId?: string;
  /** Recommended shard count answered by GET /gateway/bot (default 1). */
  shardCount?: number;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Base time source; `clock.advance()` adds to it. Default `Date.now`. */
  now?: () => number;
  heartbeatIntervalMs?: number;
  /** Guilds the bot is in (READY + GUILD_CREATE). Default: one guild per shard, each with one text channel. */
  guilds?: FakeGuild[];
  botUsername?: string;
  /** `session_start_limit.max_concurrency` (default 16, so discord.js identifies all shards at once). */
  maxConcurrency?: number;
  /** Privileged intents the app may request (GUILD_MEMBERS 1<<1, GUILD_PRESENCES 1<<8, MESSAGE_CONTENT 1<<15). Default 0. */
  allowedPrivilegedIntents?: number;
  /** Default wait after an interaction settles, to catch double answers (50 ms). */
  settleGraceMs?: number;
  /** Default time to wait for an interaction to settle (5000 ms). */
  settleTimeoutMs?: number;
}

export interface FakeDiscord {
  /** Give this to discord.js as `rest.api`. */
  readonly restBase: string;
  readonly gatewayUrl: string;
  readonly port: number;
  readonly token: string;
  readonly applicationId: string;
  readonly clock: FakeClock;
  readonly guilds: FakeGuild[];
  /** Every REST request, in arrival order (live array). */
  readonly requests: RecordedRequest[];
  /** Deployed commands (live view). */
  readonly commands: { global: Command[]; guilds: Map<string, Command[]> };
  /** Current state of every message the fake knows (live objects). */
  readonly messages: Map<string, FakeMessage>;
  readonly interactions: ReadonlyMap<string, InteractionRecord>;
  /** IDENTIFY payloads received (shard, intents, ...). */
  readonly identifies: IdentifyRecord[];
  message(id: string): FakeMessage | undefined;
  /** Resolves once `n` (default: shardCount) gateway sessions are identified and open. */
  waitForShards(n?: number, timeoutMs?: number): Promise<void>;
  slash(
    user: FakeUser,
    command: string,
    sub: string | null,
    options?: Record<string, OptionValue>,
    opts?: InteractionOptions,
  ): Promise<InteractionResult>;
  autocomplete(
    user: FakeUser,
    command: string,
    sub: string | null,
    options: Record<string, OptionValue>,
    focused: string,
    opts?: InteractionOptions,
  ): Promise<InteractionResult>;
  click(message: FakeMessage | string, customId: string, user: FakeUser, opts?: InteractionOptions): Promise<InteractionResult>;
  select(message: FakeMessage | string, customId: string, values: string[], user: FakeUser, opts?: InteractionOptions): Promise<InteractionResult>;
  /** Resolves with the message once `predicate` holds for its current state; rejects after `timeoutMs`. */
  waitForMessageEdit(messageId: string, predicate: (message: FakeMessage) => boolean, timeoutMs?: number): Promise<FakeMessage>;
  /** Resolves with the first recorded request (past or future) matching `predicate`. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Sends a raw dispatch to the shard(s) serving `guildId` (null: shard 0). Returns the shard ids reached. */
  dispatch(event: string, data: JsonObject, guildId: string | null): number[];
  /** Closes the gateway connections of a shard (4000 by default: discord.js resumes). */
  kickShard(shardId: number, code?: number): number;
  /** Forgets recorded requests and finished interactions with their messages (keeps long benchmarks bounded). */
  clearHistory(): void;
  close(): Promise<void>;
}

let userCounter = 0n;

/** A user to play interactions with; ids are unique per process. */
export function fakeUser(username: string, id?: string): FakeUser {
  userCounter += 1n;
  return { id: id ?? (200_000_000_000_000_000n + userCounter).toString(), username, global_name: null };
}

export async function startFakeDiscord(opts: StartFakeDiscordOptions = {}): Promise<FakeDiscord> {
  const clock = createClock(opts.now);
  const shardCount = opts.shardCount ?? 1;
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new RangeError(`shardCount must be a positive integer, got ${shardCount}`);
  const state = new FakeState(
    {
      token: opts.token ?? 'fake-bot-token.spacedock.test',
      applicationId: opts.applicationId ?? '1100000000000000001',
      botUsername: opts.botUsername ?? 'Spacedock',
      shardCount,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250,
      maxConcurrency: opts.maxConcurrency ?? 16,
      allowedPrivilegedIntents: opts.allowedPrivilegedIntents ?? 0,
      settleGraceMs: opts.settleGraceMs ?? 50,
      settleTimeoutMs: opts.settleTimeoutMs ?? 5000,
    },
    clock,
    opts.guilds,
  );

  let port = 0;
  const gatewayUrl = () => `ws://127.0.0.1:${port}`;
  const server = createServer(createRestHandler(state, gatewayUrl));
  const wss = new WebSocketServer({ server });
  const gateway = new FakeGateway(state, wss, gatewayUrl);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  const run = async (record: InteractionRecord, callOpts: InteractionOptions): Promise<InteractionResult> => {
    try {
      record.deliveredTo = gateway.dispatch('INTERACTION_CREATE', record.payload, record.guildId);
    } catch (error) {
      state.interactions.delete(record.id);
      state.interactionsByToken.delete(record.token);
      throw error;
    }
    const settledNow = () =>
      record.settled || record.dead || (callOpts.settleOnError === true && record.requests.some((r) => r.error !== undefined)) ? true : undefined;
    const settled = (await state.waitFor(settledNow, callOpts.timeoutMs ?? state.config.settleTimeoutMs)) === true;
    if (settled) await sleep(callOpts.graceMs ?? state.config.settleGraceMs);
    return resultOf(state, record, settled, callOpts.copyMessages !== false);
  };

  const fake: FakeDiscord = {
    restBase: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    port,
    token: state.config.token,
    applicationId: state.config.applicationId,
    clock,
    guilds: state.guilds,
    requests: state.requests,
    commands: state.commands,
    messages: state.messages,
    interactions: state.interactions,
    identifies: gateway.identifies,
    message: (id) => state.messages.get(id),

    async waitForShards(n = shardCount, timeoutMs = 10_000) {
      const ok = await state.waitFor(() => (gateway.readyShards().length >= n ? true : undefined), timeoutMs);
      if (ok !== true) {
        const open = gateway.readyShards().map((s) => `[${s.shard.join(',')}]`).join(' ') || 'none';
        throw new Error(`fake discord: ${n} shard(s) not ready after ${timeoutMs} ms (open: ${open})`);
      }
    },

    async slash(user, command, sub, options = {}, callOpts = {}) {
      return await run(buildCommandInteraction(state, 'command', user, command, sub, options, null, callOpts), callOpts);
    },

    async autocomplete(user, command, sub, options, focused, callOpts = {}) {
      return await run(buildCommandInteraction(state, 'autocomplete', user, command, sub, options, focused, callOpts), callOpts);
    },

    async click(message, customId, user, callOpts = {}) {
      const action: ComponentAction = { componentType: 2 };
      return await run(buildComponentInteraction(state, message, customId, action, user, callOpts), callOpts);
    },

    async select(message, customId, values, user, callOpts = {}) {
      const action: ComponentAction = { componentType: 'select', values };
      return await run(buildComponentInteraction(state, message, customId, action, user, callOpts), callOpts);
    },

    async waitForMessageEdit(messageId, predicate, timeoutMs = 5000) {
      const found = await state.waitFor(() => {
        const message = state.messages.get(messageId);
        return message !== undefined && predicate(message) ? message : undefined;
      }, timeoutMs);
      if (found === undefined) throw new Error(`fake discord: message ${messageId} did not reach the expected state within ${timeoutMs} ms`);
      return found;
    },

    async waitForRequest(predicate, timeoutMs = 5000) {
      const found = await state.waitFor(() => state.requests.find(predicate), timeoutMs);
      if (found === undefined) throw new Error(`fake discord: no matching request within ${timeoutMs} ms`);
      return found;
    },

    dispatch: (event, data, guildId) => gateway.dispatch(event, data, guildId),
    kickShard: (shardId, code) => gateway.kick(shardId, code),

    clearHistory() {
      state.requests.length = 0;
      for (const record of [...state.interactions.values()]) {
        if (!record.settled && !record.dead) continue;
        state.interactions.delete(record.id);
        state.interactionsByToken.delete(record.token);
      }
      for (const [id, message] of state.messages) {
        if (message.interactionId !== null && !state.interactions.has(message.interactionId)) state.messages.delete(id);
      }
    },

    async close() {
      gateway.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function resultOf(state: FakeState, record: InteractionRecord, settled: boolean, copyMessages: boolean): InteractionResult {
  const copy = (message: FakeMessage | undefined) => (message === undefined || !copyMessages ? undefined : structuredClone(message));
  const message = record.originalMessageId === null ? undefined : copy(state.messages.get(record.originalMessageId));
  const followUps = record.followUpIds.flatMap((id) => {
    const followUp = copy(state.messages.get(id));
    return followUp === undefined ? [] : [followUp];
  });
  const errors = record.requests.flatMap((request) =>
    request.error === undefined ? [] : [{ status: request.status, code: request.error.code, message: request.error.message, paths: request.error.paths }],
  );
  const type: CallbackType | null = record.callbackType;
  const result: InteractionResult = {
    interactionId: record.id,
    token: record.token,
    callbacks: [...record.requests],
    type,
    followUps,
    ephemeral: (record.originalMessageId === null ? undefined : state.messages.get(record.originalMessageId))?.ephemeral ?? false,
    errors,
    settled,
    deliveredTo: [...record.deliveredTo],
  };
  if (message !== undefined) result.message = message;
  if (record.choices !== null) result.choices = record.choices.map((choice) => ({ ...choice }));
  if (record.modal !== null) result.modal = structuredClone(record.modal);
  const first = errors[0];
  if (first !== undefined) result.error = { status: first.status, code: first.code };
  return result;
}
