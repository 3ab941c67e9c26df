// A fixed CPU budget for a bot process (the Linux cgroup v1 `cpu` controller's CFS bandwidth
// limit). A bot held to a fraction of a core is busy all the time under load, so the rate it
// answers at is its own capacity on that budget, not the rate of the fake Discord that measures it.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = '/sys/fs/cgroup/cpu';
/** Short periods keep the pauses a bot sees short (the budget is enforced per period). */
const PERIOD_US = 10_000;

export interface CpuQuota {
  /** Puts a process (and every thread it starts afterwards) under this budget. */
  add(pid: number): void;
  /** A fraction of one core, or null for no limit. */
  limit(fraction: number | null): void;
  /** Times the kernel held the group back for having used its budget (cpu.stat nr_throttled). */
  throttled(): number;
  /** Removes the group once its processes have ended. */
  remove(): void;
}

/** null where cgroups cannot be written here (not Linux, not root, no v1 cpu controller). */
export function createCpuQuota(name: string): CpuQuota | null {
  if (!existsSync(join(ROOT, 'cpu.cfs_quota_us'))) return null;
  const dir = join(ROOT, name);
  const write = (file: string, value: string) => writeFileSync(join(dir, file), value);
  try {
    mkdirSync(dir, { recursive: true });
    write('cpu.cfs_period_us', String(PERIOD_US));
  } catch {
    return null;
  }
  return {
    add: (pid) => write('cgroup.procs', String(pid)),
    limit: (fraction) => write('cpu.cfs_quota_us', fraction === null ? '-1' : String(Math.round(PERIOD_US * fraction))),
    throttled: () => Number(/^nr_throttled (\d+)$/m.exec(readFileSync(join(dir, 'cpu.stat'), 'utf8'))?.[1] ?? Number.NaN),
    remove() {
      // a process that just exited can stay in the group for a moment: try for up to 2 s
      for (let attempt = 0; attempt < 200; attempt++) {
        try {
          rmdirSync(dir);
          return;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // removed already
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        }
      }
      // still busy (a process is still in it): the group is empty, and harmless, once it ends
    },
  };
}
