// Correctly signed Slack requests that are wrong anyway, fuzzed: forms Failsafe never opened,
// buttons and commands it does not know, private_metadata of any shape, a missing user name,
// any part of the payload broken, and bodies that are not a Slack payload at all. Never a 5xx,
// never a change, and what Failsafe does not know is answered at once and plainly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyJson,
  hostileString,
  mutated,
  rowCounter,
  runs,
  toJsonText,
  useFuzzedApp,
} from '../support/fuzz.ts';
import {
  blockActionBody,
  sendSlackRequest,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-request.ts';

const { ctx, logLines, processErrors } = useFuzzedApp({ level: 'error' });
/** Slack's own fields are short: huge strings here only cost time (the body cap has its own test). */
const shortHostile = hostileString.filter((s) => s.length < 5_000);

const EFFECTS = [
  'stakeholder_update',
  'flag_operation',
  'kill_switch_audit',
  'incident',
  'timeline_entry',
  'postmortem',
  'budget_override',
];
const rows = rowCounter(() => ctx.database, EFFECTS);
const send = (body: string) => sendSlackRequest(`${ctx.app.url}/slack/events`, body);
const payloadOf = (form: string) => JSON.parse(new URLSearchParams(form).get('payload') ?? 'null') as object;
const asForm = (payload: unknown) => `payload=${encodeURIComponent(toJsonText(payload))}`;
let n = 0;
const viewId = () => `VFUZZ${++n}`;

/** Sends a signed body; never a 5xx, and nothing in the effect tables changes. */
async function check(body: string, what: string): Promise<Response> {
  const before = await rows();
  const res = await send(body);
  const text = await res.clone().text();
  expect(res.status, `${what}: ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
  expect(await rows(), `${what}: rows changed`).toBe(before);
  return res;
}

const CALLBACKS = ['ai_update_post', 'ai_kill_confirm', 'ai_kill_restore_now', 'nope', ''];
const ACTIONS = ['incident_acknowledge', 'incident_escalate', 'incident_resolve', 'nope', ''];

describe('signed Slack requests, fuzzed', () => {
  it('answers a form submission of any callback, metadata and values without a 5xx and changes nothing', async () => {
    const metadata = fc.oneof(
      shortHostile,
      anyJson.map((v) => toJsonText(v)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...CALLBACKS), shortHostile),
        metadata,
        fc.boolean(),
        async (callback_id, private_metadata, noName) => {
          const form = viewSubmissionBody({
            view: { id: viewId(), callback_id, private_metadata },
            values: { update_text: { update_text_input: 'x' }, reason: { reason_input: 'x' } },
            user_id: 'U0JANE',
          });
          const payload = payloadOf(form) as { user: Record<string, unknown> };
          if (noName) payload.user = { id: 'U0JANE' };
          await check(asForm(payload), `view ${JSON.stringify(callback_id).slice(0, 60)}`);
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('answers a button click with any action, value or part broken without a 5xx and changes nothing', async () => {
    const base = payloadOf(
      blockActionBody({
        action_id: 'incident_acknowledge',
        value: 'x',
        user_id: 'U0JANE',
        message: { ts: '1.2' },
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...ACTIONS), shortHostile),
        shortHostile,
        mutated(base),
        async (action_id, value, broken) => {
          const responseUrl = ctx.fakes.slack.controls.responseUrl();
          const whole = payloadOf(
            blockActionBody({
              action_id,
              value,
              user_id: 'U0JANE',
              message: { ts: '1.2' },
              response_url: responseUrl,
            }),
          );
          await check(asForm(whole), `action ${JSON.stringify(action_id).slice(0, 60)}`);
          await check(asForm(broken.body), JSON.stringify(broken.mutation).slice(0, 200));
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('answers any command, text and missing field without a 5xx', async () => {
    const command = fc.oneof(
      fc.constantFrom('/ai-update', '/ai-kill', '/ai-postmortem', '/ai-budget', '/ai-oncall', '/nope'),
      shortHostile.map((s) => `/${s}`),
    );
    await fc.assert(
      fc.asyncProperty(command, shortHostile, fc.boolean(), async (cmd, text, noName) => {
        const form = new URLSearchParams(slashCommandBody({ command: cmd, text, user_id: 'U0NOBODY' }));
        if (noName) form.delete('user_name');
        const res = await send(form.toString());
        expect(res.status, `${cmd}: ${await res.text()}`).toBeLessThan(500);
      }),
      { numRuns: runs(20) },
    );
  });

  it('answers bodies that are not a Slack payload at all without a 5xx', async () => {
    // The fields Bolt reads itself, holding anything.
    const slackish = fc.dictionary(
      fc.constantFrom(
        'type',
        'actions',
        'event',
        'view',
        'command',
        'user',
        'channel',
        'team',
        'message',
        'state',
      ),
      anyJson,
      { maxKeys: 4 },
    );
    const body = fc.oneof(
      slackish.map((v) => asForm(v)),
      slackish.map((v) => toJsonText(v)),
      anyJson.map((v) => asForm(v)),
      anyJson.map((v) => toJsonText(v)),
      // URLSearchParams writes a lone surrogate as U+FFFD: a form cannot carry one.
      shortHostile.map((s) => new URLSearchParams({ payload: s }).toString()),
      fc.constantFrom('payload=null', 'payload=5', 'payload=%5B%5D', '', 'x=%FF', 'ssl_check=1'),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await check(b.slice(0, 500_000), b.slice(0, 100));
      }),
      { numRuns: runs(40) },
    );
  });

  it('answers a form Failsafe never opened with a modal that says so', async () => {
    const res = await check(
      viewSubmissionBody({ view: { id: viewId(), callback_id: 'nope', private_metadata: '' }, values: {} }),
      'unknown view',
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain(
      'This form is not one Failsafe opened. Nothing was changed.',
    );
  });

  it('answers a button Failsafe does not know privately, at once', async () => {
    const responseUrl = ctx.fakes.slack.controls.responseUrl();
    const started = Date.now();
    const res = await check(
      blockActionBody({ action_id: 'nope', value: 'x', message: { ts: '1.2' }, response_url: responseUrl }),
      'unknown action',
    );
    expect(res.status).toBe(200);
    // Bolt's own answer to what no listener acks is a 404 after 3 s.
    expect(Date.now() - started).toBeLessThan(2_500);
    const reply = await ctx.fakes.slack.waitForResponse((p) => p.path === new URL(responseUrl).pathname);
    expect((reply.body as { text?: string }).text).toBe(
      'This button is not one Failsafe knows, so it did nothing. Nothing was changed.',
    );
  });

  it('answers a button Failsafe does not know without a response_url by the ack alone, failing nothing', async () => {
    const payload = payloadOf(blockActionBody({ action_id: 'nope', value: 'x', message: { ts: '1.2' } }));
    delete (payload as { response_url?: string }).response_url;
    const before = logLines.length;
    const res = await check(asForm(payload), 'unknown action, no response_url');
    expect(res.status).toBe(200);
    // A failure after the ack is only a log line: give it the moment the listener takes to finish.
    await new Promise((resolve) => setImmediate(resolve));
    expect(logLines.slice(before).filter((l) => l.includes('"level":50'))).toEqual([]);
  });

  it('answers a command Failsafe does not know with a private line', async () => {
    const res = await check(slashCommandBody({ command: '/nope', text: 'x' }), 'unknown command');
    expect(await res.json()).toEqual({
      response_type: 'ephemeral',
      text: 'Failsafe does not know /nope. Nothing was changed.',
    });
  });

  it.each([
    ['payload=null', 'payload'],
    [asForm({ type: 'block_actions', actions: 5 }), 'payload.actions'],
    [asForm({ type: 'block_actions', actions: [null] }), 'payload.actions.0'],
    [asForm({ type: 'view_submission', view: 'x' }), 'payload.view'],
    [asForm({ command: 5 }), 'payload.command'],
    ['{"type":"event_callback","event":null}', 'payload.event'],
    // Found by the fuzzer: each was a 500 from inside Bolt.
    [asForm({ actions: [{}] }), 'payload.actions.0.action_id'],
    [
      asForm({ type: 'view_submission', view: { id: 'V1' }, user: { id: 'U0JANE' } }),
      'payload.view.callback_id',
    ],
    [asForm({ type: 'block_actions', actions: [{ action_id: 'incident_acknowledge' }] }), 'payload.user'],
  ])('answers %s, which Bolt cannot read, with 400 naming %s', async (body, field) => {
    const res = await check(body, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_payload', field });
  });

  it.each(['{"type":"nope"}', 'x=%FF', asForm({ type: 'nope', user: { id: 'U0JANE' } })])(
    'answers %s, which no listener takes, with a plain 200 at once',
    async (body) => {
      const started = Date.now();
      const res = await check(body, body);
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_500);
    },
  );

  it('threw nothing', () => {
    expect(processErrors.errors).toEqual([]);
  });
});
