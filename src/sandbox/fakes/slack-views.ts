// views.open and usergroups.users.list for the fake Slack, with the checks Slack makes
// (docs.slack.dev method pages; web-api-openapi-v2.json for argument names and error codes).
import type { FakeMethod, MethodContext } from './slack-methods.ts';
import type { SlackArgs, SlackBody } from './slack-state.ts';

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

function viewsOpen(args: SlackArgs, ctx: MethodContext): SlackBody {
  const triggerId = typeof args.trigger_id === 'string' ? args.trigger_id : '';
  if (!/^\d+\.\d+\.[0-9a-f]+$/.test(triggerId)) return fail('invalid_trigger_id');
  if (triggerExpired(triggerId, Date.now())) return fail('expired_trigger_id');
  const view = parseView(args.view);
  if (!view) return fail('invalid_arguments');
  const blocks = view.blocks;
  if (view.type !== 'modal' || !view.title || !Array.isArray(blocks) || blocks.length > MAX_BLOCKS) {
    return fail('invalid_arguments');
  }
  const id = `V${String(ctx.state.views.length + 1).padStart(8, '0')}`;
  ctx.state.views.push({ id, triggerId, view });
  return { ok: true, view: { id, ...view, state: { values: {} }, hash: `${id}.hash` } };
}

function usergroupUsers(args: SlackArgs, ctx: MethodContext): SlackBody {
  const group = typeof args.usergroup === 'string' ? args.usergroup : '';
  if (!group) return fail('invalid_arguments');
  const users = ctx.state.usergroups.get(group);
  return users ? { ok: true, users: [...users] } : fail('no_such_subteam');
}

export const viewMethods: Record<string, FakeMethod> = {
  'views.open': { handle: viewsOpen },
  'usergroups.users.list': { formOnly: true, handle: usergroupUsers },
};
