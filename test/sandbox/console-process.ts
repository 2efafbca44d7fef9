// `npm start` with nothing configured, as a child process for the console tests: started in
// beforeAll, stopped with SIGTERM in afterAll (it must exit 0 and print no error), and the
// console driven over plain HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface SandboxConsole {
  readonly url: string;
  page(): Promise<string>;
  /** POSTs a console form; the console always answers 303 back to /sandbox. */
  postForm(route: string, fields: Record<string, string>): Promise<void>;
}

/** Resolves with the app's URL from the sandbox banner once Failsafe says it started. */
function started(proc: ChildProcess, stderr: () => string): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout as NonNullable<ChildProcess['stdout']> });
    lines.on('line', (line) => {
      output += `${line}\n`;
      if (/"msg":"failsafe started"/.test(line)) resolve(/App:\s+(\S+)/.exec(output)?.[1] ?? '');
    });
    proc.once('exit', (code) => reject(new Error(`exited with ${code}; output:\n${output}${stderr()}`)));
  });
}

export function useSandboxConsole(prefix: string): SandboxConsole {
  let dataDir = '';
  let child: ChildProcess | undefined;
  let url = '';
  let stderr = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), prefix));
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        FAILSAFE_DATA_DIR: dataDir,
        FAILSAFE_CONFIG: path.join(dataDir, 'no-such-failsafe.yml'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    url = await started(child, () => stderr);
    expect(url).toMatch(/^http:\/\/localhost:\d+$/);
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    await rm(dataDir, { recursive: true, force: true });
    expect(stderr).not.toMatch(/Error/);
  });
  return {
    get url() {
      return url;
    },
    page: async () => (await fetch(`${url}/sandbox`)).text(),
    async postForm(route, fields) {
      const res = await fetch(`${url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/sandbox');
    },
  };
}
