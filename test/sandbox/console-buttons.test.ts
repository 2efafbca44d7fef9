// The page message in the sandbox console as Slack shows it, and its buttons working: the
// sample alert's message is drawn from its blocks, Acknowledge clicked as Jane reaches the app
// as a signed block_actions request, and a form posted from another site is refused.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.ts';
import { useSandboxConsole } from './console-process.ts';

// The embedded database, as `npm start` runs it: a click runs two queries at once, which
// pglite-socket used to interleave (src/db/embedded.ts keepQueriesTogether).
const sandbox = useSandboxConsole('failsafe-console-buttons-');
const { page } = sandbox;

/** The message in #alerts carrying the incident buttons. */
const pageMessage = (html: string) =>
  /<li class="slack-message" data-channel="C0ALERTS"[^>]*>(?:(?!<\/li>)[\s\S])*?bk-actions[\s\S]*?<\/li>/.exec(
    html,
  )?.[0] ?? '';

/** The hidden fields of the form around the button labelled `label`. */
function buttonFields(message: string, label: string): Record<string, string> {
  const form = new RegExp(
    `<form method="post" action="/sandbox/action"[^>]*>((?:(?!</form>).)*?>${label}</button>)`,
  ).exec(message)?.[1];
  expect(form, `no ${label} button in ${message}`).toBeDefined();
  return Object.fromEntries(
    [...(form ?? '').matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );
}

const post = (route: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${sandbox.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

/** A POST whose Host header names another domain, as a DNS-rebinding page's would (fetch cannot set Host). */
function postWithHost(route: string, host: string): Promise<number> {
  const url = new URL(route, sandbox.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: '127.0.0.1',
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { host, origin: `http://${host}` },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('user=U0JANE&command=%2Fai-oncall');
  });
}

/** GET /sandbox/events, read one server-sent event at a time. */
async function openEvents() {
  const controller = new AbortController();
  const res = await fetch(`${sandbox.url}/sandbox/events`, { signal: controller.signal });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  return {
    async next(): Promise<string> {
      while (!buffered.includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the event stream ended');
        buffered += value;
      }
      const [event = '', ...rest] = buffered.split('\n\n');
      buffered = rest.join('\n\n');
      return event;
    },
    async close() {
      controller.abort();
      await reader.cancel().catch(() => undefined);
    },
  };
}

describe('the page message in the sandbox console', () => {
  let message = '';

  it('draws the sample alert page as Slack does: bold name, emoji, mention by name, three buttons', async () => {
    const events = await openEvents();
    expect(await events.next()).toBe('retry: 1000');
    await sandbox.sendSampleAlert();
    // The page's cue to fetch /sandbox/live again, without polling it.
    expect(await events.next()).toBe('event: change\ndata: 1');
    await events.close();
    expect(await (await fetch(`${sandbox.url}/sandbox/live`)).text()).toContain('Slack messages (');
    const html = await waitUntil(page, (h) => pageMessage(h).includes('Paged <b>'), {
      what: 'the page message on /sandbox',
      timeoutMs: 30_000,
    });
    message = pageMessage(html);
    expect(message).toContain('🔴 <b>AI support bot</b>: Support bot answers failing evals');
    expect(message).toMatch(/Paged <b>Jane Doe<\/b> \(<span class="bk-mention">@Jane Doe<\/span>\)/);
    expect(message).toContain('<code>ai-support-bot</code>');
    for (const label of ['Acknowledge', 'Resolve', 'Escalate'])
      expect(buttonFields(message, label).user).toBe('U0JANE');
    expect(message).not.toMatch(/:red_circle:|<@U0|\*AI support bot\*/);
  }, 45_000);

  it('refuses a button form posted from another site, and changes nothing', async () => {
    const foreign = await post('/sandbox/action', buttonFields(message, 'Resolve'), {
      origin: 'http://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(await postWithHost('/sandbox/command', 'rebind.evil.example:3000')).toBe(403);
    const samePage = await post('/sandbox/pagerduty/none/resolve', {}, { origin: 'http://evil.example' });
    expect(samePage.status).toBe(403);
    expect(await page()).toMatch(/— <i>triggered<\/i>, assigned to Jane Doe/);
  });

  it('clicks Acknowledge as Jane: the app acknowledges and edits the message', async () => {
    const fields = buttonFields(message, 'Acknowledge');
    const res = await post('/sandbox/action', fields, { origin: sandbox.url });
    expect(res.status).toBe(303);
    // The edit, PagerDuty's state and the private reply arrive in any order: wait for all three.
    const reply = /Jane Doe clicked <b>Acknowledge<\/b> in #alerts <small>[^<]*<\/small><pre>Acknowledged\./;
    const html = await waitUntil(
      page,
      (h) =>
        pageMessage(h).includes('Acknowledged by <b>Jane Doe</b> from Slack') &&
        /— <i>acknowledged<\/i>, assigned to Jane Doe/.test(h) &&
        reply.test(h),
      {
        what: 'the acknowledged message on /sandbox',
        timeoutMs: 30_000,
      },
    );
    expect(pageMessage(html)).toContain('👀 Acknowledged');
    expect(html).toMatch(/— <i>acknowledged<\/i>, assigned to Jane Doe/);
    expect(html).not.toContain('<p class="notice">');
    // The app's private answer to the click, labelled with who clicked what.
    expect(html).toMatch(reply);
  }, 45_000);
});
