// One request/response cycle for both PagerDuty APIs: deadline, status classification,
// PagerDuty's two error-body shapes, and zod validation of the answer.
import { z } from 'zod';
import { classifyStatus, type Fetch, fetchWithTimeout, retryAfterMs, UpstreamError } from './http.ts';

export const SERVICE = 'pagerduty';
export const DEFAULT_TIMEOUT_MS = 5_000;

export interface Transport {
  fetch: Fetch;
  timeoutMs: number;
  /** Values never to echo into an error message, even if the upstream does. */
  secrets: string[];
}

// REST errors are `{ error: { message, code, errors } }`; Events errors `{ status, message, errors }`.
const ErrorBody = z.object({
  error: z.object({ message: z.string().optional(), errors: z.array(z.string()).optional() }).optional(),
  message: z.string().optional(),
  errors: z.array(z.string()).optional(),
});

export async function send<S extends z.ZodType>(
  t: Transport,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  headers: Record<string, string>,
  schema: S,
  body?: string,
): Promise<z.infer<S>> {
  const init = { method, headers, ...(body === undefined ? {} : { body }) };
  const res = await fetchWithTimeout(SERVICE, t.fetch, url, init, t.timeoutMs);
  let text: string;
  try {
    text = await res.text();
  } catch (error) {
    // The deadline also covers the body: a stalled body is as retryable as no answer.
    const detail = `reading the response failed: ${(error as Error).message}`;
    throw new UpstreamError(SERVICE, method, url, 'retryable', res.status, detail);
  }
  if (!res.ok) {
    const detail = scrub(describeError(text) ?? res.statusText, t.secrets);
    const kind = classifyStatus(res.status);
    throw new UpstreamError(SERVICE, method, url, kind, res.status, detail, retryAfterMs(res.headers));
  }
  const parsed = schema.safeParse(parseJson(text));
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    const detail = `unexpected response shape (${issues.join('; ')})`;
    throw new UpstreamError(SERVICE, method, url, 'invalid', res.status, detail);
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeError(text: string): string | undefined {
  const parsed = ErrorBody.safeParse(parseJson(text));
  if (!parsed.success) return text.slice(0, 200) || undefined;
  const message = parsed.data.error?.message ?? parsed.data.message;
  const errors = parsed.data.error?.errors ?? parsed.data.errors ?? [];
  return [message, ...errors].filter(Boolean).join(': ').slice(0, 500) || undefined;
}

function scrub(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.replaceAll(secret, '[redacted]') : out), text);
}
