// What the fake records about each request it sends to the app (Events API, interactivity).
/** `timeout`: no answer within 3 s; `connection_failed`: nothing listening. */
export type DeliveryStatus = number | 'timeout' | 'connection_failed';
export type RetryReason = 'http_error' | 'http_timeout' | 'connection_failed';

export interface FakeDelivery {
  kind: 'event' | 'interactivity';
  /** The envelope's event_id; for interactivity, the payload's trigger_id. */
  eventId: string;
  /** The event's type (`message`, `reaction_added` …) or the payload's (`message_action`). */
  type: string;
  /** 0 for the first delivery, then the X-Slack-Retry-Num it carried (1..3). */
  attempt: number;
  retryReason?: RetryReason;
  status: DeliveryStatus;
  /** Date.now() when the answer (or the timeout) came. */
  at: number;
}
