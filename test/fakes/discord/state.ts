// Everything the fake remembers: configuration, guilds, messages, interactions, commands,
// recorded requests. REST, gateway and the test API all read and write this one object and call
// `changed()` so waiters re-check their conditions.

import { randomBytes } from 'node:crypto';
import type { FakeClock } from './clock.ts';
import { createSnowflakes, guildIdForShard, type SnowflakeSource } from './snowflake.ts';
import type {
  AutocompleteChoice,
  CallbackType,
  Command,
  FakeGuild,
  FakeMessage,
  FakeUser,
  JsonObject,
  RecordedRequest,
} from './types.ts';

export interface FakeConfig {
  token: string;
  applicationId: string;
  botUsername: string;
  shardCount: number;
  heartbeatIntervalMs: number;
  /** `session_start_limit.max_concurrency`; discord.js waits 5 s between identifies in one bucket. */
  maxConcurrency: number;
  /** Privileged intent bits the application may request (others close the gateway with 4014). */
  allowedPrivilegedIntents: number;
  settleGraceMs: number;
  settleTimeoutMs: number;
}

export type InteractionKind = 'command' | 'autocomplete' | 'component';

export interface InteractionRecord {
  id: string;
  token: string;
  kind: InteractionKind;
  payload: JsonObject;
  createdAt: number;
  guildId: string | null;
  channelId: string;
  user: FakeUser;
  commandName: string | null;
  /** Type of the focused option of an autocomplete (3, 4 or 10). */
  focusedType: number;
  /** Message carrying the clicked component. */
  sourceMessageId: string | null;
  callbackType: CallbackType | null;
  /** Message that `@original` refers to once a callback was accepted. */
  originalMessageId: string | null;
  followUpIds: string[];
  requests: RecordedRequest[];
  choices: AutocompleteChoice[] | null;
  modal: JsonObject | null;
  /** The bot answered in a way that finishes the exchange (see fake-discord.ts for the rules). */
  settled: boolean;
  /** The token can no longer be used (10062 or 50027 was returned). */
  dead: boolean;
  deliveredTo: number[];
}

/** Random bytes in an interaction token (128 base64url characters, as Discord's are long). */
const TOKEN_BYTES = 96;

export const PERMISSIONS_ALL = '2251799813685247';

export class FakeState {
  readonly config: FakeConfig;
  readonly clock: FakeClock;
  readonly ids: SnowflakeSource;
  readonly botUser: JsonObject;
  readonly guilds: FakeGuild[];
  readonly messages = new Map<string, FakeMessage>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly commands: { global: Command[]; guilds: Map<string, Command[]> } = { global: [], guilds: new Map() };
  readonly requests: RecordedRequest[] = [];
  readonly dmChannels = new Map<string, string>();
  sessionsStarted = 0;
  private readonly listeners = new Set<() => void>();

  constructor(config: FakeConfig, clock: FakeClock, guilds: FakeGuild[] | undefined) {
    this.config = config;
    this.clock = clock;
    this.ids = createSnowflakes(() => clock.now());
    this.botUser = {
      id: config.applicationId,
      username: config.botUsername,
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
      verified: true,
      mfa_enabled: false,
      flags: 0,
      public_flags: 0,
      email: null,
    };
    this.guilds = guilds ?? defaultGuilds(config.shardCount);
  }

  /** Random bytes drawn 64 tokens at a time (one randomBytes() call per token was a load driver's largest cost). */
  private tokenBytes = Buffer.alloc(0);
  private tokenOffset = 0;

  newToken(): string {
    if (this.tokenOffset + TOKEN_BYTES > this.tokenBytes.length) {
      this.tokenBytes = randomBytes(TOKEN_BYTES * 64);
      this.tokenOffset = 0;
    }
    const bytes = this.tokenBytes.subarray(this.tokenOffset, (this.tokenOffset += TOKEN_BYTES));
    return `aW50ZXJhY3Rpb246${bytes.toString('base64url')}`;
  }

  guild(id: string): FakeGuild | undefined {
    return this.guilds.find((guild) => guild.id === id);
  }

  guildOfChannel(channelId: string): FakeGuild | undefined {
    return this.guilds.find((guild) => guild.channels.some((channel) => channel.id === channelId));
  }

  dmChannelFor(userId: string): string {
    let channelId = this.dmChannels.get(userId);
    if (channelId === undefined) {
      channelId = this.ids.next();
      this.dmChannels.set(userId, channelId);
    }
    return channelId;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with `check()`'s first non-undefined value, or undefined after `timeoutMs`. */
  waitFor<T>(check: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const first = check();
      if (first !== undefined) {
        resolve(first);
        return;
      }
      const finish = (value: T | undefined) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(value);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const unsubscribe = this.onChange(() => {
        const value = check();
        if (value !== undefined) finish(value);
      });
    });
  }
}

function defaultGuilds(shardCount: number): FakeGuild[] {
  // One guild per shard so every shard has something to serve.
  return Array.from({ length: shardCount }, (_, shard) => {
    const id = guildIdForShard(shard, shardCount, shard);
    return {
      id,
      name: `Fake Guild ${shard}`,
      locale: 'en-US',
      channels: [{ id: (BigInt(id) + 1n).toString(), name: 'general' }],
    };
  });
}
