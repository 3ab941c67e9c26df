// `npm run bench`: runs every benchmark section (each in its own process), prints one markdown
// table set and writes BENCHMARKS.md. See BENCHMARKS.md for what each section measures.
//   --only=quota,discord,handler,startup,session   run some sections
//   --quick                                        reduced counts (smoke test; never writes BENCHMARKS.md)
//   --no-write                                     a full run that leaves BENCHMARKS.md alone
//   --no-pin                                       the Discord section without holding bots and fake to cores of their own
//   --section=<name> --result=<file>               internal: run one section here, write its JSON
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from './lib/machine.ts';
import { PROJECT_ROOT } from './lib/processes.ts';
import { tempDir } from './lib/support.ts';
import { benchmarksMarkdown, renderResults, SECTIONS, type Results, type RunInfo, type SectionName } from './report.ts';
import { runDiscord } from './sections/discord.ts';
import { runHandler } from './sections/handler.ts';
import { runQuota } from './sections/quota.ts';
import { runSession } from './sections/session.ts';
import { runStartup } from './sections/startup.ts';

interface Args {
  only: SectionName[];
  quick: boolean;
  write: boolean;
  pin: boolean;
  section: SectionName | null;
  result: string | null;
}

function isSection(name: string): name is SectionName {
  return (SECTIONS as readonly string[]).includes(name);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { only: [...SECTIONS], quick: false, write: true, pin: true, section: null, result: null };
  for (const arg of argv) {
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? '' : arg.slice(eq + 1);
    if (key === '--only') {
      const names = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
      const unknown = names.filter((n) => !isSection(n));
      if (unknown.length > 0 || names.length === 0) throw new Error(`--only takes a comma-separated list of: ${SECTIONS.join(', ')} (got "${value}")`);
      args.only = names.filter(isSection);
    } else if (key === '--quick') args.quick = true;
    else if (key === '--no-write') args.write = false;
    else if (key === '--no-pin') args.pin = false;
    else if (key === '--section') {
      if (!isSection(value)) throw new Error(`unknown section "${value}"`);
      args.section = value;
    } else if (key === '--result') args.result = value;
    else throw new Error(`unknown argument "${arg}" (try --only=…, --quick, --no-write, --no-pin)`);
  }
  return args;
}

const progress = (section: string) => (text: string) => process.stderr.write(`  [${section}] ${text}\n`);

/** Runs one section in this process. */
async function runSection(name: SectionName, quick: boolean, pin: boolean): Promise<Results[SectionName]> {
  const say = progress(name);
  switch (name) {
    case 'quota':
      return runQuota({ interactions: quick ? 2_000 : 10_000, hours: 24, seed: 3 }, say);
    case 'discord':
      return runDiscord(
        quick
          ? { commands: 300, keystrokes: 300, concurrency: 50, warmup: 50, rounds: 1, ll2LatencyMs: 300, pin, cpuBudget: 0.5, light: { count: 100, concurrency: 4, rounds: 2 }, distinctRounds: 2 }
          : { commands: 5_000, keystrokes: 5_000, concurrency: 50, warmup: 4_000, rounds: 10, ll2LatencyMs: 300, pin, cpuBudget: 0.5, light: { count: 1_000, concurrency: 4, rounds: 2 }, distinctRounds: 4 },
        say,
      );
    case 'handler':
      return runHandler(
        quick ? { keystrokes: 1_000, searches: 300, storeSearches: 200, syntheticCount: 2_000 } : { keystrokes: 3_000, searches: 600, storeSearches: 400, syntheticCount: 10_000 },
        say,
      );
    case 'startup':
      return runStartup(quick ? { runs: 1, syntheticCount: 2_000, loadInteractions: 50 } : { runs: 3, syntheticCount: 10_000, loadInteractions: 150 }, say);
    case 'session':
      return runSession(say);
  }
}

/** Runs one section in a child process (its own memory, timers and sockets). */
async function runIsolated(name: SectionName, quick: boolean, pin: boolean, dir: string): Promise<Results[SectionName]> {
  const file = join(dir, `${name}.json`);
  const argv = ['--import', 'tsx', 'bench/run.ts', `--section=${name}`, `--result=${file}`, ...(quick ? ['--quick'] : []), ...(pin ? [] : ['--no-pin'])];
  const child = spawn(process.execPath, argv, { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`exited with code ${String(code)} (its output is above)`);
  // our own JSON, written just now by the same code
  return JSON.parse(readFileSync(file, 'utf8')) as Results[SectionName];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.section !== null) {
    const result = await runSection(args.section, args.quick, args.pin);
    if (args.result !== null) writeFileSync(args.result, JSON.stringify(result));
    // fakes and clients are closed; anything left (a keep-alive socket, an unref'd timer) must not keep us
    process.exit(0);
  }

  const started = performance.now();
  const machine = describeMachine();
  const results: Results = {};
  const failures: RunInfo['failures'] = {};
  const dir = tempDir('results');
  try {
    for (const name of args.only) {
      process.stderr.write(`section ${name}…\n`);
      const t0 = performance.now();
      try {
        const result = await runIsolated(name, args.quick, args.pin, dir.path);
        Object.assign(results, { [name]: result });
      } catch (error) {
        failures[name] = error instanceof Error ? error.message : String(error);
      }
      process.stderr.write(`section ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
  } finally {
    dir.remove();
  }
  const info: RunInfo = { machine, loadAverageAtEnd: loadavg()[0] ?? Number.NaN, totalMs: performance.now() - started, quick: args.quick, sections: args.only, failures };
  process.stdout.write(`${renderResults(results, info)}\n`);

  const resultsDir = join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify({ info, results }, null, 2));
  const complete = args.only.length === SECTIONS.length && Object.keys(failures).length === 0;
  if (args.write && !args.quick && complete) {
    writeFileSync(join(PROJECT_ROOT, 'BENCHMARKS.md'), benchmarksMarkdown(results, info));
    process.stderr.write('wrote BENCHMARKS.md\n');
  } else if (args.write && !args.quick) {
    process.stderr.write('BENCHMARKS.md left as it was: it is written only by a full run with every section passing\n');
  }
  if (Object.keys(failures).length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
