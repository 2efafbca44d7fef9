// GET /postmortems/<id>.md: the stored draft for whoever holds the link of that version;
// 401 without a token or with the wrong one, 410 once it expired or was revoked, 404 for what
// does not exist.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signDownload } from '../../../src/capabilities/postmortem/link.ts';
import { useRunningApp } from '../../support/harness.ts';
import { TEST_SIGNING_SECRET } from '../../support/slack-request.ts';
import { linkIn, postmortemCommand, versionsOf } from './helpers.ts';
import { configRollback } from './incidents/config-rollback.ts';
import { PEOPLE, said, TEST_CATALOG } from './seed.ts';
import { seedIncident } from './write.ts';

const env = useRunningApp({ extra: { FAILSAFE_CONFIG: TEST_CATALOG } });
let id: string;
let incidentId: string;
let v1: URL;
let v2: URL;

const get = (path: string) => fetch(`${env.app.url}${path}`);
/** A link as Failsafe signs it, issued `ageMs` ago (now by default). */
const signed = (postmortemId: string, version: number, ageMs = 0, secret = TEST_SIGNING_SECRET) => {
  const issuedAt = Date.now() - ageMs;
  return `i=${issuedAt}&token=${signDownload(secret, { postmortemId, version, issuedAt })}`;
};
const DAY = 86_400_000;

beforeAll(async () => {
  incidentId = await seedIncident(env.database, configRollback);
  v1 = linkIn(await postmortemCommand(env, '', 'C0INC103'));
  const [message] = said('C0INC103', new Date('2026-09-22T10:16:00Z'), PEOPLE.pat, 'Customers informed.');
  await env.database.query(
    'INSERT INTO timeline_entry (id, incident_id, at, kind, actor, text, data, dedup_key) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7)',
    [
      incidentId,
      message?.at,
      message?.kind,
      message?.actor,
      message?.text,
      JSON.stringify(message?.data),
      message?.dedupKey,
    ],
  );
  v2 = linkIn(await postmortemCommand(env, '', 'C0INC103'));
  id = /\/postmortems\/([0-9a-f-]{36})\.md$/.exec(v1.pathname)?.[1] as string;
});

describe('downloading a draft', () => {
  it('serves the version its token opens, as Markdown that is not cached', async () => {
    const versions = await versionsOf(env, incidentId);
    for (const [link, version] of [
      [v1, 0],
      [v2, 1],
    ] as const) {
      const res = await get(`${link.pathname}${link.search}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(res.headers.get('content-disposition')).toBe(
        `inline; filename="postmortem-incident-103-v${version + 1}.md"`,
      );
      expect(await res.text()).toBe(versions[version]?.markdown);
    }
  });

  it('serves the latest version when the link names none', async () => {
    const res = await get(`/postmortems/${id}.md?${signed(id, 2)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Version 2, generated');
  });

  it.each([
    ['no token', () => `/postmortems/${id}.md?v=1`],
    ['a made-up token', () => `/postmortems/${id}.md?v=1&token=${'A'.repeat(43)}`],
    ['a token of another version', () => `/postmortems/${id}.md?v=2&${v1.search.replace(/^\?v=1&/, '')}`],
    [
      'the latest version with an older token',
      () => `/postmortems/${id}.md?${v1.search.replace(/^\?v=1&/, '')}`,
    ],
    [
      'a token signed with another secret',
      () => `/postmortems/${id}.md?v=1&${signed(id, 1, 0, 'not-the-secret')}`,
    ],
    [
      'an issue time the token does not sign',
      () => `/postmortems/${id}.md?v=1&i=1&token=${v1.searchParams.get('token')}`,
    ],
    ['no issue time', () => `/postmortems/${id}.md?v=1&token=${v1.searchParams.get('token')}`],
  ])('is 401 with %s', async (_what, path) => {
    const res = await get(path());
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('Postmortem draft');
  });

  it.each([
    [
      'an unknown id',
      () => {
        const other = randomUUID();
        return `/postmortems/${other}.md?v=1&${signed(other, 1)}`;
      },
    ],
    ['a version that was never made', () => `/postmortems/${id}.md?v=3&${signed(id, 3)}`],
    ['a name that is not an id', () => '/postmortems/latest.md?token=x'],
  ])('is 404 for %s', async (_what, path) => {
    expect((await get(path())).status).toBe(404);
  });

  it('is 410 for a link older than the default 7 days, and opens the day before', async () => {
    expect((await get(`/postmortems/${id}.md?v=1&${signed(id, 1, 6 * DAY)}`)).status).toBe(200);
    const res = await get(`/postmortems/${id}.md?v=1&${signed(id, 1, 7 * DAY + 1000)}`);
    expect(res.status).toBe(410);
    expect(await res.text()).not.toContain('Postmortem draft');
  });

  it('is 410 for every link issued before /ai-postmortem revoke, and a new link opens', async () => {
    const before = `/postmortems/${id}.md${v2.search}`;
    expect((await get(before)).status).toBe(200);
    expect(await postmortemCommand(env, 'revoke 103', 'C0INC103')).toContain('stops working');
    expect((await get(before)).status).toBe(410);
    expect((await get(`/postmortems/${id}.md${v1.search}`)).status).toBe(410);
    const fresh = linkIn(await postmortemCommand(env, '', 'C0INC103'));
    expect((await get(`${fresh.pathname}${fresh.search}`)).status).toBe(200);
  });
});
