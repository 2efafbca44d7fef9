// Shared bench plumbing: a fresh database, the fakes in this process, and Failsafe itself in a
// child process (as in production), so the app's CPU is its own and RSS is measurable.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type Fakes, testEnv } from '../test/support/harness.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface Child {
  url: string;
  process: ChildProcess;
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The environment of a Failsafe child on `databaseUrl` talking to the in-process fakes: the
 * tests' (so a bench signs Slack requests as they do), logging at info because the benches
 * read the child's "failsafe started" and timing lines.
 */
export function childEnv(
  databaseUrl: string,
  fakes: Pick<Fakes, 'slack' | 'pd'>,
  extra: { catalogPath: string; alertToken: string },
): Record<string, string> {
  return testEnv(databaseUrl, fakes, {
    LOG_LEVEL: 'info',
    FAILSAFE_CONFIG: extra.catalogPath,
    FAILSAFE_ALERT_TOKEN: extra.alertToken,
  });
}

export async function startChild(env: Record<string, string>): Promise<Child> {
  // One node process running the TypeScript as it is (no wrapper), so its peak RSS is the app's own.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const extra = process.env.BENCH_NODE_IMPORT ? ['--import', process.env.BENCH_NODE_IMPORT] : [];
  const child = spawn(process.execPath, [...profile, ...extra, 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string; level?: number };
      if (entry.msg === 'failsafe started' && entry.url) resolve(entry.url.replace('localhost', '127.0.0.1'));
      else if ((entry.level ?? 0) >= 50) process.stderr.write(`${line}\n`);
    });
    child.once('exit', (code) => reject(new Error(`failsafe exited with ${code} before starting`)));
  });
  return {
    url,
    process: child,
    async peakRssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round(kb / 1024);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function pool<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
