// `src/main.ts` as a child process that tests can really crash: started with an environment
// (e.g. FAILSAFE_CRASH_AT), awaited until it logs "failsafe started", and ended by SIGKILL, by
// SIGTERM, or by itself at an armed crash point.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface AppProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** How it ended: the exit code, or the signal that killed it. */
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (graceful) or SIGKILL, then waits for the end. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** Runs main.ts with `env` (plus PATH and HOME; LOG_LEVEL at least info to see it start). */
export function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  // FAILSAFE_TEST_CHILD_LOGS=1 shows what the child logs, to debug a crash test.
  if (process.env.FAILSAFE_TEST_CHILD_LOGS) {
    child.stdout?.on('data', (d) => process.stderr.write(d));
    child.stderr?.on('data', (d) => process.stderr.write(d));
  }
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
    lines.on('line', (line) => {
      if (!line.includes('"msg":"failsafe started"')) return;
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url: url.replace('localhost', '127.0.0.1'),
        child,
        ended,
        async stop(signal = 'SIGKILL') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await ended;
        },
      });
    });
    void ended.then(({ code, signal }) =>
      reject(new Error(`main.ts ended (${signal ?? code}) before it started:\n${output}`)),
    );
  });
}
