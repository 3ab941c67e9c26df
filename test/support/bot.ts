// Runs the real bot against the two local fakes: the strict fake Discord (REST + gateway) in front,
// the fake LL2 behind. Everything goes through configuration (DISCORD_REST_API, LL2_BASE_URL,
// STORE_URL…), exactly as `npm start` would: in-process with startBot() for speed, or as a child
// process running the real entry point (src/main.ts) or `npm run deploy`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { spacecraftCommandData } from '../../commands/spacecraft.ts';
import { startBot, type Running } from '../../src/bot.ts';
import { loadConfig, SETTING_NAMES } from '../../src/config.ts';
import { createLogger, silentLogger, type Logger } from '../../src/log.ts';
import { startFakeDiscord, type FakeDiscord, type StartFakeDiscordOptions } from '../fakes/discord/index.ts';
import { startFakeLl2, type FakeLl2, type FakeLl2Options } from '../fakes/ll2/server.ts';
import { tempSqliteUrl, uniqueNamespace } from './stores.ts';
import { waitForChild } from './waitForChild.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Fakes {
  discord: FakeDiscord;
  ll2: FakeLl2;
  close(): Promise<void>;
}

export async function startFakes(options: { discord?: StartFakeDiscordOptions; ll2?: FakeLl2Options } = {}): Promise<Fakes> {
  const discord = await startFakeDiscord(options.discord);
  const ll2 = await startFakeLl2(options.ll2);
  return {
    discord,
    ll2,
    async close() {
      await discord.close();
      await ll2.close();
    },
  };
}

/**
 * The bot's environment for these fakes. The LL2 budget is raised (the fake is unlimited unless a
 * test sets its quota) so that tests opening many cards see live data; quota tests lower it.
 */
export function botEnv(fakes: Pick<Fakes, 'discord' | 'll2'>, storeUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DISCORD_TOKEN: fakes.discord.token,
    DISCORD_APPLICATION_ID: fakes.discord.applicationId,
    DISCORD_REST_API: fakes.discord.restBase,
    LL2_BASE_URL: fakes.ll2.baseUrl,
    LL2_QUOTA_LIMIT: '1000',
    STORE_URL: storeUrl,
    ...extra,
  };
}

/**
 * Registers /spacecraft on the fake the way `src/deploy.ts` does (same command JSON, same REST
 * client and route), in-process. Global unless `guildId` is given. Returns the registered names.
 */
export async function deployCommands(discord: FakeDiscord, guildId?: string): Promise<string[]> {
  const rest = new REST({ api: discord.restBase }).setToken(discord.token);
  const route = guildId === undefined ? Routes.applicationCommands(discord.applicationId) : Routes.applicationGuildCommands(discord.applicationId, guildId);
  const result = await rest.put(route, { body: [spacecraftCommandData()] });
  return Array.isArray(result) ? result.map((command: { name?: unknown }) => String(command.name)) : [];
}

export interface TestBot {
  running: Running;
  storeUrl: string;
  stop(): Promise<void>;
}

export interface StartTestBotOptions {
  /** Default: a fresh SQLite file. */
  storeUrl?: string;
  /** Extra settings (strings, as in the environment). */
  env?: Record<string, string>;
  /** Start the background refresher (default false: tests decide when LL2 is asked). */
  refresh?: boolean;
  /** Mirror the whole catalogue before returning, so answers come from it at once (default false). */
  sync?: boolean;
  storeNamespace?: string;
  logger?: Logger;
}

function testLogger(): Logger {
  // E2E_LOG_LEVEL=debug shows what the bot did while a test is being debugged
  const level = process.env.E2E_LOG_LEVEL;
  return level === undefined || level === '' ? silentLogger() : createLogger(level);
}

/** Starts the bot in-process in gateway mode against the fakes and waits until it is connected. */
export async function startTestBot(fakes: Pick<Fakes, 'discord' | 'll2'>, options: StartTestBotOptions = {}): Promise<TestBot> {
  const storeUrl = options.storeUrl ?? tempSqliteUrl();
  const config = loadConfig(botEnv(fakes, storeUrl, options.env));
  const running = await startBot(config, options.logger ?? testLogger(), {
    refresh: options.refresh ?? false,
    storeNamespace: options.storeNamespace ?? uniqueNamespace(),
  });
  let stopped = false;
  const bot: TestBot = {
    running,
    storeUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      await running.stop();
    },
  };
  try {
    if (running.mode !== 'gateway') throw new Error(`expected the gateway mode, got ${running.mode}`);
    if (options.sync === true) await syncCatalogue(running);
  } catch (error) {
    await bot.stop();
    throw error;
  }
  return bot;
}

/** Mirrors every catalogue part from LL2 (about 8 requests against the fixture catalogue). */
export async function syncCatalogue(running: Pick<Running, 'app'>): Promise<void> {
  await running.app.catalogue.sync('statuses');
  await running.app.catalogue.sync('configurations');
  await running.app.catalogue.sync('spacecraft');
}

/**
 * A child process environment: PATH and friends, then `settings`. With `blankOthers`, every other
 * bot setting is set blank (= unset for the bot's config), so a developer's `.env` cannot leak in.
 */
export function childEnv(settings: Record<string, string>, blankOthers = false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SystemRoot']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  if (blankOthers) for (const key of SETTING_NAMES) env[key] = '';
  for (const [key, value] of Object.entries(settings)) env[key] = value;
  env.NO_COLOR = '1';
  return env;
}

export interface ChildBot {
  readonly process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr or stdout has a line matching `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; a no-op once exited. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

function watch(child: ChildProcess, what: string): ChildBot {
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    changed();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    changed();
  });
  let exitedWith: number | string | null = null;
  const exited = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => {
      exitedWith = code ?? signal ?? 'unknown';
      changed();
      resolve(exitedWith);
    });
  });
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForOutput(pattern, timeoutMs = 15_000) {
      await waitForChild({
        waiters,
        find: () => (pattern.test(out) || pattern.test(err) ? true : undefined),
        exitedWith: () => exitedWith,
        who: what,
        doing: ['printing', 'print'],
        what: String(pattern),
        context: () => `stdout: ${out}\nstderr: ${err}`,
        timeoutMs,
      });
    },
    async stop(signal = 'SIGTERM') {
      if (exitedWith !== null) return exitedWith;
      child.kill(signal);
      return exited;
    },
  };
}

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = join(REPO_ROOT, 'src', 'main.ts');

/**
 * Spawns the real entry point, `node --import tsx src/main.ts` (what `npm start` runs), with
 * `settings` as its environment. It runs in `cwd` (default: a fresh empty folder, so no `.env` is
 * read; pass a folder holding one to test that).
 */
export function spawnMain(settings: Record<string, string>, cwd = mkdtempSync(join(tmpdir(), 'spacedock-main-'))): ChildBot {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    cwd,
    env: childEnv({ LOG_LEVEL: 'info', TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.json'), ...settings }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watch(child, 'src/main.ts');
}

/** Runs `npm run deploy` with `settings` as its environment; resolves when it exits. */
export async function runDeploy(settings: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = spawn('npm', ['run', '--silent', 'deploy'], {
    cwd: REPO_ROOT,
    env: childEnv(settings, true),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watched = watch(child, 'npm run deploy');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const code = await watched.exited;
    return { code, stdout: watched.stdout(), stderr: watched.stderr() };
  } finally {
    clearTimeout(timer);
  }
}
