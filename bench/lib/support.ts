// Small things every benchmark section needs: temp folders, a logger whose lines can be counted,
// a bounded-concurrency driver.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.ts';

export function tempDir(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `spacedock-bench-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real pino logger that keeps its records in memory (the bot's logs are evidence too). */
export function recordingLogger(level: string): { logger: Logger; records: LogRecord[]; count(msg: string): number } {
  const records: LogRecord[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          const parsed: unknown = JSON.parse(line);
          if (typeof parsed === 'object' && parsed !== null) {
            const record: Record<string, unknown> = Object.fromEntries(Object.entries(parsed));
            records.push({ ...record, level: Number(record.level), msg: String(record.msg) });
          }
        } catch {
          // not a JSON log line: ignore
        }
      }
      done();
    },
  });
  return { logger: createLogger(level, sink), records, count: (msg) => records.filter((r) => r.msg === msg).length };
}

/**
 * Runs `task(i)` for i in [0, total) with at most `concurrency` in flight; `onDone` is called after
 * each one (e.g. to clear a fake's history every so often).
 */
export async function drive(total: number, concurrency: number, task: (i: number) => Promise<void>, onDone?: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await task(i);
      done++;
      onDone?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
