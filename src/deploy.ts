// `npm run deploy`: registers the slash commands for DISCORD_GUILD_ID when set, else globally.
// Never run on start-up. Prints what it registered; exits non-zero on failure.
import { REST } from '@discordjs/rest';
import { Routes, type RESTPutAPIApplicationCommandsResult } from 'discord-api-types/v10';
import { spacecraftCommandData } from '../commands/spacecraft.ts';
import { storeNamespace } from './app.ts';
import { ConfigError, currentEnv, loadConfig, readDotEnv, type Config } from './config.ts';
import { silentLogger, errorText } from './log.ts';
import { Store } from './store/store.ts';
import { statusSchema } from './ll2/schemas.ts';
import { z } from 'zod';

async function storedStatuses(config: Config) {
  // statuses the API reported (from the last catalogue sync) join the built-in choices; no network
  const store = Store.open({ url: config.STORE_URL, logger: silentLogger(), namespace: storeNamespace(config) });
  try {
    const stored = await store.get('catalogue:statuses', z.object({ records: z.array(statusSchema) }));
    return stored?.records ?? [];
  } finally {
    await store.close();
  }
}

async function deploy(): Promise<void> {
  readDotEnv();
  const config = loadConfig(currentEnv());
  if (config.DISCORD_TOKEN === undefined || config.DISCORD_APPLICATION_ID === undefined) {
    throw new ConfigError(['DISCORD_TOKEN and DISCORD_APPLICATION_ID: both are needed to register commands']);
  }
  const body = [spacecraftCommandData(await storedStatuses(config))];
  const rest = new REST(config.DISCORD_REST_API === undefined ? {} : { api: config.DISCORD_REST_API }).setToken(config.DISCORD_TOKEN);
  const route =
    config.DISCORD_GUILD_ID === undefined
      ? Routes.applicationCommands(config.DISCORD_APPLICATION_ID)
      : Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, config.DISCORD_GUILD_ID);
  const result = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  const where = config.DISCORD_GUILD_ID === undefined ? 'globally (may take up to an hour to appear)' : `in guild ${config.DISCORD_GUILD_ID}`;
  process.stdout.write(`Registered ${result.length} command(s) ${where}:\n`);
  for (const command of result) {
    const subs = (command.options ?? []).map((o) => o.name).join(', ');
    process.stdout.write(`  /${command.name} (${subs}) id ${command.id}\n`);
  }
}

deploy().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `${error.message}\nSee .env.example for every setting.` : `Deploy failed: ${errorText(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});

