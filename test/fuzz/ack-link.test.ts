// Bad input, fuzzed, at the one-tap ack link (GET and POST /ack/<token>) and at any path: a
// path that does not decode, a token of any shape, a form body and cookie of any shape. Never
// a 5xx, never an act on PagerDuty without the page's own form, and a path that cannot be
// decoded is a 400 naming `path`.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  errorLines,
  expectSafeAnswer,
  hostileString,
  measure,
  rowCounter,
  runs,
  useFuzzedApp,
} from '../support/fuzz.ts';
import { genericAlert, postAlert } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';

const { ctx, logLines, processErrors } = useFuzzedApp();

/** Rows an act would write: the incident's own change shows in its timeline. */
const rows = rowCounter(() => ctx.database, ['timeline_entry', 'ack_link']);
const pdActs = () => ctx.fakes.pd.state.requests.filter((r) => r.method === 'PUT').length;

/** The path of the real link in the paged person's DM. */
let linkPath = '';
beforeAll(async () => {
  await postAlert(ctx.app, 'generic', genericAlert('fuzz-ack'));
  const dm = await ctx.fakes.slack.waitForMessage((m) => m.channel === 'DU0JANE' && m.text.includes('/ack/'));
  linkPath = new URL(/<(http[^|>]+\/ack\/[^|>]+)\|/.exec(dm.text)?.[1] ?? 'http://missing/').pathname;
  // The page's own jobs (the DM, the announcement) are done: from here on only our requests write.
  await waitUntil(
    () => ctx.database.query('SELECT count(*)::int AS n FROM incident WHERE slack_ts IS NOT NULL'),
    (r) => r[0]?.n === 1,
  );
});

const percentJunk = fc
  .array(
    fc.oneof(
      fc.constantFrom('%', '%F', '%FF', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%00', '%2F', '%25', '..', '~'),
      fc.stringMatching(/^[A-Za-z0-9_-]{0,50}$/),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

const anyPath = fc.oneof(
  percentJunk.map((t) => `/ack/${t}`),
  fc.tuple(percentJunk, percentJunk).map(([a, b]) => `/${a}/${b}`),
  fc.constantFrom('/alerts/%FF', '/webhooks/%E0%A4%A', '/slack/%FF', '/%FF', '/healthz%', '/ack/'),
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((t) => `/ack/${t}`),
);

describe('the ack link and any path, fuzzed', () => {
  it('answers any path, GET or POST, without a 5xx and changes nothing', async () => {
    const acts = pdActs();
    await fc.assert(
      fc.asyncProperty(anyPath, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), async (path, method) => {
        const outcome = await measure(rows, () =>
          fetch(`${ctx.app.url}${path}`, {
            method,
            ...(method === 'GET' ? {} : { body: 'action=acknowledge', headers: formType }),
          }),
        );
        expectSafeAnswer(outcome, `${method} ${path}`);
        expect(outcome.rowsAfter, path).toBe(outcome.rowsBefore);
      }),
      { numRuns: runs(40) },
    );
    expect(pdActs()).toBe(acts);
  });

  it.each(['/ack/%E0%A4%A', '/ack/%FF', '/alerts/%C0%AF', '/%FF', '/slack/events%FF'])(
    'answers %s, which does not decode, with 400 naming the path',
    async (path) => {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${ctx.app.url}${path}`, {
          method,
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: 'invalid_path', field: 'path' });
      }
    },
  );

  it('answers any form body and cookie on the real link without a 5xx, and never acts without the page’s own form', async () => {
    const acts = pdActs();
    const body = fc.oneof(
      hostileString,
      fc
        .dictionary(hostileString, hostileString, { maxKeys: 4 })
        .map((d) => new URLSearchParams(d).toString()),
      fc.constantFrom(
        'action=acknowledge',
        'action=resolve&csrf=',
        'action=acknowledge&action=resolve',
        '%FF=%FF',
      ),
    );
    const cookie = fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^[A-Za-z0-9_-]{32}$/).map((v) => `failsafe_ack_csrf=${v}`),
      fc.string({ maxLength: 100 }).map((v) => `failsafe_ack_csrf=${v}`),
    );
    const type = fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', '');
    await fc.assert(
      fc.asyncProperty(body, cookie, type, async (form, c, t) => {
        const outcome = await measure(rows, () =>
          fetch(`${ctx.app.url}${linkPath}`, {
            method: 'POST',
            headers: { ...(t ? { 'content-type': t } : {}), ...(c ? { cookie: c } : {}) },
            body: form.slice(0, 4_000),
          }),
        );
        expectSafeAnswer(outcome, `form ${JSON.stringify(form).slice(0, 100)} cookie ${c}`);
        expect(outcome.rowsAfter).toBe(outcome.rowsBefore);
      }),
      { numRuns: runs(40) },
    );
    expect(pdActs()).toBe(acts);
  });

  it('still shows the real link, logged no error and threw nothing', async () => {
    expect((await fetch(`${ctx.app.url}${linkPath}`)).status).toBe(200);
    expect(errorLines(logLines)).toEqual([]);
    expect(processErrors.errors).toEqual([]);
  });
});

const formType = { 'content-type': 'application/x-www-form-urlencoded' };
