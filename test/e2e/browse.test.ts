// Every everyday flow of /spacecraft through the strict fake Discord, with the real discord.js
// client in the bot and the fake LL2 behind it; the catalogue is synced first, so answers are local.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeUser, type FakeMessage } from '../fakes/discord/index.ts';
import { loadFixtureCatalogue } from '../fixtures/ll2/index.ts';
import { deployCommands, startFakes, startTestBot, type Fakes, type TestBot } from '../support/bot.ts';
import {
  component,
  componentsOf,
  expectAnswered,
  expectCleanTraffic,
  expectValidChoices,
  expectWithinLimits,
  fieldsOf,
  footerOf,
  messageOf,
  pageOf,
  ownerOf,
  postMessage,
  editComponents,
  stateIdOf,
  titleOf,
} from './helpers.ts';

const ada = fakeUser('ada');
const bob = fakeUser('bob');

let fakes: Fakes;
let bot: TestBot;

beforeAll(async () => {
  fakes = await startFakes();
  await deployCommands(fakes.discord);
  bot = await startTestBot(fakes, { sync: true });
});

afterAll(async () => {
  await bot?.stop();
  await fakes?.close();
});

async function search(options: Record<string, string | number | boolean>, user = ada): Promise<FakeMessage> {
  const result = await fakes.discord.slash(user, 'spacecraft', 'search', options);
  expectAnswered(result, 4);
  return messageOf(result);
}

async function click(message: FakeMessage | string, action: string, user = ada) {
  const id = typeof message === 'string' ? message : message.id;
  const current = fakes.discord.message(id);
  if (current === undefined) throw new Error(`unknown message ${id}`);
  return fakes.discord.click(id, component(current, action).customId, user);
}

/** Numbers of the list entries shown ("6. Soyuz …" → 6). */
const entryNumbers = (message: FakeMessage | undefined) => fieldsOf(message).map((f) => Number(/^(\d+)\. /.exec(f.name)?.[1]));

describe('/spacecraft search', () => {
  it('lists every spacecraft when given no options at all (Discord then sends no options key)', async () => {
    const message = await search({});
    expect(titleOf(message)).toBe('Spacecraft');
    expect(footerOf(message)).toMatch(new RegExp(`^page 1/\\d+ · ${loadFixtureCatalogue().spacecraft.length} results`));
  });

  it('answers with one embed of five results, a select menu for them and page buttons', async () => {
    const message = await search({ query: 'soyuz' });
    expect(message.type).toBe(20);
    expect(message.ephemeral).toBe(false);
    expect(message.embeds).toHaveLength(1);
    expect(titleOf(message)).toBe('Spacecraft · “soyuz”');
    const fields = fieldsOf(message);
    expect(fields).toHaveLength(5);
    for (const [i, f] of fields.entries()) expect(f.name).toMatch(new RegExp(`^${i + 1}\\. .*soyuz`, 'i'));
    const { page, pages, count } = pageOf(message);
    expect(page).toBe(1);
    expect(count).toBeGreaterThan(5);
    expect(pages).toBe(Math.ceil(count / 5));
    expect(footerOf(message)).toMatch(/catalogue synced just now$/);

    const [select, ...buttons] = componentsOf(message);
    expect(select?.type).toBe(3);
    expect(select?.target).toMatchObject({ action: 'open', value: 1 });
    expect(select?.values).toHaveLength(5);
    for (const value of select?.values ?? []) expect(value).toMatch(/^\d+$/);
    expect(buttons.map((b) => [b.target?.action, b.target?.value, b.disabled])).toEqual([
      ['first', 1, true],
      ['prev', 1, true],
      ['page', 1, true],
      ['next', 2, false],
      ['last', pages, false],
    ]);
    expect(buttons[2]?.label).toBe(`1 / ${pages}`);
    expect(stateIdOf(message)).toMatch(/^[A-Za-z0-9]{12}$/);
    expectWithinLimits(message);
  });

  it('combines filters and a sort order, and says which in the title', async () => {
    const message = await search({ status: 1, in_space: true, sort: '-time_in_space' });
    expect(titleOf(message)).toBe('Spacecraft · Active · in space now · most time in space first');
    const fields = fieldsOf(message);
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) expect(f.value).toMatch(/^🛰️ \*\*in space now\*\* · 🟢 Active/);
  });

  it('works in a direct message with the bot as well', async () => {
    const result = await fakes.discord.slash(ada, 'spacecraft', 'search', {}, { dm: true });
    const message = expectAnswered(result, 4);
    expect(titleOf(message)).toBe('Spacecraft');
    expect(pageOf(message).count).toBe(loadFixtureCatalogue().spacecraft.length);
    const next = await fakes.discord.click(messageOf(result).id, component(messageOf(result), 'next').customId, ada, { dm: true });
    expectAnswered(next, 7);
    expect(pageOf(next.message).page).toBe(2);
  });

  it('says so, without components, when nothing matches', async () => {
    const message = await search({ query: 'no such spacecraft qqq' });
    expect(titleOf(message)).toBe('No spacecraft found');
    expect(String(message.embeds[0]?.['description'])).toContain('“no such spacecraft qqq”');
    expect(message.components).toEqual([]);
  });

  it('pages with next, previous, first and last, disabling the buttons at either end', async () => {
    const message = await search({ query: 'soyuz' });
    const { pages, count } = pageOf(message);
    const stateId = stateIdOf(message);

    const next = await click(message, 'next');
    expectAnswered(next, 7);
    expect(next.message?.id).toBe(message.id);
    expect(pageOf(next.message).page).toBe(2);
    expect(entryNumbers(next.message)).toEqual([6, 7, 8, 9, 10]);
    expect(component(messageOf(next), 'first').disabled).toBe(false);
    expect(component(messageOf(next), 'prev')).toMatchObject({ disabled: false, target: { value: 1 } });
    expect(component(messageOf(next), 'next')).toMatchObject({ disabled: false, target: { value: 3 } });
    expect(stateIdOf(messageOf(next))).toBe(stateId);

    const last = await click(message, 'last');
    expectAnswered(last, 7);
    expect(pageOf(last.message).page).toBe(pages);
    expect(entryNumbers(last.message)).toEqual(Array.from({ length: count - (pages - 1) * 5 }, (_, i) => (pages - 1) * 5 + i + 1));
    expect(component(messageOf(last), 'next').disabled).toBe(true);
    expect(component(messageOf(last), 'last').disabled).toBe(true);
    expect(component(messageOf(last), 'prev').disabled).toBe(false);

    const prev = await click(message, 'prev');
    expectAnswered(prev, 7);
    expect(pageOf(prev.message).page).toBe(pages - 1);

    const first = await click(message, 'first');
    expectAnswered(first, 7);
    expect(pageOf(first.message).page).toBe(1);
    expect(component(messageOf(first), 'first').disabled).toBe(true);
    expect(component(messageOf(first), 'prev').disabled).toBe(true);
    expect(fieldsOf(first.message)).toEqual(fieldsOf(message));
    // the fake refuses clicks on disabled buttons, as Discord's client never sends them
    await expect(click(message, 'prev')).rejects.toThrow(/disabled/);

    expect(fakes.discord.message(message.id)?.edits).toBe(4);
  });

  it('keeps the buttons working after the command\'s own token has expired (15 min on the fake clock)', async () => {
    const result = await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'cygnus' });
    const message = messageOf(result);
    fakes.discord.clock.advance(20 * 60 * 1000);
    // every click is a new interaction with a fresh token; nothing reuses the old one
    const next = await click(message, 'next');
    expectAnswered(next, 7);
    expect(pageOf(next.message).page).toBe(2);
    expect(next.callbacks.every((c) => !c.path.includes(result.token))).toBe(true);
  });

  it('opens a card from the select menu and goes back to the same page', async () => {
    const message = await search({ query: 'soyuz' });
    const onPage2 = messageOf(await click(message, 'next'));
    const select = component(onPage2, 'open');
    expect(select.target?.value).toBe(2);
    const pick = select.values[1]!;
    const pickedName = fieldsOf(onPage2)[1]!.name.replace(/^\d+\. /, '');
    const ll2Before = fakes.ll2.requests.length;

    const opened = await fakes.discord.select(message.id, select.customId, [pick], ada);
    expectAnswered(opened, 7);
    const card = messageOf(opened);
    expect(card.id).toBe(message.id);
    expect(titleOf(card)).toBe(pickedName);
    expect(footerOf(card)).toBe(`#${pick} · live from LL2`);
    expect(fieldsOf(card).map((f) => f.name)).toEqual(expect.arrayContaining(['Status', 'Where', 'Time in space', 'Flights', 'Configuration']));
    expect(componentsOf(card).map((c) => c.target)).toEqual([{ stateId: stateIdOf(message), action: 'back', value: 2 }]);
    expect(fakes.ll2.requests.slice(ll2Before).map((r) => r.path)).toEqual([`/2.3.0/spacecraft/${pick}/`]);
    expectWithinLimits(card);

    const back = await click(message, 'back');
    expectAnswered(back, 7);
    expect(pageOf(back.message).page).toBe(2);
    expect(fieldsOf(back.message)).toEqual(fieldsOf(onPage2));
    expect(back.message?.components).toEqual(onPage2.components);
  });
});

describe('autocomplete', () => {
  it('offers at most 25 spacecraft names of 1–100 characters with ids as values, without asking LL2', async () => {
    const ll2Before = fakes.ll2.requests.length;
    const typed = ['', 'soyuz', 'drag', 'soyuz ms', '神舟', 'Tianzhou-9', 'a', 'x'.repeat(100), 'zzqqxx'];
    for (const text of typed) {
      const choices = expectValidChoices(await fakes.discord.autocomplete(ada, 'spacecraft', 'show', { name: text }, 'name'));
      for (const choice of choices) expect(String(choice.value)).toMatch(/^\d+$/);
      if (text === 'soyuz' || text === 'soyuz ms') {
        expect(choices).toHaveLength(25);
        for (const choice of choices) expect(choice.name.toLowerCase()).toContain('soyuz');
      }
      if (text === '' || text === 'a') expect(choices).toHaveLength(25);
      if (text === '神舟') expect(choices.map((c) => c.value)).toContain('9007');
      if (text === 'Tianzhou-9') {
        // the hand-made 255-character name is cut to fit
        const long = choices.find((c) => c.value === '9012');
        expect(long?.name.length).toBeLessThanOrEqual(100);
        expect(long?.name.startsWith('Tianzhou-9')).toBe(true);
      }
      if (text === 'zzqqxx' || text.startsWith('xxx')) expect(choices).toEqual([]);
    }
    expect(fakes.ll2.requests.length).toBe(ll2Before);
  });

  it('offers configurations whose values filter the search, and words for the query option', async () => {
    const configs = expectValidChoices(await fakes.discord.autocomplete(ada, 'spacecraft', 'search', { config: 'dragon' }, 'config'));
    expect(configs.map((c) => c.name.split(' · ')[0])).toEqual(expect.arrayContaining(['Crew Dragon', 'Cargo Dragon', 'Dragon 1']));
    const crew = configs.find((c) => c.name.startsWith('Crew Dragon'));
    expect(crew?.value).toMatch(/^\d+$/);
    expectValidChoices(await fakes.discord.autocomplete(ada, 'spacecraft', 'search', { config: '' }, 'config'));

    const filtered = await search({ config: String(crew?.value) });
    expect(titleOf(filtered)).toBe('Spacecraft · config Crew Dragon');
    for (const f of fieldsOf(filtered)) expect(f.value).toContain('Crew Dragon');

    const words = expectValidChoices(await fakes.discord.autocomplete(ada, 'spacecraft', 'search', { query: 'drag' }, 'query'));
    expect(words.length).toBeGreaterThan(0);
    for (const word of words) {
      expect(word.name.toLowerCase()).toContain('drag');
      expect(word.value).toBe(word.name);
    }
  });
});

describe('/spacecraft show', () => {
  it('shows one spacecraft in full, picked from autocomplete or typed by name', async () => {
    const [choice] = expectValidChoices(await fakes.discord.autocomplete(ada, 'spacecraft', 'show', { name: 'Soyuz MS-10' }, 'name'));
    expect(choice?.value).toBe('9002');
    const picked = await fakes.discord.slash(ada, 'spacecraft', 'show', { name: String(choice?.value) });
    const card = expectAnswered(picked, 4);
    expect(picked.ephemeral).toBe(false);
    expect(titleOf(card)).toBe('Soyuz MS-10');
    expect(footerOf(card)).toBe('#9002 · live from LL2');
    expect(fieldsOf(card).find((f) => f.name.startsWith('Flights ('))?.name).toBe('Flights (newest first, 1 in all)');
    expect(card?.components).toEqual([]);

    expect(picked.message?.content).toBe('');
    // an id typed into the box (show takes ids) is offered first, by its name
    const [byId] = expectValidChoices(await fakes.discord.autocomplete(ada, 'spacecraft', 'show', { name: '9002' }, 'name'));
    expect(byId).toEqual({ name: '#9002 · Soyuz MS-10', value: '9002' });
    // and the id as cards and suggestions show it
    expect(titleOf(expectAnswered(await fakes.discord.slash(ada, 'spacecraft', 'show', { name: '#9002' }), 4))).toBe('Soyuz MS-10');
    const typed = await fakes.discord.slash(ada, 'spacecraft', 'show', { name: 'space shuttle  DISCOVERY' });
    const discovery = expectAnswered(typed, 4);
    expect(titleOf(discovery)).toBe('Space Shuttle Discovery');
    expect(typed.message?.content).toBe(''); // the name itself, however it was typed: no "closest match"
    const flights = fieldsOf(discovery).filter((f) => f.name.startsWith('Flights ('));
    expect(flights[0]?.name).toBe('Flights (newest first, 39 in all)');
    expect(flights.at(-1)?.value).toMatch(/…and 27 earlier$/);
    expectWithinLimits(messageOf(typed));

    // a second look within DETAIL_TTL_MINUTES comes from the store, and says so
    const again = await fakes.discord.slash(bob, 'spacecraft', 'show', { name: '9002' });
    expect(footerOf(expectAnswered(again, 4))).toBe('#9002 · cached just now');
  });

  it('says so when typed text names no spacecraft exactly and the card is the closest match', async () => {
    const result = await fakes.discord.slash(ada, 'spacecraft', 'show', { name: 'soyuz tma' });
    const card = expectAnswered(result, 4);
    expect(result.ephemeral).toBe(false);
    expect(titleOf(card)).toMatch(/^Soyuz TMA/);
    expect(result.message?.content).toBe('Closest match for “soyuz tma”. For another, type more of its name and pick one from the suggestions.');
  });

  it('answers a name nothing matches with an ephemeral hint', async () => {
    const result = await fakes.discord.slash(ada, 'spacecraft', 'show', { name: 'qqqq zzzz xxxx' });
    expectAnswered(result, 4);
    expect(result.ephemeral).toBe(true);
    expect(result.message?.content).toBe('⚠️ No spacecraft matches “qqqq zzzz xxxx”. Pick one from the suggestions.');
  });
});

describe('other people and fast fingers', () => {
  it('gives someone other than the owner an ephemeral copy and leaves the original message alone', async () => {
    const message = await search({ query: 'progress' });
    const before = structuredClone(fakes.discord.message(message.id));

    const copy = await click(message, 'next', bob);
    expectAnswered(copy, 4);
    expect(copy.ephemeral).toBe(true);
    expect(copy.message?.flags).toBe(64);
    expect(copy.message?.id).not.toBe(message.id);
    expect(pageOf(copy.message).page).toBe(2);
    // the same stored query and the very same buttons, but the copy answers bob, so it is his to page
    expect(stateIdOf(messageOf(copy))).toBe(stateIdOf(message));
    expect(component(messageOf(copy), 'next').customId).toBe(component(message, 'next').customId.replace(/:2$/, ':3'));
    expect(ownerOf(message)).toBe(ada.id);
    expect(ownerOf(messageOf(copy))).toBe(bob.id);
    expect(fakes.discord.message(message.id)).toEqual(before);

    // bob pages his own copy in place; it stays ephemeral
    const bobNext = await click(messageOf(copy), 'next', bob);
    expectAnswered(bobNext, 7);
    expect(bobNext.message?.id).toBe(copy.message?.id);
    expect(bobNext.message?.flags).toBe(64);
    expect(pageOf(bobNext.message).page).toBe(3);

    // opening from the owner's menu also gives bob his own card, with a way back to his own list
    const select = component(message, 'open');
    const card = await fakes.discord.select(message.id, select.customId, [select.values[0]!], bob);
    expectAnswered(card, 4);
    expect(card.ephemeral).toBe(true);
    const backTo = component(messageOf(card), 'back').target;
    expect(backTo?.stateId).toBe(stateIdOf(message));
    expect(ownerOf(messageOf(card))).toBe(bob.id);
    expect(backTo?.value).toBe(1);
    expect(fakes.discord.message(message.id)).toEqual(before);
    const bobBack = await click(messageOf(card), 'back', bob);
    expectAnswered(bobBack, 7);
    expect(bobBack.message?.flags).toBe(64);
    expect(pageOf(bobBack.message).page).toBe(1);
    expect(fieldsOf(bobBack.message)).toEqual(fieldsOf(message));

    // and the owner still pages the original
    const adaNext = await click(message, 'next', ada);
    expectAnswered(adaNext, 7);
    expect(pageOf(adaNext.message).page).toBe(2);
  });

  it('pages buttons drawn by the previous version (sc2, the owner in the id) for the person they name', async () => {
    const message = await search({ query: 'soyuz' });
    const state = stateIdOf(message);
    // the previous version named the owner in each button; here it names bob, on ada's message
    await editComponents(fakes.discord, message, [{ type: 1, components: [{ type: 2, style: 1, label: '▶', custom_id: `sc2:${state}:${bob.id}:next:2` }] }]);
    const sc2 = `sc2:${state}:${bob.id}:next:2`;
    const copy = await fakes.discord.click(message.id, sc2, ada);
    expectAnswered(copy, 4);
    expect(copy.ephemeral).toBe(true);
    const paged = await fakes.discord.click(message.id, sc2, bob);
    expectAnswered(paged, 7);
    expect(pageOf(paged.message).page).toBe(2);
    // redrawn with sc3 buttons, which go by who the message answers: ada
    expect(component(messageOf(paged), 'next').customId).toBe(`sc3:${state}:next:3`);
    expectAnswered(await click(message, 'next', ada), 7);
  });

  it('gives a copy to whoever clicks a public list that answers nobody (no interaction_metadata)', async () => {
    const message = await search({ query: 'soyuz' });
    const id = await postMessage(fakes.discord, 'a list the bot posted itself', [{ type: 1, components: [{ type: 2, style: 1, label: '▶', custom_id: component(message, 'next').customId }] }]);
    const before = structuredClone(fakes.discord.message(id));
    const copy = await click(id, 'next', ada);
    expectAnswered(copy, 4);
    expect(copy.ephemeral).toBe(true);
    expect(pageOf(copy.message).page).toBe(2);
    expect(fakes.discord.message(id)).toEqual(before);
  });

  it('answers both clicks of a double click on next, without a 40060', async () => {
    const message = await search({ query: 'dragon' });
    const nextId = component(message, 'next').customId;
    const [one, two] = await Promise.all([fakes.discord.click(message.id, nextId, ada), fakes.discord.click(message.id, nextId, ada)]);
    for (const result of [one, two]) {
      expectAnswered(result, 7);
      expect(result.callbacks.every((c) => c.status < 400)).toBe(true);
    }
    // targets are absolute: two clicks on "next → 2" both land on page 2
    expect(pageOf(fakes.discord.message(message.id)).page).toBe(2);
    expect(fakes.discord.message(message.id)?.edits).toBe(2);

    // someone else's double click: two ephemeral copies, both on page 3, the original untouched
    const nowNext = component(messageOf(one), 'next').customId;
    const [copy1, copy2] = await Promise.all([fakes.discord.click(message.id, nowNext, bob), fakes.discord.click(message.id, nowNext, bob)]);
    for (const copy of [copy1, copy2]) {
      expectAnswered(copy, 4);
      expect(copy.ephemeral).toBe(true);
      expect(pageOf(copy.message).page).toBe(3);
    }
    expect(fakes.discord.message(message.id)?.edits).toBe(2);
  });
});

describe('lists whose state is gone', () => {
  it('answers a button or menu whose list state was never stored with an ephemeral "This list expired"', async () => {
    // A message carrying components of ours whose state id the store never saw (as after the
    // store was wiped), posted by the test through the fake's REST API.
    const id = await postMessage(fakes.discord, 'an old list', [
      { type: 1, components: [{ type: 3, custom_id: 'sc1:NeverStored1:open:1', options: [{ label: 'Vostok 6', value: '9015' }] }] },
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'next', custom_id: 'sc1:NeverStored1:next:2' },
          { type: 2, style: 2, label: 'back', custom_id: 'sc1:NeverStored1:back:3' },
          { type: 2, style: 2, label: 'garbled', custom_id: 'sc1:not-a-state' },
          { type: 2, style: 2, label: 'new style', custom_id: `sc2:NeverStored2:${ada.id}:last:9` },
        ],
      },
    ]);
    const before = structuredClone(fakes.discord.message(id));

    const answers = [
      await fakes.discord.click(id, 'sc1:NeverStored1:next:2', ada),
      await fakes.discord.click(id, 'sc1:NeverStored1:back:3', bob),
      await fakes.discord.click(id, 'sc1:not-a-state', ada),
      await fakes.discord.click(id, `sc2:NeverStored2:${ada.id}:last:9`, ada),
      await fakes.discord.select(id, 'sc1:NeverStored1:open:1', ['9015'], ada),
    ];
    for (const answer of answers) {
      expectAnswered(answer, 4);
      expect(answer.ephemeral).toBe(true);
      expect(answer.message?.content).toBe('⚠️ This list expired — run the command again.');
      expect(answer.message?.components).toEqual([]);
    }
    expect(fakes.discord.message(id)).toEqual(before);
  });
});

describe('every exchange above', () => {
  it('sent each message with allowed_mentions parse [] and never the bot token, and Discord refused nothing', () => {
    expectCleanTraffic(fakes.discord, fakes.ll2);
  });
});
