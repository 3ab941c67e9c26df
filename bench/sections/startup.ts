// Issue 6.4: time from start to ready and peak memory of the real entry point (src/main.ts, gateway
// mode, its own process) against the fake Discord, with the catalogue already in its SQLite store —
// at the fixture's 590 spacecraft and at a synthetic 10,000 — next to the echo bot as a baseline.
import { join } from 'node:path';
import { startFakeDiscord, type FakeDiscord } from '../../test/fakes/discord/index.ts';
import { startFakeLl2 } from '../../test/fakes/ll2/server.ts';
import { loadFixtureCatalogue, type SpacecraftRecord } from '../../test/fixtures/ll2/index.ts';
import { keystrokes, runAutocomplete, runSlash, slashCommands } from '../lib/discordLoad.ts';
import { assertFromCatalogue, deployCommands, prepareCatalogueStore, type PreparedStore } from '../lib/prepare.ts';
import { descendantsOf, memoryOf, spawnEchoBot, spawnSpacedock, type BotProcess } from '../lib/processes.ts';
import { int, mib, ms, ratio, summarise } from '../lib/stats.ts';
import { tempDir } from '../lib/support.ts';

export interface StartupOptions {
  runs: number;
  syntheticCount: number;
  /** Slash commands and as many keystrokes played after ready, before memory is read again. */
  loadInteractions: number;
}

interface StartRun {
  readyMs: number;
  identifyMs: number;
  firstAnswerMs: number;
  peakRssAtReady: number;
  peakRssAfterLoad: number;
  helpers: string[];
}

export interface StartupRow {
  label: string;
  records: number | null;
  store: PreparedStore | null;
  runs: StartRun[];
  readyMs: number;
  identifyMs: number;
  firstAnswerMs: number;
  peakRssAtReady: number;
  peakRssAfterLoad: number;
}

export interface StartupResult {
  options: StartupOptions;
  rows: StartupRow[];
}

async function waitForIdentify(fake: FakeDiscord, before: number, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (fake.identifies.length <= before) {
    if (Date.now() > deadline) throw new Error('the fake Discord saw no IDENTIFY');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return fake.identifies[before]!.at;
}

async function measure(fake: FakeDiscord, start: () => BotProcess, records: readonly SpacecraftRecord[], options: StartupOptions): Promise<StartRun> {
  const identifiesBefore = fake.identifies.length;
  const bot = start();
  try {
    const readyAt = await bot.ready;
    const identifiedAt = await waitForIdentify(fake, identifiesBefore);
    const peakRssAtReady = memoryOf(bot.pid).peakRss;
    const t0 = performance.now();
    const first = await fake.slash(fakeUserFor(), 'spacecraft', 'search', { query: 'soyuz' }, { graceMs: 0, timeoutMs: 10_000 });
    const firstAnswerMs = performance.now() - t0;
    if (!first.settled || first.type !== 4) throw new Error(`${bot.name}: the first search was not answered (type ${String(first.type)})`);
    if (bot.name.startsWith('Spacedock')) assertFromCatalogue(first.message, bot.name);
    await runSlash(fake, bot.pid, slashCommands(records, options.loadInteractions, 81), 20);
    await runAutocomplete(fake, bot.pid, keystrokes(records, options.loadInteractions, 82), 20);
    fake.clearHistory();
    const helpers = descendantsOf(bot.pid).map((h) => `${h.command.split('/').at(-1) ?? h.command} (${mib(h.peakRss)})`);
    return {
      readyMs: readyAt - bot.spawnedAt,
      identifyMs: identifiedAt - bot.spawnedAtEpoch,
      firstAnswerMs,
      peakRssAtReady,
      peakRssAfterLoad: memoryOf(bot.pid).peakRss,
      helpers,
    };
  } finally {
    await bot.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

let users = 0;
function fakeUserFor() {
  users++;
  return { id: (300_000_000_000_000_000n + BigInt(users)).toString(), username: `starter${users}`, global_name: null };
}

function row(label: string, records: number | null, store: PreparedStore | null, runs: StartRun[]): StartupRow {
  const median = (pick: (r: StartRun) => number) => summarise(runs.map(pick)).p50;
  return {
    label,
    records,
    store,
    runs,
    readyMs: median((r) => r.readyMs),
    identifyMs: median((r) => r.identifyMs),
    firstAnswerMs: median((r) => r.firstAnswerMs),
    peakRssAtReady: median((r) => r.peakRssAtReady),
    peakRssAfterLoad: median((r) => r.peakRssAfterLoad),
  };
}

export async function runStartup(options: StartupOptions, progress: (text: string) => void): Promise<StartupResult> {
  const fake = await startFakeDiscord({ settleTimeoutMs: 10_000 });
  const rows: StartupRow[] = [];
  try {
    await deployCommands(fake);
    const fixture = loadFixtureCatalogue().spacecraft;
    const echoRuns: StartRun[] = [];
    for (let i = 0; i < options.runs; i++) echoRuns.push(await measure(fake, () => spawnEchoBot({ restBase: fake.restBase, token: fake.token }), fixture, options));
    rows.push(row('echo bot (baseline, no data)', null, null, echoRuns));
    progress(`echo bot: ready in ${rows.at(-1)!.readyMs.toFixed(0)} ms`);

    const sizes: Array<[string, SpacecraftRecord[]]> = [
      ['Spacedock, fixture catalogue', fixture],
      [`Spacedock, synthetic ${int(options.syntheticCount)}`, loadFixtureCatalogue({ syntheticCount: options.syntheticCount }).spacecraft],
    ];
    for (const [index, [label, spacecraft]] of sizes.entries()) {
      const storeDir = tempDir(`startup-${index}`);
      try {
        // the bot's LL2 serves these records; no latency while the store is prepared from it
        const ll2 = await startFakeLl2({ spacecraft });
        const store = await prepareCatalogueStore(`sqlite://${join(storeDir.path, 'spacedock.sqlite')}`, ll2.baseUrl);
        // the bot only asks /api-throttle/ at start (free); answers come after 300 ms as they might from LL2
        ll2.setLatency(300);
        const runs: StartRun[] = [];
        for (let i = 0; i < options.runs; i++) {
          runs.push(
            await measure(
              fake,
              () => spawnSpacedock({ restBase: fake.restBase, token: fake.token, applicationId: fake.applicationId, ll2BaseUrl: ll2.baseUrl, storeUrl: store.url }),
              spacecraft,
              options,
            ),
          );
        }
        rows.push(row(label, store.records, store, runs));
        progress(`${label}: ready in ${rows.at(-1)!.readyMs.toFixed(0)} ms, peak RSS ${mib(rows.at(-1)!.peakRssAfterLoad)}`);
        await ll2.close();
      } finally {
        storeDir.remove();
      }
    }
    return { options, rows };
  } finally {
    await fake.close();
  }
}

// ---------------------------------------------------------------------------------------------

export function renderStartup(r: StartupResult): string {
  const lines: string[] = [];
  lines.push('### Start-up time and peak memory (issue 6.4)');
  lines.push('');
  lines.push(
    `\`node --import tsx src/main.ts\` (what \`npm start\` runs, without tsx's wrapper process) in gateway mode against the fake Discord, catalogue already in its SQLite store; ` +
      `median of ${r.options.runs} starts each. “Ready” = spawn → the \`connected to Discord\` log line; “IDENTIFY” = spawn → the fake Discord receiving IDENTIFY (it sends READY at once). ` +
      `Peak RSS = \`VmHWM\` of the bot's process from /proc, at ready and after ${int(r.options.loadInteractions)} searches + ${int(r.options.loadInteractions)} autocomplete keystrokes (20 in flight).`,
  );
  lines.push('');
  lines.push('| bot | spacecraft | store file | ready (min–max) | IDENTIFY | first search answered | peak RSS at ready | peak RSS after load |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const x of r.rows) {
    lines.push(
      `| ${x.label} | ${x.records === null ? '–' : int(x.records)} | ${x.store === null || x.store.bytes === null ? '–' : mib(x.store.bytes)} | ${ms(x.readyMs)} (${ms(Math.min(...x.runs.map((run) => run.readyMs)))}–${ms(Math.max(...x.runs.map((run) => run.readyMs)))}) | ${ms(x.identifyMs)} | ${ms(x.firstAnswerMs)} | ${mib(x.peakRssAtReady)} | ${mib(x.peakRssAfterLoad)} |`,
    );
  }
  const small = r.rows.find((x) => x.label.includes('fixture'));
  const big = r.rows.find((x) => x.label.includes('synthetic'));
  if (small !== undefined && big !== undefined && small.records !== null && big.records !== null) {
    const k = (big.records - small.records) / 1000;
    lines.push('');
    lines.push(
      `Growth with data (${int(small.records)} → ${int(big.records)} spacecraft): ready +${ms(big.readyMs - small.readyMs)} (${ratio(big.readyMs / small.readyMs)}), ` +
        `peak RSS after load +${mib(big.peakRssAfterLoad - small.peakRssAfterLoad)} (${ratio(big.peakRssAfterLoad / small.peakRssAfterLoad)}) — ` +
        `about ${ms((big.readyMs - small.readyMs) / k)} and ${mib((big.peakRssAfterLoad - small.peakRssAfterLoad) / k)} per 1,000 spacecraft. ` +
        `Preparing the stores (a full sync from the fake LL2, no latency): ${ms(small.store!.syncMs)} and ${ms(big.store!.syncMs)}.`,
    );
  }
  const helpers = [...new Set(r.rows.flatMap((x) => x.runs.flatMap((run) => run.helpers)))];
  if (helpers.length > 0) lines.push(`Helper processes seen under the bot (not counted above): ${helpers.join(', ')}.`);
  return lines.join('\n');
}
