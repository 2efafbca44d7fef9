// README's production start: `npm run build` compiles src to dist/, and `npm run start:prod`
// starts that JavaScript with plain node: no TypeScript, no client generation at start.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unconfiguredEnv } from './support/main-process.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
let dataDir: string;
let npm: ChildProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'failsafe-build-'));
});
afterAll(async () => {
  if (npm?.pid) {
    try {
      process.kill(-npm.pid, 'SIGKILL');
    } catch {}
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run build, then npm run start:prod', () => {
  it('compiles src to JavaScript that starts with node alone', async () => {
    await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: ROOT });
    const main = await readFile(path.join(ROOT, 'dist/main.js'), 'utf8');
    // Relative imports rewritten to the compiled files, so node needs no TypeScript loader.
    expect(main).toMatch(/from "\.\/runtime\.js"/);
    expect(main).not.toMatch(/from "[^"]+\.ts"/);

    npm = spawn('npm', ['run', '--silent', 'start:prod'], {
      cwd: ROOT,
      detached: true,
      env: { ...unconfiguredEnv(dataDir), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    npm.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const started = await new Promise<Record<string, unknown>>((resolve, reject) => {
      npm?.stdout?.on('data', (d) => {
        stdout += String(d);
        const line = stdout.split('\n').find((l) => l.includes('"msg":"failsafe started"'));
        if (line) resolve(JSON.parse(line) as Record<string, unknown>);
      });
      npm?.once('exit', (code) => reject(new Error(`start:prod ended (${code}):\n${stdout}\n${stderr}`)));
    });
    expect(started).toMatchObject({ mode: 'sandbox' });
    // `exec node dist/main.js`: the app is node on the build, with no loader or flags before it.
    const cmdline = (await readFile(`/proc/${Number(started.pid)}/cmdline`, 'utf8')).split('\0');
    expect(cmdline.slice(1, 2)).toEqual(['dist/main.js']);
    const ready = await fetch(`${String(started.url).replace('localhost', '127.0.0.1')}/readyz`);
    expect(ready.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => npm?.once('exit', (code) => resolve(code)));
    process.kill(Number(started.pid), 'SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  }, 120_000);
});
