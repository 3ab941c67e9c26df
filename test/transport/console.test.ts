import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/transport/console.ts';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import { testApp } from '../support/app.ts';
import { tempSqliteUrl } from '../support/stores.ts';

describe('console command lines', () => {
  it('reads a subcommand and options whose values contain spaces', () => {
    expect(parseCommandLine('/spacecraft search query:soyuz tma sort:-time_in_space in_space:false status:4')).toEqual({
      command: 'spacecraft',
      subcommand: 'search',
      options: { query: 'soyuz tma', sort: '-time_in_space', in_space: false, status: 4 },
    });
    expect(parseCommandLine('/spacecraft show name:Soyuz TMA-08M')).toEqual({ command: 'spacecraft', subcommand: 'show', options: { name: 'Soyuz TMA-08M' } });
    expect(parseCommandLine('spacecraft')).toBeNull();
  });
});

describe('npm start without a token (the console, driven through stdin)', () => {
  let fake: FakeLl2;
  const storeUrl = tempSqliteUrl();

  beforeAll(async () => {
    fake = await startFakeLl2();
    // a previous run left a synced catalogue in the store: the console serves it without upstream calls
    const app = await testApp({ ll2BaseUrl: fake.baseUrl, storeUrl, storeNamespace: 'spacedock' });
    for (const part of ['spacecraft', 'configurations', 'statuses'] as const) await app.catalogue.sync(part);
    await app.close();
    fake.resetRequests();
  });
  afterAll(async () => {
    await fake.close();
  });

  function runConsole(lines: string[], store = storeUrl): Promise<{ stdout: string; stderr: string; code: number | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { PATH: process.env.PATH, LL2_BASE_URL: fake.baseUrl, STORE_URL: store, LOG_LEVEL: 'warn' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ stdout, stderr, code }));
      child.stdin.end(`${lines.join('\n')}\n`);
    });
  }

  it('says it runs the console, answers each line like the bot would, pages, opens a card and exits at end of input', async () => {
    const { stdout, code } = await runConsole([
      '/spacecraft search query:soyuz sort:-flights_count',
      'next',
      'open 2',
      'open 7',
      'back',
      'last',
      '/spacecraft show name:Soyuz TMA-08M',
      'complete name:endur',
      '/spacecraft search query:no such craft anywhere',
    ]);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/running the local console/);
    expect(stdout).toMatch(/┌─ Spacecraft · “soyuz” · most flights first/);
    expect(stdout).toMatch(/└─ page 1\/\d+ · \d+ results · catalogue synced/);
    expect(stdout).toMatch(/└─ page 2\/\d+ ·/);
    expect(stdout).toMatch(/^│ 7\. /m);
    // on page 2 the list shows 6–10: "open 2" is not one of them (it would be ambiguous)
    expect(stdout).toMatch(/Open which\? Type "open" and a number this page shows \(6–10\)\./);
    expect(stdout).toMatch(/\[◀ Back to the list\]/);
    expect(stdout).toMatch(/┌─ Soyuz TMA-08M\n/);
    expect(stdout).toMatch(/Time in space: 166 d 6 h 14 m/);
    expect(stdout).toMatch(/Dragon C212 Endurance/);
    expect(stdout).toMatch(/No spacecraft found/);
    expect(stdout).not.toMatch(/NaN|Invalid|undefined/);
    // only the show card's detail request reached LL2; every list came from the catalogue
    expect(fake.requests.filter((r) => r.counted).map((r) => r.path)).toEqual(['/2.3.0/spacecraft/63/']);
  });

  it('finishes the first catalogue sync before it exits, so the next start serves from the store', async () => {
    const fresh = tempSqliteUrl();
    const { code } = await runConsole(['/spacecraft search query:soyuz'], fresh);
    expect(code).toBe(0);
    const next = await testApp({ ll2BaseUrl: fake.baseUrl, storeUrl: fresh, storeNamespace: 'spacedock' });
    try {
      expect(next.catalogue.spacecraft?.records.length).toBeGreaterThan(500);
    } finally {
      await next.close();
    }
  });

  it('gives another person a copy of the list, theirs to page, and leaves the original to its owner', async () => {
    const { stdout, code } = await runConsole(['/spacecraft search query:soyuz', 'as bob next', 'as bob next', 'next', 'as carol next']);
    expect(code).toBe(0);
    // each answer as "(only you can see this)" (when ephemeral) and its footer's page
    const answers = stdout
      .split('\n')
      .filter((line) => line === '(only you can see this)' || line.startsWith('└─ page'))
      .join('\n')
      .split(/(?<=└─ page \d+)\/.*\n?/)
      .filter((answer) => answer !== '');
    expect(answers).toEqual([
      '└─ page 1',
      // bob's first click is a copy (only he sees it); his second pages that copy
      '(only you can see this)\n└─ page 2',
      '(only you can see this)\n└─ page 3',
      // bob's copy is his alone: the one who searched presses next on the list itself, still on page 1
      '└─ page 2',
      // carol sees only the public list (now on page 2): her copy shows page 3
      '(only you can see this)\n└─ page 3',
    ]);
  });

  it('explains mistakes instead of failing', async () => {
    const { stdout, code } = await runConsole(['next', 'hello', '/spacecraft search sort:sideways', '/spacecraft show name:zzzzzzzzzz']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Nothing to press yet/);
    expect(stdout).toMatch(/did not understand "hello"/);
    expect(stdout).toMatch(/⚠️ The option `sort` takes one of flights_count, -flights_count, id, -id/);
    expect(stdout).toMatch(/⚠️ No spacecraft matches “zzzzzzzzzz”/);
  });
});

describe('console command lines, as people type them', () => {
  it('drops quotes around a value and reads commands in any case', () => {
    expect(parseCommandLine('/SPACECRAFT Search query:"soyuz ms"')).toEqual({ command: 'spacecraft', subcommand: 'search', options: { query: 'soyuz ms' } });
  });
});
