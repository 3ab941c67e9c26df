// One drawn list page per query, page and second, for everyone who asks: the cache on its own, and
// through the real app (router, service, synced catalogue from the fake LL2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingResponder } from '../../bench/lib/responder.ts';
import type { App } from '../../src/app.ts';
import { AnswerCache } from '../../src/interactions/answerCache.ts';
import { callbackJson, editBody, messageBody, type Interaction, type Message } from '../../src/interactions/types.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { testApp, testClock } from '../support/app.ts';

const message = (text: string): Message => ({ content: text, embeds: [{ title: `“${text}” 🛰️` }], components: [], ephemeral: false });

describe('the answer cache', () => {
  it('gives back a page only within the second it was drawn, and only from the same basis', () => {
    const clock = testClock(Date.parse('2026-12-03T12:00:00.100Z'));
    const cache = new AnswerCache(clock.now);
    const basis = [{}, {}, {}, true];
    expect(cache.get('a:1:p', basis)).toBeUndefined();
    const kept = cache.set('a:1:p', basis, message('a'));
    expect(Object.isFrozen(kept)).toBe(true);
    clock.advance(899);
    expect(cache.get('a:1:p', basis)).toBe(kept);
    expect(cache.get('a:1:p', [...basis])).toBe(kept); // element by element, not the array itself
    expect(cache.get('a:1:p', [basis[0], basis[1], {}, true])).toBeUndefined(); // another statuses version
    expect(cache.get('a:1:p', [basis[0], basis[1], basis[2], false])).toBeUndefined(); // the store stopped answering
    expect(cache.get('a:2:p', basis)).toBeUndefined();
    clock.advance(1); // 12:00:01.000
    expect(cache.get('a:1:p', basis)).toBeUndefined();
    expect(cache.stats).toEqual({ hits: 2, misses: 5 });
  });

  it('keeps at most its bound of pages in one second', () => {
    const clock = testClock();
    const cache = new AnswerCache(clock.now, 3);
    const basis = [1];
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, basis, message(key));
    expect(['a', 'b', 'c', 'd'].map((key) => cache.get(key, basis)?.content)).toEqual(['a', 'b', 'c', undefined]);
  });

  it('encodes a shared (frozen) message once, and every message as JSON.stringify would', () => {
    const shared = Object.freeze(message('shared'));
    const reply = callbackJson('reply', shared);
    expect(callbackJson('reply', shared)).toBe(reply);
    expect(reply.toString('utf8')).toBe(JSON.stringify({ type: 4, data: messageBody(shared) }));
    expect(callbackJson('update', shared).toString('utf8')).toBe(JSON.stringify({ type: 7, data: editBody(shared) }));
    const own = { ...message('own'), ephemeral: true };
    expect(callbackJson('reply', own)).not.toBe(callbackJson('reply', own));
    expect(JSON.parse(callbackJson('reply', own).toString('utf8'))).toEqual({ type: 4, data: { ...messageBody(own), flags: 64 } });
  });
});

describe('list pages through the app', () => {
  const clock = testClock(Date.parse('2026-12-03T12:00:00.000Z'));
  let fake: FakeLl2;
  let app: App;

  beforeAll(async () => {
    fake = await startFakeLl2({ quota: { limit: 15, windowSecs: 3600 }, now: clock.now });
    app = await testApp({ ll2BaseUrl: fake.baseUrl, now: clock.now, env: { CATALOGUE_REFRESH_MINUTES: '360' } });
    await app.refresher.tick();
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  let sequence = 0;
  async function search(user: string, query: string): Promise<Message> {
    const interaction: Interaction = { kind: 'command', interactionId: `i${++sequence}`, user: { id: user, name: user }, command: 'spacecraft', subcommand: 'search', options: { query } };
    const { responder, captured } = capturingResponder();
    await app.router.handle(interaction, responder);
    if (captured.message === null) throw new Error(`no answer to ${query}`);
    return captured.message;
  }

  it('draws a search once a second for everyone who runs it, and again when the second or the catalogue changes', async () => {
    const ada = await search('ada', 'soyuz');
    const bob = await search('bob', 'soyuz');
    expect(bob).toBe(ada);
    expect(await search('bob', 'dragon')).not.toBe(ada);

    clock.advance(1_000);
    const later = await search('ada', 'soyuz');
    expect(later).not.toBe(ada);
    expect(later).toEqual(ada); // nothing it shows changed in one second

    // a new catalogue version (the 6-hourly refresh), in the same second as a page drawn from the old one
    clock.advance(6 * 3_600_000);
    const before = await search('ada', 'soyuz');
    const oldVersion = app.catalogue.spacecraft;
    await app.refresher.tick();
    expect(app.catalogue.spacecraft).not.toBe(oldVersion);
    const after = await search('bob', 'soyuz');
    expect(after).not.toBe(before);
    expect(after.embeds[0]?.title).toBe(before.embeds[0]?.title);
  });
});
