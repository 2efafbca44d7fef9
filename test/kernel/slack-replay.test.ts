// Which signed fields make a Slack request unique: the replay guard's keys.
import { describe, expect, it } from 'vitest';
import { requestKey } from '../../src/kernel/slack-replay.ts';

const signed = { slackSignature: 'v0=abc', slackTimestamp: '1700000000' };

describe('requestKey', () => {
  it('keys commands, shortcuts and modal submissions on their trigger_id, by kind', () => {
    // The sandbox console reuses a command's trigger_id for the modal it opens.
    const command = requestKey({ command: '/ai-kill', trigger_id: 'T1' }, signed);
    const submission = requestKey({ type: 'view_submission', trigger_id: 'T1' }, signed);
    expect(command).toEqual({ kind: 'command', key: 'command:T1' });
    expect(submission).toEqual({ kind: 'view_submission', key: 'view_submission:T1' });
    expect(requestKey({ type: 'shortcut', trigger_id: 'T2' }, signed)?.key).toBe('shortcut:T2');
  });

  it('keys a click on who clicked what and when', () => {
    const click = (user: string, ts: string) =>
      requestKey(
        {
          type: 'block_actions',
          trigger_id: 'T3',
          user: { id: user },
          actions: [{ action_id: 'incident_escalate', action_ts: ts }],
        },
        signed,
      )?.key;
    expect(click('U1', '1.000001')).toBe('block_actions:U1:incident_escalate:1.000001:T3');
    expect(click('U2', '1.000001')).not.toBe(click('U1', '1.000001'));
  });

  it('falls back to the signature and timestamp, and skips events and option lists', () => {
    expect(requestKey({ type: 'view_closed' }, signed)?.key).toBe('view_closed:sig:1700000000:v0=abc');
    expect(requestKey({ type: 'view_closed' }, {})).toBeNull();
    expect(requestKey({ type: 'event_callback', event_id: 'Ev1' }, signed)).toBeNull();
    expect(requestKey({ type: 'block_suggestion', trigger_id: 'T4' }, signed)).toBeNull();
  });
});
