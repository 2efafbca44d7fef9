// Request bodies as the Slack Web API reads them: JSON or form, anything else rejected with
// Slack's own error codes.
import type { SlackArgs } from './slack-state.ts';

export type ParsedBody = { json: boolean; args: SlackArgs } | { json: boolean; error: string };

/** Slack accepts JSON and form bodies; anything else is `invalid_post_type`. */
export function parseBody(contentType: string, raw: string): ParsedBody {
  const json = /^application\/json/i.test(contentType);
  if (raw === '') return { json, args: {} };
  if (json) {
    const value = parseJson(raw);
    if (value === undefined) return { json, error: 'invalid_json' };
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { json, error: 'json_not_object' };
    return { json, args: value as SlackArgs };
  }
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    return { json, args: Object.fromEntries(new URLSearchParams(raw)) };
  }
  return { json, error: contentType ? 'invalid_post_type' : 'missing_post_type' };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
