// Issue 2's console session (bench/session.ts, run as it is) so `npm run bench` runs every benchmark.
import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../lib/processes.ts';

export interface SessionResult {
  markdown: string;
}

export async function runSession(progress: (text: string) => void): Promise<SessionResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/session.ts'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bench/session.ts exited with code ${String(code)}`);
  progress('console session done');
  return { markdown: out.trim() };
}

export function renderSession(r: SessionResult): string {
  return ['### A 50-command console session (issue 2, `bench/session.ts`)', '', r.markdown].join('\n');
}
