// Coded errors, the way bolt-js does ErrorCode: code says what kind of failure it is, so the
// Slack error handler can tell the user something true without showing exception text.
import { UpstreamError } from '../adapters/http.ts';

export const ErrorCode = {
  /** An upstream (Slack, PagerDuty, Unleash) did not answer or refused. */
  UpstreamUnavailable: 'failsafe_upstream_unavailable',
  /** Failsafe is missing a setting it needs for this; the message names it. */
  NotConfigured: 'failsafe_not_configured',
  /** The database could not be reached or refused the write. */
  StorageUnavailable: 'failsafe_storage_unavailable',
  /** A bug: nothing the user did or can fix. */
  Internal: 'failsafe_internal',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class FailsafeError extends Error {
  override readonly name = 'FailsafeError';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The code of any error: ours carry one, upstream failures map to one, the rest are bugs. */
export function codeOf(error: unknown): ErrorCode {
  if (error instanceof FailsafeError) return error.code;
  if (error instanceof UpstreamError) return ErrorCode.UpstreamUnavailable;
  const name = (error as { name?: string } | null)?.name ?? '';
  if (name.startsWith('PrismaClient') || /ECONNREFUSED|database/i.test(String((error as Error)?.message)))
    return ErrorCode.StorageUnavailable;
  return ErrorCode.Internal;
}

/** What to tell a Slack user: what failed, in words that hold for the code, and that nothing changed. */
export function plainReason(error: unknown): string {
  const code = codeOf(error);
  if (code === ErrorCode.UpstreamUnavailable && error instanceof UpstreamError)
    return `${serviceName(error.service)} did not answer as expected`;
  if (code === ErrorCode.UpstreamUnavailable) return 'a service Failsafe depends on did not answer';
  if (code === ErrorCode.NotConfigured) return (error as Error).message;
  if (code === ErrorCode.StorageUnavailable) return 'its database could not be reached';
  return 'of an error on our side (it is in the logs)';
}

function serviceName(service: string): string {
  const names: Record<string, string> = { slack: 'Slack', pagerduty: 'PagerDuty', unleash: 'Unleash' };
  return names[service.toLowerCase()] ?? service;
}

/**
 * An error's text for a Slack message or a web page: an upstream failure as its summary (no
 * internal URL), our own coded errors as written, anything else as a pointer to the logs.
 */
export function whatFailed(error: unknown): string {
  if (error instanceof UpstreamError) return error.summary;
  if (error instanceof FailsafeError) return error.message;
  return 'an unexpected error (it is in the logs)';
}
