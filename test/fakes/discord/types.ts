// Shapes shared by the fake Discord's REST side, gateway side and test API.
// Wire data stays loosely typed (`JsonObject`): the fake validates it the way Discord does
// instead of trusting a static type.

export type JsonObject = Record<string, unknown>;

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
  discriminator?: string;
  avatar?: string | null;
  bot?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: FakeChannel[];
  locale: string;
}

/** One HTTP request the fake received, with what it answered. */
export interface RecordedRequest {
  method: string;
  /** Decoded path after `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON (or the `payload_json` part of a multipart body), raw text otherwise, undefined when empty. */
  body: unknown;
  files: RecordedFile[];
  /** Whether an `Authorization` header was sent. */
  authorized: boolean;
  /** Fake clock time when the request arrived. */
  at: number;
  status: number;
  response: unknown;
  /** Set when the fake answered with a Discord error. */
  error?: RecordedError;
  /** The interaction this request belongs to (callback or webhook token routes). */
  interactionId?: string;
}

export interface RecordedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
}

export interface RecordedError {
  code: number;
  message: string;
  /** Flattened field paths for 50035, e.g. `data.embeds[0].fields[3].value`. */
  paths: string[];
}

/** A message as Discord would return it, plus bookkeeping the fake adds (listed after `// extras`). */
export interface FakeMessage extends JsonObject {
  id: string;
  type: number;
  channel_id: string;
  content: string;
  embeds: JsonObject[];
  components: JsonObject[];
  attachments: JsonObject[];
  flags: number;
  author: JsonObject;
  timestamp: string;
  edited_timestamp: string | null;
  // extras
  ephemeral: boolean;
  /** The interaction whose token created it, if any. */
  interactionId: string | null;
  /** `allowed_mentions` as last sent for this message (undefined when never sent). */
  allowed_mentions: unknown;
  /** Number of successful edits (PATCH, type 7 update, edits after a type 6 deferral). */
  edits: number;
  deleted: boolean;
}

export interface CommandOption extends JsonObject {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string | number }[];
  options?: CommandOption[];
}

/** An application command as the fake stored and returned it. */
export interface Command extends JsonObject {
  id: string;
  application_id: string;
  version: string;
  type: number;
  name: string;
  description: string;
  options?: CommandOption[];
  guild_id?: string;
}

export type CallbackType = 4 | 5 | 6 | 7 | 8 | 9;

export interface AutocompleteChoice {
  name: string;
  value: string | number;
}

/** A settled view of what the bot did for one interaction. */
export interface InteractionResult {
  interactionId: string;
  token: string;
  /** Every REST call made with this interaction's id or token, in arrival order. */
  callbacks: RecordedRequest[];
  /** The accepted callback type, null when none was accepted. */
  type: CallbackType | null;
  /** The final visible message: reply, deferred original after its edit, or the updated component message. */
  message?: FakeMessage;
  followUps: FakeMessage[];
  ephemeral: boolean;
  choices?: AutocompleteChoice[];
  modal?: JsonObject;
  /** The first Discord error the bot got for this interaction. */
  error?: { status: number; code: number };
  errors: { status: number; code: number; message: string; paths: string[] }[];
  /** False when nothing settled the interaction before the timeout. */
  settled: boolean;
  /** Shard ids the INTERACTION_CREATE was delivered to. */
  deliveredTo: number[];
}

export type OptionValue = string | number | boolean;

export interface InteractionOptions {
  guildId?: string;
  channelId?: string;
  /** Send as a DM with the bot (no guild, no member). */
  dm?: boolean;
  locale?: string;
  /** Member permissions bitfield as a decimal string. */
  memberPermissions?: string;
  timeoutMs?: number;
  graceMs?: number;
  /** Also settle on the first Discord error (for tests that expect a rejected answer). */
  settleOnError?: boolean;
  /**
   * false: the result has no `message` and an empty `followUps` (no deep copies of the answer). For load
   * drivers that only look at `settled`, `type` and `errors`; the fake still checks every answer.
   */
  copyMessages?: boolean;
}
