// Shared plumbing for the thin upstream clients: one timeout, one error type, and one
// classification of failures so the queue knows what to retry and when.
export type Fetch = typeof globalThis.fetch;

export interface ClientOptions {
  baseUrl: string;
  token?: string | undefined;
  fetch?: Fetch | undefined;
  timeoutMs?: number | undefined;
}

/**
 * `config`  — 401/403 and friends: a token or permission problem; retrying will not help.
 * `invalid` — the request itself is wrong (400/404/422); do not retry, report.
 * `retryable` — 429, 5xx, timeouts and network errors; retry with back-off.
 */
export type FailureKind = 'config' | 'invalid' | 'retryable';

const SERVICE_NAMES: Record<string, string> = { slack: 'Slack', pagerduty: 'PagerDuty', unleash: 'Unleash' };

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly kind: FailureKind;
  readonly status: number | undefined;
  /** Set when the upstream said how long to wait (Retry-After / ratelimit-reset). */
  readonly retryAfterMs?: number;
  constructor(
    service: string,
    method: string,
    url: string,
    kind: FailureKind,
    status: number | undefined,
    detail: string,
    retryAfterMs?: number,
  ) {
    super(`${service} ${method} ${redactUrl(url)} failed${status ? ` with ${status}` : ''}: ${detail}`);
    this.service = service;
    this.method = method;
    this.url = url;
    this.kind = kind;
    this.status = status;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }

  /**
   * What failed, for a person: no URL, host, path or upstream body ("PagerDuty refused the
   * change (400)"). `message` keeps method and URL for the logs.
   */
  get summary(): string {
    const name = SERVICE_NAMES[this.service.toLowerCase()] ?? this.service;
    return summarise(name, this.method, this.kind, this.status);
  }
}

function summarise(name: string, method: string, kind: FailureKind, status: number | undefined): string {
  if (kind === 'config')
    return status
      ? `${name} refused Failsafe's credentials (${status})`
      : `${name} is not configured in Failsafe`;
  if (status === undefined)
    return kind === 'retryable' ? `${name} did not answer` : `${name} could not be sent the request`;
  if (status === 429) return `${name} is limiting Failsafe's requests (429)`;
  if (status >= 500) return `${name} had an error on its side (${status})`;
  if (status < 300) return `${name} sent an answer Failsafe could not read`;
  return `${name} refused the ${method === 'GET' ? 'request' : 'change'} (${status})`;
}

export function classifyStatus(status: number): FailureKind {
  if (status === 401 || status === 403) return 'config';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retryable';
  return 'invalid';
}

/** Reads `Retry-After` (seconds or HTTP date) or `ratelimit-reset` (seconds) as milliseconds. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get('ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined;
}

/** Query strings can carry tokens; errors and logs only ever show the path. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** fetch with a deadline; network failures and timeouts become retryable UpstreamErrors. */
export async function fetchWithTimeout(
  service: string,
  fetchImpl: Fetch,
  url: string,
  init: RequestInit & { method: string },
  timeoutMs: number,
): Promise<Response> {
  try {
    return await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    const detail = timedOut ? `no answer within ${timeoutMs} ms` : (error as Error).message;
    throw new UpstreamError(service, init.method, url, 'retryable', undefined, detail);
  }
}
