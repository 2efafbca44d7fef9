// Helpers shared by the intake tests: parsing that must succeed, row counts, raw requests that
// fetch cannot make (chunked uploads), and reading one sample out of /metrics.

import { request } from 'node:http';
import { parseAlerts } from '../../../src/capabilities/alert-intake/sources/index.ts';
import type { Running } from '../../../src/runtime.ts';
import type { TestDatabase } from '../../support/database.ts';

/** What parseAlerts made of `body`; a refusal fails the test with the field it named. */
export function alertsOrThrow(...[source, body, opts]: Parameters<typeof parseAlerts>) {
  const result = parseAlerts(source, body, opts);
  if (!result.ok) throw new Error(`expected ok, got ${result.field}: ${result.message}`);
  return result.alerts;
}

export const COUNTED_TABLES = ['inbound_payload', 'alert', 'incident', 'timeline_entry'] as const;

export async function rowCounts(database: TestDatabase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const [row] = await database.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(row?.n);
  }
  return counts;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POSTs the body in chunks with Transfer-Encoding: chunked, so no Content-Length is sent. */
export function postChunked(
  app: Running,
  urlPath: string,
  headers: Record<string, string>,
  chunks: Buffer[],
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${app.url}${urlPath}`, { method: 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString() }),
      );
      res.on('error', reject);
    });
    // The server may answer 413 and stop reading before the upload ends; that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    let i = 0;
    const writeNext = (): void => {
      while (i < chunks.length) {
        const chunk = chunks[i++] as Buffer;
        if (!req.write(chunk)) {
          req.once('drain', writeNext);
          return;
        }
      }
      req.end();
    };
    writeNext();
  });
}

/** The value of one sample in /metrics, 0 when the series does not exist yet. */
export async function metricValue(app: Running, series: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
