// Issue 2's figures: a scripted console session of 50 commands from a first start (empty store),
// against the fake LL2 with LL2's real quota (15/h) and a realistic 300 ms latency.
// Prints the upstream requests it cost and the time per answer. Run: npx tsx bench/session.ts
import { PassThrough } from 'node:stream';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { runConsole } from '../src/transport/console.ts';
import { startFakeLl2 } from '../test/fakes/ll2/server.ts';
import { tempSqliteUrl } from '../test/support/stores.ts';

const SCRIPT = [
  '/spacecraft search query:soyuz',
  'next',
  'next',
  'open 12',
  'back',
  'last',
  'first',
  '/spacecraft show name:Soyuz TMA-08M',
  'complete name:drag',
  'complete config:cyg',
  '/spacecraft search query:dragon sort:-flights_count',
  'open 1',
  'back',
  'next',
  '/spacecraft search in_space:true',
  'open 1',
  '/spacecraft search status:2 sort:-time_in_space',
  'next',
  'prev',
  '/spacecraft search config:Cygnus Enhanced',
  'open 3',
  '/spacecraft search placeholder:true',
  '/spacecraft search query:progress sort:time_docked detail:detailed',
  'next',
  'next',
  'open 14',
  'back',
  '/spacecraft show name:Dragon C212 Endurance',
  '/spacecraft show name:Soyuz TMA-08M',
  'complete name:shen',
  '/spacecraft search query:shenzhou',
  'open 2',
  '/spacecraft search query:tianzhou sort:-id',
  'as bob next',
  '/spacecraft search query:starship',
  'last',
  'open 1',
  '/spacecraft search query:no such thing',
  '/spacecraft search sort:-mission_ends_count',
  'next',
  'next',
  'next',
  '/spacecraft show name:Space Shuttle Discovery',
  'complete query:soy',
  '/spacecraft search query:soyuz ms sort:-time_in_space',
  'open 1',
  'back',
  '/spacecraft search status:1',
  'open 2',
  '/spacecraft show name:Vostok 6',
];

interface Figures {
  counted: number;
  throttled: number;
  sync: number;
  lists: number;
  details: number;
  local: string;
  times: string;
  bad: number;
}

async function session(fake: Awaited<ReturnType<typeof startFakeLl2>>, storeUrl: string): Promise<Figures> {
  fake.resetRequests();
  fake.resetQuota();
  const config = loadConfig({ LL2_BASE_URL: fake.baseUrl, STORE_URL: storeUrl });
  const app = await createApp(config, silentLogger(), { storeNamespace: 'bench-session' });
  const times: number[] = [];
  const handle = app.router.handle.bind(app.router);
  app.router.handle = async (interaction, responder) => {
    const started = performance.now();
    await handle(interaction, responder);
    times.push(performance.now() - started);
  };
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d: Buffer) => (printed += d.toString()));
  const done = runConsole({ router: app.router, input, output });
  input.end(`${SCRIPT.join('\n')}\n`);
  await done;
  await app.refresher.tick();
  await app.close();
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
  const counted = fake.requests.filter((r) => r.counted);
  const sync = counted.filter((r) => (r.path.endsWith('/spacecraft/') && r.query.ordering === 'id' && r.query.search === undefined) || !r.path.includes('/spacecraft/'));
  const details = counted.filter((r) => /\/spacecraft\/\d+\/$/.test(r.path));
  const lists = counted.filter((r) => r.path.endsWith('/spacecraft/') && !sync.includes(r));
  return {
    counted: counted.length,
    throttled: fake.requests.filter((r) => r.status === 429).length,
    sync: sync.length,
    lists: lists.length,
    details: details.length,
    local: `${times.length - lists.length - details.length} of ${times.length}`,
    times: `${pct(50)} / ${pct(90)} / ${sorted.at(-1)!.toFixed(1)}`,
    bad: (printed.match(/NaN|undefined|Invalid/g) ?? []).length,
  };
}

async function main() {
  const fake = await startFakeLl2({ quota: { limit: 15, windowSecs: 3600 }, latencyMs: 300 });
  const storeUrl = tempSqliteUrl();
  const cold = await session(fake, storeUrl);
  const warm = await session(fake, storeUrl);
  const rows: Array<[string, keyof Figures]> = [
    ['upstream LL2 requests (counted by the fake)', 'counted'],
    ['  catalogue sync', 'sync'],
    ['  list queries before the catalogue was ready', 'lists'],
    ['  detail cards (distinct crafts opened)', 'details'],
    ['429 answers from LL2', 'throttled'],
    ['interactions answered without an upstream request', 'local'],
    ['answer time p50 / p90 / max (ms)', 'times'],
    ['answers showing NaN / undefined / Invalid', 'bad'],
  ];
  console.log(`50-command console session, fake LL2 with quota 15/h and 300 ms latency\n`);
  console.log('| figure | first start (empty store) | after a restart (same store) |\n|---|---|---|');
  for (const [label, key] of rows) console.log(`| ${label} | ${cold[key]} | ${warm[key]} |`);
  await fake.close();
}

await main();
