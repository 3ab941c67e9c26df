// Plays people against whichever bot is connected to the fake Discord: slash commands and
// autocomplete keystrokes with bounded concurrency, timed from injection to the settled answer.
import { fakeUser, type FakeDiscord, type FakeUser, type InteractionResult } from '../../test/fakes/discord/index.ts';
import type { SpacecraftRecord } from '../../test/fixtures/ll2/index.ts';
import { createPrng } from '../../test/fixtures/ll2/prng.ts';
import { spacecraftSchema } from '../../src/ll2/schemas.ts';
import { ORDERINGS, type Ordering } from '../../src/service/query.ts';
import { summarise, type Summary } from './stats.ts';
import { cpuMsOf, ownCpuMs } from './processes.ts';
import { drive } from './support.ts';
import { searchWordsByFrequency, spacecraftByPopularity } from './workload.ts';
import { zipfSampler } from './zipf.ts';

export interface SlashCommand {
  options: { query: string; sort?: Ordering; detail?: 'detailed'; in_space?: boolean };
}

export interface Keystroke {
  sub: 'show' | 'search';
  option: 'name' | 'query';
  text: string;
}

/** Searches with Zipf-distributed words of the data; one in ten sorted. */
export function slashCommands(records: readonly SpacecraftRecord[], count: number, seed: number): SlashCommand[] {
  const prng = createPrng(seed);
  const nextWord = zipfSampler(searchWordsByFrequency(spacecraftSchema.array().parse(records)), 1.0, prng);
  const sorts: readonly Ordering[] = ['-flights_count', '-time_in_space', 'time_docked'];
  return Array.from({ length: count }, () => {
    const query = nextWord();
    return { options: prng.chance(0.1) ? { query, sort: prng.pick(sorts) } : { query } };
  });
}

/**
 * Searches that never repeat (as many as there are: every word of the data, unsorted or in each
 * order, normal or detailed, with or without in_space true/false — 11,088 with the fixture),
 * shuffled: no answer can be one drawn before.
 */
export function distinctSlashCommands(records: readonly SpacecraftRecord[], count: number, seed: number): SlashCommand[] {
  const prng = createPrng(seed);
  const words = searchWordsByFrequency(spacecraftSchema.array().parse(records));
  const all: SlashCommand[] = [];
  for (const query of words) {
    for (const sort of [undefined, ...ORDERINGS]) {
      for (const detailed of [false, true]) {
        for (const inSpace of [undefined, true, false]) {
          all.push({ options: { query, ...(sort === undefined ? {} : { sort }), ...(detailed ? { detail: 'detailed' as const } : {}), ...(inSpace === undefined ? {} : { in_space: inSpace }) } });
        }
      }
    }
  }
  for (let i = all.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  if (count > all.length) throw new Error(`only ${all.length} distinct searches; asked for ${count}`);
  return all.slice(0, count);
}

/** Names typed character by character (Zipf over spacecraft), some into the search box instead. */
export function keystrokes(records: readonly SpacecraftRecord[], count: number, seed: number): Keystroke[] {
  const prng = createPrng(seed);
  const crafts = spacecraftSchema.array().parse(records);
  const nextCraft = zipfSampler(spacecraftByPopularity(crafts), 1.0, prng);
  const nextWord = zipfSampler(searchWordsByFrequency(crafts), 1.0, prng);
  const out: Keystroke[] = [];
  while (out.length < count) {
    const search = prng.chance(0.3);
    const text = [...(search ? nextWord() : nextCraft().name)];
    const upTo = Math.min(text.length, prng.int(2, 10));
    for (let i = 1; i <= upTo && out.length < count; i++) {
      out.push(search ? { sub: 'search', option: 'query', text: text.slice(0, i).join('') } : { sub: 'show', option: 'name', text: text.slice(0, i).join('') });
    }
  }
  return out;
}

export interface LoadResult {
  count: number;
  concurrency: number;
  wallMs: number;
  perSecond: number;
  latency: Summary;
  /** Every latency measured, for pooling rounds. */
  samples: number[];
  /** Not settled, or settled with a Discord error, or not the expected callback type. */
  failures: number;
  failureExamples: string[];
  /** CPU milliseconds per answer: the bot's process, and the benchmark's own (fake Discord + driver). */
  cpuPerAnswer: { bot: number; fake: number };
  /** REST calls the bot made, by kind (interaction callbacks are exempt from discord.js's global limiter; webhooks are not). */
  rest: { callbacks: number; webhooks: number; other: number };
}

const USERS: FakeUser[] = Array.from({ length: 50 }, (_, i) => fakeUser(`bench${i}`));

function restKind(path: string): keyof LoadResult['rest'] {
  if (path.startsWith('/interactions/')) return 'callbacks';
  if (path.startsWith('/webhooks/')) return 'webhooks';
  return 'other';
}

async function load(fake: FakeDiscord, botPid: number, count: number, concurrency: number, play: (i: number, user: FakeUser) => Promise<InteractionResult>, expectType: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const failureExamples: string[] = [];
  let failures = 0;
  const rest = { callbacks: 0, webhooks: 0, other: 0 };
  const tallyAndClear = () => {
    for (const request of fake.requests) rest[restKind(request.path)]++;
    fake.clearHistory();
  };
  tallyAndClear();
  rest.callbacks = rest.webhooks = rest.other = 0;
  const botCpu = cpuMsOf(botPid);
  const fakeCpu = ownCpuMs();
  const started = performance.now();
  await drive(
    count,
    concurrency,
    async (i) => {
      const user = USERS[i % USERS.length]!;
      const t0 = performance.now();
      let result: InteractionResult;
      try {
        result = await play(i, user);
      } catch (error) {
        failures++;
        if (failureExamples.length < 3) failureExamples.push(error instanceof Error ? error.message : String(error));
        return;
      }
      latencies.push(performance.now() - t0);
      if (!result.settled || result.errors.length > 0 || result.type !== expectType) {
        failures++;
        if (failureExamples.length < 3) failureExamples.push(`settled=${result.settled} type=${String(result.type)} errors=${JSON.stringify(result.errors.slice(0, 1))}`);
      }
    },
    (done) => {
      if (done % 250 === 0) tallyAndClear();
    },
  );
  const wallMs = performance.now() - started;
  const cpuPerAnswer = { bot: (cpuMsOf(botPid) - botCpu) / count, fake: (ownCpuMs() - fakeCpu) / count };
  tallyAndClear();
  return { count, concurrency, wallMs, perSecond: (count * 1000) / wallMs, latency: summarise(latencies), samples: latencies, failures, failureExamples, cpuPerAnswer, rest };
}

/** No grace period, no copies of the answers: the driver reads only settled, type and errors. */
const LOAD_OPTIONS = { graceMs: 0, timeoutMs: 10_000, copyMessages: false } as const;

export function runSlash(fake: FakeDiscord, botPid: number, commands: readonly SlashCommand[], concurrency: number): Promise<LoadResult> {
  return load(fake, botPid, commands.length, concurrency, (i, user) => fake.slash(user, 'spacecraft', 'search', commands[i]!.options, LOAD_OPTIONS), 4);
}

export function runAutocomplete(fake: FakeDiscord, botPid: number, strokes: readonly Keystroke[], concurrency: number): Promise<LoadResult> {
  return load(
    fake,
    botPid,
    strokes.length,
    concurrency,
    (i, user) => {
      const k = strokes[i]!;
      return fake.autocomplete(user, 'spacecraft', k.sub, { [k.option]: k.text }, k.option, LOAD_OPTIONS);
    },
    8,
  );
}
