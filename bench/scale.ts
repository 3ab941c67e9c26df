// Issue 5's figures: throughput of interactions across 1, 2 and 4 bot processes sharing one Redis,
// and the LL2 quota's largest spend in any window under that load.
//
// Each run starts N real processes of the bot in HTTP interactions mode (the entry point, as
// `npm start` would, STORE_URL=redis://…) behind a round-robin client that signs every request as
// Discord does; a fresh fake LL2 enforces a short quota window so the load crosses many windows.
// The mix: searches (new lists: page state written to Redis), next-page clicks on lists that any
// process may have made (page state read from Redis), autocomplete (memory only) and detail cards
// (the shared quota ledger, then the Redis cache or the catalogue). Closed loop, fixed concurrency.
// Each row is the better of two rounds on the same processes (the machine is shared; the better
// round is the one less disturbed); the quota columns cover every request of both rounds.
//
// Run: npx tsx bench/scale.ts   (needs Redis on 127.0.0.1:6379; about a minute; prints a markdown table)
import { availableParallelism, loadavg } from 'node:os';
import { decodeCustomId, encodeCustomId } from '../src/interactions/customId.ts';
import { startFakeLl2, type FakeLl2 } from '../test/fakes/ll2/server.ts';
import { loadFixtureCatalogue } from '../test/fixtures/ll2/index.ts';
import {
  autocompleteInteraction,
  buttonInteraction,
  createSigner,
  customIds,
  dropNamespace,
  eventually,
  footerOf,
  freePort,
  person,
  postInteraction,
  slashInteraction,
  spawnSpacedock,
  startWebhookRecorder,
  stopAllSpacedocks,
  type HttpAnswer,
  type Person,
  type SpacedockProcess,
} from '../test/support/cluster.ts';
import { REDIS_URL, uniqueNamespace } from '../test/support/stores.ts';

const PROCESS_COUNTS = [1, 2, 4];
const CONCURRENCY = 32;
const ROUNDS = 2;
const WARMUP_MS = 1_500;
const MEASURE_MS = 6_000;
const QUOTA = { limit: 15, windowSecs: 10 };
const APPLICATION_ID = '1100000000000000042';
const MIX = { search: 0.25, next: 0.35, autocomplete: 0.25, card: 0.15 };

const signer = createSigner();
const fixture = loadFixtureCatalogue();
const ids = fixture.spacecraft.map((s) => s.id);
const words = ['soyuz', 'dragon', 'progress', 'shenzhou', 'cygnus', 'tianzhou', 'starship', 'htv', 'orion', 'apollo', 'gemini', 'vostok'];
const sorts = ['-flights_count', '-time_in_space', 'time_docked', '-id'];

/** Mulberry32: the same load every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface List {
  owner: Person;
  stateId: string;
  page: number;
  pages: number;
}

interface Sample {
  kind: keyof typeof MIX;
  ms: number;
  ok: boolean;
}

interface Row {
  processes: number;
  interactions: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  failed: number;
  ll2Requests: number;
  largestWindowSpend: number;
  refused: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** The most requests LL2 counted inside any window of `windowMs` (a sliding window over arrival times). */
function largestSpend(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

async function run(processes: number): Promise<Row> {
  const namespace = uniqueNamespace();
  const ll2: FakeLl2 = await startFakeLl2({ quota: QUOTA });
  const recorder = await startWebhookRecorder();
  const workers: Array<{ process: SpacedockProcess; url: string }> = [];
  try {
    for (let i = 0; i < processes; i++) {
      const port = await freePort();
      const process = spawnSpacedock(`worker ${i + 1}/${processes}`, {
        DISCORD_PUBLIC_KEY: signer.publicKeyHex,
        INTERACTIONS_PORT: String(port),
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_REST_API: recorder.restBase,
        STORE_URL: REDIS_URL,
        STORE_NAMESPACE: namespace,
        LL2_BASE_URL: ll2.baseUrl,
        LL2_QUOTA_LIMIT: String(QUOTA.limit),
        LL2_QUOTA_WINDOW_SECS: String(QUOTA.windowSecs),
        LOG_LEVEL: 'info',
      });
      workers.push({ process, url: `http://127.0.0.1:${port}/` });
    }
    await Promise.all(workers.map((w) => w.process.waitForLog('serving the HTTP interactions endpoint', 30_000)));
    const parts = (w: SpacedockProcess) =>
      new Set(w.logs.flatMap((l) => (l.msg === 'catalogue part synced' ? [String(l['part'])] : l.msg === 'loaded the catalogue version in the store' && Array.isArray(l['parts']) ? l['parts'].map(String) : [])));
    await eventually('the catalogue in every process', () => workers.every((w) => parts(w.process).size === 3), 30_000);

    const random = prng(processes * 7919);
    const people = Array.from({ length: 200 }, (_, i) => person(`user${i}`));
    const lists: List[] = [];
    let turn = 0;
    const send = async (payload: { id: string }) => {
      const body = JSON.stringify(payload);
      return postInteraction(workers[turn++ % workers.length]!.url, body, signer.headers(body));
    };
    const dataOf = (answer: HttpAnswer): unknown => (typeof answer.body === 'object' && answer.body !== null ? (answer.body as { data?: unknown }).data : undefined);

    async function one(): Promise<Sample> {
      const roll = random();
      const picked: Sample['kind'] =
        roll < MIX.search ? 'search' : roll < MIX.search + MIX.next ? 'next' : roll < MIX.search + MIX.next + MIX.autocomplete ? 'autocomplete' : 'card';
      // a click needs a list to click on
      const kind = picked === 'next' && lists.length === 0 ? 'search' : picked;
      const who = people[Math.floor(random() * people.length)]!;
      const started = performance.now();
      let answer: HttpAnswer;
      if (kind === 'search') {
        const options: Record<string, string> = random() < 0.8 ? { query: words[Math.floor(random() * words.length)]! } : {};
        if (random() < 0.5) options['sort'] = sorts[Math.floor(random() * sorts.length)]!;
        answer = await send(slashInteraction(APPLICATION_ID, who, 'search', options));
        const next = customIds(dataOf(answer)).find((id) => id.includes(':next:'));
        const target = next === undefined ? null : decodeCustomId(next);
        const pages = Number(/^page 1\/(\d+)/.exec(footerOf(dataOf(answer)))?.[1] ?? '1');
        if (target !== null) lists.push({ owner: who, stateId: target.stateId, page: 1, pages });
      } else if (kind === 'next') {
        const list = lists[Math.floor(random() * lists.length)]!;
        const page = list.page >= list.pages ? 1 : list.page + 1;
        const customId = encodeCustomId({ stateId: list.stateId, action: page === 1 ? 'first' : 'next', value: page });
        list.page = page;
        answer = await send(buttonInteraction(APPLICATION_ID, list.owner, customId));
      } else if (kind === 'autocomplete') {
        const word = words[Math.floor(random() * words.length)]!;
        answer = await send(autocompleteInteraction(APPLICATION_ID, who, 'show', 'name', word.slice(0, 1 + Math.floor(random() * word.length))));
      } else {
        answer = await send(slashInteraction(APPLICATION_ID, who, 'show', { name: String(ids[Math.floor(random() * ids.length)]) }));
      }
      const type = typeof answer.body === 'object' && answer.body !== null ? (answer.body as { type?: unknown }).type : undefined;
      return { kind, ms: performance.now() - started, ok: answer.status === 200 && [4, 5, 7, 8].includes(Number(type)) };
    }

    async function load(ms: number): Promise<{ samples: Sample[]; elapsedMs: number }> {
      const samples: Sample[] = [];
      const started = performance.now();
      const deadline = started + ms;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < deadline) samples.push(await one());
        }),
      );
      return { samples, elapsedMs: performance.now() - started };
    }

    const rounds: Array<{ samples: Sample[]; elapsedMs: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      await load(WARMUP_MS);
      rounds.push(await load(MEASURE_MS));
    }
    const rate = (r: { samples: Sample[]; elapsedMs: number }) => r.samples.length / r.elapsedMs;
    const { samples, elapsedMs } = rounds.reduce((a, b) => (rate(b) > rate(a) ? b : a));
    const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
    const counted = ll2.requests.filter((r) => r.counted);
    const crashed = workers.filter((w) => !w.process.alive()).length;
    if (crashed > 0) throw new Error(`${crashed} worker(s) exited during the run`);
    return {
      processes,
      interactions: samples.length,
      perSecond: samples.length / (elapsedMs / 1000),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      failed: samples.filter((s) => !s.ok).length,
      ll2Requests: counted.length,
      largestWindowSpend: largestSpend(counted.map((r) => r.at), QUOTA.windowSecs * 1000),
      refused: ll2.requests.filter((r) => r.status === 429).length,
    };
  } finally {
    await stopAllSpacedocks();
    await recorder.close();
    await ll2.close();
    await dropNamespace(REDIS_URL, namespace);
  }
}

async function main(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  const rows: Row[] = [];
  for (const processes of PROCESS_COUNTS) {
    process.stderr.write(`running ${processes} process(es)…\n`);
    rows.push(await run(processes));
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`### Scale-out: HTTP interactions across processes on one Redis`);
  out('');
  out(
    `Node ${process.version}, ${availableParallelism()} cores (bench client, fake LL2 and every bot process share them); ` +
      `load average ${load.toFixed(1)} at the start; ` +
      `${CONCURRENCY} requests in flight, round robin over the processes; per row the better of ${ROUNDS} rounds of ${WARMUP_MS / 1000} s warm-up + ${MEASURE_MS / 1000} s measured. ` +
      `Mix: ${Object.entries(MIX).map(([k, v]) => `${Math.round(v * 100)}% ${k}`).join(', ')}. ` +
      `LL2 quota (bot and fake alike): ${QUOTA.limit} requests per ${QUOTA.windowSecs} s window.`,
  );
  out('');
  out(`| processes | interactions | interactions/s | p50 ms | p95 ms | p99 ms | failed | LL2 requests (all rounds, incl. first sync) | largest LL2 spend in any ${QUOTA.windowSecs} s window (limit ${QUOTA.limit}) | LL2 429s |`);
  out('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    out(
      `| ${r.processes} | ${r.interactions} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.failed} | ${r.ll2Requests} | ${r.largestWindowSpend} | ${r.refused} |`,
    );
  }
}

main().catch(async (error: unknown) => {
  await stopAllSpacedocks();
  process.stderr.write(`bench/scale.ts failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
