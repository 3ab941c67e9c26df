// `npm run ll2:fake`: the fake LL2 on a fixed port for local runs of the bot.
//   PORT (default 4010), FAKE_LL2_QUOTA=limit/windowSecs (e.g. 15/3600), FAKE_LL2_LATENCY_MS.
import { loadFixtureCatalogue } from '../../fixtures/ll2/index.ts';
import { startFakeLl2, type FakeLl2Options } from './server.ts';

const DEFAULT_PORT = 4010;

function nonNegativeInt(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

function optionsFromEnv(env: NodeJS.ProcessEnv): FakeLl2Options {
  const options: FakeLl2Options = { port: DEFAULT_PORT };
  if (env.PORT) options.port = nonNegativeInt('PORT', env.PORT);
  if (env.FAKE_LL2_LATENCY_MS) options.latencyMs = nonNegativeInt('FAKE_LL2_LATENCY_MS', env.FAKE_LL2_LATENCY_MS);
  if (env.FAKE_LL2_QUOTA) {
    const match = /^(\d+)\/(\d+)$/.exec(env.FAKE_LL2_QUOTA);
    if (!match?.[1] || !match[2]) throw new Error(`FAKE_LL2_QUOTA must look like 15/3600, got ${JSON.stringify(env.FAKE_LL2_QUOTA)}`);
    options.quota = { limit: Number(match[1]), windowSecs: Number(match[2]) };
  }
  return options;
}

async function main(): Promise<void> {
  const catalogue = loadFixtureCatalogue();
  const fake = await startFakeLl2({ ...optionsFromEnv(process.env), ...catalogue });
  console.log(`fake LL2 listening on ${fake.baseUrl} (${catalogue.spacecraft.length} spacecraft)`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
