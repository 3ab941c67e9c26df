// Buttons outlive the process: the real entry point (src/main.ts) runs as a child process, is
// killed in the middle of a pagination, and a new process on the same SQLite store answers the old
// message's buttons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeNamespace } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { Store } from '../../src/store/store.ts';
import { fakeUser } from '../fakes/discord/index.ts';
import { tempSqliteUrl } from '../support/stores.ts';
import { botEnv, deployCommands, spawnMain, startFakes, startTestBot, type ChildBot, type Fakes } from '../support/bot.ts';
import { component, editComponents, expectAnswered, expectCleanTraffic, fieldsOf, messageOf, ownerOf, pageOf, stateIdOf, titleOf } from './helpers.ts';

const ada = fakeUser('ada');
const bob = fakeUser('bob');

let fakes: Fakes;
const children: ChildBot[] = [];

beforeAll(async () => {
  fakes = await startFakes();
  await deployCommands(fakes.discord);
});

afterAll(async () => {
  for (const child of children) await child.stop('SIGKILL');
  await fakes?.close();
});

async function startMain(storeUrl: string): Promise<ChildBot> {
  const identified = fakes.discord.identifies.length;
  const child = spawnMain(botEnv(fakes, storeUrl));
  children.push(child);
  await child.waitForOutput(/connected to Discord/);
  expect(fakes.discord.identifies.length).toBe(identified + 1);
  return child;
}

describe('a restart in the middle of a pagination', () => {
  it('keeps the old message\'s buttons working in the new process (same SQLite STORE_URL)', async () => {
    const storeUrl = tempSqliteUrl();
    // a catalogue in the store, as a previous run would have left it; then neither process asks LL2 for it
    const seeding = await startTestBot(fakes, { storeUrl, sync: true, storeNamespace: 'spacedock' });
    await seeding.stop();
    fakes.ll2.resetRequests();

    const first = await startMain(storeUrl);
    const reply = await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' });
    expectAnswered(reply, 4);
    const message = messageOf(reply);
    const stateId = stateIdOf(message);
    const onPage2 = await fakes.discord.click(message.id, component(message, 'next').customId, ada);
    expectAnswered(onPage2, 7);
    expect(pageOf(onPage2.message).page).toBe(2);

    // killed without a chance to clean up
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');

    await startMain(storeUrl);
    const current = fakes.discord.message(message.id);
    if (current === undefined) throw new Error('the list message is gone');
    const onPage3 = await fakes.discord.click(message.id, component(current, 'next').customId, ada);
    expectAnswered(onPage3, 7);
    expect(onPage3.message?.id).toBe(message.id);
    expect(pageOf(onPage3.message).page).toBe(3);
    expect(fieldsOf(onPage3.message).map((f) => f.name.split('. ')[0])).toEqual(['11', '12', '13', '14', '15']);
    expect(stateIdOf(messageOf(onPage3))).toBe(stateId);

    const back = await fakes.discord.click(message.id, component(messageOf(onPage3), 'prev').customId, ada);
    expectAnswered(back, 7);
    expect(fieldsOf(back.message)).toEqual(fieldsOf(onPage2.message));

    // the menu and other people's copies work in the new process too
    const open = component(messageOf(back), 'open');
    const card = await fakes.discord.select(message.id, open.customId, [open.values[0]!], ada);
    expectAnswered(card, 7);
    expect(titleOf(card.message)).toBe(fieldsOf(back.message)[0]?.name.replace(/^\d+\. /, ''));
    const copy = await fakes.discord.click(message.id, component(messageOf(card), 'back').customId, bob);
    expectAnswered(copy, 4);
    expect(copy.ephemeral).toBe(true);
    expect(pageOf(copy.message).page).toBe(2);

    // the new process served all of it from the store: LL2 saw only the cards' detail requests
    expect(fakes.ll2.requests.map((r) => r.path).filter((p) => !/\/spacecraft\/\d+\/$|\/api-throttle\/$/.test(p))).toEqual([]);
    expectCleanTraffic(fakes.discord, fakes.ll2);
  });

  it('answers buttons drawn by the previous version (sc1 ids, the owner in the stored state) after an upgrade', async () => {
    // one bot on the gateway at a time (the fake would send each interaction to both)
    for (const child of children.splice(0)) await child.stop('SIGKILL');
    const storeUrl = tempSqliteUrl();
    const seeding = await startTestBot(fakes, { storeUrl, sync: true, storeNamespace: 'spacedock' });
    await seeding.stop();
    // the list state as the previous version stored it, under the namespace src/main.ts uses
    const old = Store.open({ url: storeUrl, namespace: storeNamespace(loadConfig({ LL2_BASE_URL: fakes.ll2.baseUrl }), 'spacedock'), logger: silentLogger() });
    await old.set('page:OldVersion123', { v: 1, ownerId: ada.id, query: { search: 'soyuz', detail: 'normal' }, createdAt: Date.now() }, 3_600_000);
    await old.close();
    await startMain(storeUrl);

    // ada's list as the previous version drew it: her reply, with an sc1 button
    const drawn = messageOf(await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' }));
    await editComponents(fakes.discord, drawn, [{ type: 1, components: [{ type: 2, style: 1, label: '▶', custom_id: 'sc1:OldVersion123:next:2' }] }]);
    const id = drawn.id;

    // someone else gets a copy; the owner pages the message itself, which now has sc3 buttons
    const copy = await fakes.discord.click(id, 'sc1:OldVersion123:next:2', bob);
    expectAnswered(copy, 4);
    expect(copy.ephemeral).toBe(true);
    expect(ownerOf(messageOf(copy))).toBe(bob.id);
    const paged = await fakes.discord.click(id, 'sc1:OldVersion123:next:2', ada);
    expectAnswered(paged, 7);
    expect(pageOf(paged.message).page).toBe(2);
    expect(titleOf(paged.message)).toBe('Spacecraft · “soyuz”');
    // moved onto the query's own id: the same as a new search for soyuz gets
    expect(stateIdOf(messageOf(paged))).not.toBe('OldVersion123');
    expect(stateIdOf(messageOf(paged))).toBe(stateIdOf(messageOf(await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' }))));
    expect(ownerOf(messageOf(paged))).toBe(ada.id);
    const again = await fakes.discord.click(id, component(messageOf(paged), 'next').customId, ada);
    expectAnswered(again, 7);
    expect(pageOf(again.message).page).toBe(3);
  });
});
