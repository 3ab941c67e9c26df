// A plain Responder that remembers what the router answered, for in-process replays.
import type { Message, Responder } from '../../src/interactions/types.ts';

export interface Captured {
  calls: Array<'reply' | 'deferReply' | 'editReply' | 'update' | 'deferUpdate' | 'followUp' | 'deleteReply' | 'autocomplete'>;
  /** The last message shown (reply, update, edit or follow-up). */
  message: Message | null;
  /** Whether that message replaced the clicked one (update / edit after a deferred update). */
  updated: boolean;
  choices: Array<{ name: string; value: string }> | null;
}

export function capturingResponder(): { responder: Responder; captured: Captured } {
  const captured: Captured = { calls: [], message: null, updated: false, choices: null };
  const show = (message: Message, updated: boolean) => {
    captured.message = message;
    captured.updated = updated;
  };
  const responder: Responder = {
    reply: async (m) => {
      captured.calls.push('reply');
      show(m, false);
    },
    deferReply: async () => {
      captured.calls.push('deferReply');
    },
    editReply: async (m) => {
      captured.calls.push('editReply');
      show(m, captured.calls.includes('deferUpdate'));
    },
    update: async (m) => {
      captured.calls.push('update');
      show(m, true);
    },
    deferUpdate: async () => {
      captured.calls.push('deferUpdate');
    },
    followUp: async (m) => {
      captured.calls.push('followUp');
      show(m, false);
    },
    deleteReply: async () => {
      captured.calls.push('deleteReply');
    },
    autocomplete: async (choices) => {
      captured.calls.push('autocomplete');
      captured.choices = choices;
    },
  };
  return { responder, captured };
}

/** A Responder that does nothing: for timing the router alone. */
export const silentResponder: Responder = {
  reply: async () => {},
  deferReply: async () => {},
  editReply: async () => {},
  update: async () => {},
  deferUpdate: async () => {},
  followUp: async () => {},
  deleteReply: async () => {},
  autocomplete: async () => {},
};

export type Verdict = 'ok' | 'degraded' | 'failed' | 'empty';

const DEGRADED_FOOTER = /LL2 over quota|LL2 unreachable/;
const FLIGHTS_LATER = /Flights will be available/;

/** What the person got: a normal answer, older data with a retry time, an error, or no suggestions. */
export function verdictOf(message: Message | null, choices: Captured['choices']): Verdict {
  if (choices !== null) return choices.length === 0 ? 'empty' : 'ok';
  if (message === null) return 'failed';
  if (message.content?.startsWith('⚠️') === true) return 'failed';
  const embed = message.embeds[0];
  if (embed === undefined) return 'ok';
  if (DEGRADED_FOOTER.test(embed.footer?.text ?? '')) return 'degraded';
  if ((embed.fields ?? []).some((f) => FLIGHTS_LATER.test(f.value))) return 'degraded';
  return 'ok';
}

/** The retry hint a degraded answer shows ("Flights will be available in 23 min."), if any. */
export function retryHintOf(message: Message | null): string | null {
  const field = message?.embeds[0]?.fields?.find((f) => FLIGHTS_LATER.test(f.value));
  return field?.value ?? null;
}
