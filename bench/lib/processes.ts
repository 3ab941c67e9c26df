// Bots as child processes: Spacedock through its real entry point (src/main.ts, gateway mode) and
// the echo bot, both on the fake Discord; start-up timing from their output; memory from /proc.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BotProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** performance.now() at spawn. */
  spawnedAt: number;
  /** Date.now() at spawn (to compare with the fake's clock). */
  spawnedAtEpoch: number;
  /** Every stdout/stderr line so far (JSON log lines of Spacedock, plain text of the echo child). */
  lines: string[];
  /** Resolves with performance.now() when the "connected" line appears; rejects if the child exits first or after the timeout. */
  ready: Promise<number>;
  stop(): Promise<number | null>;
}

/** Only what the child needs: no inherited settings from the shell running the benchmark. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Whether processes can be held to cores here (Linux `taskset`, at least two cores): the Discord
 * benchmark gives each bot a core of its own and keeps the fake Discord on another.
 */
export function canPin(): boolean {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Holds every thread of this process to `cpu` (see canPin). */
export function pinSelf(cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

interface SpawnOptions {
  nodeArgs?: readonly string[] | undefined;
  /** Hold the bot (all its threads) to this core, through `taskset` (see canPin). */
  cpu?: number | undefined;
}

function spawnBot(name: string, args: string[], env: Record<string, string>, readyWhen: (line: string) => boolean, timeoutMs: number, options: SpawnOptions = {}): BotProcess {
  const spawnedAt = performance.now();
  const spawnedAtEpoch = Date.now();
  // `node --import tsx` is what `npm start` (tsx) runs, without tsx's wrapper process in between
  const argv = [...(options.nodeArgs ?? []), '--import', 'tsx', ...args];
  const [command, commandArgs] = options.cpu === undefined ? [process.execPath, argv] : ['taskset', ['-c', String(options.cpu), process.execPath, ...argv]];
  const child = spawn(command, commandArgs, { cwd: PROJECT_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name}: could not spawn`);
  const lines: string[] = [];
  let resolveReady!: (at: number) => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<number>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {}); // the caller awaits it; an early exit must not become an unhandled rejection
  const timer = setTimeout(() => rejectReady(new Error(`${name}: not ready after ${timeoutMs} ms; last output: ${lines.slice(-5).join(' | ')}`)), timeoutMs);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > 5_000) lines.splice(0, 1_000);
      if (readyWhen(line)) {
        clearTimeout(timer);
        resolveReady(performance.now());
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then((code) => {
    clearTimeout(timer);
    rejectReady(new Error(`${name}: exited (code ${String(code)}) before it was ready; last output: ${lines.slice(-5).join(' | ')}`));
  });
  return {
    name,
    child,
    pid: child.pid,
    spawnedAt,
    spawnedAtEpoch,
    lines,
    ready,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}

export interface SpacedockProcessOptions {
  restBase: string;
  token: string;
  applicationId: string;
  ll2BaseUrl: string;
  storeUrl: string;
  storeNamespace?: string;
  timeoutMs?: number;
  /** Extra `node` flags (e.g. `--cpu-prof`, used by bench/profile.ts). */
  nodeArgs?: readonly string[];
  /** Hold the bot to this core (see canPin). */
  cpu?: number;
}

export function spawnSpacedock(options: SpacedockProcessOptions): BotProcess {
  return spawnBot(
    'Spacedock',
    ['src/main.ts'],
    {
      DISCORD_TOKEN: options.token,
      DISCORD_APPLICATION_ID: options.applicationId,
      DISCORD_REST_API: options.restBase,
      LL2_BASE_URL: options.ll2BaseUrl,
      STORE_URL: options.storeUrl,
      ...(options.storeNamespace === undefined ? {} : { STORE_NAMESPACE: options.storeNamespace }),
      LOG_LEVEL: 'info',
    },
    (line) => line.includes('"msg":"connected to Discord"'),
    options.timeoutMs ?? 60_000,
    { nodeArgs: options.nodeArgs, cpu: options.cpu },
  );
}

export function spawnEchoBot(options: { restBase: string; token: string; globalRequestsPerSecond?: number; timeoutMs?: number; nodeArgs?: readonly string[]; cpu?: number }): BotProcess {
  return spawnBot(
    'echo bot',
    ['bench/echo-child.ts'],
    {
      BENCH_DISCORD_REST_API: options.restBase,
      BENCH_DISCORD_TOKEN: options.token,
      ...(options.globalRequestsPerSecond === undefined ? {} : { BENCH_GLOBAL_RPS: String(options.globalRequestsPerSecond) }),
    },
    (line) => line === 'connected to Discord',
    options.timeoutMs ?? 60_000,
    { nodeArgs: options.nodeArgs, cpu: options.cpu },
  );
}

/** VmHWM (peak resident set) and VmRSS of a process, in bytes. */
export function memoryOf(pid: number): { peakRss: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { peakRss: kib('VmHWM'), rss: kib('VmRSS') };
}

/** Helper processes a bot started (e.g. esbuild's service under tsx), with their peak RSS. */
export function descendantsOf(pid: number): Array<{ pid: number; command: string; peakRss: number }> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: Array<{ pid: number; command: string; peakRss: number }> = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      try {
        const command = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 2).join(' ');
        found.push({ pid: child, command, peakRss: memoryOf(child).peakRss });
      } catch {
        // gone
      }
      walk(child);
    }
  };
  walk(pid);
  return found;
}

let clockTicks: number | null = null;

/** CPU time (user + system) a process has used so far, in milliseconds. */
export function cpuMsOf(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after the command: state is field 3, utime field 14 and stime field 15 (1-based, man 5 proc)
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/** CPU time this process has used so far, in milliseconds. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
