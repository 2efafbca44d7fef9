import type { AlertSource } from '../types.ts';
import { parseAlertmanager } from './alertmanager.ts';
import { parseGeneric } from './generic.ts';
import { parseGrafana } from './grafana.ts';
import { parseLangfuse } from './langfuse.ts';
import type { ParseOptions, ParseResult } from './shared.ts';

export { parseAlertmanager } from './alertmanager.ts';
export { parseGeneric } from './generic.ts';
export { parseGrafana } from './grafana.ts';
export { type LangfuseParse, parseLangfuse } from './langfuse.ts';
export {
  MAX_ALERTS_PER_PAYLOAD,
  MAX_SUMMARY_CHARS,
  mapSeverity,
  type ParseOptions,
  type ParseResult,
  ROOT_FIELD,
} from './shared.ts';

/** Validates and normalises one inbound webhook body; never throws on bad input. */
export function parseAlerts(source: AlertSource, body: unknown, opts: ParseOptions): ParseResult {
  switch (source) {
    case 'alertmanager':
      return parseAlertmanager(body, opts);
    case 'grafana':
      return parseGrafana(body, opts);
    case 'generic':
      return parseGeneric(body, opts);
    case 'langfuse':
      return parseLangfuse(body, opts);
  }
}
