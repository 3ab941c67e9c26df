// Logger factory: pino, with every secret-bearing path redacted. Errors are serialised through
// `safeError`, which strips interaction/webhook tokens from URLs (discord.js puts them in
// DiscordAPIError.url) and drops request bodies.
import { pino, stdSerializers, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'token',
  '*.token',
  'config.DISCORD_TOKEN',
  'config.LL2_API_KEY',
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
];

/** Interaction and webhook tokens in Discord API paths: /interactions/{id}/{token}, /webhooks/{app}/{token}. */
const TOKEN_IN_PATH = /\/(interactions\/\d+|webhooks\/\d+)\/[^/?\s"]+/g;

export function scrubTokens(text: string): string {
  return text.replace(TOKEN_IN_PATH, '/$1/[redacted]');
}

/** The message of anything thrown, for a log field or a one-line report. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrubTokens(String(error)) };
  const serialised = stdSerializers.err(error) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(serialised)) {
    if (key === 'requestBody' || key === 'rawError') continue;
    out[key] = typeof value === 'string' ? scrubTokens(value) : value;
  }
  return out;
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { app: 'spacedock' },
    serializers: { err: safeError },
  };
  return destination === undefined ? pino(options, pino.destination(2)) : pino(options, destination);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
