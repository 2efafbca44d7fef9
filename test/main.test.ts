// `npm start` with nothing configured, as a new user runs it: the sandbox banner, the printed
// curl, the /sandbox page, and a clean exit on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsConnections, externalAddress } from './support/net.ts';
import { waitUntil } from './support/wait.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
let dataDir: string;
let child: ChildProcess;
let output = '';

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'failsafe-main-'));
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

/** Resolves with the first stdout line matching `pattern` (lines are also kept in `output`). */
function lineMatching(proc: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout as NonNullable<ChildProcess['stdout']> });
    lines.on('line', (line) => {
      output += `${line}\n`;
      if (pattern.test(line)) resolve(line);
    });
    proc.once('exit', (code) => reject(new Error(`exited with ${code}; output:\n${output}`)));
  });
}

describe('npm start without configuration', () => {
  it('runs the sandbox on loopback, the printed curl pages Jane Doe, and SIGTERM exits cleanly', async () => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      FAILSAFE_DATA_DIR: dataDir,
      FAILSAFE_CONFIG: path.join(dataDir, 'no-such-failsafe.yml'),
    };
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const startedLine = await lineMatching(child, /"msg":"failsafe started"/);
    expect(output).toContain('SANDBOX mode');
    const started = JSON.parse(startedLine) as Record<string, unknown>;
    expect(started).toMatchObject({ mode: 'sandbox', embeddedDatabase: true });
    // Bound to loopback: /sandbox must not answer on the machine's network address.
    expect(started.listening).toMatch(/^127\.0\.0\.1:\d+$/);
    const url = /App:\s+(\S+)/.exec(output)?.[1] as string;
    const token = /Authorization: Bearer ([^']+)'/.exec(output)?.[1] as string;
    const payload = /-d '(.+)'$/m.exec(output)?.[1] as string;
    expect([url, token, payload].every(Boolean)).toBe(true);
    const port = Number(new URL(url).port);
    const external = externalAddress();
    if (external) expect(await acceptsConnections(external, port)).toBe(false);
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({
      status: 'ready',
      mode: 'sandbox',
      embeddedDatabase: true,
    });

    const res = await fetch(`${url}/alerts/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: payload,
    });
    expect(res.status).toBe(202);
    const page = await waitUntil(
      async () => (await fetch(`${url}/sandbox`)).text(),
      (html) => html.includes('Paged *Jane Doe*'),
      { what: 'the page to appear on /sandbox' },
    );
    expect(page).toContain('AI support bot');
    expect(page).toContain('Paged *Jane Doe*');

    // The simulated phone: acknowledging "in the PagerDuty app" changes the Slack message.
    const action = /action="(\/sandbox\/pagerduty\/[^"]+\/acknowledge)"/.exec(page)?.[1] as string;
    expect(action).toBeTruthy();
    const tapped = await fetch(`${url}${action}`, { method: 'POST', redirect: 'manual' });
    expect(tapped.status).toBe(303);
    await waitUntil(
      async () => (await fetch(`${url}/sandbox`)).text(),
      (html) => html.includes('Acknowledged by *Jane Doe* from the PagerDuty app'),
      { what: 'the acknowledgement to reach the Slack message' },
    );

    const stopAt = Date.now();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(25_000);
    expect(stderr).not.toMatch(/Error/);
  }, 60_000);
});
