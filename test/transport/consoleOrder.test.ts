// Console: a person's ephemeral copy stays the last message they can see when the public list
// above it is paged by its owner (on Discord an edit does not move a message down).
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Command, HandlerContext } from '../../src/interactions/context.ts';
import { encodeCustomId } from '../../src/interactions/customId.ts';
import { Router } from '../../src/interactions/router.ts';
import type { ComponentInteraction, Message } from '../../src/interactions/types.ts';
import { silentLogger } from '../../src/log.ts';
import { runConsole } from '../../src/transport/console.ts';

const list = (text: string, ephemeral: boolean): Message => ({
  content: text,
  embeds: [],
  components: [{ type: 1, components: [{ type: 2, style: 1, label: '▶', custom_id: encodeCustomId({ stateId: 'abcdefgh', action: 'next', value: 2 }) }] }],
  ephemeral,
});

async function drive(lines: string[], delayMs = 0) {
  const clicks: Array<{ clicker: string; on: string }> = [];
  let n = 0;
  const command: Command = {
    data: { name: 'spacecraft', description: 'x' },
    componentPrefix: 'sc',
    execute: async (i) => ({ kind: 'reply', message: list(`list by ${i.user.id}`, false) }),
    autocomplete: async () => ({ kind: 'choices', choices: [] }),
    component: async (i: ComponentInteraction) => {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      clicks.push({ clicker: i.user.id, on: i.messageEphemeral ? `copy of ${i.messageOwnerId}` : `public of ${i.messageOwnerId}` });
      const owner = i.messageEphemeral || i.messageOwnerId === i.user.id;
      return owner ? { kind: 'update', message: list(`paged ${++n}`, i.messageEphemeral) } : { kind: 'reply', message: list(`copy ${++n}`, true) };
    },
  };
  const router = new Router({ commands: [command], context: {} as HandlerContext, logger: silentLogger(), deferAfterMs: 20 });
  const output = new PassThrough();
  output.resume();
  await runConsole({ router, input: Readable.from(lines.map((l) => `${l}\n`)), output });
  return clicks;
}

describe('console: which message a person presses', () => {
  it.each([0, 60])('bob pages his own copy after the owner paged the public list (handler delay %i ms)', async (delayMs) => {
    const clicks = await drive(['/spacecraft search query:soyuz', 'as bob next', 'next', 'as bob next'], delayMs);
    expect(clicks).toEqual([
      { clicker: 'console-bob', on: 'public of console' },
      { clicker: 'console', on: 'public of console' },
      // bob's copy is still the last message bob sees: he pages it
      { clicker: 'console-bob', on: 'copy of console-bob' },
    ]);
  });
});
