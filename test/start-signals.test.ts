// `kill <pid of npm start>` must stop Failsafe, not only npm: npm passes SIGTERM to its child,
// and a shell between them (npm runs scripts through `sh -c`) would swallow it and leave the
// app running without its parent. The start scripts exec, so npm's child is the app itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unconfiguredEnv } from './support/main-process.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
let dataDir: string;
let npm: ChildProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'failsafe-start-'));
});
afterAll(async () => {
  // Its own process group: whatever npm left behind goes with it.
  if (npm?.pid) {
    try {
      process.kill(-npm.pid, 'SIGKILL');
    } catch {}
  }
  await rm(dataDir, { recursive: true, force: true });
});

/** The pid the app logs at start, from the "failsafe started" line. */
function started(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
    lines.on('line', (line) => {
      if (line.includes('"msg":"failsafe started"')) resolve((JSON.parse(line) as { pid: number }).pid);
    });
    child.once('exit', (code) => reject(new Error(`npm start ended (${code}) before the app started`)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('stops the app when npm itself gets SIGTERM', async () => {
    npm = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      detached: true,
      env: { ...unconfiguredEnv(dataDir), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const appPid = await started(npm);
    expect(appPid).not.toBe(npm.pid);
    process.kill(npm.pid as number, 'SIGTERM');
    // Not our child (npm's), so there is no exit event: the pid going away is the event. The
    // app's own shutdown takes a second or two; 30 s means it was never told.
    const deadline = Date.now() + 30_000;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (alive(appPid) && Date.now() < deadline) return;
        clearInterval(timer);
        resolve();
      }, 50);
    });
    expect(alive(appPid), 'the app outlived npm start').toBe(false);
  }, 90_000);
});
