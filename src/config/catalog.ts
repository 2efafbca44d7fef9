// failsafe.yml: which AI features exist, who owns them, where they page and post, which flag
// turns them off. Parsed once at start-up; a bad file stops the process with one message
// that names the file, the field and what was expected.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type CatalogFile, CatalogFileSchema, type FeatureFile } from './catalog-schema.ts';
import { checkSlo, resolveErrorBudgetDefaults, resolveSlo, type Slo } from './catalog-slo.ts';
import { checkWatches, resolveWatchDefaults, resolveWatches } from './catalog-watch.ts';

export { type CatalogIndex, featureByKey, featureForLabels, indexCatalog } from './catalog-lookup.ts';
export type { BurnRule, ErrorBudgetDefaults, ExhaustedPolicy, Slo } from './catalog-slo.ts';
export {
  type BudgetedFeature,
  type Catalog,
  type Feature,
  type FlaggedFeature,
  hasKillSwitch,
  type Severity,
  type Urgency,
} from './catalog-types.ts';
export type { Watch, WatchDefaults, WatchDirection, WatchNotify } from './catalog-watch.ts';

import type { Catalog, Feature } from './catalog-types.ts';

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  readonly code = 'CATALOG_INVALID';
}

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

export async function loadCatalog(filePath: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint =
      code === 'ENOENT' ? 'file not found (copy failsafe.example.yml, or set FAILSAFE_CONFIG)' : code;
    throw new CatalogError(`${displayName(filePath)}: cannot read the catalog: ${hint ?? String(error)}`);
  }
  return parseCatalog(text, filePath);
}

export function parseCatalog(text: string, filePath: string): Catalog {
  const file = displayName(filePath);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = syntax.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    const reason = (syntax.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new CatalogError(`${file}: YAML syntax error${where}: ${reason}`);
  }

  const fail = (path: Path, message: string): never => {
    const line = lineOf(doc, lineCounter, path);
    const prefix = path.length ? `${formatPath(path)}: ` : '';
    throw new CatalogError(`${file}: ${prefix}${message}${line ? ` (line ${line})` : ''}`);
  };

  if (doc.contents === null) fail([], 'the file is empty, expected a mapping with defaults and features');
  const parsed = CatalogFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    // A misspelt field also shows up as a missing one; the misspelling is the useful report.
    const issues = parsed.error.issues;
    const issue = (issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]) as z.core.$ZodIssue;
    // Point at the misspelt field itself, not at the mapping that holds it.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    return fail(path, issue.message);
  }
  checkReferences(parsed.data, fail);
  checkSlo(parsed.data, fail);
  checkWatches(parsed.data, fail);
  return resolve(parsed.data);
}

function checkReferences(data: CatalogFile, fail: (path: Path, message: string) => never): void {
  const firstIndex = new Map<string, number>();
  data.features.forEach((feature, i) => {
    const earlier = firstIndex.get(feature.key);
    if (earlier !== undefined) {
      fail(
        ['features', i, 'key'],
        `expected a unique key, "${feature.key}" is already used by features[${earlier}]`,
      );
    }
    firstIndex.set(feature.key, i);
  });

  const route = data.default_route?.feature;
  if (route !== undefined && !firstIndex.has(route)) {
    const known = [...firstIndex.keys()].join(', ');
    fail(
      ['default_route', 'feature'],
      `expected the key of a feature in features (${known}), got "${route}"`,
    );
  }

  // Two features claiming the same label value would make routing depend on file order.
  const owners = new Map<string, number>();
  data.features.forEach((feature, i) => {
    const label = feature.alert_match?.label ?? data.defaults.feature_label;
    const values = feature.alert_match?.values ?? [feature.key];
    values.forEach((value, j) => {
      const claim = `${label}=${JSON.stringify(value)}`;
      const other = owners.get(claim);
      if (other !== undefined) {
        const path = feature.alert_match
          ? ['features', i, 'alert_match', 'values', j]
          : ['features', i, 'key'];
        fail(
          path,
          `expected alert_match values unique across features, ${claim} already routes to features[${other}]`,
        );
      }
      owners.set(claim, i);
    });
  });
}

function resolve(data: CatalogFile): Catalog {
  const {
    time_zone,
    feature_label,
    admin_group,
    auto_resolve,
    ack_timeout,
    kill_verify_timeout,
    update_jargon,
    postmortem_link_ttl,
    error_budget,
    watch,
  } = data.defaults;
  const defaults = {
    timeZone: time_zone,
    featureLabel: feature_label,
    autoResolve: auto_resolve,
    ackTimeoutSeconds: ack_timeout,
    killVerifyTimeoutSeconds: kill_verify_timeout,
    postmortemLinkTtlSeconds: postmortem_link_ttl,
    errorBudget: resolveErrorBudgetDefaults(error_budget),
    watch: resolveWatchDefaults(watch),
    ...(admin_group ? { adminGroup: admin_group } : {}),
    ...(update_jargon ? { updateJargon: update_jargon } : {}),
  };
  return {
    defaults,
    ...(data.default_route ? { defaultRoute: { feature: data.default_route.feature } } : {}),
    features: data.features.map((f) => resolveFeature(f, defaults)),
  };
}

function resolveFeature(f: FeatureFile, defaults: Catalog['defaults']): Feature {
  const kill = f.permissions?.kill ?? [];
  const { service, escalation_policy, routing_key } = f.pagerduty;
  return {
    key: f.key,
    name: f.name,
    owner: { slack: f.owner.slack, ...(f.owner.email ? { email: f.owner.email } : {}) },
    pagerduty: {
      ...(service ? { service } : {}),
      ...(escalation_policy ? { escalationPolicy: escalation_policy } : {}),
      ...(routing_key ? { routingKey: routing_key } : {}),
    },
    slack: {
      alertsChannel: f.slack.alerts_channel,
      stakeholderChannel: f.slack.stakeholder_channel ?? f.slack.alerts_channel,
      timeZone: f.slack.time_zone ?? defaults.timeZone,
      incidentChannels: f.slack.incident_channels,
    },
    ...(f.unleash ? { unleash: resolveUnleash(f.unleash) } : {}),
    ...(f.fallback ? { fallback: f.fallback } : {}),
    alertMatch: {
      label: f.alert_match?.label ?? defaults.featureLabel,
      values: f.alert_match?.values ?? [f.key],
    },
    autoResolve: f.auto_resolve ?? defaults.autoResolve,
    ackTimeoutSeconds: f.ack_timeout ?? defaults.ackTimeoutSeconds,
    permissions: { kill, restore: f.permissions?.restore ?? kill },
    severityUrgency: { ...f.severity_urgency },
    ...(f.slo ? { slo: resolveSlo(f.slo, defaults.errorBudget) as Slo } : {}),
    watches: resolveWatches(f.watch, defaults.watch),
  };
}

function resolveUnleash(u: NonNullable<FeatureFile['unleash']>): NonNullable<Feature['unleash']> {
  const { project, environment, flag, drill_environment } = u;
  return {
    project,
    environment,
    flag,
    ...(drill_environment ? { drillEnvironment: drill_environment } : {}),
  };
}

function displayName(filePath: string): string {
  return filePath.replace(/^\.\//, '');
}

/** Line of the node at path, or of its nearest ancestor when the field is missing. */
function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: Path): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    if (offset !== undefined) return counter.linePos(offset).line;
  }
  return undefined;
}
