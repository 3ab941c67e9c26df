// The one place that reads process.env: every setting is parsed and checked here, once.
import { z } from 'zod';

/** Empty or blank values count as unset; others are trimmed. */
const blankIsUnset = (value: unknown) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value);
const setting = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());

const optionalText = setting(z.string());
const snowflake = setting(z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)'));
const httpUrl = setting(
  z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).transform((v) => v.replace(/\/+$/, '')),
);
const wholeNumber = z.string().regex(/^\d+$/, 'must be a whole number').transform(Number);
const positiveInt = (fallback: number) => setting(wholeNumber.pipe(z.number().int().positive())).transform((v) => v ?? fallback);
const booleanFlag = (fallback: boolean) =>
  setting(
    z
      .string()
      .toLowerCase()
      .transform((v, ctx) => {
        if (['1', 'true', 'yes', 'on'].includes(v)) return true;
        if (['0', 'false', 'no', 'off'].includes(v)) return false;
        ctx.addIssue({ code: 'custom', message: 'must be true or false' });
        return z.NEVER;
      }),
  ).transform((v) => v ?? fallback);

export const DEFAULT_LL2_BASE_URL = 'https://ll.thespacedevs.com/2.3.0';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  DISCORD_TOKEN: setting(z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'does not look like a bot token (three dot-separated parts)')),
  DISCORD_APPLICATION_ID: snowflake,
  DISCORD_GUILD_ID: snowflake,
  DISCORD_REST_API: httpUrl,
  DISCORD_PUBLIC_KEY: setting(z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')),
  INTERACTIONS_PORT: setting(wholeNumber.pipe(z.number().int().min(1).max(65535))),
  SHARD_COUNT: setting(z.union([z.literal('auto'), wholeNumber.pipe(z.number().int().positive())])),
  SHARD_IDS: setting(z.string().regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of shard ids').transform((v) => v.split(',').map(Number))),
  LL2_BASE_URL: httpUrl.transform((v) => v ?? DEFAULT_LL2_BASE_URL),
  LL2_API_KEY: optionalText,
  LL2_TIMEOUT_MS: setting(wholeNumber.pipe(z.number().int().min(100).max(120_000, 'must be at most 120000 (2 minutes)'))).transform((v) => v ?? 10_000),
  LL2_QUOTA_LIMIT: positiveInt(15),
  LL2_QUOTA_WINDOW_SECS: positiveInt(3600),
  CATALOGUE_REFRESH_MINUTES: positiveInt(360),
  CATALOGUE_MAX_AGE_MINUTES: positiveInt(1440),
  DETAIL_TTL_MINUTES: positiveInt(720),
  STORE_URL: setting(
    z.string().regex(/^(sqlite:\/\/.+|redis:\/\/.+|rediss:\/\/.+|memory:)$/, 'must be sqlite://<path>, redis://<host>:<port> or memory:'),
  ).transform((v) => v ?? 'sqlite://./data/spacedock.sqlite'),
  STORE_NAMESPACE: setting(z.string().regex(/^[\w.-]{1,64}$/, 'must be 1–64 letters, digits, "_", "-" or "."')).transform((v) => v ?? 'spacedock'),
  LOG_LEVEL: setting(z.enum(LOG_LEVELS)),
  CONSOLE: booleanFlag(false),
});

export type Config = z.output<typeof envSchema>;

/** The name of every setting the bot reads. */
export const SETTING_NAMES = Object.keys(envSchema.shape) as ReadonlyArray<keyof Config>;

/** Names of settings whose values must never be shown, even in an error message. */
const SECRET_KEYS = new Set(['DISCORD_TOKEN', 'LL2_API_KEY', 'DISCORD_PUBLIC_KEY', 'STORE_URL']);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError listing every problem (never a secret's value). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (result.success) {
    const config = result.data;
    const problems: string[] = [];
    if (config.DISCORD_TOKEN !== undefined && config.DISCORD_APPLICATION_ID === undefined) {
      problems.push('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
    }
    if (config.SHARD_IDS !== undefined) {
      // which shards this process runs only means something against a fixed total
      const count = config.SHARD_COUNT;
      if (typeof count !== 'number') problems.push('SHARD_IDS: needs SHARD_COUNT set to the total number of shards (not auto)');
      else if (config.SHARD_IDS.some((id) => id >= count)) problems.push(`SHARD_IDS: every id must be below SHARD_COUNT (${count})`);
    }
    if ((config.DISCORD_PUBLIC_KEY === undefined) !== (config.INTERACTIONS_PORT === undefined)) {
      problems.push('DISCORD_PUBLIC_KEY and INTERACTIONS_PORT: set both (HTTP interactions mode) or neither');
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return config;
  }
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.') || '(environment)';
    const shown = SECRET_KEYS.has(key) ? '' : describeValue(env[key]);
    return `${key}: ${issue.message}${shown}`;
  });
  throw new ConfigError(problems);
}

function describeValue(value: string | undefined): string {
  if (value === undefined) return '';
  const clipped = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return ` (got ${JSON.stringify(clipped)})`;
}

/** Reads `.env` (if present) into process.env without overriding what is already set. */
export function readDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
}

export function currentEnv(): Record<string, string | undefined> {
  return process.env;
}
