// The plumbing of the ack page: HTML answers with their security headers, the double-submit
// CSRF cookie, the small form body, and the page shown for each way a link cannot be used.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { z } from 'zod';
import type { Incident } from '../../generated/prisma/client.ts';
import { HttpError, readBody } from '../../http/io.ts';
import { formatTime } from '../../kernel/slack-text.ts';
import { ACK_PAGE_HEADERS, type AckIncidentView, renderAckMessage, type Tone } from '../../web/ack-page.ts';
import type { AckLinkProblem } from './ack-link.ts';
import type { PagingDeps } from './deps.ts';

export interface Page {
  status: number;
  html: string;
}

const CSRF_COOKIE = 'failsafe_ack_csrf';
/** Two short fields: anything bigger is not our form. */
const MAX_FORM_BYTES = 2_048;
const CsrfValue = z.string().regex(/^[A-Za-z0-9_-]{32}$/);
const Form = z.object({
  action: z.enum(['acknowledge', 'resolve']),
  csrf: CsrfValue.optional().catch(undefined),
});
export type AckForm = z.infer<typeof Form>;

export function messagePage(
  status: number,
  tone: Tone,
  heading: string,
  text: string,
  incident?: AckIncidentView,
  back?: string,
): Page {
  return { status, html: renderAckMessage({ tone, heading, text, incident, back }) };
}

const USE_SLACK = 'Use the buttons on the incident message in Slack, or PagerDuty.';
const INVALID = `The link is incomplete or was changed, so it cannot act for anyone. Open it again from Slack. ${USE_SLACK}`;

/** 400 for a link that is not a token at all, 403 for one we never issued. */
export const LINK_PROBLEM_PAGES: Record<AckLinkProblem, Page> = {
  malformed: messagePage(400, 'error', 'This link is not valid', INVALID),
  unknown: messagePage(403, 'error', 'This link is not valid', INVALID),
  expired: messagePage(
    410,
    'warn',
    'This link has expired',
    `Ack links work for 24 hours after they are sent. ${USE_SLACK}`,
  ),
};

/** The link's person no longer holds the incident: the page says for whom it was and who has it now. */
export function reassignedPage(sentTo: string, incident: AckIncidentView): Page {
  const now = incident.assigneeName
    ? `the incident is now assigned to ${incident.assigneeName}, who has their own link in Slack`
    : 'the incident is now assigned to someone else';
  const text = `This page was for ${sentTo}; ${now}. Nothing was changed. ${USE_SLACK}`;
  return messagePage(410, 'warn', 'No longer yours to acknowledge', text, incident);
}

export function resolvedPage(incident?: AckIncidentView): Page {
  return messagePage(
    410,
    'ok',
    'Already resolved',
    'This incident is resolved, so there is nothing left to do here.',
    incident,
  );
}

export const NOT_FOUND_PAGE = messagePage(
  404,
  'error',
  'Incident not found',
  'This incident no longer exists.',
);

export function csrfPage(token: string): Page {
  const text =
    'This form had expired or did not come from this page, so nothing was changed. Go back and tap the button once more.';
  return messagePage(403, 'warn', 'Please try again', text, undefined, token);
}

export function sendPage(res: ServerResponse, page: Page, headers: Record<string, string> = {}): void {
  res.writeHead(page.status, {
    ...ACK_PAGE_HEADERS,
    'content-length': String(Buffer.byteLength(page.html)),
    ...headers,
  });
  res.end(page.html);
}

/** The form's fields, or the page to answer with when the body is not our form. */
export async function readAckForm(req: IncomingMessage): Promise<AckForm | Page> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const notAForm = (status: number) =>
    messagePage(status, 'error', 'Not a form', 'Use the buttons on the page.');
  if (type !== 'application/x-www-form-urlencoded') return notAForm(415);
  let body: Buffer;
  try {
    body = await readBody(req, MAX_FORM_BYTES);
  } catch (error) {
    if (error instanceof HttpError) return notAForm(error.status);
    throw error;
  }
  const parsed = Form.safeParse(Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  return parsed.success ? parsed.data : notAForm(400);
}

/** The cookie's value when the browser sent a well-formed one, else a fresh random one. */
export function csrfFor(req: IncomingMessage): string {
  return readCsrfCookie(req) ?? randomBytes(24).toString('base64url');
}

export function csrfMatches(req: IncomingMessage, field: string | undefined): boolean {
  const cookie = readCsrfCookie(req);
  if (!cookie || !field || cookie.length !== field.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(field));
}

/** Scoped to the ack pages; Strict so no other site's form can carry it; Secure behind https. */
export function csrfCookie(publicUrl: string, value: string): string {
  const url = new URL(publicUrl);
  const secure = url.protocol === 'https:' ? '; Secure' : '';
  const path = `${url.pathname.replace(/\/+$/, '')}/ack`;
  return `${CSRF_COOKIE}=${value}; Path=${path}; HttpOnly; SameSite=Strict${secure}`;
}

function readCsrfCookie(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === CSRF_COOKIE) return CsrfValue.safeParse(value).data;
  }
  return undefined;
}

export function incidentView(deps: PagingDeps, incident: Incident): AckIncidentView {
  const feature = deps.catalog.featureByKey(incident.featureKey);
  const timeZone = deps.catalog.timeZoneFor(feature ?? null);
  const at = incident.acknowledgedAt && format(new TZDate(incident.acknowledgedAt, timeZone), 'HH:mm');
  const via = incident.acknowledgedVia ? ` from ${incident.acknowledgedVia}` : '';
  return {
    number: incident.number,
    featureName: feature?.name ?? incident.featureKey,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    openedAt: formatTime(incident.openedAt, timeZone),
    assigneeName: incident.assigneeName,
    acknowledgedBy:
      incident.status === 'acknowledged' && at
        ? `${incident.acknowledgedBy ?? 'someone'}${via} at ${at}`
        : null,
  };
}
