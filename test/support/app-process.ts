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

/** A main.ts child from its spawn: `started` settles once it logs that it started, or it ends first. */
export interface SpawnedApp {
  readonly child: ChildProcess;
  readonly ended: AppProcess['ended'];
  /** Rejects when the process ends before it started (an armed crash point reached early, say). */
  readonly started: Promise<AppProcess>;
}

/** Runs main.ts with `env` (plus PATH and HOME; LOG_LEVEL at least info to see it start). */
export function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  return spawnAppProcess(env).started;
}

/**
 * Like startAppProcess, for a process that may reach its crash point during start-up (its
 * workers run jobs left by the last process before it listens): await `ended` instead.
 */
export function spawnAppProcess(env: Record<string, string>): SpawnedApp {
  const child = spawn(process.execPath, ['src/main.ts'], {
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
  const started = new Promise<AppProcess>((resolve, reject) => {
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
  // A caller awaiting only `ended` has no use for the rejection; one awaiting `started` still gets it.
  started.catch(() => {});
  return { child, ended, started };
}
