// How the test incidents are described: their rows as plain data (write.ts puts them in the
// database), the fake Slack's people, and helpers for messages said and 📌'd in a channel.
import path from 'node:path';

/** The catalog these tests run against (three features, three time zones). */
export const TEST_CATALOG = path.join(import.meta.dirname, 'catalog.yml');

export const PEOPLE = {
  jane: { id: 'U0JANE', name: 'Jane Doe' },
  sam: { id: 'U0SAM', name: 'Sam Lee' },
  ana: { id: 'U0ANA', name: 'Ana Ruiz' },
  pat: { id: 'U0PAT', name: 'Pat Kim' },
} as const;
export type Person = (typeof PEOPLE)[keyof typeof PEOPLE];

export interface SeedEntry {
  at: Date;
  kind: string;
  actor: string | null;
  text: string;
  data?: Record<string, unknown>;
  dedupKey?: string;
}

export interface SeedAlert {
  source: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  severity: string;
  summary: string;
  description?: string;
  labels: Record<string, string>;
  startsAt: Date;
  firstSeenAt: Date;
  endsAt?: Date;
}

export interface SeedOperation {
  id?: string;
  kind: 'kill' | 'restore';
  state: string;
  flag: string;
  by: Person;
  reason: string;
  steps?: number[];
  holdSeconds?: number;
  createdAt: Date;
  flippedAt?: Date;
  confirmMs?: number;
  finishedAt?: Date;
  linked: boolean;
}

export interface SeedIncident {
  number: number;
  featureKey: string;
  title: string;
  severity: string;
  openedAt: Date;
  acknowledgedAt?: Date;
  mitigatedAt?: Date;
  resolvedAt?: Date;
  rootCause?: string;
  channelId?: string;
  channelName?: string;
  leadSlackId?: string;
  declaredBy?: string;
  assignee?: Person;
  pdIncidentUrl?: string;
  alerts: SeedAlert[];
  entries: SeedEntry[];
  operations: SeedOperation[];
}

/** A clock for one day: at('03:12:41') → that UTC time on `day` (a day later with '+1 '). */
export const dayClock = (day: string) => (time: string) => {
  const next = time.startsWith('+1 ');
  const at = new Date(`${day}T${next ? time.slice(3) : time}Z`);
  return next ? new Date(at.getTime() + 86_400_000) : at;
};

/** A message said in the channel, and optionally 📌'd by someone. */
export function said(channel: string, at: Date, who: Person, text: string, pinnedBy?: Person): SeedEntry[] {
  const ts = `${Math.floor(at.getTime() / 1000)}.${String(at.getTime() % 1000).padStart(3, '0')}000`;
  const message: SeedEntry = {
    at,
    kind: 'slack.message',
    actor: who.name,
    text,
    data: { channel, ts, user: who.id },
    dedupKey: `msg:${channel}:${ts}`,
  };
  if (!pinnedBy) return [message];
  return [
    message,
    {
      at,
      kind: 'slack.key_message',
      actor: pinnedBy.name,
      text,
      data: { channel, ts, markedBy: pinnedBy.id },
      dedupKey: `key:${channel}:${ts}`,
    },
  ];
}

/** The same incident again under another number and channel (for tests that need a fresh one). */
export function copyOf(seed: SeedIncident, number: number, channelId: string): SeedIncident {
  const from = seed.channelId ?? '';
  const swap = (text: string) => (from ? text.replaceAll(from, channelId) : text);
  return {
    ...seed,
    number,
    channelId,
    channelName: `${seed.channelName ?? 'inc'}-copy-${number}`,
    entries: seed.entries.map((e) => ({
      ...e,
      ...(e.dedupKey ? { dedupKey: swap(e.dedupKey) } : {}),
      ...(e.data ? { data: JSON.parse(swap(JSON.stringify(e.data))) as Record<string, unknown> } : {}),
    })),
  };
}
