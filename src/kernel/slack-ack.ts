// When Slack gets its answer. The receiver runs with Bolt's processBeforeResponse, which holds
// every answer until the listeners finish: what an Events API delivery needs, so its 200 comes
// only after the event is stored (Bolt otherwise acks an event before any listener runs, and
// Slack never retries what a crash then loses). Commands, clicks and submissions must not
// wait: their listeners call ack() first and then do slow work (Unleash, PagerDuty, Slack) that
// can outlast Slack's 3 s. For them the answer goes out the moment ack() is called, as before.
import type { App, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../observability/logger.ts';

export function answerAtAckExceptEvents(bolt: App, logger: Logger): void {
  const processEvent = bolt.processEvent.bind(bolt);
  bolt.processEvent = (event) =>
    event.body.type === 'event_callback' ? processEvent(event) : untilAck(event, processEvent, logger);
}

/** Resolves when the listener acks (the receiver then sends the stored answer) or finishes. */
function untilAck(
  event: ReceiverEvent,
  processEvent: (event: ReceiverEvent) => Promise<void>,
  logger: Logger,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let acked = false;
    const ack: ReceiverEvent['ack'] = async (response) => {
      await event.ack(response);
      acked = true;
      resolve();
    };
    const finished = async () => {
      // Every listener has run and none answered (a body Bolt cannot classify, say): a plain
      // 200 now, rather than Bolt's 404 after 3 s, which Slack shows as a failure.
      if (!acked) await event.ack();
    };
    processEvent({ ...event, ack }).then(
      () => finished().then(resolve, reject),
      (error: unknown) => {
        // Before ack the receiver answers 500; after it, the answer is gone and only a log is left.
        if (!acked) reject(error);
        else logger.error({ err: error }, 'a Slack listener failed after ack()');
      },
    );
  });
}
