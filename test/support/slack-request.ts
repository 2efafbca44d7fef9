// Requests as Slack sends them to /slack/events, so tests drive Bolt over real HTTP with real
// signature checks. The builders and the signer are the request kit in src/sandbox (the
// sandbox console sends the same requests at run time); this adds the tests' signing secret.
import { type MsClock, postSigned } from '../../src/sandbox/slack-requests.ts';

export {
  type BlockActionFields,
  blockActionBody,
  eventCallbackBody,
  newTriggerId,
  type SlashCommandFields,
  signedHeaders,
  slashCommandBody,
  type ViewSubmissionFields,
  viewSubmissionBody,
} from '../../src/sandbox/slack-requests.ts';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

/** POSTs a signed body to Bolt's endpoint, e.g. `${appUrl}/slack/events`, with the tests' secret. */
export function sendSlackRequest(
  url: string,
  body: string,
  options: { signingSecret?: string; now?: MsClock; headers?: Record<string, string> } = {},
): Promise<Response> {
  return postSigned(url, body, { ...options, signingSecret: options.signingSecret ?? TEST_SIGNING_SECRET });
}
