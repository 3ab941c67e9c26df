// Issue 6.1 and the transport half of 6.2: slash commands and autocomplete through the strict fake
// Discord, Spacedock (src/main.ts in gateway mode, its own process) against the echo bot (same
// fake, same discord.js, its own process). Spacedock's catalogue is already in its store, and its
// fake LL2 answers after 300 ms, as the real one might.
//
// Where the machine allows it, each bot runs on a core of its own with a fixed CPU budget (a
// fraction of that core), and the fake Discord with the driver on the other core. The fake's work
// per answer (HTTP, WebSocket, JSON, the limit checks) is about as large as a bot's, and larger for
// larger answers; with both on the same cores, or with the fake at its limit before the bot, the
// rate measured would be the fake's. With the budget, a bot is busy all the time under load and the
// fake has cores to spare: the rate is the bot's own capacity on that budget.
import { join } from 'node:path';
import { fakeUser, startFakeDiscord, type FakeDiscord } from '../../test/fakes/discord/index.ts';
import { startFakeLl2 } from '../../test/fakes/ll2/server.ts';
import { loadFixtureCatalogue } from '../../test/fixtures/ll2/index.ts';
import { createCpuQuota, type CpuQuota } from '../lib/cpuQuota.ts';
import { distinctSlashCommands, keystrokes, runAutocomplete, runSlash, slashCommands, type LoadResult } from '../lib/discordLoad.ts';
import { assertFromCatalogue, deployCommands, dropRedisNamespace, prepareCatalogueStore } from '../lib/prepare.ts';
import { canPin, memoryOf, pinSelf, spawnEchoBot, spawnSpacedock, type BotProcess } from '../lib/processes.ts';
import { int, met, mib, ms, ratio, summarise, type Summary } from '../lib/stats.ts';
import { tempDir } from '../lib/support.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const USER = fakeUser('bench-probe');

export interface DiscordOptions {
  commands: number;
  keystrokes: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  ll2LatencyMs: number;
  /** Hold each bot to core 1 and this process (fake Discord + driver) to core 0, where taskset can. */
  pin: boolean;
  /** Each bot's CPU budget while measured, a fraction of its core (needs pin and writable cgroups); null: none. */
  cpuBudget: number | null;
  /** Light load, no budget: interactions per bot and round, how many in flight, rounds (ABBA). */
  light: { count: number; concurrency: number; rounds: number };
  /** Full-load rounds (ABBA, same budget) of \`commands\` searches that never repeat: no page can be reused. */
  distinctRounds: number;
}

/** What could be set up here: the measure means most with both. */
export interface Placement {
  /** Bots on core 1, the fake Discord and driver on core 0. */
  pinned: boolean;
  /** The CPU budget each bot had (fraction of a core), or null. */
  budget: number | null;
  /** Why not, when something was asked for and could not be had. */
  note: string | null;
}

interface BotRun {
  slash: LoadResult;
  autocomplete: LoadResult;
  peakRss: number;
  logProblems: number;
  /** Spacedock's own count at stop (its log): list pages drawn, and answers that reused one drawn that second. */
  listPages: { drawn: number; reused: number } | null;
}

export interface RoundFigures {
  slashPerSecond: number;
  autocompletePerSecond: number;
  /** CPU ms per slash answer: the bot's process (all threads), and this process (fake Discord + driver). */
  slashCpuBot: number;
  slashCpuFake: number;
}

export interface BotTotals {
  slashPerSecond: number;
  slashLatency: Summary;
  slashFailures: number;
  slashCpu: { bot: number; fake: number };
  /** Share of one core in use during the slash bursts: the bot (all threads) and the fake Discord + driver. */
  slashBusy: { bot: number; fake: number };
  autocompleteCpu: { bot: number; fake: number };
  autocompletePerSecond: number;
  autocompleteLatency: Summary;
  autocompleteFailures: number;
  rest: LoadResult['rest'];
  peakRss: number;
  logProblems: number;
  listPages: BotRun['listPages'];
  failureExamples: string[];
  rounds: RoundFigures[];
}

export interface LightLoad {
  slashLatency: Summary;
  autocompleteLatency: Summary;
  failures: number;
}

export interface DiscordResult {
  options: DiscordOptions;
  placement: Placement;
  echo: BotTotals;
  spacedock: BotTotals;
  /** A few people at once, no CPU budget: how long one answer takes when nothing queues. */
  light: { echo: LightLoad; spacedock: LightLoad };
  /** The same Spacedock with STORE_URL=redis (its own namespace), one round: is the store the bound? */
  spacedockRedis: BotTotals | { error: string };
  /** An echo round right after the Redis round, to compare that round with (the machine drifts). */
  echoAfterRedis: BotTotals | null;
  /** Slash bursts of searches that never repeat, round by round (see distinctSlashCommands). */
  distinct: { echo: DistinctRound[]; spacedock: DistinctRound[] };
}

export interface DistinctRound {
  perSecond: number;
  cpuBot: number;
  failures: number;
}

/** A bot connected to its own fake Discord, warmed up and ready for bursts of load. */
interface Contender {
  bot: BotProcess;
  fake: FakeDiscord;
  quota: CpuQuota | null;
  runs: BotRun[];
  light: LoadResult[][];
  distinct: LoadResult[];
}

async function warmUp(contender: Contender, options: DiscordOptions): Promise<void> {
  const { bot, fake } = contender;
  await bot.ready;
  const records = loadFixtureCatalogue().spacecraft;
  if (bot.name.startsWith('Spacedock')) {
    // searches must be local: a bot that did not load its store would be measuring LL2 instead
    const probe = await fake.slash(USER, 'spacecraft', 'search', { query: 'soyuz' }, { graceMs: 0, timeoutMs: 10_000 });
    assertFromCatalogue(probe.message, bot.name);
  }
  // JIT, connection pools, SQLite pages: not measured
  await runSlash(fake, bot.pid, slashCommands(records, options.warmup, 900), options.concurrency);
  await runAutocomplete(fake, bot.pid, keystrokes(records, options.warmup, 950), options.concurrency);
  // the code paths only searches that never repeat take (detailed pages, filters, every ordering)
  if (options.distinctRounds > 0) await runSlash(fake, bot.pid, distinctSlashCommands(records, Math.min(options.warmup, 2_000), 800), options.concurrency);
}

/** One burst of slash commands, then one of keystrokes (the same ones for every bot in a round). */
async function burst(contender: Contender, options: DiscordOptions, round: number, progress: (t: string) => void): Promise<void> {
  const { bot, fake } = contender;
  const records = loadFixtureCatalogue().spacecraft;
  const slash = await runSlash(fake, bot.pid, slashCommands(records, options.commands, 61 + round), options.concurrency);
  const autocomplete = await runAutocomplete(fake, bot.pid, keystrokes(records, options.keystrokes, 620 + round), options.concurrency);
  const busy = (r: LoadResult) => `${((r.cpuPerAnswer.bot * r.perSecond) / 10).toFixed(0)} % / ${((r.cpuPerAnswer.fake * r.perSecond) / 10).toFixed(0)} %`;
  progress(`${bot.name} round ${round + 1}: ${slash.perSecond.toFixed(0)} slash/s (bot / fake busy ${busy(slash)}), ${autocomplete.perSecond.toFixed(0)} autocomplete/s`);
  contender.runs.push({ slash, autocomplete, peakRss: 0, logProblems: 0, listPages: null });
}

/** A few people at once: slash commands, then keystrokes, timed one by one. */
async function lightBurst(contender: Contender, options: DiscordOptions, round: number): Promise<void> {
  const { bot, fake } = contender;
  const records = loadFixtureCatalogue().spacecraft;
  const { count, concurrency } = options.light;
  const slash = await runSlash(fake, bot.pid, slashCommands(records, count, 161 + round), concurrency);
  const autocomplete = await runAutocomplete(fake, bot.pid, keystrokes(records, count, 720 + round), concurrency);
  contender.light.push([slash, autocomplete]);
}

/** Stops the bot; its peak RSS and warning lines go on its last run. */
async function finish(contender: Contender): Promise<BotRun[]> {
  const last = contender.runs[contender.runs.length - 1];
  if (last !== undefined) {
    last.peakRss = memoryOf(contender.bot.pid).peakRss;
    last.logProblems = contender.bot.lines.filter((l) => /"level":(40|50|60)/.test(l)).length;
  }
  await contender.bot.stop();
  contender.quota?.remove();
  if (last !== undefined) last.listPages = listPagesOf(contender.bot.lines);
  return contender.runs;
}

/** The bot's last word on its list pages (src/app.ts logs it on close); null for the echo bot. */
function listPagesOf(lines: readonly string[]): BotRun['listPages'] {
  for (const line of [...lines].reverse()) {
    if (!line.includes('list pages this process drew')) continue;
    const parsed = JSON.parse(line) as { drawn?: unknown; reused?: unknown };
    if (typeof parsed.drawn === 'number' && typeof parsed.reused === 'number') return { drawn: parsed.drawn, reused: parsed.reused };
  }
  return null;
}

function totals(runs: BotRun[]): BotTotals {
  const pool = (pick: (r: BotRun) => LoadResult) => {
    const results = runs.map(pick);
    const wall = results.reduce((sum, r) => sum + r.wallMs, 0);
    const count = results.reduce((sum, r) => sum + r.count, 0);
    const cpu = {
      bot: results.reduce((sum, r) => sum + r.cpuPerAnswer.bot * r.count, 0) / count,
      fake: results.reduce((sum, r) => sum + r.cpuPerAnswer.fake * r.count, 0) / count,
    };
    return {
      perSecond: (count * 1000) / wall,
      latency: summarise(results.flatMap((r) => r.samples)),
      failures: results.reduce((sum, r) => sum + r.failures, 0),
      examples: results.flatMap((r) => r.failureExamples),
      cpu,
      busy: { bot: (cpu.bot * count) / wall, fake: (cpu.fake * count) / wall },
    };
  };
  const slash = pool((r) => r.slash);
  const auto = pool((r) => r.autocomplete);
  const rest = { callbacks: 0, webhooks: 0, other: 0 };
  for (const run of runs) {
    for (const r of [run.slash, run.autocomplete]) {
      rest.callbacks += r.rest.callbacks;
      rest.webhooks += r.rest.webhooks;
      rest.other += r.rest.other;
    }
  }
  return {
    slashPerSecond: slash.perSecond,
    slashLatency: slash.latency,
    slashFailures: slash.failures,
    slashCpu: slash.cpu,
    slashBusy: slash.busy,
    autocompleteCpu: auto.cpu,
    autocompletePerSecond: auto.perSecond,
    autocompleteLatency: auto.latency,
    autocompleteFailures: auto.failures,
    rest,
    peakRss: Math.max(...runs.map((r) => r.peakRss)),
    logProblems: runs.reduce((s, r) => s + r.logProblems, 0),
    listPages: runs.reduce<BotRun['listPages']>((sum, r) => (r.listPages === null ? sum : { drawn: (sum?.drawn ?? 0) + r.listPages.drawn, reused: (sum?.reused ?? 0) + r.listPages.reused }), null),
    failureExamples: [...slash.examples, ...auto.examples].slice(0, 3),
    rounds: runs.map((r) => ({
      slashPerSecond: r.slash.perSecond,
      autocompletePerSecond: r.autocomplete.perSecond,
      slashCpuBot: r.slash.cpuPerAnswer.bot,
      slashCpuFake: r.slash.cpuPerAnswer.fake,
    })),
  };
}

function distinctRound(r: LoadResult): DistinctRound {
  return { perSecond: r.perSecond, cpuBot: r.cpuPerAnswer.bot, failures: r.failures };
}

function lightTotals(runs: LoadResult[][]): LightLoad {
  return {
    slashLatency: summarise(runs.flatMap(([slash]) => slash?.samples ?? [])),
    autocompleteLatency: summarise(runs.flatMap(([, auto]) => auto?.samples ?? [])),
    failures: runs.flat().reduce((sum, r) => sum + r.failures, 0),
  };
}

/** Pins this process and decides what the bots get (see Placement). */
function place(options: DiscordOptions): Placement {
  if (!options.pin) return { pinned: false, budget: null, note: options.cpuBudget === null ? null : 'no CPU budget without pinning (--no-pin)' };
  if (!canPin()) return { pinned: false, budget: null, note: 'taskset is missing or the machine has one core: bots and the fake Discord shared the cores, with no CPU budget' };
  pinSelf(0);
  if (options.cpuBudget === null) return { pinned: true, budget: null, note: null };
  const probe = createCpuQuota(`spacedock-bench-probe-${process.pid}`);
  probe?.remove();
  if (probe === null) return { pinned: true, budget: null, note: 'cgroups (v1 cpu controller) cannot be written here: the bots had their core without a budget, so the rate may be the fake Discord’s' };
  return { pinned: true, budget: options.cpuBudget, note: null };
}

export async function runDiscord(options: DiscordOptions, progress: (text: string) => void): Promise<DiscordResult> {
  const dir = tempDir('discord');
  const placement = place(options);
  const core = placement.pinned ? { cpu: 1 } : {};
  const contender = (bot: BotProcess, fake: FakeDiscord): Contender => {
    const quota = placement.budget === null ? null : createCpuQuota(`spacedock-bench-${process.pid}-${bot.pid}`);
    quota?.add(bot.pid);
    return { bot, fake, quota, runs: [], light: [], distinct: [] };
  };
  /** The budget while a bot is measured at full load; none while it starts or answers a few at a time. */
  const budget = (c: Contender, on: boolean) => c.quota?.limit(on ? placement.budget : null);
  // one strict fake Discord per bot, so both stay connected and take turns without restarting
  const echoFake = await startFakeDiscord({ settleTimeoutMs: 10_000 });
  const fake = await startFakeDiscord({ settleTimeoutMs: 10_000 });
  // the bot's LL2 (the fixture catalogue); no latency while the stores are prepared from it
  const ll2 = await startFakeLl2({ latencyMs: 0 });
  const namespace = `spacedock-bench-${process.pid}-${Date.now()}`;
  try {
    await deployCommands(echoFake);
    await deployCommands(fake);
    const store = await prepareCatalogueStore(`sqlite://${join(dir.path, 'spacedock.sqlite')}`, ll2.baseUrl);
    let redisStore: Awaited<ReturnType<typeof prepareCatalogueStore>> | Error;
    try {
      redisStore = await prepareCatalogueStore(REDIS_URL, ll2.baseUrl, namespace);
    } catch (error) {
      redisStore = error instanceof Error ? error : new Error(String(error));
    }
    ll2.setLatency(options.ll2LatencyMs);
    progress(`catalogue store ready: ${store.records} spacecraft; ${placement.pinned ? 'bots on core 1, fake Discord on core 0' : 'not pinned'}; CPU budget ${placement.budget === null ? 'none' : `${placement.budget} of a core`}`);
    const echo = contender(spawnEchoBot({ restBase: echoFake.restBase, token: echoFake.token, ...core }), echoFake);
    const spacedock = contender(
      spawnSpacedock({ restBase: fake.restBase, token: fake.token, applicationId: fake.applicationId, ll2BaseUrl: ll2.baseUrl, storeUrl: store.url, ...core }),
      fake,
    );
    try {
      await echo.bot.ready;
      await spacedock.bot.ready;
      for (const c of [echo, spacedock]) {
        budget(c, true);
        await warmUp(c, options);
      }
      // The machine's speed drifts (it is shared): short bursts, the bots taking turns in the order
      // echo, Spacedock, Spacedock, echo, … (ABBA), so each Spacedock burst has an echo burst next to it.
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 === 0 ? [echo, spacedock] : [spacedock, echo];
        for (const c of order) await burst(c, options, round, progress);
      }
      const records = loadFixtureCatalogue().spacecraft;
      for (let round = 0; round < options.distinctRounds; round++) {
        const order = round % 2 === 0 ? [echo, spacedock] : [spacedock, echo];
        for (const c of order) c.distinct.push(await runSlash(c.fake, c.bot.pid, distinctSlashCommands(records, options.commands, 7_000 + round), options.concurrency));
        progress(`distinct searches round ${round + 1}: Spacedock ${spacedock.distinct[round]!.perSecond.toFixed(0)} slash/s, echo ${echo.distinct[round]!.perSecond.toFixed(0)}`);
      }
      for (const c of [echo, spacedock]) budget(c, false);
      for (let round = 0; round < options.light.rounds; round++) {
        const order = round % 2 === 0 ? [echo, spacedock] : [spacedock, echo];
        for (const c of order) await lightBurst(c, options, round);
      }
      progress(`light load (${options.light.concurrency} in flight, no budget): done`);
    } finally {
      await finish(spacedock);
    }
    let spacedockRedis: DiscordResult['spacedockRedis'];
    let echoAfterRedis: BotTotals | null = null;
    try {
      try {
        if (redisStore instanceof Error) throw redisStore;
        // let the fake see the gateway close before the next bot connects (else both would get interactions)
        await new Promise((resolve) => setTimeout(resolve, 300));
        const redisBot = contender(
          Object.assign(
            spawnSpacedock({ restBase: fake.restBase, token: fake.token, applicationId: fake.applicationId, ll2BaseUrl: ll2.baseUrl, storeUrl: redisStore.url, storeNamespace: namespace, ...core }),
            { name: 'Spacedock (Redis store)' },
          ),
          fake,
        );
        try {
          await redisBot.bot.ready;
          budget(redisBot, true);
          budget(echo, true);
          await warmUp(redisBot, options);
          await burst(redisBot, options, 0, progress);
          const echoRuns = echo.runs.length;
          await burst(echo, options, 0, progress);
          echoAfterRedis = totals(echo.runs.splice(echoRuns));
        } finally {
          spacedockRedis = totals(await finish(redisBot));
        }
      } catch (error) {
        spacedockRedis = { error: error instanceof Error ? error.message : String(error) };
      }
    } finally {
      await finish(echo);
    }
    return {
      options,
      placement,
      echo: totals(echo.runs),
      spacedock: totals(spacedock.runs),
      light: { echo: lightTotals(echo.light), spacedock: lightTotals(spacedock.light) },
      distinct: { echo: echo.distinct.map(distinctRound), spacedock: spacedock.distinct.map(distinctRound) },
      spacedockRedis,
      echoAfterRedis,
    };
  } finally {
    await dropRedisNamespace(REDIS_URL, namespace).catch(() => {});
    await fake.close();
    await echoFake.close();
    await ll2.close();
    dir.remove();
  }
}

// ---------------------------------------------------------------------------------------------

export const SLASH_TARGET = 0.9;

export interface Paired {
  ratios: number[];
  median: number;
  min: number;
  max: number;
}

/** The median of some ratios (what a target is judged on: one odd round cannot move it) and their spread. */
function medianOf(ratios: number[]): Paired {
  const sorted = [...ratios].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { ratios, median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Spacedock / echo slash throughput round by round (each Spacedock round against the echo round next to it). */
export function pairedSlash(r: Pick<DiscordResult, 'echo' | 'spacedock'>): Paired {
  return medianOf(r.spacedock.rounds.map((s, i) => s.slashPerSecond / (r.echo.rounds[i]?.slashPerSecond ?? Number.NaN)));
}

/** Spacedock over the echo round next to it, for the bursts of searches that never repeat. */
export function pairedDistinct(r: Pick<DiscordResult, 'distinct'>): Paired {
  return medianOf(r.distinct.spacedock.map((s, i) => s.perSecond / (r.distinct.echo[i]?.perSecond ?? Number.NaN)));
}

/**
 * The same from CPU time instead of the clock: echo's CPU per answer over Spacedock's, round by
 * round — answers per second of the bot's own CPU. A cross-check that does not depend on which
 * side bounded the rate.
 */
export function pairedCpu(r: Pick<DiscordResult, 'echo' | 'spacedock'>): Paired {
  return medianOf(r.spacedock.rounds.map((s, i) => (r.echo.rounds[i]?.slashCpuBot ?? Number.NaN) / s.slashCpuBot));
}

/** Whether the rate measured is the bot's: the bot used its whole budget and the fake Discord had room. */
export function boundBy(t: BotTotals, placement: Placement): 'bot' | 'fake Discord' | 'unclear' {
  const cap = placement.budget ?? 1;
  if (t.slashBusy.bot >= 0.9 * cap && t.slashBusy.fake < 0.9) return 'bot';
  if (t.slashBusy.fake >= 0.9 && t.slashBusy.bot < 0.9 * cap) return 'fake Discord';
  return 'unclear';
}

const pct = (share: number) => `${(share * 100).toFixed(0)} %`;

export function placementText(p: Placement): string {
  if (!p.pinned) return `The bots and the fake Discord shared the machine's cores (${p.note ?? 'not pinned'}).`;
  return (
    `Each bot ran on core 1 and the fake Discord with the driver on core 0 (taskset)` +
    (p.budget === null ? ` with no CPU budget (${p.note ?? 'none asked for'}).` : `, each bot held to ${pct(p.budget)} of its core while measured at full load (a cgroup CPU quota, 10 ms periods).`)
  );
}

export function renderDiscord(r: DiscordResult): string {
  const e = r.echo;
  const s = r.spacedock;
  const paired = pairedSlash(r);
  const cpu = pairedCpu(r);
  const le = r.light.echo;
  const ls = r.light.spacedock;
  const lines: string[] = [];
  lines.push('### Slash commands and autocomplete through the fake Discord (issues 6.1, 6.2)');
  lines.push('');
  lines.push(
    `Each bot is its own process on a strict fake Discord of its own (REST + gateway, discord.js 14 with default REST options), started once and warmed up with ${int(r.options.warmup)} unmeasured interactions of each kind. ` +
      `${placementText(r.placement)} ` +
      `Full load: ${r.options.rounds} rounds, each a burst of ${int(r.options.commands)} \`/spacecraft search query:<Zipf word>\` commands and then ${int(r.options.keystrokes)} autocomplete keystrokes (names typed character by character), ${r.options.concurrency} in flight, ` +
      `the bots taking turns in the order echo, Spacedock, Spacedock, echo, … (each Spacedock burst has an echo burst next to it, so a drift in the shared machine's speed weighs on both alike). ` +
      `Light load: ${r.options.light.rounds} rounds of ${int(r.options.light.count)} commands and ${int(r.options.light.count)} keystrokes per bot, ${r.options.light.concurrency} in flight, no budget: the time one answer takes when nothing queues. ` +
      `Latency = from \`fake.slash()\`/\`fake.autocomplete()\` to the settled answer (reply callback / autocomplete result). ` +
      `Spacedock: \`src/main.ts\`, SQLite store with the 590-spacecraft catalogue already synced, fake LL2 answering after ${r.options.ll2LatencyMs} ms. ` +
      `The echo bot answers with discord.js's \`interaction.reply()\`; Spacedock sends the JSON its renderers made through the same client's REST manager, and a search asked again within the same second is answered with the page already drawn (\`src/interactions/answerCache.ts\`; the share is in the table). ` +
      `Thousands of searches a second is a peak no single server sends: in everyday use almost every search is drawn afresh, at the cost the in-process section gives.`,
  );
  lines.push('');
  lines.push('| | echo bot | Spacedock | Spacedock / echo | target |');
  lines.push('|---|---:|---:|---:|---|');
  lines.push(`| slash answers per second, full load (all rounds pooled) | ${e.slashPerSecond.toFixed(0)} | ${s.slashPerSecond.toFixed(0)} | ${ratio(s.slashPerSecond / e.slashPerSecond)} | |`);
  lines.push(
    `| slash throughput, round by round (Spacedock / the echo round next to it) | | | ${paired.ratios.map((x) => ratio(x)).join(', ')}: **median ${ratio(paired.median)}** | ≥ ${SLASH_TARGET} × echo (median): ${met(paired.median >= SLASH_TARGET)} |`,
  );
  lines.push(`| … the same from CPU time (echo's CPU per answer / Spacedock's), round by round | | | ${cpu.ratios.map((x) => ratio(x)).join(', ')}: median ${ratio(cpu.median)} | |`);
  lines.push(`| share of a core busy during the slash bursts: bot / fake Discord + driver | ${pct(e.slashBusy.bot)} / ${pct(e.slashBusy.fake)} | ${pct(s.slashBusy.bot)} / ${pct(s.slashBusy.fake)} | | rate bound by: echo ${boundBy(e, r.placement)}, Spacedock ${boundBy(s, r.placement)} |`);
  lines.push(`| slash latency p50 / p99, light load (${r.options.light.concurrency} in flight) | ${ms(le.slashLatency.p50)} / ${ms(le.slashLatency.p99)} | ${ms(ls.slashLatency.p50)} / ${ms(ls.slashLatency.p99)} | ${ratio(ls.slashLatency.p50 / le.slashLatency.p50)} / ${ratio(ls.slashLatency.p99 / le.slashLatency.p99)} | |`);
  lines.push(`| slash latency p50 / p99, full load (${r.options.concurrency} in flight: mostly queueing) | ${ms(e.slashLatency.p50)} / ${ms(e.slashLatency.p99)} | ${ms(s.slashLatency.p50)} / ${ms(s.slashLatency.p99)} | ${ratio(s.slashLatency.p50 / e.slashLatency.p50)} / ${ratio(s.slashLatency.p99 / e.slashLatency.p99)} | |`);
  lines.push(`| autocomplete answers per second, full load | ${e.autocompletePerSecond.toFixed(0)} | ${s.autocompletePerSecond.toFixed(0)} | ${ratio(s.autocompletePerSecond / e.autocompletePerSecond)} | |`);
  lines.push(
    `| autocomplete latency p50 / p99, light load | ${ms(le.autocompleteLatency.p50)} / ${ms(le.autocompleteLatency.p99)} | ${ms(ls.autocompleteLatency.p50)} / ${ms(ls.autocompleteLatency.p99)} | ${ratio(ls.autocompleteLatency.p50 / le.autocompleteLatency.p50)} / ${ratio(ls.autocompleteLatency.p99 / le.autocompleteLatency.p99)} | |`,
  );
  lines.push(
    `| autocomplete latency p50 / p99, full load | ${ms(e.autocompleteLatency.p50)} / ${ms(e.autocompleteLatency.p99)} | ${ms(s.autocompleteLatency.p50)} / ${ms(s.autocompleteLatency.p99)} | ${ratio(s.autocompleteLatency.p50 / e.autocompleteLatency.p50)} / ${ratio(s.autocompleteLatency.p99 / e.autocompleteLatency.p99)} | |`,
  );
  lines.push(`| bot process CPU per slash answer | ${ms(e.slashCpu.bot)} | ${ms(s.slashCpu.bot)} | ${ratio(s.slashCpu.bot / e.slashCpu.bot)} | |`);
  lines.push(`| bot process CPU per autocomplete answer | ${ms(e.autocompleteCpu.bot)} | ${ms(s.autocompleteCpu.bot)} | ${ratio(s.autocompleteCpu.bot / e.autocompleteCpu.bot)} | |`);
  lines.push(`| fake Discord + driver CPU per slash / autocomplete answer | ${ms(e.slashCpu.fake)} / ${ms(e.autocompleteCpu.fake)} | ${ms(s.slashCpu.fake)} / ${ms(s.autocompleteCpu.fake)} | | |`);
  lines.push(
    `| failed or wrong answers (slash / autocomplete; light load) | ${int(e.slashFailures)} / ${int(e.autocompleteFailures)}; ${int(le.failures)} | ${int(s.slashFailures)} / ${int(s.autocompleteFailures)}; ${int(ls.failures)} | | 0 |`,
  );
  lines.push(`| REST calls at full load: interaction callbacks / webhooks / other | ${int(e.rest.callbacks)} / ${int(e.rest.webhooks)} / ${int(e.rest.other)} | ${int(s.rest.callbacks)} / ${int(s.rest.webhooks)} / ${int(s.rest.other)} | | |`);
  lines.push(`| peak RSS of the bot process | ${mib(e.peakRss)} | ${mib(s.peakRss)} | ${ratio(s.peakRss / e.peakRss)} | |`);
  if (r.distinct.spacedock.length > 0) {
    const d = pairedDistinct(r);
    lines.push(
      `| slash throughput with searches that never repeat (no page to reuse), round by round | ${r.distinct.echo.map((x) => x.perSecond.toFixed(0)).join(', ')} | ${r.distinct.spacedock.map((x) => x.perSecond.toFixed(0)).join(', ')} | ${d.ratios.map((x) => ratio(x)).join(', ')}: median ${ratio(d.median)} | failures: ${int([...r.distinct.echo, ...r.distinct.spacedock].reduce((sum, x) => sum + x.failures, 0))} |`,
    );
  }
  if (s.listPages !== null) {
    const { drawn, reused } = s.listPages;
    lines.push(`| searches answered with the page already drawn that second (whole run: warm-up, full and light load) | | ${pct(reused / Math.max(1, drawn + reused))} (${int(reused)} of ${int(drawn + reused)}) | | |`);
  }
  const redis = r.spacedockRedis;
  lines.push('');
  if ('error' in redis) {
    lines.push(`Diagnostic run with \`STORE_URL=redis\` not measured: ${redis.error}`);
  } else {
    lines.push(
      `Diagnostic: the same Spacedock with \`STORE_URL=${REDIS_URL}\` (its own \`STORE_NAMESPACE\`, deleted afterwards; one round, same placement and budget): ` +
        `**${redis.slashPerSecond.toFixed(0)} slash answers/s**` +
        (r.echoAfterRedis === null ? '' : ` (${ratio(redis.slashPerSecond / r.echoAfterRedis.slashPerSecond)} the echo round run right after it, ${r.echoAfterRedis.slashPerSecond.toFixed(0)}/s)`) +
        `, ${ms(redis.slashCpu.bot)} bot CPU per answer; autocomplete ${redis.autocompletePerSecond.toFixed(0)}/s; failures ${int(redis.slashFailures + redis.autocompleteFailures)}.`,
    );
  }
  lines.push('');
  lines.push(
    `Per round (slash/s, autocomplete/s): echo ${e.rounds.map((x) => `${x.slashPerSecond.toFixed(0)}, ${x.autocompletePerSecond.toFixed(0)}`).join(' | ')}; ` +
      `Spacedock ${s.rounds.map((x) => `${x.slashPerSecond.toFixed(0)}, ${x.autocompletePerSecond.toFixed(0)}`).join(' | ')}. ` +
      `Percentiles pool every round's samples.`,
  );
  if (s.logProblems > 0) lines.push(`Spacedock logged ${s.logProblems} warning/error lines during the run.`);
  for (const example of [...e.failureExamples.map((x) => `echo: ${x}`), ...s.failureExamples.map((x) => `Spacedock: ${x}`)]) lines.push(`- failure: ${example}`);
  return lines.join('\n');
}
