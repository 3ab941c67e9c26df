// Before and during the first catalogue sync: an exact name is not a "closest match", and a refusal
// says when to try again truthfully (an LL2 429 is not "in a minute"). Found by a review.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { Message, Responder } from '../../src/interactions/types.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { loadFixtureCatalogue } from '../fixtures/ll2/index.ts';
import { testApp } from '../support/app.ts';

let fake: FakeLl2;
const apps: App[] = [];
beforeEach(async () => {
  fake = await startFakeLl2();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  await fake.close();
});
async function app(): Promise<App> {
  const created = await testApp({ ll2BaseUrl: fake.baseUrl });
  apps.push(created);
  return created;
}
function capture(): { responder: Responder; sent: Message[] } {
  const sent: Message[] = [];
  const push = async (m: Message) => void sent.push(m);
  return { sent, responder: { reply: push, editReply: push, update: push, followUp: push, deferReply: async () => {}, deferUpdate: async () => {}, deleteReply: async () => {}, autocomplete: async () => {} } };
}

describe('show before the catalogue is loaded', () => {
  it('an exact name (as LL2 spells it) is not called a "closest match"', async () => {
    const bot = await app();
    expect(bot.catalogue.spacecraft).toBeNull();
    expect(await bot.service.resolve('Soyuz TMA-08M')).toMatchObject({ guessed: false });
  });
  it('the /spacecraft show answer has no "Closest match" text for the exact name', async () => {
    const bot = await app();
    const { responder, sent } = capture();
    await bot.router.handle({ kind: 'command', interactionId: '1', user: { id: 'u1', name: 'ada' }, command: 'spacecraft', subcommand: 'show', options: { name: 'Soyuz TMA-08M' } }, responder);
    expect(sent[0]?.embeds[0]?.title).toBe('Soyuz TMA-08M');
    expect(sent[0]?.content).toBeUndefined();
  });
});

describe('refusals during the first sync', () => {
  it('an LL2 429 (Retry-After ~1 h) met during the first sync is not "try again in a minute"', async () => {
    fake.setQuota({ limit: 15, windowSecs: 3600 });
    // someone else on this IP/key already used 14 of LL2's 15 (the bot's ledger cannot know)
    for (let i = 0; i < 14; i++) await fetch(`${fake.baseUrl}/config/spacecraft_statuses/`);
    fake.setLatency(100);
    const bot = await app();
    const first = bot.refresher.tick();
    await new Promise((r) => setTimeout(r, 20));
    expect(bot.catalogue.syncing.has('spacecraft')).toBe(true);
    const id = loadFixtureCatalogue().spacecraft[0]!.id;
    const refused = await bot.service.show(id).then(() => null, (e: Error & { retryAfterSecs: number | null }) => e);
    await first;
    expect(fake.requests.some((r) => r.status === 429)).toBe(true);
    expect(bot.catalogue.spacecraft).toBeNull(); // the first sync failed: nothing loads within a minute
    expect(refused?.message).not.toMatch(/Try again in a minute/);
    expect(refused?.retryAfterSecs).toBeGreaterThan(3000);
  });
});
