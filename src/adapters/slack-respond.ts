// Answering a command or a click through its response_url: no token, and it works in channels the
// bot is not a member of. The URL's path is its credential, so errors name only the host.
import { classifyStatus, type FailureKind, type Fetch, fetchWithTimeout, retryAfterMs } from './http.ts';
import { SlackApiError } from './slack-error.ts';

export async function respondVia(
  fetchImpl: Fetch,
  timeoutMs: number,
  responseUrl: string,
  message: { text: string },
): Promise<void> {
  // The path of a response_url is its credential: errors name only the host.
  const shown = `${new URL(responseUrl).origin}/…`;
  const fail = (kind: FailureKind, status: number | undefined, detail: string, wait?: number) =>
    new SlackApiError('response_url', shown, kind, status, undefined, detail, wait);
  const response = await fetchWithTimeout(
    'slack',
    fetchImpl,
    responseUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ response_type: 'ephemeral', ...message }),
    },
    timeoutMs,
  ).catch(() => {
    throw fail('retryable', undefined, 'no answer');
  });
  await response.body?.cancel();
  if (!response.ok)
    throw fail(
      classifyStatus(response.status),
      response.status,
      `HTTP ${response.status}`,
      retryAfterMs(response.headers),
    );
}
