// `src/main.ts` as a child process, the way `npm start` runs it, for tests of how start-up ends.
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Outcome {
  code: number | null;
  /** It got as far as "failsafe started" (and was killed): what a refusal must never do. */
  started: boolean;
  stdout: string;
  stderr: string;
}

/** Runs main.ts with exactly `env` (plus PATH and HOME) until it exits, or until it starts. */
export function startUp(env: Record<string, string>): Promise<Outcome> {
  const proc = spawn(process.execPath, ['src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const outcome: Outcome = { code: null, started: false, stdout: '', stderr: '' };
  proc.stdout.on('data', (d) => {
    outcome.stdout += String(d);
    if (!outcome.started && outcome.stdout.includes('"msg":"failsafe started"')) {
      outcome.started = true;
      proc.kill('SIGKILL');
    }
  });
  proc.stderr.on('data', (d) => {
    outcome.stderr += String(d);
  });
  return new Promise((resolve) =>
    proc.once('close', (code) => {
      outcome.code = code;
      resolve(outcome);
    }),
  );
}

/**
 * What `npm start` sees on a new machine, for a child run in `dataDir`: nothing configured (the
 * catalog path names no file), so the sandbox, on a port of its own.
 */
export function unconfiguredEnv(dataDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: '0',
    FAILSAFE_DATA_DIR: dataDir,
    FAILSAFE_CONFIG: path.join(dataDir, 'no-such-failsafe.yml'),
  };
}
