// GET /postmortems/<id>.md?v=<version>&i=<issued>&token=… — a stored draft as Markdown, for
// people reading it outside Slack. 401 without a token or with one that is not this version's;
// 410 for a link that expired or was revoked; 404 for an id or version that does not exist.
// Token in the URL, so: no caching, no referrer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { HttpError } from '../../http/io.ts';
import type { RouteContext } from '../../http/router.ts';
import { findIncident } from '../../store/incidents.ts';
import { downloadablePostmortem, versionMarkdown } from '../../store/postmortems.ts';
import type { PostmortemDeps } from './deps.ts';
import { fileName, verifyDownload } from './link.ts';

const Query = z.object({
  v: z.coerce.number().int().positive().max(1_000_000).optional(),
  i: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  token: z.string().max(200).optional(),
});
const FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.md$/i;

export function registerDownload(deps: PostmortemDeps): void {
  deps.http.route('GET', '/postmortems/:file', (req, res, ctx) => serveDraft(deps, req, res, ctx));
}

export async function serveDraft(
  deps: PostmortemDeps,
  _req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
): Promise<void> {
  const id = FILE.exec(ctx.params.file ?? '')?.[1]?.toLowerCase();
  if (!id) throw new HttpError(404, 'not_found', 'no such postmortem');
  const query = Query.safeParse(Object.fromEntries(ctx.url.searchParams));
  if (!query.success) {
    const field = String(query.error.issues[0]?.path[0] ?? 'v');
    throw new HttpError(400, 'invalid_query', `${field} must be a number from the link`, field);
  }
  const { token, v, i: issuedAt } = query.data;
  if (!token) throw new HttpError(401, 'unauthorized', 'this link needs its token (?token=…)', 'token');
  if (issuedAt === undefined)
    throw new HttpError(401, 'unauthorized', 'this link needs its issue time (?i=…)', 'i');
  const postmortem = await downloadablePostmortem(deps.db, id);
  if (!postmortem?.latestVersion) throw new HttpError(404, 'not_found', 'no such postmortem');
  const version = v ?? postmortem.latestVersion;
  const verdict = verifyDownload(
    deps.config.slack.signingSecret,
    { postmortemId: id, version, issuedAt },
    token,
    {
      nowMs: deps.clock.now().getTime(),
      ttlSeconds: deps.catalog.catalog.defaults.postmortemLinkTtlSeconds,
      revokedAt: postmortem.linksRevokedAt,
    },
  );
  if (verdict === 'bad_token')
    throw new HttpError(401, 'unauthorized', 'the token does not open this postmortem version', 'token');
  if (verdict !== 'ok')
    throw new HttpError(
      410,
      `link_${verdict}`,
      `this link ${verdict === 'expired' ? 'has expired' : 'was revoked'}: run /ai-postmortem in Slack for a new one`,
    );
  const markdown = await versionMarkdown(deps.db, id, version);
  if (markdown === null)
    throw new HttpError(404, 'not_found', `no version ${version} of this postmortem`, 'v');
  const incident = await findIncident(deps.db, postmortem.incidentId);
  const body = Buffer.from(markdown, 'utf8');
  res.writeHead(200, {
    'content-type': 'text/markdown; charset=utf-8',
    'content-length': body.byteLength,
    'content-disposition': `inline; filename="${fileName(incident?.number ?? 0, version)}"`,
    'cache-control': 'private, no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
