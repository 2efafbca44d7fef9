// A kill of an incident's feature reaches the incident channel's pinned summary: its flag line,
// read from a real unleash-server, says OFF and offers the restore once the flag is off.
// (A file of its own here: a real unleash-server needs the kill-switch test project.)
import { describe, expect, it } from 'vitest';
import { waitForQueueIdle } from '../../support/queue.ts';
import { lastView } from '../../support/slack.ts';
import { waitUntil } from '../../support/wait.ts';
import { incidentCommand } from '../incident-channel/helpers.ts';
import { killCommand, submitKill, useKillSwitchApp } from './helpers.ts';

const ctx = useKillSwitchApp();

describe('the pinned summary of an incident whose flag is killed', () => {
  it('shows the flag OFF with the restore to type, edited in place', async () => {
    await incidentCommand(ctx, 'ai-support-bot sev1 Refunds invented', 'U0JANE');
    const [incident] = await waitUntil(
      () =>
        ctx.database.query<{ channel_id: string }>(
          "SELECT channel_id FROM incident WHERE feature_key = 'ai-support-bot' AND channel_id IS NOT NULL",
        ),
      (rows) => rows.length === 1,
      { what: 'the incident channel' },
    );
    const channel = incident?.channel_id as string;
    const [ts] = await waitUntil(
      async () => [...(ctx.fakes.slack.state.pins.get(channel) ?? [])],
      (pins) => pins.length === 1,
      { what: 'the pinned summary' },
    );
    // Edits already asked for (the page's post names who is on call) are done before the kill,
    // so only the kill can turn the flag line OFF.
    await waitForQueueIdle(ctx);
    const pinned = () => ctx.fakes.slack.controls.messagesIn(channel).find((m) => m.ts === ts)?.text ?? '';
    expect(pinned()).toContain('is *ON (100%)* in production — `/ai-kill ai-support-bot`');

    expect(await killCommand(ctx, 'ai-support-bot hallucinated refunds')).toBeNull();
    expect((await submitKill(ctx, lastView(ctx), 'hallucinated refunds')).status).toBe(200);
    const text = await waitUntil(
      async () => pinned(),
      (t) => t.includes('is *OFF* in production'),
      { what: 'the pinned summary to show the kill', timeoutMs: 20_000 },
    );
    expect(text).toContain('`/ai-kill restore ai-support-bot`');
    expect([...(ctx.fakes.slack.state.pins.get(channel) ?? [])]).toEqual([ts]);
  });
});
