import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import type { Command, HandlerContext } from '../../src/interactions/context.ts';
import { Router } from '../../src/interactions/router.ts';
import type { Interaction, Message, Outcome, Responder } from '../../src/interactions/types.ts';
import { silentLogger } from '../../src/log.ts';

const message = (text: string): Message => ({ content: text, embeds: [], components: [], ephemeral: false });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recorder() {
  const calls: Array<[string, unknown?]> = [];
  const responder: Responder = {
    reply: async (m) => void calls.push(['reply', m]),
    deferReply: async (e) => void calls.push(['deferReply', e]),
    editReply: async (m) => void calls.push(['editReply', m]),
    update: async (m) => void calls.push(['update', m]),
    deferUpdate: async () => void calls.push(['deferUpdate']),
    followUp: async (m) => void calls.push(['followUp', m]),
    deleteReply: async () => void calls.push(['deleteReply']),
    autocomplete: async (c) => void calls.push(['autocomplete', c]),
  };
  return { calls, responder };
}

function routerWith(behaviour: (i: Interaction) => Promise<Outcome>, deferAfterMs = 50) {
  const command: Command = {
    data: { name: 'spacecraft', description: 'x' },
    componentPrefix: 'sc1:',
    execute: (i) => behaviour(i),
    autocomplete: (i) => behaviour(i),
    component: (i) => behaviour(i),
  };
  return new Router({ commands: [command], context: {} as HandlerContext, logger: silentLogger(), deferAfterMs });
}

const slash: Interaction = { kind: 'command', interactionId: '1', user: { id: 'u', name: 'u' }, command: 'spacecraft', subcommand: 'search', options: {} };
const click: Interaction = { kind: 'component', interactionId: '2', user: { id: 'u', name: 'u' }, customId: 'sc1:abcdefgh:next:2', values: [], messageEphemeral: false, messageOwnerId: 'u' };

describe('the router', () => {
  it('answers a quick handler directly, without deferring', async () => {
    const { calls, responder } = recorder();
    await routerWith(async () => ({ kind: 'reply', message: message('hi') })).handle(slash, responder);
    expect(calls.map((c) => c[0])).toEqual(['reply']);
  });

  it('defers a slow command, then edits the deferred reply', async () => {
    const { calls, responder } = recorder();
    await routerWith(async () => {
      await sleep(120);
      return { kind: 'reply', message: message('late') };
    }).handle(slash, responder);
    expect(calls.map((c) => c[0])).toEqual(['deferReply', 'editReply']);
    expect((calls[1]![1] as Message).content).toBe('late');
  });

  it('defers a slow click as an update, and sends someone else’s copy as an ephemeral follow-up', async () => {
    const slowUpdate = recorder();
    await routerWith(async () => (await sleep(120), { kind: 'update', message: message('page 2') })).handle(click, slowUpdate.responder);
    expect(slowUpdate.calls.map((c) => c[0])).toEqual(['deferUpdate', 'editReply']);

    const slowCopy = recorder();
    await routerWith(async () => (await sleep(120), { kind: 'reply', message: { ...message('your copy'), ephemeral: true } })).handle(click, slowCopy.responder);
    expect(slowCopy.calls.map((c) => c[0])).toEqual(['deferUpdate', 'followUp']);
    expect((slowCopy.calls[1]![1] as Message).ephemeral).toBe(true);
  });

  it('turns a user error into an ephemeral message with its text', async () => {
    const { calls, responder } = recorder();
    await routerWith(async () => {
      throw new UserError('Pick one of the offered choices.');
    }).handle(slash, responder);
    expect(calls).toEqual([['reply', { content: '⚠️ Pick one of the offered choices.', embeds: [], components: [], ephemeral: true }]]);
  });

  it('answers a bug with a short generic message that reveals nothing', async () => {
    const { calls, responder } = recorder();
    await routerWith(async () => {
      throw new TypeError('secret internals at /srv/app.ts:12');
    }).handle(slash, responder);
    const sent = calls[0]![1] as Message;
    expect(sent.ephemeral).toBe(true);
    expect(sent.content).toMatch(/Something went wrong on our side/);
    expect(sent.content).not.toMatch(/secret|srv/);
  });

  it('answers autocomplete with no choices when its handler fails', async () => {
    const { calls, responder } = recorder();
    const typing: Interaction = { kind: 'autocomplete', interactionId: '3', user: { id: 'u', name: 'u' }, command: 'spacecraft', subcommand: 'show', options: {}, focused: { name: 'name', value: 'x' } };
    await routerWith(async () => {
      throw new Error('index broken');
    }).handle(typing, responder);
    expect(calls).toEqual([['autocomplete', []]]);
  });

  it('does not crash when the transport refuses the answer', async () => {
    const { responder } = recorder();
    responder.reply = async () => {
      throw new Error('10062 Unknown interaction');
    };
    await expect(routerWith(async () => ({ kind: 'reply', message: message('x') })).handle(slash, responder)).resolves.toBeUndefined();
  });
});

describe('the router with a slow failing handler', () => {
  it('keeps a late error private: removes the public deferred reply and answers ephemerally', async () => {
    const { calls, responder } = recorder();
    await routerWith(async () => {
      await sleep(120);
      throw new UserError('LL2 is not answering.');
    }).handle(slash, responder);
    expect(calls.map((c) => c[0])).toEqual(['deferReply', 'deleteReply', 'followUp']);
    expect((calls[2]![1] as Message).ephemeral).toBe(true);
  });
});
