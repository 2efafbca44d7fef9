import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/adapters/http.ts';
import { codeOf, ErrorCode, FailsafeError } from '../../src/kernel/errors.ts';
import { errorReply } from '../../src/kernel/slack-errors.ts';
import { useRunningApp } from '../support/harness.ts';
import { sendSlackRequest, slashCommandBody } from '../support/slack-request.ts';
import { waitUntil } from '../support/wait.ts';

const secretish = 'https://internal.example/api?token=s3cr3t failed: ECONNRESET at Socket.read';

describe('errorReply: what a Slack user is told when a listener fails', () => {
  it('names the command and the failing service, says nothing changed, and shows no exception text', () => {
    const told = errorReply(
      { command: '/ai-kill', user_id: 'U1', channel_id: 'C1', response_url: 'https://hooks.slack.com/x' },
      new UpstreamError('unleash', 'POST', 'https://unleash.example/api', 'retryable', 503, secretish),
    );
    expect(told).toEqual({
      user: 'U1',
      channel: 'C1',
      responseUrl: 'https://hooks.slack.com/x',
      text: 'Failsafe could not finish `/ai-kill` because Unleash did not answer as expected. Nothing was changed; try again in a minute.',
    });
  });

  it('says "that button" for a click and "that form" for a modal, and a bug is ours, not theirs', () => {
    const click = errorReply(
      { type: 'block_actions', user: { id: 'U2' }, channel: { id: 'C2' }, actions: [{ action_id: 'ack' }] },
      new Error(secretish),
    );
    expect(click?.text).toBe(
      'Failsafe could not finish that button because of an error on our side (it is in the logs). Nothing was changed; try again in a minute.',
    );
    const form = errorReply(
      { type: 'view_submission', user: { id: 'U3' }, view: { callback_id: 'v' } },
      new Error(secretish),
    );
    expect(form).toMatchObject({ user: 'U3', channel: null, responseUrl: null });
    expect(form?.text).toContain('that form');
    expect(`${click?.text}${form?.text}`).not.toContain('s3cr3t');
  });

  it('tells no one when the body names no user (an event without one)', () => {
    expect(errorReply({ type: 'event_callback' }, new Error('x'))).toBeNull();
    expect(errorReply('not an object', new Error('x'))).toBeNull();
  });

  it('maps errors to codes: ours keep theirs, upstream failures and bugs get one', () => {
    expect(codeOf(new FailsafeError(ErrorCode.NotConfigured, 'set X'))).toBe(ErrorCode.NotConfigured);
    expect(codeOf(new UpstreamError('slack', 'POST', 'u', 'config', 401, 'invalid_auth'))).toBe(
      ErrorCode.UpstreamUnavailable,
    );
    expect(codeOf(new TypeError('undefined is not a function'))).toBe(ErrorCode.Internal);
  });
});

const ctx = useRunningApp();

describe('the app error handler, end to end', () => {
  it('answers a command whose listener threw through its response_url, plainly, and logs nothing to Slack', async () => {
    // views.open fails with an error that is not retryable in-line: the listener throws.
    ctx.fakes.slack.controls.failNext(1, { method: 'views.open', error: 'internal_error' });
    const responseUrl = ctx.fakes.slack.controls.responseUrl();
    const path = new URL(responseUrl).pathname;
    const body = slashCommandBody({
      command: '/ai-update',
      text: 'ai-support-bot',
      channel_id: 'C0ALERTS',
      response_url: responseUrl,
    });
    const res = await sendSlackRequest(`${ctx.app.url}/slack/events`, body);
    expect(res.status).toBe(200);
    const [reply] = await waitUntil(
      async () => ctx.fakes.slack.state.responses.filter((r) => r.path === path),
      (found) => found.length > 0,
      { what: 'the error reply' },
    );
    const text = String((reply?.body as { text?: string } | undefined)?.text);
    expect(text).toBe(
      'Failsafe could not finish `/ai-update` because Slack did not answer as expected. Nothing was changed; try again in a minute.',
    );
    expect(text).not.toContain('internal_error');
    expect(ctx.fakes.slack.state.views).toHaveLength(0);
  });
});
