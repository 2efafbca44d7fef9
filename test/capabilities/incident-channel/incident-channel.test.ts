// /ai-incident and the incident channel against the fake Slack and PagerDuty: declare →
// channel, invites, pinned summary; live capture of messages, edits, deletions and 📌 onto the
// timeline; state changes; an alert incident's automatic channel.
import { beforeAll, describe, expect, it } from 'vitest';
import { editedCatalog } from '../../support/catalog.ts';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { waitForQueueIdle } from '../../support/queue.ts';
import { sendSlackRequest, TEST_SIGNING_SECRET } from '../../support/slack-request.ts';
import { waitUntil } from '../../support/wait.ts';
import { incidentCommand } from './helpers.ts';

/** The example catalog, with incident channels on for the support bot. */
const catalog = async () => ({
  FAILSAFE_CONFIG: await editedCatalog((text) =>
    text.replace('incident_channels: false', 'incident_channels: true'),
  ),
});

const ctx = useRunningApp({ extra: catalog });
beforeAll(() => {
  ctx.fakes.slack.controls.setEventTarget(`${ctx.app.url}/slack/events`, TEST_SIGNING_SECRET);
});

const incidentRow = (feature: string) =>
  waitUntil(
    () =>
      ctx.database.query<{
        id: string;
        number: number;
        channel_id: string | null;
        channel_name: string | null;
        status: string;
        mitigated_at: Date | null;
        root_cause: string | null;
      }>(
        'SELECT id, number, channel_id, channel_name, status, mitigated_at, root_cause FROM incident WHERE feature_key = $1 ORDER BY opened_at DESC LIMIT 1',
        [feature],
      ),
    (rows) => rows[0]?.channel_id != null,
  ).then((rows) => rows[0] as NonNullable<(typeof rows)[number]>);

const timeline = (incidentId: string, kind: string) =>
  ctx.database.query<{ actor: string; text: string; data: Record<string, unknown> }>(
    'SELECT actor, text, data FROM timeline_entry WHERE incident_id = $1 AND kind = $2 ORDER BY at',
    [incidentId, kind],
  );

describe('declaring an incident by hand', () => {
  it('pages, opens inc-YYYYMMDD-<feature>-<n>, invites the paged person, owner and declarer, and pins the summary', async () => {
    const path = await incidentCommand(
      ctx,
      'ai-search-summaries sev1 Summaries cite the wrong documents',
      'U0SAM',
    );
    const reply = await ctx.fakes.slack.waitForResponse((r) => r.path === path);
    expect(JSON.stringify(reply.body)).toContain('Declared incident #');
    const incident = await incidentRow('ai-search-summaries');
    expect(incident.channel_name).toMatch(new RegExp(`^inc-\\d{8}-ai-search-summaries-${incident.number}$`));
    await waitUntil(
      async () => [...(ctx.fakes.slack.state.members.get(incident.channel_id as string) ?? [])],
      (members) => members.includes('U0ANA') && members.includes('U0SAM'),
    );
    const pinned = await waitUntil(
      async () => ctx.fakes.slack.state.pins.get(incident.channel_id as string) ?? new Set<string>(),
      (pins) => pins.size > 0,
    );
    const summary = ctx.fakes.slack.controls
      .messagesIn(incident.channel_id as string)
      .find((m) => m.ts === [...pinned][0]);
    expect(summary?.text).toContain(
      `Incident #${incident.number} — AI search summaries*: Summaries cite the wrong documents`,
    );
    expect(summary?.text).toContain('Severity: critical');
    expect(summary?.text).toContain('On call: Ana Ruiz');
    expect(summary?.text).toContain('Next stakeholder update: none scheduled');
    expect(
      ctx.fakes.pd.state.incidents.some((i) => i.title.includes('Summaries cite the wrong documents')),
    ).toBe(true);
    expect((await timeline(incident.id, 'incident.declared'))[0]?.actor).toBe('Sam Lee');
  });

  it('says what to type for an unknown feature', async () => {
    const path = await incidentCommand(ctx, 'ai-nope Broken', 'U0SAM');
    const reply = await ctx.fakes.slack.waitForResponse((r) => r.path === path);
    expect(JSON.stringify(reply.body)).toContain('Unknown feature `ai-nope`');
  });
});

describe('an incident channel', () => {
  it('records messages, edits and deletions live, once per event, with the author', async () => {
    const incident = await incidentRow('ai-search-summaries');
    const channel = incident.channel_id as string;
    const said = await ctx.fakes.slack.controls.userSays(
      channel,
      'U0ANA',
      'Retrieval index was rebuilt at 02:50',
    );
    await waitUntil(
      () => timeline(incident.id, 'slack.message'),
      (rows) => rows.length === 1,
    );
    await ctx.fakes.slack.controls.userEdits(
      channel,
      said.message.ts,
      'Retrieval index was rebuilt at 02:45',
    );
    await waitUntil(
      () => timeline(incident.id, 'slack.message_edited'),
      (rows) => rows.length === 1,
    );
    const other = await ctx.fakes.slack.controls.userSays(channel, 'U0SAM', 'typo, ignore');
    await ctx.fakes.slack.controls.userDeletes(channel, other.message.ts);
    const deleted = await waitUntil(
      () => timeline(incident.id, 'slack.message_deleted'),
      (rows) => rows.length === 1,
    );
    expect(deleted[0]?.text).toBe('Message deleted (was: typo, ignore)');
    const messages = await timeline(incident.id, 'slack.message');
    expect(messages.map((m) => [m.actor, m.text])).toEqual([
      ['Ana Ruiz', 'Retrieval index was rebuilt at 02:50'],
      ['Sam Lee', 'typo, ignore'],
    ]);
    expect((await timeline(incident.id, 'slack.message_edited'))[0]?.text).toBe(
      'Retrieval index was rebuilt at 02:45',
    );
  });

  it('records a Slack retry of the same event once', async () => {
    const incident = await incidentRow('ai-search-summaries');
    const said = await ctx.fakes.slack.controls.userSays(
      incident.channel_id as string,
      'U0ANA',
      'Reverting the index',
    );
    const body = said.delivery?.body;
    expect(body).toBeDefined();
    const retry = await sendSlackRequest(`${ctx.app.url}/slack/events`, body as string, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await waitUntil(
      () => timeline(incident.id, 'slack.message'),
      (rows) => rows.some((r) => r.text === 'Reverting the index'),
    );
    const rows = await timeline(incident.id, 'slack.message');
    expect(rows.filter((r) => r.text === 'Reverting the index')).toHaveLength(1);
  });

  it('knows a retry by its event_id alone, even when the message key would not catch it', async () => {
    const incident = await incidentRow('ai-search-summaries');
    const said = await ctx.fakes.slack.controls.userSays(
      incident.channel_id as string,
      'U0ANA',
      'Rolling back the ranker',
    );
    await waitUntil(
      () => timeline(incident.id, 'slack.message'),
      (rows) => rows.some((r) => r.text === 'Rolling back the ranker'),
    );
    // The same event_id around a message with another ts and text: only the event_id layer can
    // tell it was handled (the timeline's ts key would take it as a new message).
    const body = JSON.parse(said.delivery?.body as string) as { event: { ts: string; text: string } };
    body.event = {
      ...body.event,
      ts: `${Number(body.event.ts) + 1}.000100`,
      text: 'Rolling back (as retried)',
    };
    const retry = await sendSlackRequest(`${ctx.app.url}/slack/events`, JSON.stringify(body), {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await waitForQueueIdle(ctx);
    const texts = (await timeline(incident.id, 'slack.message')).map((r) => r.text);
    expect(texts).toContain('Rolling back the ranker');
    expect(texts).not.toContain('Rolling back (as retried)');
  });

  it('marks a message key with 📌 or the "Add to timeline" shortcut, once', async () => {
    const incident = await incidentRow('ai-search-summaries');
    const channel = incident.channel_id as string;
    const said = await ctx.fakes.slack.controls.userSays(channel, 'U0ANA', 'Root cause: stale embeddings');
    await ctx.fakes.slack.controls.react('U0SAM', channel, said.message.ts, 'pushpin');
    const keys = await waitUntil(
      () => timeline(incident.id, 'slack.key_message'),
      (rows) => rows.length === 1,
    );
    expect(keys[0]).toMatchObject({ actor: 'Sam Lee', text: 'Root cause: stale embeddings' });
    const shortcut = await ctx.fakes.slack.controls.messageShortcut(
      'U0ANA',
      channel,
      said.message.ts,
      'add_to_timeline',
    );
    expect(shortcut.delivery.delivered).toBe(true);
    const reply = await ctx.fakes.slack.waitForResponse((r) =>
      JSON.stringify(r.body).includes('already on the timeline'),
    );
    expect(reply).toBeDefined();
    expect(await timeline(incident.id, 'slack.key_message')).toHaveLength(1);
  });

  it('moves the state with status, mitigated, cause and resolved', async () => {
    const incident = await incidentRow('ai-search-summaries');
    const channel = incident.channel_id as string;
    await incidentCommand(ctx, 'mitigated', 'U0ANA', channel);
    await ctx.fakes.slack.waitForMessage(
      (m) => m.channel === channel && m.text.includes('is *mitigated* (Ana Ruiz)'),
    );
    await incidentCommand(ctx, 'cause data', 'U0ANA', channel);
    await ctx.fakes.slack.waitForMessage(
      (m) => m.channel === channel && m.text.includes('Root cause of incident'),
    );
    await incidentCommand(ctx, 'status', 'U0ANA', channel);
    const status = await ctx.fakes.slack.waitForMessage(
      (m) => m.channel === channel && m.text.includes('State: *MITIGATED*'),
    );
    expect(status.text).toContain('Root cause: Data');
    await incidentCommand(ctx, 'resolved', 'U0ANA', channel);
    await ctx.fakes.slack.waitForMessage(
      (m) => m.channel === channel && m.text.includes('is *resolved* (Ana Ruiz)'),
    );
    const row = await ctx.database.query<{ status: string; pd: string }>(
      'SELECT status, pd_incident_id AS pd FROM incident WHERE id = $1',
      [incident.id],
    );
    expect(row[0]?.status).toBe('resolved');
    expect(ctx.fakes.pd.state.incidents.find((i) => i.id === row[0]?.pd)?.status).toBe('resolved');
    expect((await timeline(incident.id, 'incident.mitigated'))[0]?.actor).toBe('Ana Ruiz');
  });

  it('tells someone outside an incident channel where to run it', async () => {
    const path = await incidentCommand(ctx, 'status', 'U0ANA', 'C0ALERTS');
    const reply = await ctx.fakes.slack.waitForResponse((r) => r.path === path);
    expect(JSON.stringify(reply.body)).toContain('Run this in an incident channel');
  });
});

describe('alert incidents of a feature with incident_channels', () => {
  it('get their channel automatically, with the paged person invited', async () => {
    expect((await postAlert(ctx.app, 'generic', genericAlert('auto-channel-1'))).status).toBe(202);
    const incident = await incidentRow('ai-support-bot');
    expect(incident.channel_name).toMatch(/^inc-\d{8}-ai-support-bot-\d+$/);
    await waitUntil(
      async () => [...(ctx.fakes.slack.state.members.get(incident.channel_id as string) ?? [])],
      (members) => members.includes('U0JANE'),
    );
    await ctx.fakes.slack.waitForMessage(
      (m) => m.channel === 'C0ALERTS' && m.text.includes('has its own channel'),
    );
  });
});
