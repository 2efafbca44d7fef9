// The sandbox console as a new user meets it after `npm start` with nothing configured:
// type /ai-kill as Jane, submit the modal, watch the flag go off, then ramp it back on —
// all through plain HTTP to /sandbox, with no Slack.
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.ts';
import { useSandboxConsole } from './console-process.ts';

const sandbox = useSandboxConsole('failsafe-console-');
const { page, postForm } = sandbox;

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
      'The console knows /ai-kill, /ai-oncall, /ai-incident, /ai-update, /ai-postmortem, /ai-budget and /ai-watch',
    );
    await typeAsJane('/ai-kill <b>nope</b>');
    const reply = await waitUntil(page, (h) => h.includes('Unknown feature'), { what: 'the unknown reply' });
    expect(reply).toContain('&lt;b&gt;nope&lt;/b&gt;');
    expect(reply).not.toContain('<b>nope</b>');
  });
});
