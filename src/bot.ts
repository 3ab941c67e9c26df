// Starts Spacedock in the mode its configuration asks for: the gateway bot (DISCORD_TOKEN), the
// HTTP interactions endpoint (DISCORD_PUBLIC_KEY + INTERACTIONS_PORT) or the local console.
// main.ts calls this with the environment; tests call it with a Config, through the same code.
import type { Client } from 'discord.js';
import type { Server } from 'node:http';
import { createApp, type App, type AppOptions } from './app.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { runConsole } from './transport/console.ts';
import { startGateway } from './transport/gateway.ts';
import { startInteractionsServer } from './transport/http.ts';

export type Mode = 'console' | 'http' | 'gateway';

export function modeOf(config: Config): Mode {
  if (config.CONSOLE) return 'console';
  if (config.DISCORD_PUBLIC_KEY !== undefined && config.INTERACTIONS_PORT !== undefined) return 'http';
  if (config.DISCORD_TOKEN !== undefined) return 'gateway';
  return 'console';
}

export interface Running {
  mode: Mode;
  app: App;
  client: Client | null;
  server: Server | null;
  /** Resolves when the console's input ends (never for the other modes). */
  finished: Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions extends AppOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

export async function startBot(config: Config, logger: Logger, options: StartOptions = {}): Promise<Running> {
  const mode = modeOf(config);
  const { input = process.stdin, output = process.stdout, ...appOptions } = options;
  const app = await createApp(config, logger, appOptions);
  let client: Client | null = null;
  let server: Server | null = null;
  let finished: Promise<void> = new Promise(() => {});

  if (mode === 'console') {
    const tty = (input as { isTTY?: boolean }).isTTY === true;
    const why = config.DISCORD_TOKEN === undefined ? 'No DISCORD_TOKEN set' : 'CONSOLE is set';
    output.write(`${why}: running the local console (LL2 at ${config.LL2_BASE_URL}). Type "help" for commands${tty ? ', Ctrl-D to quit' : ''}.\n`);
    finished = runConsole({ router: app.router, input, output, prompt: tty });
  } else if (mode === 'http') {
    server = await startInteractionsServer({
      publicKey: config.DISCORD_PUBLIC_KEY!,
      port: config.INTERACTIONS_PORT!,
      applicationId: config.DISCORD_APPLICATION_ID,
      restApi: config.DISCORD_REST_API,
      router: app.router,
      logger,
    });
  } else {
    const shards = config.SHARD_IDS ?? (config.SHARD_COUNT === 'auto' ? 'auto' : undefined);
    const shardCount = typeof config.SHARD_COUNT === 'number' ? config.SHARD_COUNT : undefined;
    client = await startGateway({ token: config.DISCORD_TOKEN!, router: app.router, logger, restApi: config.DISCORD_REST_API, shards, shardCount });
  }

  return {
    mode,
    app,
    client,
    server,
    finished,
    async stop() {
      if (client !== null) await client.destroy();
      if (server !== null) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await app.close();
    },
  };
}
