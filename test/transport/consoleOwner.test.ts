// Console: a slow answer (deferred, then delivered by editReply) answers whoever ran the command, and
// nobody else: the owner pages it, anyone else gets a copy (a review found the owner locked out).
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Command, HandlerContext } from '../../src/interactions/context.ts';
import { encodeCustomId } from '../../src/interactions/customId.ts';
import { Router } from '../../src/interactions/router.ts';
import type { ComponentInteraction, Message } from '../../src/interactions/types.ts';
import { silentLogger } from '../../src/log.ts';
import { runConsole } from '../../src/transport/console.ts';

const list = (text: string): Message => ({
  content: text,
  embeds: [],
  components: [{ type: 1, components: [{ type: 2, style: 1, label: '▶', custom_id: encodeCustomId({ stateId: 'abcdefgh', action: 'next', value: 2 }) }] }],
  ephemeral: false,
});

describe('console owner after a deferred answer', () => {
  it('the person whose slow search was deferred is the owner of the list it shows', async () => {
    const clicks: Array<{ clicker: string; owner: string | null }> = [];
    const command: Command = {
      data: { name: 'spacecraft', description: 'x' },
      componentPrefix: 'sc',
      execute: async (i) => {
        if (i.options.query === 'slow') await new Promise((r) => setTimeout(r, 80));
        return { kind: 'reply', message: list(`list by ${i.user.id}`) };
      },
      autocomplete: async () => ({ kind: 'choices', choices: [] }),
      component: async (i: ComponentInteraction) => {
        clicks.push({ clicker: i.user.id, owner: i.messageOwnerId });
        return { kind: 'update', message: list('paged') };
      },
    };
    const router = new Router({ commands: [command], context: {} as HandlerContext, logger: silentLogger(), deferAfterMs: 20 });
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => (text += d.toString()));
    await runConsole({
      router,
      input: Readable.from(['as bob /spacecraft search query:fast\n', '/spacecraft search query:slow\n', 'next\n', 'as bob next\n']),
      output,
    });
    expect(text).toContain('(thinking…)');
    // the default user's deferred list answers the default user ('console'), not bob
    expect(clicks).toEqual([
      { clicker: 'console', owner: 'console' },
      { clicker: 'console-bob', owner: 'console' },
    ]);
  });
});
