// Starting the real entry point (src/main.ts, what `npm start` runs) the ways the README tells
// people to: from a `.env` made by copying `.env.example`, and with the documented shard settings.
// Each test has its own fakes: two bots on one fake would both get every interaction.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { fakeUser } from '../fakes/discord/index.ts';
import { tempSqliteUrl } from '../support/stores.ts';
import { REPO_ROOT, botEnv, deployCommands, spawnMain, startFakes, type ChildBot } from '../support/bot.ts';
import { expectAnswered, expectCleanTraffic, titleOf } from './helpers.ts';

const ada = fakeUser('ada');

/** Starts main.ts with `extra` settings against fresh fakes; expects it to connect and answer a search. */
async function expectItServes(context: TestContext, extra: Record<string, string>, cwd?: string): Promise<void> {
  const fakes = await startFakes();
  let child: ChildBot | undefined;
  context.onTestFinished(async () => {
    await child?.stop('SIGKILL');
    await fakes.close();
  });
  await deployCommands(fakes.discord);
  child = spawnMain(botEnv(fakes, tempSqliteUrl(), extra), cwd);
  await child.waitForOutput(/connected to Discord/);
  const answer = await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'soyuz' });
  expectAnswered(answer, 4);
  expect(titleOf(answer.message)).toBe('Spacecraft · “soyuz”');
  // SIGTERM: a clean shutdown, exit code 0
  expect(await child.stop('SIGTERM')).toBe(0);
  expectCleanTraffic(fakes.discord, fakes.ll2);
}

describe('npm start', () => {
  it('connects and answers with a .env copied from .env.example (blank lines count as unset)', async (context) => {
    const folder = mkdtempSync(join(tmpdir(), 'spacedock-dotenv-'));
    copyFileSync(join(REPO_ROOT, '.env.example'), join(folder, '.env'));
    // what the person fills in comes from the environment, which wins over .env
    await expectItServes(context, {}, folder);
  });

  it('connects and answers with SHARD_COUNT=auto, as documented', async (context) => {
    await expectItServes(context, { SHARD_COUNT: 'auto' });
  });

  it('stops with one message listing every bad setting, without printing the token', async (context) => {
    const token = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.secret.but-not-a-valid-token!';
    const child = spawnMain({ DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: 'app', STORE_URL: 'ftp://nowhere', LL2_QUOTA_LIMIT: 'many' });
    context.onTestFinished(async () => {
      await child.stop('SIGKILL');
    });
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toMatch(/^Configuration is not valid:\n/);
    for (const key of ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'STORE_URL', 'LL2_QUOTA_LIMIT']) expect(child.stderr()).toContain(`  - ${key}: `);
    expect(child.stderr() + child.stdout()).not.toContain(token);
  });
});
