// The local console: without a Discord token, `npm start` reads command lines (TTY or piped stdin)
// and drives the same router and handlers, printing each answer as text.
import { createInterface } from 'node:readline';
import { ComponentType } from 'discord-api-types/v10';
import { decodeCustomId } from '../interactions/customId.ts';
import type { Router } from '../interactions/router.ts';
import type { Interaction, Message, OptionValue, Person, Responder } from '../interactions/types.ts';
import { formatMessage } from './consoleFormat.ts';

export const CONSOLE_HELP = `Commands:
  /spacecraft search [query:<words>] [status:<1-4>] [in_space:true|false] [placeholder:true|false]
                     [config:<name or id>] [sort:<order>] [detail:normal|detailed]
       sort orders: flights_count, id, mission_ends_count, time_docked, time_in_space
                    (a leading "-" reverses: sort:-time_in_space is most time in space first)
  /spacecraft show name:<name or id>
  complete <option>:<text>   what autocomplete would offer (options: query, name, config)
  first | prev | next | last | open <n> | back   press the buttons of the last answer you can see
  as <user> <line>           act as another person (e.g. "as bob next": bob gets his own copy)
  help | quit`;

const OPTION = /(?:^|\s)([a-z_]+):/g;

/** `/spacecraft search query:soyuz tma sort:-time_in_space` → command parts. */
export function parseCommandLine(line: string): { command: string; subcommand: string | null; options: Record<string, OptionValue> } | null {
  const match = /^\/(\S+)(?:\s+([a-z_]+)(?=\s|$))?(.*)$/i.exec(line.trim());
  if (match === null) return null;
  match[1] = match[1]!.toLowerCase();
  if (match[2] !== undefined) match[2] = match[2].toLowerCase();
  const rest = match[3] ?? '';
  const options: Record<string, OptionValue> = {};
  const marks = [...rest.matchAll(OPTION)];
  marks.forEach((mark, i) => {
    const start = (mark.index ?? 0) + mark[0].length;
    const end = i + 1 < marks.length ? (marks[i + 1]!.index ?? rest.length) : rest.length;
    // quotes a person may type around a value are not part of it
    const raw = rest.slice(start, end).trim().replace(/^(["'“])(.*)(["'”])$/u, '$2');
    options[mark[1]!] = /^(true|false)$/.test(raw) ? raw === 'true' : /^\d{1,9}$/.test(raw) && mark[1] === 'status' ? Number(raw) : raw;
  });
  return { command: match[1]!, subcommand: match[2] ?? null, options };
}

export interface ConsoleOptions {
  router: Router;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  prompt?: boolean;
}

export async function runConsole({ router, input, output, prompt = false }: ConsoleOptions): Promise<void> {
  const write = (text: string): void => {
    output.write(`${text}\n`);
  };
  /**
   * The messages on screen, as each person sees them: public ones are everyone's, an ephemeral one
   * is its recipient's alone. Buttons are pressed on the last message the presser can see, and who
   * may page it is whoever it answers (Discord's interaction_metadata.user), as on Discord.
   */
  interface Shown {
    message: Message;
    owner: string;
    seen: number;
  }
  let seen = 0;
  let lastPublic: Shown | null = null;
  const lastEphemeral = new Map<string, Shown>();
  let sequence = 0;

  const show = (message: Message, owner: string): void => {
    // an ephemeral answer without buttons (an error, a notice) leaves the buttons above it to press
    if (message.components.length === 0 && message.ephemeral) return;
    const shown = { message, owner, seen: ++seen };
    if (message.ephemeral) lastEphemeral.set(owner, shown);
    else lastPublic = shown;
  };
  const currentFor = (user: Person): Shown | null => {
    const own = lastEphemeral.get(user.id) ?? null;
    if (own === null || lastPublic === null) return own ?? lastPublic;
    return own.seen > lastPublic.seen ? own : lastPublic;
  };

  /** The responder of one interaction by `user`; `target` is the message a button was pressed on. */
  const responder = (user: Person, target: Shown | null = null): Responder => {
    let deferredUpdate = false;
    const update = (m: Message) => {
      if (target === null) return show(m, user.id);
      // an edit does not move a message: it stays where it was among what each person sees
      target.message = m;
    };
    return {
      reply: async (m) => {
        show(m, user.id);
        write(formatMessage(m));
      },
      deferReply: async () => {
        write('(thinking…)');
      },
      editReply: async (m) => {
        if (deferredUpdate) update(m);
        else show(m, user.id);
        write(formatMessage(m));
      },
      update: async (m) => {
        update(m);
        write(formatMessage(m));
      },
      deferUpdate: async () => {
        deferredUpdate = true;
        write('(updating…)');
      },
      deleteReply: async () => {},
      followUp: async (m) => {
        show(m, user.id);
        write(formatMessage(m));
      },
      autocomplete: async (choices) => {
        write(choices.length === 0 ? '(no suggestions)' : choices.map((c) => `  ${c.name}  → ${c.value}`).join('\n'));
      },
    };
  };

  const press = (word: string, arg: string | undefined, user: Person): { interaction: Interaction; target: Shown } | string => {
    const target = currentFor(user);
    if (target === null) return 'Nothing to press yet: run a /spacecraft command first.';
    const current = target.message;
    const on = { interactionId: `console-${++sequence}`, user, messageEphemeral: current.ephemeral, messageOwnerId: target.owner };
    const components = current.components.flatMap((row) => row.components);
    if (word === 'open') {
      const menu = components.find((c) => c.type === ComponentType.StringSelect);
      if (menu === undefined || menu.type !== ComponentType.StringSelect) return 'There is no list to open from.';
      // the numbers the list shows (on page 2: 6–10), nothing else: "open 2" there would be ambiguous
      const n = Number(arg);
      const option = Number.isInteger(n) ? menu.options.find((o) => o.label.startsWith(`${n}.`)) : undefined;
      if (option === undefined) {
        const shown = menu.options.map((o) => /^(\d+)\./.exec(o.label)?.[1]).filter((x) => x !== undefined);
        return `Open which? Type "open" and a number this page shows (${shown.length > 1 ? `${shown[0]}–${shown[shown.length - 1]}` : shown.join('')}).`;
      }
      return { interaction: { kind: 'component', ...on, customId: menu.custom_id, values: [option.value] }, target };
    }
    const button = components.find((c) => c.type === ComponentType.Button && 'custom_id' in c && decodeCustomId(c.custom_id)?.action === word);
    if (button === undefined || button.type !== ComponentType.Button || !('custom_id' in button)) return `There is no "${word}" button on the last answer.`;
    if (button.disabled) return `"${word}" is not available here (already at that end).`;
    return { interaction: { kind: 'component', ...on, customId: button.custom_id, values: [] }, target };
  };

  const handleLine = async (raw: string): Promise<boolean> => {
    let line = raw.trim();
    let user: Person = { id: 'console', name: 'you' };
    const as = /^as\s+(\S+)\s+(.*)$/.exec(line);
    if (as !== null) {
      user = { id: `console-${as[1]}`, name: as[1]! };
      line = as[2]!.trim();
    }
    if (line === '' || line.startsWith('#')) return true;
    const lower = line.toLowerCase();
    if (lower === 'quit' || lower === 'exit') return false;
    if (lower === 'help') {
      write(CONSOLE_HELP);
      return true;
    }
    const complete = /^complete\s+([a-z_]+):(.*)$/.exec(line);
    if (complete !== null) {
      const focused = complete[1]!;
      const sub = focused === 'name' ? 'show' : 'search';
      await router.handle(
        { kind: 'autocomplete', interactionId: `console-${++sequence}`, user, command: 'spacecraft', subcommand: sub, options: { [focused]: complete[2]! }, focused: { name: focused, value: complete[2]! } },
        responder(user),
      );
      return true;
    }
    const buttonWord = /^(?:(first|prev|next|last|back)|(open)\s+(\d+)|(open))$/i.exec(line);
    if (buttonWord !== null) {
      const word = (buttonWord[1] ?? buttonWord[2] ?? buttonWord[4]!).toLowerCase();
      const pressed = press(word, buttonWord[3], user);
      if (typeof pressed === 'string') write(pressed);
      else await router.handle(pressed.interaction, responder(user, pressed.target));
      return true;
    }
    const parsed = parseCommandLine(line);
    if (parsed === null) {
      write(`I did not understand "${line.slice(0, 80)}". Type help for the commands.`);
      return true;
    }
    await router.handle({ kind: 'command', interactionId: `console-${++sequence}`, user, ...parsed }, responder(user));
    return true;
  };

  const rl = createInterface({ input, terminal: false });
  if (prompt) output.write('> ');
  for await (const line of rl) {
    const more = await handleLine(line);
    if (!more) break;
    if (prompt) output.write('> ');
  }
  rl.close();
}
