// When LL2 is slow, down or over quota, every interaction is still answered in time and says what
// happened. Each test gets its own fakes and bot (an empty store unless it syncs), so they run
// concurrently: most of their time is spent waiting on the slow fake.
import { describe, expect, it, type TestContext } from 'vitest';
import { fakeUser } from '../fakes/discord/index.ts';
import type { FakeMode } from '../fakes/ll2/server.ts';
import { deployCommands, startFakes, startTestBot, type Fakes, type StartTestBotOptions, type TestBot } from '../support/bot.ts';
import { component, componentsOf, expectAnswered, expectCleanTraffic, fieldsOf, footerOf, messageOf, ownerOf, pageOf, stateIdOf, titleOf } from './helpers.ts';

const ada = fakeUser('ada');
const bob = fakeUser('bob');
const LL2_LATENCY_MS = 4_000;

/** Fakes with a bot in front of them, for one test; stopped (bot first) when the test ends. */
async function world(context: TestContext, options: StartTestBotOptions = {}): Promise<Fakes> {
  const fakes = await startFakes();
  let bot: TestBot | undefined;
  context.onTestFinished(async () => {
    await bot?.stop();
    await fakes.close();
  });
  await deployCommands(fakes.discord);
  bot = await startTestBot(fakes, options);
  return fakes;
}

describe.concurrent('LL2 slower than Discord allows', () => {
  it('defers within 3 s and then edits in the answer when LL2 takes 4 s and nothing is stored yet', async (context) => {
    const fakes = await world(context);
    const { discord, ll2 } = fakes;
    // a first list while LL2 is quick, to open a card from later
    const quick = messageOf(await discord.slash(ada, 'spacecraft', 'search', { query: 'dragon' }));
    expect(footerOf(quick)).toMatch(/ · live from LL2$/);

    ll2.setLatency(LL2_LATENCY_MS);
    const slowOptions = { timeoutMs: 15_000 };
    const open = component(quick, 'open');
    // three wait on LL2 at once: a new search (deferred reply), the owner opening a card (deferred
    // update of the list) and someone else opening one (deferred, then an ephemeral follow-up)
    const [searched, opened, othersCard] = await Promise.all([
      discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' }, slowOptions),
      discord.select(quick.id, open.customId, [open.values[0]!], ada, slowOptions),
      // the fake settles a deferral on an edit of @original; a follow-up does not count, so this
      // one is read when its (shorter) wait ends
      discord.select(quick.id, open.customId, [open.values[1]!], bob, { timeoutMs: LL2_LATENCY_MS + 1_000 }),
    ]);

    for (const [result, deferral] of [
      [searched, 5],
      [opened, 6],
    ] as const) {
      const message = expectAnswered(result, deferral);
      const createdAt = discord.interactions.get(result.interactionId)?.createdAt ?? Number.NaN;
      const [first, edit, ...rest] = result.callbacks;
      expect(first?.body).toMatchObject({ type: deferral });
      expect((first?.at ?? Number.POSITIVE_INFINITY) - createdAt).toBeLessThan(3_000);
      expect(edit).toMatchObject({ method: 'PATCH', status: 200 });
      expect(edit?.path).toMatch(/\/messages\/@original$/);
      expect(rest).toEqual([]);
      expect(message?.ephemeral).toBe(false);
      expect(message?.flags).toBe(0);
      expect(message?.edits).toBeGreaterThanOrEqual(1);
    }

    expect(othersCard.type).toBe(6);
    expect(othersCard.errors).toEqual([]);
    const createdAt = discord.interactions.get(othersCard.interactionId)?.createdAt ?? Number.NaN;
    expect((othersCard.callbacks[0]?.at ?? Number.POSITIVE_INFINITY) - createdAt).toBeLessThan(3_000);
    expect(othersCard.followUps).toHaveLength(1);
    const bobsCard = othersCard.followUps[0];
    if (bobsCard === undefined) throw new Error('no follow-up for bob');
    expect(bobsCard.flags).toBe(64);
    expect(footerOf(bobsCard)).toBe(`#${open.values[1]} · live from LL2`);
    expect(component(bobsCard, 'back').target).toMatchObject({ stateId: stateIdOf(quick) });
    expect(ownerOf(bobsCard)).toBe(bob.id);

    const list = messageOf(searched);
    expect(titleOf(list)).toBe('Spacecraft · “soyuz”');
    expect(footerOf(list)).toMatch(/^page 1\/\d+ · \d+ results · live from LL2$/);
    expect(component(list, 'next').disabled).toBe(false);

    const card = messageOf(opened);
    expect(card.id).toBe(quick.id);
    expect(footerOf(card)).toBe(`#${open.values[0]} · live from LL2`);
    expect(componentsOf(card).map((c) => c.target?.action)).toEqual(['back']);

    // the next page of the slow search is cut from the block LL2 already sent: no wait, no deferral
    const before = ll2.requests.length;
    const next = await discord.click(list.id, component(list, 'next').customId, ada);
    expectAnswered(next, 7);
    expect(pageOf(next.message).page).toBe(2);
    expect(footerOf(next.message)).toMatch(/ · cached just now$/);
    expect(ll2.requests.length).toBe(before);
    expectCleanTraffic(discord, ll2);
  });
});

describe.concurrent('LL2 down', () => {
  it.for<FakeMode>(['down', 'error500', 'garbage'])('answers ephemerally that LL2 is not answering when it is %s and nothing is stored', async (mode, context) => {
    const fakes = await world(context);
    fakes.ll2.setMode(mode);
    const searched = await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' });
    expectAnswered(searched, 4);
    expect(searched.ephemeral).toBe(true);
    expect(searched.message?.content).toBe('⚠️ The spacecraft list is not loaded yet: Launch Library 2 is not answering. Try again in a few minutes.');

    const shown = await fakes.discord.slash(ada, 'spacecraft', 'show', { name: '9002' });
    expectAnswered(shown, 4);
    expect(shown.ephemeral).toBe(true);
    expect(shown.message?.content).toBe('⚠️ That spacecraft card cannot be loaded right now: Launch Library 2 is not answering. Try again in a few minutes.');
    expectCleanTraffic(fakes.discord, fakes.ll2);
  });

  it('keeps a late error ephemeral: LL2 failing after the bot had to defer is told to the user alone', async (context) => {
    const fakes = await world(context);
    // LL2 drops the connection only after the bot has deferred (deferAfterMs is 1.2 s)
    fakes.ll2.setLatency(1_600);
    fakes.ll2.setMode('down');
    const result = await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' }, { graceMs: 300 });
    expect(result.errors).toEqual([]);
    expect((result.callbacks[0]?.at ?? Number.POSITIVE_INFINITY) - (fakes.discord.interactions.get(result.interactionId)?.createdAt ?? Number.NaN)).toBeLessThan(3_000);

    const shown = [...fakes.discord.messages.values()].filter((m) => m.interactionId === result.interactionId && !m.deleted);
    const error = '⚠️ The spacecraft list is not loaded yet: Launch Library 2 is not answering. Try again in a few minutes.';
    // the user is told…
    expect(shown.map((m) => m.content)).toContain(error);
    // …but not the whole channel: errors are ephemeral (STYLE.md, one error boundary), late or not
    for (const message of shown) {
      if (message.content.startsWith('⚠️')) expect(message.ephemeral, `error shown publicly: ${message.content}`).toBe(true);
    }
    expectCleanTraffic(fakes.discord, fakes.ll2);
  });

  it('keeps answering from the synced catalogue, and says the data is older, when LL2 goes down', async (context) => {
    const fakes = await world(context, { sync: true });
    fakes.ll2.setMode('down');

    const list = messageOf(await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' }));
    expect(footerOf(list)).toMatch(/catalogue synced just now$/);

    const shown = await fakes.discord.slash(ada, 'spacecraft', 'show', { name: 'Soyuz MS-10' });
    const card = expectAnswered(shown, 4);
    expect(shown.ephemeral).toBe(false);
    expect(titleOf(card)).toBe('Soyuz MS-10');
    expect(footerOf(card)).toBe('#9002 · LL2 unreachable — data from moments ago');
    expect(fieldsOf(card).find((f) => f.name === 'Flights list')?.value).toBe('Flights will be available later.');
    expectCleanTraffic(fakes.discord, fakes.ll2);
  });
});

describe.concurrent('LL2 over quota', () => {
  it('answers ephemerally that the quota is used up, and when to try again, when nothing is stored', async (context) => {
    const fakes = await world(context);
    fakes.ll2.setQuota({ limit: 1, windowSecs: 3600 });
    // someone else on this address used the only request of the hour
    expect((await fetch(`${fakes.ll2.baseUrl}/spacecraft/?limit=1`)).status).toBe(200);

    const searched = await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' });
    expectAnswered(searched, 4);
    expect(searched.ephemeral).toBe(true);
    expect(searched.message?.content).toMatch(/^⚠️ The spacecraft list is not loaded yet: Launch Library 2's request quota is used up\. Try again in (\d+ h|\d+ h \d+ min|\d+ min)\.$/);
    expect(fakes.ll2.requests.filter((r) => r.status === 429)).toHaveLength(1);

    // the 429 taught the quota governor: the next try is refused locally, LL2 is not asked again
    const again = await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'dragon' });
    expectAnswered(again, 4);
    expect(again.message?.content).toMatch(/quota is used up\. Try again in /);
    expect(fakes.ll2.requests.filter((r) => r.path.endsWith('/spacecraft/') && r.status === 429)).toHaveLength(1);
    expectCleanTraffic(fakes.discord, fakes.ll2);
  });

  it('shows the catalogue record with an over-quota footer when LL2 refuses a card', async (context) => {
    const fakes = await world(context, { sync: true });
    // the sync spent what LL2 allows this hour
    fakes.ll2.setQuota({ limit: fakes.ll2.countedRequests(), windowSecs: 3600 });

    const shown = await fakes.discord.slash(ada, 'spacecraft', 'show', { name: 'Space Shuttle Discovery' });
    const card = expectAnswered(shown, 4);
    expect(shown.ephemeral).toBe(false);
    expect(titleOf(card)).toBe('Space Shuttle Discovery');
    expect(footerOf(card)).toBe('#9009 · LL2 over quota — data from moments ago');
    expect(fieldsOf(card).find((f) => f.name === 'Flights list')?.value).toMatch(/^Flights will be available in (\d+ h|\d+ h \d+ min|\d+ min)\.$/);
    expect(fakes.ll2.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expectCleanTraffic(fakes.discord, fakes.ll2);
  });
});
