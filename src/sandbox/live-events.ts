// Live updates for /sandbox without reloading it: GET /sandbox/events is a server-sent event
// stream that says `change` when what the page shows changed (a message posted or edited, a
// reaction, a reply, an incident's status, a flag); the page then fetches GET /sandbox/live.
// The three fakes have no change hook in common, so the stream compares a small fingerprint
// of their in-memory state a few times a second, and only while a page is listening.
import type { ServerResponse } from 'node:http';
import type { Router } from '../http/router.ts';
import type { FakeIncident } from './fakes/pagerduty-incidents.ts';
import type { FakeSlack } from './fakes/slack.ts';
import type { FakeFlag } from './fakes/unleash.ts';

const CHECK_MS = 250;
/** A comment line now and then, so a proxy or the browser does not drop an idle stream. */
const KEEPALIVE_MS = 15_000;

export interface LiveSources {
  slack: FakeSlack;
  incidents: () => FakeIncident[];
  flags: () => FakeFlag[] | null;
}

/** Changes whenever anything the page draws changes; cheap enough to compute every 250 ms. */
export function fingerprint({ slack, incidents, flags }: LiveSources): string {
  const { state } = slack;
  const messages = [...state.messages.values()].flat().map((m) => {
    const reacted = (m.reactions ?? []).reduce((n, r) => n + r.count, 0);
    return `${m.ts}:${m.edits.length}:${reacted}`;
  });
  const pins = [...state.pins.values()].reduce((n, p) => n + p.size, 0);
  return [
    messages.join(','),
    pins,
    state.responses.length,
    state.views.length,
    state.names.size,
    incidents().map((i) => `${i.id}:${i.status}:${i.assignments.map((a) => a.assignee.id).join('+')}`),
    JSON.stringify(flags()),
  ].join('|');
}

function stream(res: ServerResponse, sources: LiveSources): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  res.write('retry: 1000\n\n');
  let last = fingerprint(sources);
  let sent = 0;
  const check = setInterval(() => {
    const now = fingerprint(sources);
    if (now === last) return;
    last = now;
    res.write(`event: change\ndata: ${++sent}\n\n`);
  }, CHECK_MS);
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  res.on('close', () => {
    clearInterval(check);
    clearInterval(keepalive);
  });
}

export function registerLiveRoutes(router: Router, sources: LiveSources, renderLive: () => string): void {
  router.route('GET', '/sandbox/events', (req, res) => {
    req.resume();
    stream(res, sources);
  });
  router.route('GET', '/sandbox/live', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(renderLive());
  });
}
