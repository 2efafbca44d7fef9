import { type FailureKind, UpstreamError } from './http.ts';

/** An UpstreamError carrying Slack's own error code (e.g. `not_in_channel`) when there is one. */
export class SlackApiError extends UpstreamError {
  readonly code: string | undefined;
  constructor(
    slackMethod: string,
    url: string,
    kind: FailureKind,
    status: number | undefined,
    code: string | undefined,
    detail: string,
    retryAfter?: number,
  ) {
    super('slack', slackMethod, url, kind, status, detail, retryAfter);
    this.code = code;
  }

  /** Slack's error code says what to fix (`file_uploads_disabled`) and carries no URL. */
  override get summary(): string {
    return this.code ? `Slack refused ${this.method} (${this.code})` : super.summary;
  }
}
