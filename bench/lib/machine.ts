// The machine a benchmark ran on, for the report header: CPU model, cores, RAM, Node version, date.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  ramBytes: number;
  node: string;
  platform: string;
  date: string;
  /** 1-minute load average when the run started (other work on the machine skews every figure). */
  loadAverage: number;
  /** The code measured: commit, and how many files under src/ and commands/ differ from it. */
  code: string;
}

function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const changed = git('status', '--porcelain', '--', 'src', 'commands').split('\n').filter((l) => l.trim() !== '').length;
    return changed === 0 ? `commit ${commit}` : `commit ${commit} + ${changed} changed file(s) in src/ and commands/`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    const model = line?.split(':').slice(1).join(':').trim();
    if (model !== undefined && model !== '') return model;
  } catch {
    // not Linux: fall back to what Node reports
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    ramBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    loadAverage: loadavg()[0] ?? Number.NaN,
    code: codeVersion(),
  };
}
