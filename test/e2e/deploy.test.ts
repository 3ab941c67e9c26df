// `npm run deploy` against the fake Discord, which validates the command JSON as Discord does.
// Each test has its own fakes, so what one registered cannot hide another's failure.
import { describe, expect, it, type TestContext } from 'vitest';
import { spacecraftCommandData } from '../../commands/spacecraft.ts';
import { fakeUser } from '../fakes/discord/index.ts';
import { tempSqliteUrl } from '../support/stores.ts';
import { runDeploy, startFakes, startTestBot, type Fakes, type TestBot } from '../support/bot.ts';
import { expectAnswered, expectCleanTraffic, titleOf } from './helpers.ts';

const ada = fakeUser('ada');

async function fakesFor(context: TestContext): Promise<Fakes> {
  const fakes = await startFakes();
  context.onTestFinished(() => fakes.close());
  return fakes;
}

/** What a person sets to deploy (no LL2 settings: deploying never asks LL2). */
const deployEnv = (fakes: Fakes, storeUrl: string, extra: Record<string, string> = {}): Record<string, string> => ({
  DISCORD_TOKEN: fakes.discord.token,
  DISCORD_APPLICATION_ID: fakes.discord.applicationId,
  DISCORD_REST_API: fakes.discord.restBase,
  // the same LL2 source as the bot that synced: stored data is kept per source
  LL2_BASE_URL: fakes.ll2.baseUrl,
  STORE_URL: storeUrl,
  ...extra,
});

const puts = (fakes: Fakes) => fakes.discord.requests.filter((r) => r.method === 'PUT');

describe('npm run deploy', () => {
  it('registers /spacecraft in the guild, prints what it registered and exits 0', async (context) => {
    const fakes = await fakesFor(context);
    const guildId = fakes.discord.guilds[0]!.id;
    const { code, stdout, stderr } = await runDeploy(deployEnv(fakes, tempSqliteUrl(), { DISCORD_GUILD_ID: guildId }));
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const registered = fakes.discord.commands.guilds.get(guildId) ?? [];
    expect(registered.map((c) => c.name)).toEqual(['spacecraft']);
    expect(stdout).toBe(`Registered 1 command(s) in guild ${guildId}:\n  /spacecraft (search, show) id ${registered[0]?.id}\n`);
    expect(fakes.discord.commands.global).toEqual([]);

    const [put, ...more] = puts(fakes);
    expect(more).toEqual([]);
    expect(put).toMatchObject({ path: `/applications/${fakes.discord.applicationId}/guilds/${guildId}/commands`, status: 200, authorized: true });
    expect(put?.body).toEqual([spacecraftCommandData()]);

    // what it registered is what the bot answers
    let bot: TestBot | undefined;
    context.onTestFinished(() => bot?.stop());
    bot = await startTestBot(fakes, { sync: true });
    const answer = await fakes.discord.slash(ada, 'spacecraft', 'search', { query: 'vostok', status: 4 });
    expectAnswered(answer, 4);
    expect(titleOf(answer.message)).toBe('Spacecraft · “vostok” · Single Use');
    expectCleanTraffic(fakes.discord, fakes.ll2);
  });

  it('registers globally without DISCORD_GUILD_ID, offering the statuses of the last catalogue sync', async (context) => {
    const fakes = await fakesFor(context);
    const storeUrl = tempSqliteUrl();
    // a catalogue sync left LL2's statuses in the store (the fixture has a fifth, "Lost")
    const syncing = await startTestBot(fakes, { storeUrl, storeNamespace: 'spacedock' });
    await syncing.running.app.catalogue.sync('statuses');
    await syncing.stop();

    const { code, stdout, stderr } = await runDeploy(deployEnv(fakes, storeUrl));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [registered] = fakes.discord.commands.global;
    expect(stdout).toBe(`Registered 1 command(s) globally (may take up to an hour to appear):\n  /spacecraft (search, show) id ${registered?.id}\n`);
    const search = registered?.options?.find((o) => o.name === 'search');
    const status = search?.options?.find((o) => o.name === 'status');
    expect(status?.choices).toContainEqual({ name: 'Lost', value: 5 });
    expect(JSON.stringify(fakes.discord.requests.map((r) => r.body))).not.toContain(fakes.discord.token);
  });

  it('exits non-zero, without registering anything or printing the token, when Discord refuses the token', async (context) => {
    const fakes = await fakesFor(context);
    const wrongToken = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.wrong.token-for-the-fake';
    const { code, stdout, stderr } = await runDeploy(deployEnv(fakes, tempSqliteUrl(), { DISCORD_TOKEN: wrongToken }));
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('Deploy failed: 401: Unauthorized\n');
    expect(puts(fakes)).toMatchObject([{ status: 401, error: { code: 0 } }]);
    expect(fakes.discord.commands.global).toEqual([]);
    expect([...fakes.discord.commands.guilds.values()].flat()).toEqual([]);
  });

  it('exits non-zero with a clear message when the settings are incomplete', async (context) => {
    const fakes = await fakesFor(context);
    const { code, stdout, stderr } = await runDeploy({ STORE_URL: tempSqliteUrl(), DISCORD_REST_API: fakes.discord.restBase });
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('DISCORD_TOKEN and DISCORD_APPLICATION_ID: both are needed to register commands');
    expect(fakes.discord.requests).toEqual([]);
  });
});
