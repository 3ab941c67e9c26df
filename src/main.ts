// Entry point: reads .env and the environment, then starts the bot in the mode they ask for.
import { startBot, modeOf } from './bot.ts';
import { ConfigError, currentEnv, loadConfig, readDotEnv, type Config } from './config.ts';
import { createLogger, errorText } from './log.ts';

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
  const mode = modeOf(config);
  // in the console, log lines would land between the answers: only errors, unless asked for more
  const logger = createLogger(config.LOG_LEVEL ?? (mode === 'console' ? 'error' : 'info'));
  const running = await startBot(config, logger);

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await running.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  if (mode === 'console') {
    await running.finished;
    await shutdown(0);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Spacedock stopped: ${errorText(error)}\n`);
  process.exit(1);
});
