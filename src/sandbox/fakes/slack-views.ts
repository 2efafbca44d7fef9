// views.open, views.update and usergroups.users.list for the fake Slack, with the checks Slack
// makes (docs.slack.dev method pages; test/contracts/slack/web-api-openapi-v2.json for argument names
// and error codes).

import { randomBytes } from 'node:crypto';
import type { FakeMethod, MethodContext } from './slack-args.ts';
import { blocksProblem } from './slack-blocks.ts';
import { FAKE_BOT, FAKE_TEAM, type FakeView, type SlackArgs, type SlackBody } from './slack-state.ts';

/** Slack's limit; a trigger id older than this is `expired_trigger_id`. */
const TRIGGER_TTL_MS = 3_000;
const MAX_BLOCKS = 100;

const fail = (error: string): SlackBody => ({ ok: false, error });

function parseView(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw === 'string') {
    try {
      return parseView(JSON.parse(raw));
    } catch {
      return undefined;
    }
  }
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

/** The test helper's trigger ids start with the time they were made, in ms (Slack's do not). */
function triggerExpired(triggerId: string, now: number): boolean {
  const issued = Number(triggerId.split('.')[0]);
  return issued > 1e12 && now - issued > TRIGGER_TTL_MS;
}

/** A modal view object as Slack checks it, or undefined (`invalid_arguments`). */
function validModal(raw: unknown): Record<string, unknown> | undefined {
  const view = parseView(raw);
  const blocks = view?.blocks;
  if (view?.type !== 'modal' || !view.title || !Array.isArray(blocks)) return undefined;
  // A modal's title, submit and close labels are plain text of at most 24 characters.
  const labels = [view.title, view.submit, view.close].filter((l) => l !== undefined);
  const label = (l: unknown) => (l as { text?: unknown } | null)?.text;
  if (labels.some((l) => typeof label(l) !== 'string' || String(label(l)).length > 24)) return undefined;
  return blocksProblem(blocks, MAX_BLOCKS) ? undefined : view;
}

const externalIdOf = (view: Record<string, unknown>) =>
  typeof view.external_id === 'string' && view.external_id !== '' ? view.external_id : undefined;

/** The view as views.open / views.update return it. */
function toApiView(stored: FakeView): Record<string, unknown> {
  return {
    id: stored.id,
    team_id: FAKE_TEAM.id,
    ...stored.view,
    state: { values: {} },
    hash: stored.hash,
    external_id: stored.externalId ?? '',
    root_view_id: stored.id,
    previous_view_id: null,
    app_id: FAKE_BOT.appId,
    bot_id: FAKE_BOT.botId,
  };
}

function viewsOpen(args: SlackArgs, ctx: MethodContext): SlackBody {
  const triggerId = typeof args.trigger_id === 'string' ? args.trigger_id : '';
  if (!/^\d+\.\d+\.[0-9a-f]+$/.test(triggerId)) return fail('invalid_trigger_id');
  if (triggerExpired(triggerId, Date.now())) return fail('expired_trigger_id');
  const view = validModal(args.view);
  if (!view) return fail('invalid_arguments');
  const externalId = externalIdOf(view);
  if (externalId && ctx.state.views.some((v) => v.externalId === externalId)) {
    return fail('duplicate_external_id');
  }
  const id = `V${String(ctx.state.views.length + 1).padStart(8, '0')}`;
  const stored: FakeView = { id, triggerId, view, hash: `${id}.hash`, updates: 0 };
  if (externalId) stored.externalId = externalId;
  ctx.state.views.push(stored);
  return { ok: true, view: toApiView(stored) };
}

/** Replaces a stored view; a `hash` that is not the view's current one means someone updated it first. */
function viewsUpdate(args: SlackArgs, ctx: MethodContext): SlackBody {
  const viewId = typeof args.view_id === 'string' && args.view_id ? args.view_id : undefined;
  const externalId = typeof args.external_id === 'string' && args.external_id ? args.external_id : undefined;
  if (!viewId && !externalId) return fail('invalid_arguments');
  const stored = ctx.state.views.find((v) => (viewId ? v.id === viewId : v.externalId === externalId));
  if (!stored) return fail('not_found');
  const view = validModal(args.view);
  if (!view) return fail('invalid_arguments');
  if (typeof args.hash === 'string' && args.hash !== '' && args.hash !== stored.hash) {
    return fail('hash_conflict');
  }
  const newExternalId = externalIdOf(view);
  if (newExternalId && ctx.state.views.some((v) => v !== stored && v.externalId === newExternalId)) {
    return fail('duplicate_external_id');
  }
  stored.view = view;
  if (newExternalId) stored.externalId = newExternalId;
  stored.hash = `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  stored.updates += 1;
  return { ok: true, view: toApiView(stored) };
}

function usergroupUsers(args: SlackArgs, ctx: MethodContext): SlackBody {
  const group = typeof args.usergroup === 'string' ? args.usergroup : '';
  if (!group) return fail('invalid_arguments');
  const users = ctx.state.usergroups.get(group);
  return users ? { ok: true, users: [...users] } : fail('no_such_subteam');
}

export const viewMethods: Record<string, FakeMethod> = {
  'views.open': { handle: viewsOpen },
  'views.update': { handle: viewsUpdate },
  'usergroups.users.list': { formOnly: true, handle: usergroupUsers },
};
