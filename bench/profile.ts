// Where a bot's CPU goes under slash-command load: runs Spacedock (src/main.ts, gateway mode,
// SQLite store with the catalogue) or the echo bot under `node --cpu-prof` on the fake Discord,
// sends N `/spacecraft search` commands, stops the bot (the profile is written on exit) and prints
// self time by package/file and the top functions.
//   npx tsx bench/profile.ts [--bot=spacedock|echo] [--kind=slash|distinct|autocomplete] [--commands=4000] [--concurrency=50] [--warmup=4000] [--store=<STORE_URL>] [--callers=<regex>] [--keep] [--no-prof] [--side=fake] [--pin] [--quota=0.5] [--node-flags='--max-semi-space-size=32']
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeDiscord } from '../test/fakes/discord/index.ts';
import { startFakeLl2 } from '../test/fakes/ll2/server.ts';
import { loadFixtureCatalogue } from '../test/fixtures/ll2/index.ts';
import { distinctSlashCommands, keystrokes, runAutocomplete, runSlash, slashCommands } from './lib/discordLoad.ts';
import { deployCommands, prepareCatalogueStore } from './lib/prepare.ts';
import { canPin, cpuMsOf, pinSelf, PROJECT_ROOT, spawnEchoBot, spawnSpacedock } from './lib/processes.ts';
import { tempDir } from './lib/support.ts';
import { createCpuQuota } from './lib/cpuQuota.ts';

const args = new Map(process.argv.slice(2).map((a) => { const [name, ...value] = a.replace(/^--/, '').split('='); return [name!, value.length === 0 ? undefined : value.join('=')] as const; }));
const which = args.get('bot') ?? 'spacedock';
const commands = Number(args.get('commands') ?? 4000);
const concurrency = Number(args.get('concurrency') ?? 50);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

function place(url: string): string {
  if (url === '') return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const root = pathToFileURL(PROJECT_ROOT).href;
  return url.startsWith(root) ? url.slice(root.length) : url;
}

/** Monotonic microseconds: the clock V8's profiler stamps samples with (CLOCK_MONOTONIC on Linux, as process.hrtime). */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Self time of the samples taken between `from` and `to` (monotonic µs), start-up and warm-up left out. */
function report(profile: Profile, answers: number, from: number, to: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < from || at > to) continue;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + delta);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const p = place(node.callFrame.url);
    byPlace.set(p, (byPlace.get(p) ?? 0) + us);
    const f = `${node.callFrame.functionName || '(anonymous)'} ${p}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(f, (byFunction.get(f) ?? 0) + us);
  }
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);
  const busy = total - idle;
  console.log(`profile: ${(total / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms not idle → ${(busy / 1000 / answers).toFixed(3)} ms per answer (JS thread only)`);
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1000 / answers).toFixed(4)} ms/answer  ${k}`);
  console.log('\nself time by place:\n' + top(byPlace, 25).join('\n'));
  console.log('\nself time by function:\n' + top(byFunction, 40).join('\n'));
  const callers = args.get('callers');
  if (callers !== undefined) {
    // who calls the functions matching --callers=<regex>: their stacks (5 frames up), by self time
    const pattern = new RegExp(callers);
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const stacks = new Map<string, number>();
    for (const [id, us] of self) {
      const node = byId.get(id)!;
      if (!pattern.test(`${node.callFrame.functionName} ${place(node.callFrame.url)}`)) continue;
      const frames: string[] = [];
      for (let at: number | undefined = id; at !== undefined && frames.length < 12; at = parent.get(at)) {
        const f = byId.get(at)!.callFrame;
        frames.push(`${f.functionName || '(anonymous)'} ${place(f.url)}:${f.lineNumber + 1}`);
      }
      const key = frames.join(' ← ');
      stacks.set(key, (stacks.get(key) ?? 0) + us);
    }
    console.log(`\nstacks of /${callers}/:\n` + top(stacks, 12).join('\n'));
  }
}

/** CPU ms per thread of a process, by thread name (/proc/<pid>/task/<tid>/stat; threads of one name summed). */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const name = tid === String(pid) ? `${comm} (main)` : comm;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10; // CLK_TCK 100
      out.set(name, (out.get(name) ?? 0) + ms);
    } catch {
      // the thread ended
    }
  }
  return out;
}

const dir = tempDir('profile');
const profDir = join(dir.path, 'prof');
mkdirSync(profDir);
const fake = await startFakeDiscord({ settleTimeoutMs: 10_000 });
const ll2 = await startFakeLl2({ latencyMs: 0 });
try {
  await deployCommands(fake);
  const store = await prepareCatalogueStore(`sqlite://${join(dir.path, 'spacedock.sqlite')}`, ll2.baseUrl);
  ll2.setLatency(300);
  // --no-prof: only the throughput and CPU figures, without the profiler's own cost
  const nodeArgs = [...(args.get('node-flags')?.split(' ').filter(Boolean) ?? []), ...(args.has('no-prof') ? [] : ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=200'])];
  // --pin: the bot on core 1, this process (fake Discord + driver) on core 0, as the benchmark runs them
  const pin = args.has('pin') && canPin();
  if (pin) pinSelf(0);
  const core = pin ? { cpu: 1 } : {};
  const bot =
    which === 'echo'
      ? spawnEchoBot({ restBase: fake.restBase, token: fake.token, nodeArgs, ...core })
      : spawnSpacedock({ restBase: fake.restBase, token: fake.token, applicationId: fake.applicationId, ll2BaseUrl: ll2.baseUrl, storeUrl: args.get('store') ?? store.url, nodeArgs, ...core });
  const quotaArg = args.get('quota');
  const quota = quotaArg === undefined ? null : createCpuQuota(`spacedock-profile-${process.pid}`);
  if (quotaArg !== undefined && quota === null) throw new Error('--quota: cgroups cannot be written here');
  quota?.limit(Number(quotaArg));
  // also on a failed run: the group is removed once nothing is in it
  process.once('exit', () => quota?.remove());
  quota?.add(bot.pid);
  await bot.ready;
  // an empty store (--store=memory:) syncs the catalogue from the fake LL2 first
  if (args.has('store')) await new Promise((resolve) => setTimeout(resolve, 5_000));
  const records = loadFixtureCatalogue().spacecraft;
  const autocomplete = args.get('kind') === 'autocomplete';
  // --kind=distinct: searches that never repeat (nothing drawn before to reuse)
  const distinct = args.get('kind') === 'distinct';
  const run = (count: number, seed: number) =>
    autocomplete
      ? runAutocomplete(fake, bot.pid, keystrokes(records, count, seed), concurrency)
      : runSlash(fake, bot.pid, distinct ? distinctSlashCommands(records, count, seed) : slashCommands(records, count, seed), concurrency);
  // the JIT takes thousands of interactions to settle: a short warm-up profiles start-up instead
  await run(Number(args.get('warmup') ?? 4000), 900);
  const cpuBefore = cpuMsOf(bot.pid);
  const threadsBefore = threadCpu(bot.pid);
  // --side=fake: profile this process (the fake Discord and the driver) instead of the bot
  const self = args.get('side') === 'fake' ? new Session() : null;
  if (self !== null) {
    self.connect();
    await self.post('Profiler.enable');
    await self.post('Profiler.setSamplingInterval', { interval: 200 });
    await self.post('Profiler.start');
  }
  const from = nowUs();
  const result = await run(commands, 61);
  const to = nowUs();
  const selfProfile = self === null ? null : ((await self.post('Profiler.stop')).profile as unknown as Profile);
  const cpu = cpuMsOf(bot.pid) - cpuBefore;
  const threads = [...threadCpu(bot.pid)].map(([name, ms]) => [name, ms - (threadsBefore.get(name) ?? 0)] as const).filter(([, ms]) => ms > 0);
  console.log(`${bot.name}: ${result.perSecond.toFixed(0)} ${autocomplete ? 'autocomplete' : 'slash'}/s, p50 ${result.latency.p50.toFixed(1)} ms, ${result.failures} failed; process CPU ${(cpu / result.count).toFixed(3)} ms per answer (all threads)`);
  console.log(`CPU by thread (ms per answer): ${threads.sort((a, b) => b[1] - a[1]).map(([name, ms]) => `${name} ${(ms / result.count).toFixed(3)}`).join(', ')}`);
  const fakeCpu = result.cpuPerAnswer.fake;
  console.log(`fake + driver: ${fakeCpu.toFixed(3)} ms CPU per answer, busy ${((fakeCpu * result.perSecond) / 10).toFixed(0)} % of a core; bot busy ${(((cpu / result.count) * result.perSecond) / 10).toFixed(0)} %`);
  await bot.stop();
  quota?.remove();
  if (selfProfile !== null) {
    if (args.has('keep')) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(profDir, 'fake.cpuprofile'), JSON.stringify(selfProfile));
      console.log(`profile kept: ${join(profDir, 'fake.cpuprofile')}`);
    }
    console.log('\nthe benchmark process (fake Discord + driver):');
    report(selfProfile, result.count, from, to);
  } else if (!args.has('no-prof')) {
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error('no .cpuprofile written');
    report(JSON.parse(readFileSync(join(profDir, file), 'utf8')) as Profile, result.count, from, to);
    if (args.has('keep')) console.log(`\nprofile kept: ${join(profDir, file)}`);
  }
} finally {
  await fake.close();
  await ll2.close();
  if (!args.has('keep')) dir.remove();
}
