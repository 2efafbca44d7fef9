// /ai-postmortem against the running app and the fake Slack: the draft is uploaded to the
// incident channel with a summary message (files.uploadV2), stored as a version, shared once
// even when asked twice at once, regenerated as a new version saying what changed, and
// marked reviewed.
import { describe, expect, it } from 'vitest';
import { filesOf } from '../../../src/sandbox/fakes/slack-files.ts';
import { useRunningApp } from '../../support/harness.ts';
import { waitUntil } from '../../support/wait.ts';
import { postmortemCommand, sendPostmortemCommand, sharedFiles, versionsOf } from './helpers.ts';
import { configRollback } from './incidents/config-rollback.ts';
import { providerOutage } from './incidents/provider-outage.ts';
import { copyOf, PEOPLE, said, TEST_CATALOG } from './seed.ts';
import { seedIncident } from './write.ts';

const env = useRunningApp({ extra: { FAILSAFE_CONFIG: TEST_CATALOG } });
const NAMES = Object.values(PEOPLE).flatMap((p) => [p.name, p.name.split(' ')[0] as string]);

describe('drafting in an incident channel', () => {
  it('uploads the draft as Markdown with a summary message, names only in the appendix', async () => {
    const id = await seedIncident(env.database, configRollback);
    const reply = await postmortemCommand(env, '', 'C0INC103');
    expect(reply).toMatch(
      /^Postmortem draft v1 of incident #103 is being shared in <#C0INC103>\. Download: <http:\/\/localhost:\d+\/postmortems\/[0-9a-f-]{36}\.md\?v=1&i=\d+&token=[\w-]{43}\|draft v1>\.$/,
    );

    const [file] = await sharedFiles(env, 'C0INC103', 1);
    const [stored] = await waitUntil(
      () => versionsOf(env, id),
      (rows) => rows[0]?.file_id != null,
      { what: 'the upload to be recorded' },
    );
    expect(file?.filename).toBe('postmortem-incident-103-v1.md');
    expect(file?.snippetType).toBe('markdown');
    expect(file?.content).toBe(stored?.markdown);
    expect(file?.length).toBe(Buffer.byteLength(stored?.markdown ?? ''));
    expect(stored?.file_id).toBe(file?.id);
    expect(stored?.flagged).toBe(2);

    const comment = file?.initialComment ?? '';
    expect(comment.split('\n').slice(0, 3)).toEqual([
      ":memo: *Postmortem draft v1* for incident #103 — AI reply drafts: Reply drafts quote another customer's order",
      'Detect 8 min · Acknowledge 19 min · Mitigate 35 min · Resolve 1 h 8 min · 1 alert',
      ":warning: Language check: 2 sentences read as blame — see the draft's Language check section.",
    ]);
    expect(comment).toContain(
      '· Fill in the _italic_ parts, review it together, then `/ai-postmortem reviewed`.',
    );
    const message = env.fakes.slack.controls.messagesIn('C0INC103').find((m) => m.ts === file?.messageTs);
    expect(message?.text).toBe(comment);
    for (const name of NAMES) expect(comment).not.toContain(name);

    const markdown = stored?.markdown ?? '';
    const [story = '', appendix = ''] = markdown.split('## Appendix');
    for (const name of NAMES) expect(story, name).not.toContain(name);
    expect(appendix).toContain('| on-call engineer | Jane Doe | U0JANE |');
    expect(story).not.toContain('jo.bloggs@example.com');
    expect(story).toContain('Contact [email] or [phone].');
    // The quote that blames a person is kept as written (names as [role]) and listed.
    expect(story).toContain(
      '“[on-call engineer] should have caught that in review. Careless rollout, honestly.”',
    );
    expect(story).toContain('| Nothing in the process made sure someone caught that in review. |');

    const shared = await env.database.query(
      'SELECT 1 FROM timeline_entry WHERE incident_id = $1 AND kind = $2',
      [id, 'postmortem.shared'],
    );
    expect(shared).toHaveLength(1);
  });

  it('makes no new version when nothing changed, and a new one saying what changed when something did', async () => {
    const id = (await env.database.query<{ id: string }>('SELECT id FROM incident WHERE number = 103'))[0]
      ?.id as string;
    const again = await postmortemCommand(env, '', 'C0INC103');
    expect(again).toMatch(
      /^Nothing changed since postmortem draft v1 of incident #103, so there is no new version\. It is in <#C0INC103>\./,
    );
    expect(await versionsOf(env, id)).toHaveLength(1);

    const late = said(
      'C0INC103',
      new Date('2026-09-22T10:15:00Z'),
      PEOPLE.jane,
      'Added a config schema check to CI.',
      PEOPLE.pat,
    );
    for (const e of late)
      await env.database.query(
        'INSERT INTO timeline_entry (id, incident_id, at, kind, actor, text, data, dedup_key) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7)',
        [id, e.at, e.kind, e.actor, e.text, JSON.stringify(e.data), e.dedupKey],
      );
    const reply = await postmortemCommand(env, '', 'C0INC103');
    expect(reply).toContain(
      'Postmortem draft v2 of incident #103 is being shared in <#C0INC103>. Changed since v1: Impact; Timeline (+1 line); Appendix: people and references.',
    );
    const files = await sharedFiles(env, 'C0INC103', 2);
    expect(files.map((f) => f.filename)).toEqual([
      'postmortem-incident-103-v1.md',
      'postmortem-incident-103-v2.md',
    ]);
    expect(files[1]?.initialComment).toContain(
      'Changed since v1: Impact; Timeline (+1 line); Appendix: people and references.',
    );
    const versions = await versionsOf(env, id);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]?.markdown).toContain(
      '> Changed since version 1: Impact; Timeline (+1 line); Appendix: people and references.',
    );
    expect(versions[1]?.markdown).toContain('📌 “Added a config schema check to CI.”');
    expect(versions[0]?.markdown).not.toContain('Added a config schema check');
  });

  it('shares one version when two people ask at the same moment', async () => {
    const id = await seedIncident(env.database, providerOutage);
    const replies = await Promise.all([
      postmortemCommand(env, '101', 'C0ALERTS', 'U0SAM'),
      postmortemCommand(env, '#101', 'C0ALERTS', 'U0JANE'),
    ]);
    expect(
      replies.filter((r) =>
        r.startsWith('Postmortem draft v1 of incident #101 is being shared in <#C0INC101>'),
      ),
    ).toHaveLength(1);
    expect(replies.filter((r) => r.startsWith('Nothing changed since postmortem draft v1'))).toHaveLength(1);
    await sharedFiles(env, 'C0INC101', 1);
    await waitUntil(
      () => versionsOf(env, id),
      (rows) => rows[0]?.file_id != null,
    );
    expect(await versionsOf(env, id)).toHaveLength(1);
    expect(filesOf(env.fakes.slack.state).filter((f) => f.channel === 'C0INC101')).toHaveLength(1);
  });

  it('retries the upload when Slack fails, and still shares it once', async () => {
    const seed = copyOf(providerOutage, 111, 'C0INC111');
    const id = await seedIncident(env.database, seed);
    env.fakes.slack.controls.failNext(2, { method: 'files.completeUploadExternal', error: 'internal_error' });
    await postmortemCommand(env, '', 'C0INC111', 'U0SAM'); // its lead
    const [file] = await sharedFiles(env, 'C0INC111', 1);
    await waitUntil(
      () => versionsOf(env, id),
      (rows) => rows[0]?.file_id === file?.id,
      { what: 'the retried upload' },
    );
    const completions = env.fakes.slack.state.calls.filter(
      (c) => c.method === 'files.completeUploadExternal' && String(c.args.channel_id) === 'C0INC111',
    );
    expect(completions.map((c) => c.response?.body.ok)).toEqual([false, false, true]);
  });
});

describe('what /ai-postmortem says back', () => {
  it.each([
    ['', 'C0ALERTS', 'Run this in an incident channel (`inc-…`), or name the incident: `/ai-postmortem 12`.'],
    ['999', 'C0ALERTS', 'There is no incident #999.'],
    ['help', 'C0ALERTS', '`/ai-postmortem` in an incident channel drafts'],
    ['draft please', 'C0ALERTS', '`/ai-postmortem` takes an incident number or `reviewed`.'],
  ])('%j in %s', async (text, channel, expected) => {
    expect(await postmortemCommand(env, text, channel)).toContain(expected);
  });
});

describe('marking the postmortem reviewed', () => {
  it('says so in the incident channel once, and records it', async () => {
    const path = await sendPostmortemCommand(env, 'reviewed', 'C0INC103', 'U0PAT');
    const line =
      ':white_check_mark: The postmortem of incident #103 is marked reviewed (<@U0PAT>). No more follow-up reminders for it.';
    await env.fakes.slack.waitForMessage((m) => m.channel === 'C0INC103' && m.text === line);
    // Said to everyone in the channel, so nothing ephemeral on top.
    expect(env.fakes.slack.state.responses.filter((r) => r.path === path)).toEqual([]);
    const again = await postmortemCommand(env, 'reviewed 103', 'C0ALERTS', 'U0SAM');
    expect(again).toMatch(/^The postmortem of incident #103 was already marked reviewed by <@U0PAT> \(/);
    const rows = await env.database.query<{ reviewed_by: string }>(
      'SELECT p.reviewed_by FROM postmortem p JOIN incident i ON i.id = p.incident_id WHERE i.number = 103',
    );
    expect(rows).toEqual([{ reviewed_by: 'U0PAT' }]);
  });
});
