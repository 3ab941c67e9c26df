// Logger factory: pino, with every secret-bearing path redacted.
import { pino, type Logger } from 'pino';

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

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { app: 'spacedock' } };
  return destination === undefined ? pino(options, pino.destination(2)) : pino(options, destination);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
