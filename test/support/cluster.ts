// Several real Spacedock processes on one Redis, for test/scale and bench/scale.ts: spawns the entry
// point (`node --import tsx src/main.ts`) with an explicit environment and reads its JSON log, runs a
// private redis-server that a test may kill, clears a key namespace, and plays Discord's side of the
// HTTP interactions endpoint (Ed25519-signed requests, a recorder for the webhook follow-ups).
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { request } from 'undici';
import { SETTING_NAMES } from '../../src/config.ts';

import { REPO_ROOT } from './bot.ts';
import { waitForChild } from './waitForChild.ts';

/** The command deploy every harness uses (one implementation, in bot.ts). */
export { deployCommands } from './bot.ts';

export type LogLine = Record<string, unknown> & { msg?: string };

export interface SpacedockProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Parsed JSON log lines (pino, stderr) so far. */
  readonly logs: LogLine[];
  /** Output that was not a JSON log line. */
  text(): string;
  alive(): boolean;
  /** Resolves with the first log line (past or future) matching; rejects on timeout or exit. */
  waitForLog(match: string | ((line: LogLine) => boolean), timeoutMs?: number): Promise<LogLine>;
  /** Whether this process's router handled the interaction (its debug line names the id). */
  handled(interactionId: string): boolean;
  readonly exited: Promise<number | string>;
  /** Sends the signal (SIGTERM: a clean shutdown) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

function childEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  for (const key of SETTING_NAMES) env[key] = '';
  return { ...env, ...settings, NO_COLOR: '1' };
}

const running = new Set<SpacedockProcess>();

/** Spawns the real entry point with `settings` as its whole configuration. */
export function spawnSpacedock(name: string, settings: Record<string, string>): SpacedockProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: childEnv({ LOG_LEVEL: 'debug', ...settings }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let text = '';
  let exitedWith: number | string | null = null;
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const lines = (stream: NodeJS.ReadableStream | null) => {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        try {
          const parsed: unknown = JSON.parse(line);
          if (typeof parsed === 'object' && parsed !== null) logs.push(parsed as LogLine);
          else text += `${line}\n`;
        } catch {
          text += `${line}\n`;
        }
      }
      changed();
    });
  };
  lines(child.stdout);
  lines(child.stderr);
  const exited = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => {
      exitedWith = code ?? signal ?? 'unknown';
      changed();
      resolve(exitedWith);
    });
  });
  const handle: SpacedockProcess = {
    name,
    child,
    logs,
    text: () => text,
    alive: () => exitedWith === null,
    exited,
    waitForLog(match, timeoutMs = 15_000) {
      const test = typeof match === 'string' ? (line: LogLine) => line.msg === match : match;
      return waitForChild({
        waiters,
        find: () => logs.find(test),
        exitedWith: () => exitedWith,
        who: name,
        doing: ['logging', 'log'],
        what: String(match),
        context: () => tail(logs, text),
        timeoutMs,
      });
    },
    handled: (interactionId) => logs.some((line) => line.msg === 'interaction handled' && line['interactionId'] === interactionId),
    async stop(signal = 'SIGTERM') {
      if (exitedWith === null) child.kill(signal);
      const code = await exited;
      running.delete(handle);
      return code;
    },
  };
  running.add(handle);
  return handle;
}

function tail(logs: LogLine[], text: string): string {
  return [...logs.slice(-15).map((line) => JSON.stringify(line)), text.slice(-2000)].join('\n');
}

/** Kills whatever this test file spawned and did not stop (afterAll/afterEach). */
export async function stopAllSpacedocks(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL')));
}

/** Resolves once `condition` returns a value other than undefined/false; rejects after `timeoutMs`. */
export async function eventually<T>(what: string, condition: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// --- Redis ------------------------------------------------------------------------------------

/** Runs `use` with a fresh connection to `url`. */
async function withRedis<T>(url: string, use: (keysOf: (namespace: string) => Promise<string[]>, del: (keys: string[]) => Promise<unknown>) => Promise<T>): Promise<T> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keysOf = async (namespace: string) => {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${namespace}:*`, COUNT: 500 })) keys.push(...batch.map(String));
      return keys;
    };
    return await use(keysOf, (keys) => client.del(keys));
  } finally {
    client.destroy();
  }
}

/** Deletes every key of a namespace (keyv's `ns::key`, the ledger's and lease's `ns:…`). */
export async function dropNamespace(url: string, namespace: string): Promise<void> {
  await withRedis(url, async (keysOf, del) => {
    const keys = await keysOf(namespace);
    if (keys.length > 0) await del(keys);
  });
}

/** The keys of a namespace, sorted. */
export async function listNamespace(url: string, namespace: string): Promise<string[]> {
  return withRedis(url, async (keysOf) => (await keysOf(namespace)).sort());
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL by default: as sudden as a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data folder (the append-only file brings the data back). */
  start(): Promise<void>;
  /** Stops it and removes its data folder. */
  destroy(): Promise<void>;
}

/** A redis-server of our own on a free port, persisting every write (appendfsync always). */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'spacedock-redis-'));
  let child: ChildProcess | null = null;
  const start = async () => {
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = server;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server on ${port} did not start:\n${out}`)), 5_000);
      server.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`redis-server on ${port} exited:\n${out}`));
      });
    });
  };
  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const server = child;
    child = null;
    if (server === null || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    server.kill(signal);
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// --- Discord's side ----------------------------------------------------------------------------


/** An application's Ed25519 key pair, signing the way Discord signs interaction requests. */
export interface InteractionSigner {
  /** What goes in DISCORD_PUBLIC_KEY: the raw 32-byte key as hex. */
  publicKeyHex: string;
  /** The two signature headers for `body` at `timestamp` (seconds; default now). */
  headers(body: string | Buffer, timestamp?: number): Record<string, string>;
}

export function createSigner(): InteractionSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return signerFor(publicKey, privateKey);
}

function signerFor(publicKey: KeyObject, privateKey: KeyObject): InteractionSigner {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    publicKeyHex: spki.subarray(spki.length - 32).toString('hex'),
    headers(body, timestamp = Math.floor(Date.now() / 1000)) {
      const signature = sign(null, Buffer.concat([Buffer.from(String(timestamp)), Buffer.from(body)]), privateKey);
      return { 'x-signature-ed25519': signature.toString('hex'), 'x-signature-timestamp': String(timestamp) };
    },
  };
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** POSTs a body to an interactions endpoint; `headers` usually come from a signer. */
export async function postInteraction(url: string, body: string | Buffer, headers: Record<string, string>): Promise<HttpAnswer> {
  const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.body.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.statusCode, body: parsed };
}

let snowflake = 1_300_000_000_000_000_000n;
const nextId = () => (snowflake += 1n).toString();

export interface Person {
  id: string;
  username: string;
}

export function person(username: string): Person {
  return { id: nextId(), username };
}

const GUILD_ID = '1250000000000000001';
const CHANNEL_ID = '1250000000000000002';

function envelope(applicationId: string, type: number, user: Person, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    id: nextId(),
    application_id: applicationId,
    type,
    token: `token-${nextId()}`,
    version: 1,
    guild_id: GUILD_ID,
    channel_id: CHANNEL_ID,
    member: { user: { id: user.id, username: user.username, discriminator: '0', global_name: null, avatar: null }, roles: [], permissions: '2248473465835073' },
    app_permissions: '2248473465835073',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD_ID },
    context: 0,
    data,
    ...extra,
  };
}

/** The JSON Discord POSTs for `/spacecraft <sub> option:value…` (string/integer/boolean options). */
export function slashInteraction(applicationId: string, user: Person, sub: string, options: Record<string, string | number | boolean> = {}) {
  const typeOf = (value: string | number | boolean) => (typeof value === 'string' ? 3 : typeof value === 'number' ? 4 : 5);
  return envelope(applicationId, 2, user, {
    id: '1250000000000000100',
    name: 'spacecraft',
    type: 1,
    options: [{ type: 1, name: sub, options: Object.entries(options).map(([name, value]) => ({ type: typeOf(value), name, value })) }],
  });
}

/** The JSON Discord POSTs while `user` types `text` into the option `focused` of `/spacecraft <sub>`. */
export function autocompleteInteraction(applicationId: string, user: Person, sub: string, focused: string, text: string) {
  return envelope(applicationId, 4, user, {
    id: '1250000000000000100',
    name: 'spacecraft',
    type: 1,
    options: [{ type: 1, name: sub, options: [{ type: 3, name: focused, value: text, focused: true }] }],
  });
}

/**
 * The JSON Discord POSTs when `user` clicks the button `customId` on a (non-ephemeral) message that
 * answers `messageOwner`'s command (Discord's interaction_metadata; the clicker when not given).
 */
export function buttonInteraction(applicationId: string, user: Person, customId: string, messageOwner: Person = user) {
  const interactionMetadata = {
    id: nextId(),
    type: 2,
    user: { id: messageOwner.id, username: messageOwner.username, discriminator: '0', global_name: null, avatar: null },
    authorizing_integration_owners: { '0': GUILD_ID },
  };
  const message = { id: nextId(), channel_id: CHANNEL_ID, flags: 0, content: '', embeds: [], components: [], interaction_metadata: interactionMetadata };
  return envelope(applicationId, 3, user, { custom_id: customId, component_type: 2 }, { message });
}

export function pingInteraction(applicationId: string) {
  return { id: nextId(), application_id: applicationId, type: 1, token: `token-${nextId()}`, version: 1 };
}

/** Every `custom_id` in a message's components, in order. */
export function customIds(message: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'custom_id' && typeof inner === 'string') found.push(inner);
        else walk(inner);
      }
    }
  };
  walk(message);
  return found;
}

/** The footer text of a message's first embed, or '' when it has none. */
export function footerOf(message: unknown): string {
  const embeds = typeof message === 'object' && message !== null ? (message as { embeds?: unknown }).embeds : undefined;
  const first: unknown = Array.isArray(embeds) ? embeds[0] : undefined;
  const footer = typeof first === 'object' && first !== null ? (first as { footer?: { text?: unknown } }).footer : undefined;
  return typeof footer?.text === 'string' ? footer.text : '';
}

export interface RecordedWebhookCall {
  method: string;
  path: string;
  body: unknown;
}

export interface WebhookRecorder {
  /** Give this to the bot as DISCORD_REST_API. */
  restBase: string;
  calls: RecordedWebhookCall[];
  close(): Promise<void>;
}

/** A stand-in for Discord's REST API that records the webhook calls (edits, follow-ups) it gets. */
export async function startWebhookRecorder(): Promise<WebhookRecorder> {
  const calls: RecordedWebhookCall[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text
      }
      calls.push({ method: req.method ?? '', path: decodeURIComponent((req.url ?? '').split('?')[0] ?? ''), body });
      const message = { id: nextId(), channel_id: CHANNEL_ID, content: '', embeds: [], components: [], flags: 0 };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    restBase: `http://127.0.0.1:${port}/api`,
    calls,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
