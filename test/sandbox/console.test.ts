// The sandbox console as a new user meets it after `npm start` with nothing configured:
// type /ai-kill as Jane, submit the modal, watch the flag go off, then ramp it back on —
// all through plain HTTP to /sandbox, with no Slack.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dataDir: string;
let child: ChildProcess | undefined;
let url = '';
let stderr = '';

/** Resolves with the app's URL from the sandbox banner once Failsafe says it started. */
function started(proc: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout as NonNullable<ChildProcess['stdout']> });
    lines.on('line', (line) => {
      output += `${line}\n`;
      if (/"msg":"failsafe started"/.test(line)) resolve(/App:\s+(\S+)/.exec(output)?.[1] ?? '');
    });
    proc.once('exit', (code) => reject(new Error(`exited with ${code}; output:\n${output}${stderr}`)));
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'failsafe-console-'));
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
  url = await started(child);
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

const page = async () => (await fetch(`${url}/sandbox`)).text();

async function postForm(route: string, fields: Record<string, string>): Promise<void> {
  const res = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/sandbox');
}

const typeAsJane = (command: string) => postForm('/sandbox/command', { user: 'U0JANE', command });

/** The cell of the flag table for `flag` in `environment`, e.g. "OFF" or "ON 50%". */
function flagCell(html: string, flag: string, environment: string): string | undefined {
  const row = new RegExp(`<tr data-flag="${flag}">(.*?)</tr>`).exec(html)?.[1] ?? '';
  return new RegExp(`<td data-env="${environment}">([^<]*)</td>`).exec(row)?.[1];
}

describe('the sandbox console', () => {
  it('offers the slash-command form with the fake Slack people and the flag table', async () => {
    const html = await page();
    expect(html).toContain('action="/sandbox/command"');
    expect(html).toMatch(/<option value="U0JANE" selected>Jane Doe \(U0JANE\)<\/option>/);
    expect(flagCell(html, 'ai-support-bot', 'production')).toBe('ON 100%');
  });

  it('kills ai-support-bot through the modal, then ramps it back on', async () => {
    await typeAsJane('/ai-kill ai-support-bot hallucinated refunds');
    const withModal = await waitUntil(page, (html) => html.includes('action="/sandbox/view/'), {
      what: 'the kill modal on /sandbox',
    });
    const viewId = /action="\/sandbox\/view\/([^"]+)"/.exec(withModal)?.[1] as string;
    expect(withModal).toContain('Turn it off');
    expect(withModal).toMatch(/<input name="reason\/reason_input"[^>]* value="hallucinated refunds">/);
    expect(withModal).toContain('Human agents answer support chats');

    // An empty reason is refused by the app, and the modal stays open with its error.
    await postForm(`/sandbox/view/${viewId}`, { 'reason/reason_input': '' });
    const refused = await page();
    expect(refused).toContain('Say why, in a few words.');
    expect(refused).toContain(`action="/sandbox/view/${viewId}"`);

    await postForm(`/sandbox/view/${viewId}`, { 'reason/reason_input': 'hallucinated refunds' });
    const killed = await waitUntil(
      page,
      (html) =>
        html.includes('is OFF in production') && flagCell(html, 'ai-support-bot', 'production') === 'OFF',
      { what: 'the kill on /sandbox', timeoutMs: 30_000 },
    );
    expect(killed).toContain('(Jane Doe: hallucinated refunds)');
    expect(killed).not.toContain(`action="/sandbox/view/${viewId}"`);

    await typeAsJane('/ai-kill restore ai-support-bot --ramp 50,100 --hold 1s');
    const restoring = await waitUntil(page, (html) => html.includes('Restoring `ai-support-bot`'), {
      what: 'the restore reply on /sandbox',
    });
    expect(restoring).toContain(
      'Jane Doe typed <code>/ai-kill restore ai-support-bot --ramp 50,100 --hold 1s</code>',
    );
    const restored = await waitUntil(
      page,
      (html) =>
        html.includes('fully back ON') && flagCell(html, 'ai-support-bot', 'production') === 'ON 100%',
      { what: 'the ramp to finish on /sandbox', timeoutMs: 30_000 },
    );
    expect(restored).toContain('restore step 1 of 2: ON for 50% in production');
  }, 90_000);

  it('answers an unknown command and escapes what was typed', async () => {
    await typeAsJane('/deploy <script>alert(1)</script>');
    const html = await page();
    expect(html).toContain(
      'The console knows /ai-kill, /ai-oncall, /ai-incident, /ai-update, /ai-postmortem and /ai-budget',
    );
    await typeAsJane('/ai-kill <b>nope</b>');
    const reply = await waitUntil(page, (h) => h.includes('Unknown feature'), { what: 'the unknown reply' });
    expect(reply).toContain('&lt;b&gt;nope&lt;/b&gt;');
    expect(reply).not.toContain('<b>nope</b>');
  });
});
