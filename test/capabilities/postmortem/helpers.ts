// Driving /ai-postmortem over signed HTTP, as Slack does, and reading what it left behind.
import { expect } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import type { FakeSlack } from '../../../src/sandbox/fakes/slack.ts';
import { type FakeFile, filesOf } from '../../../src/sandbox/fakes/slack-files.ts';
import type { TestDatabase } from '../../support/database.ts';
import { sendSlackRequest, slashCommandBody } from '../../support/slack-request.ts';
import { waitUntil } from '../../support/wait.ts';

export interface Env {
  readonly database: TestDatabase;
  readonly fakes: { slack: FakeSlack };
  readonly app: Running;
}

/** Types `/ai-postmortem <text>` as `user` in `channel`; resolves with the response_url's path. */
export async function sendPostmortemCommand(
  env: Env,
  text: string,
  channel: string,
  user = 'U0PAT',
): Promise<string> {
  const responseUrl = env.fakes.slack.controls.responseUrl();
  const res = await sendSlackRequest(
    `${env.app.url}/slack/events`,
    slashCommandBody({
      command: '/ai-postmortem',
      text,
      user_id: user,
      channel_id: channel,
      response_url: responseUrl,
    }),
  );
  expect(res.status).toBe(200);
  return new URL(responseUrl).pathname;
}

/** The same, resolving with the ephemeral reply. */
export async function postmortemCommand(
  env: Env,
  text: string,
  channel: string,
  user = 'U0PAT',
): Promise<string> {
  const path = await sendPostmortemCommand(env, text, channel, user);
  const reply = await env.fakes.slack.waitForResponse((r) => r.path === path, 20_000);
  return String((reply.body as { text?: string }).text);
}

/** The files shared in `channel`, once `count` of them are complete. */
export async function sharedFiles(env: Env, channel: string, count: number): Promise<FakeFile[]> {
  return waitUntil(
    async () => filesOf(env.fakes.slack.state).filter((f) => f.completed && f.channel === channel),
    (files) => files.length >= count,
    { what: `${count} file(s) shared in ${channel}` },
  );
}

export interface VersionRow {
  version: number;
  markdown: string;
  changes: string | null;
  file_id: string | null;
  flagged: number;
  postmortem_id: string;
}

export async function versionsOf(env: Env, incidentId: string): Promise<VersionRow[]> {
  return env.database.query<VersionRow>(
    `SELECT v.version, v.markdown, v.changes, v.file_id, v.flagged, v.postmortem_id::text
     FROM postmortem_version v JOIN postmortem p ON p.id = v.postmortem_id
     WHERE p.incident_id = $1 ORDER BY v.version`,
    [incidentId],
  );
}

/** The download link in a reply (`<url|draft vN>`). */
export function linkIn(reply: string): URL {
  const match = /<(http[^|>]+)\|draft v\d+>/.exec(reply);
  if (!match?.[1]) throw new Error(`no download link in: ${reply}`);
  return new URL(match[1]);
}
