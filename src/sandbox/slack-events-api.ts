// The Events API half of the request kit (./slack-requests.ts re-exports it): the
// `event_callback` envelope (test/contracts/slack/events-api-async-v1.json, GenericEventWrapper)
// the fake Slack delivers, with event ids unique like Slack's.
import { randomBytes } from 'node:crypto';
import { FAKE_BOT, FAKE_TEAM } from './fakes/slack-state.ts';

let eventCount = 0;

/** Globally unique like Slack's (`Ev` + uppercase alphanumerics). */
export function newEventId(): string {
  eventCount += 1;
  return `Ev${eventCount.toString(36).toUpperCase().padStart(3, '0')}${randomBytes(4).toString('hex').toUpperCase()}`;
}

export type SlackEvent = { type: string } & Record<string, unknown>;

/** The Events API `event_callback` envelope (JSON) around `event`, as the fake delivers it. */
export function eventCallbackBody(
  event: SlackEvent,
  envelope: { event_id?: string; event_time?: number } = {},
): { eventId: string; body: string } {
  const eventId = envelope.event_id ?? newEventId();
  const eventTime = envelope.event_time ?? Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: FAKE_TEAM.id,
    context_team_id: FAKE_TEAM.id,
    context_enterprise_id: null,
    api_app_id: FAKE_BOT.appId,
    event: { event_ts: `${eventTime}.000100`, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: FAKE_TEAM.id,
        user_id: FAKE_BOT.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ id: eventId })).toString('base64url')}`,
  });
  return { eventId, body };
}
