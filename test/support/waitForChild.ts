// Waiting on a child process's output: both child harnesses (bot.ts, cluster.ts) re-check their
// condition whenever the child prints, and give up when it exits first or the time runs out.

export interface ChildWait<T> {
  /** Re-run by the harness after every chunk of output; each pending wait adds itself here. */
  waiters: Set<() => void>;
  /** What was awaited, once it is there. */
  find: () => T | undefined;
  /** The child's exit code or signal, null while it runs. */
  exitedWith: () => number | string | null;
  /** For the errors "<who> exited (<code>) before <doing[0]> <what>" and "<who> did not <doing[1]> <what> within … ms". */
  who: string;
  doing: readonly [ing: string, verb: string];
  what: string;
  /** The output to show when it fails. */
  context: () => string;
  timeoutMs: number;
}

export function waitForChild<T>(wait: ChildWait<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = wait.find();
      if (found !== undefined) {
        finish();
        resolve(found);
      } else if (wait.exitedWith() !== null) {
        finish();
        reject(new Error(`${wait.who} exited (${String(wait.exitedWith())}) before ${wait.doing[0]} ${wait.what}\n${wait.context()}`));
      }
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${wait.who} did not ${wait.doing[1]} ${wait.what} within ${wait.timeoutMs} ms\n${wait.context()}`));
    }, wait.timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      wait.waiters.delete(check);
    };
    wait.waiters.add(check);
    check();
  });
}
