// One line of the doctor's checklist: what was checked, what was found, and for a failure
// what to change. Lines never carry a credential: they are built from ids, names and statuses.
import { UpstreamError } from '../adapters/http.ts';
import { SlackApiError } from '../adapters/slack-error.ts';

export type Status = 'pass' | 'fail' | 'skip';

export interface Check {
  status: Status;
  /** What was checked: "Slack token", "PagerDuty service PSVC1". */
  label: string;
  /** What was found: shown in brackets after a pass, after a colon otherwise. */
  detail?: string;
  /** What to change; every failure has one. */
  fix?: string;
}

export const pass = (label: string, detail?: string): Check => ({
  status: 'pass',
  label,
  ...(detail ? { detail } : {}),
});
export const fail = (label: string, detail: string, fix: string): Check => ({
  status: 'fail',
  label,
  detail,
  fix,
});
export const skip = (label: string, detail: string): Check => ({ status: 'skip', label, detail });

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', skip: '–' };

export function formatCheck(check: Check): string {
  const mark = MARK[check.status];
  if (check.status === 'pass') return `${mark} ${check.label}${check.detail ? ` (${check.detail})` : ''}`;
  const fix = check.fix ? ` — fix: ${check.fix}` : '';
  return `${mark} ${check.label}: ${check.detail ?? ''}${fix}`;
}

/**
 * What an upstream failure was, for a person: Slack's error code, or the summary an
 * UpstreamError gives (no URL, no body, so nothing a server echoed back reaches the terminal).
 */
export function whatWentWrong(error: unknown): string {
  if (error instanceof SlackApiError && error.code) return error.code;
  if (error instanceof UpstreamError) return error.summary;
  return error instanceof Error ? error.name : 'unknown error';
}

/** A fix for failures that are not the configuration's fault: the upstream is down or limiting. */
export function transientFix(error: unknown, service: string): string | undefined {
  if (!(error instanceof UpstreamError) || error.kind !== 'retryable') return undefined;
  return `${service} did not answer as expected; check the URL and the network, or run the doctor again in a minute`;
}
