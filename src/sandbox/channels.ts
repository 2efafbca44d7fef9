// The channels the console can type commands in and show: the catalog's, and every one the
// simulated Slack knows (incident channels `inc-…` appear there once the app creates them).
import type { FakeSlack } from './fakes/slack.ts';
import { FAKE_BOT } from './fakes/slack-state.ts';

export interface ChannelChoice {
  id: string;
  /** Without `#`; the id when the simulated Slack has no name for it. */
  name: string;
}

export const INCIDENT_PREFIX = 'inc-';

export const channelName = (slack: FakeSlack, id: string) => slack.state.names.get(id) ?? id;

/** The catalog's channels first, then the rest of the workspace's, each once. */
export function knownChannels(slack: FakeSlack, catalogChannels: readonly string[]): ChannelChoice[] {
  const ids = [...new Set([...catalogChannels, ...slack.state.names.keys()])];
  return ids.map((id) => ({ id, name: channelName(slack, id) }));
}

/** Incident channels, newest first (their names end with the incident number). */
export function incidentChannels(slack: FakeSlack): ChannelChoice[] {
  return [...slack.state.names]
    .filter(([, name]) => name.startsWith(INCIDENT_PREFIX))
    .map(([id, name]) => ({ id, name }))
    .reverse();
}

/** A person's name for the page: the real name, "Failsafe (app)" for the bot, else the id. */
export function personName(slack: FakeSlack, id: string): string {
  if (id === FAKE_BOT.userId) return 'Failsafe (app)';
  return slack.state.users.find((u) => u.id === id)?.realName ?? id;
}
