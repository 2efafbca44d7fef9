// Driving /ai-postmortem over signed HTTP, as Slack does, and reading what it left behind.
import type { Running } from '../../../src/runtime.ts';
import type { FakeSlack } from '../../../src/sandbox/fakes/slack.ts';
import { type FakeFile, filesOf } from '../../../src/sandbox/fakes/slack-files.ts';
import type { TestDatabase } from '../../support/database.ts';
import { commandReply, replyText, sendCommand } from '../../support/slack.ts';
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
  return sendCommand(env, '/ai-postmortem', text, { user, channel });
}

/** The same, resolving with the ephemeral reply. */
export async function postmortemCommand(
  env: Env,
  text: string,
  channel: string,
  user = 'U0PAT',
): Promise<string> {
  return replyText(await commandReply(env, '/ai-postmortem', text, { user, channel, timeoutMs: 20_000 }));
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
