// Spacecraft at the edges of what LL2 sends — every field null, every field at its longest, plus the
// hand-made edge cases (ids 9001–9015) — rendered through the strict fake Discord, which rejects
// any body over Discord's limits with a 50035.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeUser, type FakeMessage } from '../fakes/discord/index.ts';
import { loadFixtureCatalogue, type SpacecraftRecord } from '../fixtures/ll2/index.ts';
import { deployCommands, startFakes, startTestBot, type Fakes, type TestBot } from '../support/bot.ts';
import { component, componentsOf, expectAnswered, expectCleanTraffic, expectWithinLimits, fieldsOf, messageOf, pageOf, titleOf } from './helpers.ts';

const ada = fakeUser('ada');
const ALL_NULL_ID = 9901;
const MAXIMAL_ID = 9902;
const HANDMADE_IDS = Array.from({ length: 15 }, (_, i) => 9001 + i);

/** `prefix` then `chunk` repeated, cut to at most `length` UTF-16 units without splitting a character. */
function fill(prefix: string, chunk: string, length: number): string {
  let text = prefix;
  while (text.length < length) {
    for (const char of chunk) {
      if (text.length + char.length > length) return text;
      text += char;
    }
  }
  return text;
}

const NASTY = '*_`~|[]>#@everyone <@123> <#456> 🚀 \\ ';

function extremeRecords(): SpacecraftRecord[] {
  const template = loadFixtureCatalogue().spacecraft.find((r) => r.id === 9003);
  if (template === undefined) throw new Error('fixture 9003 is missing');
  const config = template.spacecraft_config;
  const family = config.family?.[0];
  if (family === undefined) throw new Error('fixture 9003 has no family');

  const maximal: SpacecraftRecord = {
    ...template,
    id: MAXIMAL_ID,
    url: `https://ll.thespacedevs.com/2.3.0/spacecraft/${MAXIMAL_ID}/`,
    name: fill('Edgecase Maximal ', NASTY, 255),
    serial_number: fill('', NASTY, 255),
    is_placeholder: true,
    in_space: true,
    time_in_space: 'P36500DT23H59M59.999S',
    time_docked: 'P36500DT23H59M59.999S',
    flights_count: 300,
    mission_ends_count: 300,
    status: { id: 5, name: 'Lost' },
    description: fill('', `${NASTY}\r\n\r\n\r\n# heading\r\n> quote\r\n- item\r\n`, 2048),
    spacecraft_config: {
      ...config,
      id: 9999,
      url: 'https://ll.thespacedevs.com/2.3.0/spacecraft_configurations/9999/',
      name: fill('Edgecase Config ', NASTY, 255),
      type: { id: 2, name: fill('Type ', NASTY, 255) },
      agency: { ...config.agency, name: fill('Agency ', NASTY, 255), abbrev: fill('A', NASTY, 255) },
      family: Array.from({ length: 30 }, (_, i) => ({ ...family, id: 500 + i, name: fill(`Family ${i} `, NASTY, 255), description: fill('', NASTY, 2000) })),
    },
    fastest_turnaround: 'PT0.5S',
  };

  // LL2's schema under-states nullability: this record has null wherever a value can be missing,
  // including fields the fixture schema calls required (the fake serves records as given).
  const allNull = {
    response_mode: 'normal',
    id: ALL_NULL_ID,
    url: `https://ll.thespacedevs.com/2.3.0/spacecraft/${ALL_NULL_ID}/`,
    name: 'Edgecase Nullsat',
    serial_number: null,
    is_placeholder: null,
    image: null,
    in_space: null,
    time_in_space: null,
    time_docked: null,
    flights_count: null,
    mission_ends_count: null,
    status: null,
    description: null,
    spacecraft_config: {
      response_mode: 'normal',
      id: 9998,
      url: 'https://ll.thespacedevs.com/2.3.0/spacecraft_configurations/9998/',
      name: 'Edgecase Null Config',
      type: null,
      agency: null,
      family: null,
      in_use: null,
      image: null,
    },
    fastest_turnaround: null,
  } as unknown as SpacecraftRecord;

  return [maximal, allNull];
}

let fakes: Fakes;
let bot: TestBot;

beforeAll(async () => {
  fakes = await startFakes();
  for (const record of extremeRecords()) fakes.ll2.addSpacecraft(record);
  await deployCommands(fakes.discord);
  bot = await startTestBot(fakes, { sync: true });
});

afterAll(async () => {
  await bot?.stop();
  await fakes?.close();
});

/**
 * Upstream text in descriptions and field values reaches Discord with mention syntax defused, on
 * top of `allowed_mentions` (titles and field names never ping, so they are left as they are).
 */
function expectNoRawMentions(message: FakeMessage): void {
  const texts = [message.content, ...message.embeds.map((e) => String(e['description'] ?? '')), ...fieldsOf(message).map((f) => f.value)];
  for (const text of texts) {
    expect(text).not.toMatch(/@(everyone|here)/);
    expect(text).not.toMatch(/<@!?&?\d+>|<#\d+>/);
  }
}

describe('spacecraft at the edges', () => {
  it('renders the hand-made edge cases, an all-null record and a maximal one as cards within the limits', async () => {
    for (const id of [...HANDMADE_IDS, ALL_NULL_ID, MAXIMAL_ID]) {
      const result = await fakes.discord.slash(ada, 'spacecraft', 'show', { name: String(id) });
      const card = expectAnswered(result, 4);
      expect(titleOf(card).length, `card ${id}`).toBeGreaterThan(0);
      expectWithinLimits(messageOf(result));
      expectNoRawMentions(messageOf(result));
    }

    const nullCard = messageOf(await fakes.discord.slash(ada, 'spacecraft', 'show', { name: String(ALL_NULL_ID) }));
    expect(titleOf(nullCard)).toBe('Edgecase Nullsat');
    expect(JSON.stringify(nullCard.embeds)).not.toMatch(/\b(null|undefined|NaN)\b/);
    const facts = Object.fromEntries(fieldsOf(nullCard).map((f) => [f.name, f.value]));
    expect(facts).toMatchObject({ Status: 'unknown', Where: 'unknown', 'Serial number': '—', Flights: 'unknown', 'Flights list': 'LL2 lists no flights for this spacecraft.' });

    const maxCard = messageOf(await fakes.discord.slash(ada, 'spacecraft', 'show', { name: String(MAXIMAL_ID) }));
    expect(titleOf(maxCard).startsWith('Edgecase Maximal')).toBe(true);
    expect(fieldsOf(maxCard).some((f) => f.name === 'Flights (newest first, 300 in all)')).toBe(true);
  });

  it('lists them page by page in detailed mode, and opens each from the menu, within the limits', async () => {
    const first = await fakes.discord.slash(ada, 'spacecraft', 'search', { sort: 'id', detail: 'detailed' });
    let message = messageOf(first);
    expectAnswered(first, 4);
    const seen = new Set<string>();
    // seed (10) + hand-made (15) + these two sort first by id: the first six pages hold them all
    for (let page = 1; page <= 6; page++) {
      expect(pageOf(message).page).toBe(page);
      expectWithinLimits(message);
      expectNoRawMentions(message);
      const select = component(message, 'open');
      // every result of the page is shown, none dropped to fit
      expect(fieldsOf(message)).toHaveLength(select.values.length);
      for (const value of select.values) seen.add(value);
      if (page < 6) {
        const next = await fakes.discord.click(message.id, component(message, 'next').customId, ada);
        message = messageOf(next);
        expectAnswered(next, 7);
      }
    }
    for (const id of [...HANDMADE_IDS, ALL_NULL_ID, MAXIMAL_ID]) expect(seen.has(String(id)), `id ${id} listed`).toBe(true);

    for (const id of [ALL_NULL_ID, MAXIMAL_ID]) {
      const opened = await fakes.discord.select(message.id, component(message, 'open').customId, [String(id)], ada);
      expectAnswered(opened, 7);
      expectWithinLimits(messageOf(opened));
      expect(componentsOf(messageOf(opened)).map((c) => c.target?.action)).toEqual(['back']);
      const back = await fakes.discord.click(message.id, component(messageOf(opened), 'back').customId, ada);
      expectAnswered(back, 7);
      expect(pageOf(back.message).page).toBe(6);
    }
  });

  it('sent each message with allowed_mentions parse [] and never the bot token, and Discord refused nothing', () => {
    expectCleanTraffic(fakes.discord, fakes.ll2);
  });
});
