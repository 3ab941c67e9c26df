// Public entry of the fake Discord: start it, play users against the real discord.js client.

export { startFakeDiscord, fakeUser, type FakeDiscord, type StartFakeDiscordOptions } from './fake-discord.ts';
export { guildIdForShard, shardOf } from './snowflake.ts';
export { formatPath } from './errors.ts';
export { LIMITS, MESSAGE_FLAGS } from './limits.ts';
export type { FakeClock } from './clock.ts';
export type { IdentifyRecord } from './gateway.ts';
export type { InteractionRecord } from './state.ts';
export type {
  AutocompleteChoice,
  CallbackType,
  Command,
  CommandOption,
  FakeChannel,
  FakeGuild,
  FakeMessage,
  FakeUser,
  InteractionOptions,
  InteractionResult,
  OptionValue,
  RecordedError,
  RecordedFile,
  RecordedRequest,
} from './types.ts';
