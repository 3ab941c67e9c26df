// The plain interaction model every transport (gateway, HTTP endpoint, console) maps onto.
import { EPHEMERAL_FLAG } from '../render/limits.ts';
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';

export interface Person {
  id: string;
  name: string;
}

export type OptionValue = string | number | boolean;

interface Base {
  interactionId: string;
  user: Person;
}

export interface CommandInteraction extends Base {
  kind: 'command';
  command: string;
  subcommand: string | null;
  options: Record<string, OptionValue>;
}

export interface AutocompleteInteraction extends Base {
  kind: 'autocomplete';
  command: string;
  subcommand: string | null;
  options: Record<string, OptionValue>;
  focused: { name: string; value: string };
}

export interface ComponentInteraction extends Base {
  kind: 'component';
  customId: string;
  values: string[];
  /** Whether the message holding the component is ephemeral (only its viewer can click it). */
  messageEphemeral: boolean;
  /**
   * Who the message holding the component answers: the user of the interaction that made it (for
   * our lists, who ran the command), as Discord records it in the message's interaction_metadata;
   * null when not known.
   */
  messageOwnerId: string | null;
}

export type Interaction = CommandInteraction | AutocompleteInteraction | ComponentInteraction;

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** A message as plain data; transports turn it into API bodies. */
export interface Message {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  ephemeral: boolean;
}

export type Outcome =
  | { kind: 'reply'; message: Message }
  | { kind: 'update'; message: Message }
  | { kind: 'choices'; choices: Array<{ name: string; value: string }> };

/** What a transport can do with one interaction; the router decides which, and when. */
export interface Responder {
  reply(message: Message): Promise<void>;
  deferReply(ephemeral: boolean): Promise<void>;
  editReply(message: Message): Promise<void>;
  update(message: Message): Promise<void>;
  deferUpdate(): Promise<void>;
  followUp(message: Message): Promise<void>;
  /** Removes the (deferred) original reply. */
  deleteReply(): Promise<void>;
  autocomplete(choices: Array<{ name: string; value: string }>): Promise<void>;
}

/** Discord's body for a new message (reply, follow-up): mentions never parsed, the ephemeral flag when asked. */
export function messageBody(message: Message) {
  return {
    ...(message.content === undefined ? {} : { content: message.content }),
    embeds: message.embeds,
    components: message.components,
    allowed_mentions: { parse: [] as never[] },
    ...(message.ephemeral ? { flags: EPHEMERAL_FLAG } : {}),
  };
}

/**
 * Discord's body for an edit (update, editReply): every part replaced, so text the message had is
 * cleared when the new one has none; no flags, since an edit cannot change whether it is ephemeral.
 */
export function editBody(message: Message) {
  return { content: message.content ?? '', embeds: message.embeds, components: message.components, allowed_mentions: { parse: [] as never[] } };
}

const callbackBodies = new WeakMap<Message, { reply?: Buffer; update?: Buffer }>();

/**
 * The interaction callback that answers with `message` (type 4, a new message; type 7, the clicked
 * message updated), as the JSON bytes sent. A frozen message is one shared by many answers (see
 * answerCache.ts): its bytes are made once and reused; any other message is encoded each time.
 */
export function callbackJson(kind: 'reply' | 'update', message: Message): Buffer {
  const shared = Object.isFrozen(message);
  const known = shared ? callbackBodies.get(message)?.[kind] : undefined;
  if (known !== undefined) return known;
  const body = kind === 'reply' ? { type: 4, data: messageBody(message) } : { type: 7, data: editBody(message) };
  const bytes = Buffer.from(JSON.stringify(body));
  if (shared) callbackBodies.set(message, { ...callbackBodies.get(message), [kind]: bytes });
  return bytes;
}
