// GET and POST /ack/<token>: the phone page of the one-tap link. GET only reads (chat apps and
// mail scanners fetch links to preview them); the buttons POST a plain form guarded by a
// double-submit CSRF cookie, then act through the same path as the Slack buttons.
import type { Incident } from '../../generated/prisma/client.ts';
import type { RouteHandler } from '../../http/router.ts';
import type { AckLink } from '../../store/ack-links.ts';
import { findIncident } from '../../store/incidents.ts';
import { renderAckPage } from '../../web/ack-page.ts';
import {
  csrfCookie,
  csrfFor,
  csrfMatches,
  csrfPage,
  incidentView,
  LINK_PROBLEM_PAGES,
  messagePage,
  NOT_FOUND_PAGE,
  type Page,
  readAckForm,
  reassignedPage,
  resolvedPage,
  sendPage,
} from './ack-http.ts';
import { checkAckToken, linkSuperseded } from './ack-link.ts';
import { actOnIncident } from './actions.ts';
import type { PagingDeps } from './deps.ts';

type RouteArgs = Parameters<RouteHandler>;

export const ACK_VIA = 'the one-tap link';

/** How each refusal from actOnIncident reads as HTTP: a conflict with the state, or PagerDuty's fault. */
const STATUS_FOR_FAILURE: Record<string, number> = {
  already: 409,
  in_progress: 409,
  not_found: 409,
  no_rest: 503,
  failed: 502,
};

export function registerAckLink(deps: PagingDeps): void {
  deps.http.route('GET', '/ack/:token', (...args) => showAckPage(deps, ...args));
  deps.http.route('POST', '/ack/:token', (...args) => submitAckForm(deps, ...args));
}

export async function showAckPage(deps: PagingDeps, ...[req, res, ctx]: RouteArgs): Promise<void> {
  const token = ctx.params.token ?? '';
  const link = await openLink(deps, token);
  const done = ctx.url.searchParams.get('done');
  if ('page' in link) {
    // Straight after a Resolve tap the link is spent, but the person should see that it worked.
    if (done === 'resolve' && link.incident?.status === 'resolved') {
      const text =
        'The incident is resolved in PagerDuty, and the Slack message says so. You can close this page.';
      return sendPage(res, messagePage(200, 'ok', 'Resolved', text, incidentView(deps, link.incident)));
    }
    return sendPage(res, link.page);
  }
  const view = incidentView(deps, link.incident);
  // The notice reads the incident, not the query: a hand-made ?done= cannot claim anything.
  const notice =
    done === 'acknowledge' && view.acknowledgedBy
      ? {
          tone: 'ok' as const,
          text: `Acknowledged by ${view.acknowledgedBy}. PagerDuty and the Slack message are updated.`,
        }
      : undefined;
  const csrf = csrfFor(req);
  const html = renderAckPage(view, { action: token, csrf, person: link.link.displayName }, notice);
  sendPage(res, { status: 200, html }, { 'set-cookie': csrfCookie(deps.config.publicUrl, csrf) });
}

export async function submitAckForm(deps: PagingDeps, ...[req, res, ctx]: RouteArgs): Promise<void> {
  const token = ctx.params.token ?? '';
  const check = await checkAckToken(deps, token);
  // The body is left unread: close the connection rather than drain it.
  if (!check.ok) return sendPage(res, LINK_PROBLEM_PAGES[check.problem], { connection: 'close' });
  const form = await readAckForm(req);
  if ('html' in form) return sendPage(res, form, { connection: 'close' });
  if (!csrfMatches(req, form.csrf)) return sendPage(res, csrfPage(token));
  const opened = await openIncident(deps, check.link);
  if ('page' in opened) return sendPage(res, opened.page);
  const { incident } = opened;
  // Whose email goes in PagerDuty's From: the assignee's, who is the link's person (checked above).
  const email = incident.assigneeEmail;
  if (!email) return sendPage(res, reassignedPage(check.link.displayName, incidentView(deps, incident)));
  const result = await actOnIncident(deps, {
    incidentId: incident.id,
    action: form.action,
    actor: { person: { id: check.link.pdUserId, name: check.link.displayName, email } },
    via: ACK_VIA,
  });
  if (result.ok) {
    // Post/Redirect/Get: reloading the result must not tap the button again. Relative, so a
    // path prefix in front of Failsafe is kept.
    res.writeHead(303, { location: `${token}?done=${form.action}`, 'cache-control': 'no-store' });
    res.end();
    return;
  }
  const latest = (await findIncident(deps.db, incident.id)) ?? incident;
  if (latest.status === 'resolved') return sendPage(res, resolvedPage(incidentView(deps, latest)));
  sendPage(res, failurePage(deps, result, form.action, latest, token));
}

function failurePage(
  deps: PagingDeps,
  result: { reason: string; text: string },
  action: 'acknowledge' | 'resolve',
  incident: Incident,
  token: string,
): Page {
  const status = STATUS_FOR_FAILURE[result.reason] ?? 500;
  const done = action === 'acknowledge' ? 'acknowledged' : 'resolved';
  const heading = result.reason === 'already' ? `Already ${done}` : `Not ${done}`;
  const tone = status === 409 ? 'warn' : 'error';
  return messagePage(status, tone, heading, result.text, incidentView(deps, incident), token);
}

type Opened = { incident: Incident } | { page: Page; incident?: Incident };
type OpenLink = { link: AckLink; incident: Incident } | { page: Page; incident?: Incident };

/** A valid, unexpired token for an incident that still exists, is not resolved, and is still theirs. */
async function openLink(deps: PagingDeps, token: string): Promise<OpenLink> {
  const check = await checkAckToken(deps, token);
  if (!check.ok) return { page: LINK_PROBLEM_PAGES[check.problem] };
  const opened = await openIncident(deps, check.link);
  return 'page' in opened ? opened : { link: check.link, incident: opened.incident };
}

async function openIncident(deps: PagingDeps, link: AckLink): Promise<Opened> {
  const incident = await findIncident(deps.db, link.incidentId);
  if (!incident) return { page: NOT_FOUND_PAGE };
  if (incident.status === 'resolved') return { page: resolvedPage(incidentView(deps, incident)), incident };
  if (linkSuperseded(link, incident)) {
    return { page: reassignedPage(link.displayName, incidentView(deps, incident)), incident };
  }
  return { incident };
}
