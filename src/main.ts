// Entry point: configuration, then the gateway bot (DISCORD_TOKEN), the HTTP interactions endpoint
// (DISCORD_PUBLIC_KEY + INTERACTIONS_PORT) or, with neither, the local console.
import { createApp } from './app.ts';
import { ConfigError, currentEnv, loadConfig, readDotEnv, type Config } from './config.ts';
import { createLogger } from './log.ts';
import { runConsole } from './transport/console.ts';
import { startGateway } from './transport/gateway.ts';
import { startInteractionsServer } from './transport/http.ts';

async function main(): Promise<void> {
  readDotEnv();
  let config: Config;
  try {
    config = loadConfig(currentEnv());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw error;
  }

  const consoleMode = config.CONSOLE || (config.DISCORD_TOKEN === undefined && config.DISCORD_PUBLIC_KEY === undefined);
  const logger = createLogger(config.LOG_LEVEL ?? (consoleMode ? 'warn' : 'info'));
  const app = await createApp(config, logger);

  const shutdown = async (code: number) => {
    await app.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  if (consoleMode) {
    const tty = process.stdin.isTTY === true;
    process.stdout.write(
      `No DISCORD_TOKEN set: running the local console (LL2 at ${config.LL2_BASE_URL}). Type "help" for commands${tty ? ', Ctrl-D to quit' : ''}.\n`,
    );
    await runConsole({ router: app.router, input: process.stdin, output: process.stdout, prompt: tty });
    await shutdown(0);
    return;
  }

  if (config.DISCORD_PUBLIC_KEY !== undefined && config.INTERACTIONS_PORT !== undefined) {
    await startInteractionsServer({
      publicKey: config.DISCORD_PUBLIC_KEY,
      port: config.INTERACTIONS_PORT,
      applicationId: config.DISCORD_APPLICATION_ID,
      restApi: config.DISCORD_REST_API,
      router: app.router,
      logger,
    });
    return;
  }

  const token = config.DISCORD_TOKEN;
  if (token === undefined) throw new Error('unreachable: gateway mode without a token');
  const shards = config.SHARD_IDS ?? (config.SHARD_COUNT === 'auto' ? 'auto' : undefined);
  const shardCount = typeof config.SHARD_COUNT === 'number' ? config.SHARD_COUNT : undefined;
  await startGateway({ token, router: app.router, logger, restApi: config.DISCORD_REST_API, shards, shardCount });
}

main().catch((error: unknown) => {
  process.stderr.write(`Spacedock stopped: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
