// Issue 6.1 and the transport half of 6.2: slash commands and autocomplete through the strict fake
// Discord, Spacedock (src/main.ts in gateway mode, its own process) against the echo bot (same
// fake, same discord.js, its own process). Spacedock's catalogue is already in its store, and its
// fake LL2 answers after 300 ms, as the real one might.
import { join } from 'node:path';
import { fakeUser, startFakeDiscord, type FakeDiscord } from '../../test/fakes/discord/index.ts';
import { startFakeLl2 } from '../../test/fakes/ll2/server.ts';
import { loadFixtureCatalogue } from '../../test/fixtures/ll2/index.ts';
import { keystrokes, runAutocomplete, runSlash, slashCommands, type LoadResult } from '../lib/discordLoad.ts';
import { assertFromCatalogue, deployCommands, dropRedisNamespace, prepareCatalogueStore } from '../lib/prepare.ts';
import { memoryOf, spawnEchoBot, spawnSpacedock, type BotProcess } from '../lib/processes.ts';
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
}

interface BotRun {
  slash: LoadResult;
  autocomplete: LoadResult;
  peakRss: number;
  logProblems: number;
}

export interface BotTotals {
  slashPerSecond: number;
  slashLatency: Summary;
  slashFailures: number;
  slashCpu: { bot: number; fake: number };
  autocompleteCpu: { bot: number; fake: number };
  autocompletePerSecond: number;
  autocompleteLatency: Summary;
  autocompleteFailures: number;
  rest: LoadResult['rest'];
  peakRss: number;
  logProblems: number;
  failureExamples: string[];
  rounds: Array<{ slashPerSecond: number; autocompletePerSecond: number }>;
}

export interface DiscordResult {
  options: DiscordOptions;
  echo: BotTotals;
  spacedock: BotTotals;
  /** The same Spacedock with STORE_URL=redis (its own namespace), one round: is the store the bound? */
  spacedockRedis: BotTotals | { error: string };
  /** An echo round right after the Redis round, to compare that round with (the machine drifts). */
  echoAfterRedis: BotTotals | null;
}

/** A bot connected to its own fake Discord, warmed up and ready for bursts of load. */
interface Contender {
  bot: BotProcess;
  fake: FakeDiscord;
  runs: BotRun[];
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
}

/** One burst of slash commands, then one of keystrokes (the same ones for every bot in a round). */
async function burst(contender: Contender, options: DiscordOptions, round: number, progress: (t: string) => void): Promise<void> {
  const { bot, fake } = contender;
  const records = loadFixtureCatalogue().spacecraft;
  const slash = await runSlash(fake, bot.pid, slashCommands(records, options.commands, 61 + round), options.concurrency);
  const autocomplete = await runAutocomplete(fake, bot.pid, keystrokes(records, options.keystrokes, 620 + round), options.concurrency);
  progress(`${bot.name} round ${round + 1}: ${slash.perSecond.toFixed(0)} slash/s, ${autocomplete.perSecond.toFixed(0)} autocomplete/s`);
  contender.runs.push({ slash, autocomplete, peakRss: 0, logProblems: 0 });
}

/** Stops the bot; its peak RSS and warning lines go on its last run. */
async function finish(contender: Contender): Promise<BotRun[]> {
  const last = contender.runs[contender.runs.length - 1];
  if (last !== undefined) {
    last.peakRss = memoryOf(contender.bot.pid).peakRss;
    last.logProblems = contender.bot.lines.filter((l) => /"level":(40|50|60)/.test(l)).length;
  }
  await contender.bot.stop();
  return contender.runs;
}

function totals(runs: BotRun[]): BotTotals {
  const pool = (pick: (r: BotRun) => LoadResult) => {
    const results = runs.map(pick);
    const wall = results.reduce((sum, r) => sum + r.wallMs, 0);
    const count = results.reduce((sum, r) => sum + r.count, 0);
    return {
      perSecond: (count * 1000) / wall,
      latency: summarise(results.flatMap((r) => r.samples)),
      failures: results.reduce((sum, r) => sum + r.failures, 0),
      examples: results.flatMap((r) => r.failureExamples),
      cpu: {
        bot: results.reduce((sum, r) => sum + r.cpuPerAnswer.bot * r.count, 0) / count,
        fake: results.reduce((sum, r) => sum + r.cpuPerAnswer.fake * r.count, 0) / count,
      },
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
    autocompleteCpu: auto.cpu,
    autocompletePerSecond: auto.perSecond,
    autocompleteLatency: auto.latency,
    autocompleteFailures: auto.failures,
    rest,
    peakRss: Math.max(...runs.map((r) => r.peakRss)),
    logProblems: runs.reduce((s, r) => s + r.logProblems, 0),
    failureExamples: [...slash.examples, ...auto.examples].slice(0, 3),
    rounds: runs.map((r) => ({ slashPerSecond: r.slash.perSecond, autocompletePerSecond: r.autocomplete.perSecond })),
  };
}

export async function runDiscord(options: DiscordOptions, progress: (text: string) => void): Promise<DiscordResult> {
  const dir = tempDir('discord');
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
    progress(`catalogue store ready: ${store.records} spacecraft`);
    const echo: Contender = { bot: spawnEchoBot({ restBase: echoFake.restBase, token: echoFake.token }), fake: echoFake, runs: [] };
    const spacedock: Contender = {
      bot: spawnSpacedock({ restBase: fake.restBase, token: fake.token, applicationId: fake.applicationId, ll2BaseUrl: ll2.baseUrl, storeUrl: store.url }),
      fake,
      runs: [],
    };
    try {
      await warmUp(echo, options);
      await warmUp(spacedock, options);
      // The machine's speed drifts (it is shared): short bursts, the bots taking turns in the order
      // echo, Spacedock, Spacedock, echo, … (ABBA), so each Spacedock burst has an echo burst next to it.
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 === 0 ? [echo, spacedock] : [spacedock, echo];
        for (const contender of order) await burst(contender, options, round, progress);
      }
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
        const redisBot: Contender = {
          bot: Object.assign(
            spawnSpacedock({ restBase: fake.restBase, token: fake.token, applicationId: fake.applicationId, ll2BaseUrl: ll2.baseUrl, storeUrl: redisStore.url, storeNamespace: namespace }),
            { name: 'Spacedock (Redis store)' },
          ),
          fake,
          runs: [],
        };
        try {
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
    return { options, echo: totals(echo.runs), spacedock: totals(spacedock.runs), spacedockRedis, echoAfterRedis };
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

/**
 * Spacedock / echo slash throughput round by round (each Spacedock round against the echo round
 * next to it), their median — what the target is judged on, since one odd round cannot move it —
 * and their spread.
 */
export function pairedSlash(r: Pick<DiscordResult, 'echo' | 'spacedock'>): { ratios: number[]; median: number; min: number; max: number } {
  const ratios = r.spacedock.rounds.map((s, i) => s.slashPerSecond / (r.echo.rounds[i]?.slashPerSecond ?? Number.NaN));
  const sorted = [...ratios].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { ratios, median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export function renderDiscord(r: DiscordResult): string {
  const e = r.echo;
  const s = r.spacedock;
  const slashRatio = s.slashPerSecond / e.slashPerSecond;
  const paired = pairedSlash(r);
  const autoRatio = s.autocompletePerSecond / e.autocompletePerSecond;
  const lines: string[] = [];
  lines.push('### Slash commands and autocomplete through the fake Discord (issues 6.1, 6.2)');
  lines.push('');
  lines.push(
    `Each bot is its own process on the same strict fake Discord (REST + gateway, discord.js 14 with default REST options): ` +
      `${int(r.options.commands)} \`/spacecraft search query:<Zipf word>\` commands, then ${int(r.options.keystrokes)} autocomplete keystrokes (names typed character by character), ` +
      `${r.options.concurrency} in flight, per round; ${r.options.rounds} rounds. Each bot is one process on a fake Discord of its own, started once and warmed up with ${r.options.warmup} unmeasured interactions of each kind; the rounds are short bursts, the bots taking turns in the order echo, Spacedock, Spacedock, echo, … (so each Spacedock burst has an echo burst next to it, and a drift in the shared machine's speed weighs on both alike). ` +
      `Latency = from \`fake.slash()\`/\`fake.autocomplete()\` to the settled answer (reply callback / autocomplete result). ` +
      `Spacedock: \`src/main.ts\`, SQLite store with the 590-spacecraft catalogue already synced, fake LL2 answering after ${r.options.ll2LatencyMs} ms.`,
  );
  lines.push('');
  lines.push('| | echo bot | Spacedock | Spacedock / echo | target |');
  lines.push('|---|---:|---:|---:|---|');
  lines.push(
    `| slash answers per second (all rounds pooled) | ${e.slashPerSecond.toFixed(0)} | ${s.slashPerSecond.toFixed(0)} | ${ratio(slashRatio)} | |`,
  );
  lines.push(
    `| slash throughput, round by round (Spacedock / the echo round next to it) | | | ${paired.ratios.map((x) => ratio(x)).join(', ')}: **median ${ratio(paired.median)}** | ≥ ${SLASH_TARGET} × echo (median): ${met(paired.median >= SLASH_TARGET)} |`,
  );
  lines.push(`| slash latency p50 / p99 | ${ms(e.slashLatency.p50)} / ${ms(e.slashLatency.p99)} | ${ms(s.slashLatency.p50)} / ${ms(s.slashLatency.p99)} | ${ratio(s.slashLatency.p50 / e.slashLatency.p50)} / ${ratio(s.slashLatency.p99 / e.slashLatency.p99)} | |`);
  lines.push(`| autocomplete answers per second | ${e.autocompletePerSecond.toFixed(0)} | ${s.autocompletePerSecond.toFixed(0)} | ${ratio(autoRatio)} | |`);
  lines.push(
    `| autocomplete latency p50 / p99 | ${ms(e.autocompleteLatency.p50)} / ${ms(e.autocompleteLatency.p99)} | ${ms(s.autocompleteLatency.p50)} / ${ms(s.autocompleteLatency.p99)} | ${ratio(s.autocompleteLatency.p50 / e.autocompleteLatency.p50)} / ${ratio(s.autocompleteLatency.p99 / e.autocompleteLatency.p99)} | |`,
  );
  lines.push(`| bot process CPU per slash answer | ${ms(e.slashCpu.bot)} | ${ms(s.slashCpu.bot)} | ${ratio(s.slashCpu.bot / e.slashCpu.bot)} | |`);
  lines.push(`| bot process CPU per autocomplete answer | ${ms(e.autocompleteCpu.bot)} | ${ms(s.autocompleteCpu.bot)} | ${ratio(s.autocompleteCpu.bot / e.autocompleteCpu.bot)} | |`);
  lines.push(`| fake Discord + driver CPU per slash / autocomplete answer | ${ms(e.slashCpu.fake)} / ${ms(e.autocompleteCpu.fake)} | ${ms(s.slashCpu.fake)} / ${ms(s.autocompleteCpu.fake)} | | |`);
  lines.push(`| failed or wrong answers (slash / autocomplete) | ${int(e.slashFailures)} / ${int(e.autocompleteFailures)} | ${int(s.slashFailures)} / ${int(s.autocompleteFailures)} | | 0 |`);
  lines.push(`| REST calls: interaction callbacks / webhooks / other | ${int(e.rest.callbacks)} / ${int(e.rest.webhooks)} / ${int(e.rest.other)} | ${int(s.rest.callbacks)} / ${int(s.rest.webhooks)} / ${int(s.rest.other)} | | |`);
  lines.push(`| peak RSS of the bot process | ${mib(e.peakRss)} | ${mib(s.peakRss)} | ${ratio(s.peakRss / e.peakRss)} | |`);
  const redis = r.spacedockRedis;
  lines.push('');
  if ('error' in redis) {
    lines.push(`Diagnostic run with \`STORE_URL=redis\` not measured: ${redis.error}`);
  } else {
    lines.push(
      `Diagnostic: the same Spacedock with \`STORE_URL=${REDIS_URL}\` (its own \`STORE_NAMESPACE\`, deleted afterwards; one round): ` +
        `**${redis.slashPerSecond.toFixed(0)} slash answers/s**` +
        (r.echoAfterRedis === null ? '' : ` (${ratio(redis.slashPerSecond / r.echoAfterRedis.slashPerSecond)} the echo round run right after it, ${r.echoAfterRedis.slashPerSecond.toFixed(0)}/s)`) +
        `, p50 / p99 ${ms(redis.slashLatency.p50)} / ${ms(redis.slashLatency.p99)}, ` +
        `${ms(redis.slashCpu.bot)} bot CPU per answer; autocomplete ${redis.autocompletePerSecond.toFixed(0)}/s; failures ${int(redis.slashFailures + redis.autocompleteFailures)}.`,
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
