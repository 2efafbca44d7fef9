// /ai-oncall: who is on call now and next, by level, in the asking person's time zone.
import { describe, expect, it } from 'vitest';
import { ANA, defaultRoster, JANE, SAM } from '../../../src/sandbox/fakes/pagerduty-roster.ts';
import { useRunningApp } from '../../support/harness.ts';
import { commandReply, replyText } from '../../support/slack.ts';

const ctx = useRunningApp({
  beforeStart: (fakes) => {
    const roster = defaultRoster();
    roster.escalationPolicies[0] = {
      id: 'PEP1',
      name: 'AI Platform',
      levels: [
        {
          level: 1,
          users: [JANE],
          start: '2026-11-23T09:00:00Z',
          end: '2026-11-24T09:00:00Z',
          next: { users: [ANA] },
        },
        { level: 2, users: [SAM] },
      ],
    };
    fakes.pd.setRoster(roster);
  },
});

async function oncall(text: string, user = 'U0JANE', channel = 'C0DEFAULT'): Promise<string> {
  const reply = await commandReply(ctx, '/ai-oncall', text, { user, channel });
  expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
  return replyText(reply);
}

describe('/ai-oncall', () => {
  it('lists each level with who is on call, the hand-off time in the user’s zone and who is next', async () => {
    const text = await oncall('ai-support-bot', 'U0PAT');
    expect(text).toContain('*AI support bot*');
    expect(text).toContain(
      'Level 1: *Jane Doe* (<@U0JANE>) until Tue 24 Nov 04:00, then *Ana Ruiz* (<@U0ANA>)',
    );
    expect(text).toContain('Level 2: *Sam Lee* (<@U0SAM>), always on call');
    expect(text).toContain('Times in America/New_York');
  });

  it('uses the feature of the alerts channel it is typed in when no feature is given', async () => {
    const text = await oncall('', 'U0JANE', 'C0DEFAULT');
    expect(text).toContain('Unrouted alerts');
    expect(text).not.toContain('AI search summaries');
    expect(text).toContain('Times in Europe/London');
  });

  it('answers an unknown feature with the list of known ones and what to type', async () => {
    const text = await oncall('ai-nope');
    expect(text).toContain('Unknown feature `ai-nope`');
    expect(text).toContain('`ai-support-bot`');
    expect(text).toContain('/ai-oncall <feature>');
  });
});
