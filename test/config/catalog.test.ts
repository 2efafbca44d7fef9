import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  type Catalog,
  CatalogError,
  featureByKey,
  featureForLabels,
  indexCatalog,
  loadCatalog,
  parseCatalog,
} from '../../src/config/catalog.ts';

const EXAMPLE_PATH = new URL('../../failsafe.example.yml', import.meta.url).pathname;
const EXAMPLE = readFileSync(EXAMPLE_PATH, 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: tests poke at arbitrary places of the YAML tree
type Tree = any;

/** The example file with one change, as YAML text. */
function exampleWith(change: (tree: Tree) => void): string {
  const tree = parse(EXAMPLE);
  change(tree);
  return stringify(tree);
}

const DELETE = Symbol('delete');
const WORKBOOK_RULES = [
  { name: '1h/5m', longSeconds: 3600, shortSeconds: 300, burnRate: 14.4, notify: 'page' },
  { name: '6h/30m', longSeconds: 21_600, shortSeconds: 1800, burnRate: 6, notify: 'page' },
  { name: '3d/6h', longSeconds: 259_200, shortSeconds: 21_600, burnRate: 1, notify: 'ticket' },
];
const KEYS = 'ai-support-bot, ai-search-summaries, unrouted';
const SLACK_FIELDS = 'expected one of alerts_channel, stakeholder_channel, time_zone, incident_channels';

/** Sets (or deletes) the value at a path written as the error messages write it: a[1].b. */
function setIn(tree: Tree, path: string, value: unknown): void {
  const parts = (path.match(/[^.[\]]+/g) ?? []).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const last = parts.pop() as string | number;
  const parent = parts.reduce((node, part) => node[part], tree);
  if (value === DELETE) delete parent[last];
  else parent[last] = value;
}

function catalogError(text: string, file = 'failsafe.yml'): CatalogError {
  try {
    parseCatalog(text, file);
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error('expected parseCatalog to throw');
}

describe('the example catalog', () => {
  it('loads from disk with defaults filled in', async () => {
    const catalog = await loadCatalog(EXAMPLE_PATH);
    expect(catalog.defaults).toEqual({
      timeZone: 'Europe/London',
      featureLabel: 'ai_feature',
      autoResolve: true,
      ackTimeoutSeconds: 300,
      killVerifyTimeoutSeconds: 30,
      postmortemLinkTtlSeconds: 604_800,
      adminGroup: 'S0ADMINS',
      updateJargon: { RAG: "the AI's document search", hallucination: 'made-up answers' },
      watch: { evaluateEverySeconds: 60, baselineSeconds: 604_800, k: 4, threshold: 0.2 },
      errorBudget: {
        evaluateEverySeconds: 30,
        minEvents: 100,
        burnAlerts: WORKBOOK_RULES,
        weeklyReport: { channel: 'C0STAKE', day: 'monday', time: '09:00' },
      },
    });
    expect(catalog.defaultRoute).toEqual({ feature: 'unrouted' });
    expect(catalog.features.map((f) => f.key)).toEqual(['ai-support-bot', 'ai-search-summaries', 'unrouted']);
    expect(catalog.features[0]).toEqual({
      key: 'ai-support-bot',
      name: 'AI support bot',
      owner: { slack: 'U0JANE', email: 'jane@example.com' },
      pagerduty: { service: 'PSVC1', escalationPolicy: 'PEP1' },
      slack: {
        alertsChannel: 'C0ALERTS',
        stakeholderChannel: 'C0STAKE',
        timeZone: 'Europe/London',
        incidentChannels: false,
      },
      unleash: {
        project: 'default',
        environment: 'production',
        flag: 'ai-support-bot',
        drillEnvironment: 'development',
      },
      fallback: 'Human agents answer support chats',
      watches: [],
      alertMatch: { label: 'ai_feature', values: ['ai-support-bot'] },
      autoResolve: true,
      ackTimeoutSeconds: 300,
      permissions: { kill: ['U0JANE'], restore: ['U0JANE'] },
      severityUrgency: { critical: 'high', error: 'high', warning: 'low', info: 'low' },
      slo: {
        target: 0.98,
        periodSeconds: 30 * 86_400,
        kinds: ['eval', 'guardrail', 'thumbs_down'],
        onExhausted: 'freeze',
        minEvents: 100,
        burnAlerts: WORKBOOK_RULES,
      },
    });
    expect(catalog.features[1]?.slo).toMatchObject({
      target: 0.99,
      kinds: ['eval', 'thumbs_down'],
      onExhausted: 'page',
    });
  });

  it('fills in error-budget defaults, and lets a feature override them', () => {
    const catalog = parseCatalog(
      exampleWith((t) => {
        delete t.defaults.error_budget;
        t.features[0].slo = {
          target: 99.5,
          period: '7d',
          min_events: 20,
          burn_alerts: [{ long: '2h', short: '10m', burn_rate: 10 }],
        };
        t.features[1].slo = { target: '99.9 %' };
      }),
      'failsafe.yml',
    );
    expect(catalog.defaults.errorBudget).toEqual({
      evaluateEverySeconds: 30,
      minEvents: 100,
      burnAlerts: WORKBOOK_RULES,
    });
    expect(catalog.features[0]?.slo).toEqual({
      target: 0.995,
      periodSeconds: 7 * 86_400,
      kinds: null,
      onExhausted: 'page',
      minEvents: 20,
      burnAlerts: [{ name: '2h/10m', longSeconds: 7200, shortSeconds: 600, burnRate: 10, notify: 'page' }],
    });
    expect(catalog.features[1]?.slo?.target).toBeCloseTo(0.999, 12);
    expect(catalog.features[2]).not.toHaveProperty('slo');
  });

  it('resolves what a minimal feature leaves out', () => {
    const unrouted = featureByKey(parseCatalog(EXAMPLE, 'failsafe.yml'), 'unrouted');
    expect(unrouted).toEqual({
      key: 'unrouted',
      name: 'Unrouted alerts',
      owner: { slack: 'U0SAM', email: 'sam@example.com' },
      pagerduty: { service: 'PSVC1' },
      slack: {
        alertsChannel: 'C0DEFAULT',
        stakeholderChannel: 'C0DEFAULT',
        timeZone: 'Europe/London',
        incidentChannels: false,
      },
      alertMatch: { label: 'ai_feature', values: ['unrouted'] },
      autoResolve: false,
      ackTimeoutSeconds: 300,
      permissions: { kill: [], restore: [] },
      severityUrgency: { critical: 'high', error: 'high', warning: 'low', info: 'low' },
      watches: [],
    });
  });

  it('reads update_jargon as given, ~ included, and leaves it out when absent', () => {
    const catalog = parseCatalog(
      exampleWith((t) => {
        t.defaults.update_jargon = { latency: null, ' k8s ': 'our servers' };
      }),
      'failsafe.yml',
    );
    expect(catalog.defaults.updateJargon).toEqual({ latency: null, k8s: 'our servers' });
    const without = parseCatalog(
      exampleWith((t) => {
        delete t.defaults.update_jargon;
      }),
      'failsafe.yml',
    );
    expect(without.defaults).not.toHaveProperty('updateJargon');
  });

  it('keeps partial overrides and canonicalises time zones', () => {
    const catalog = parseCatalog(
      exampleWith((t) => {
        t.defaults.time_zone = 'america/new_york';
        t.features[1].severity_urgency = { warning: 'high' };
        t.features[1].permissions = { kill: ['S0ONCALL', 'U0ANA'] };
      }),
      'failsafe.yml',
    );
    const search = featureByKey(catalog, 'ai-search-summaries');
    expect(catalog.defaults.timeZone).toBe('America/New_York');
    expect(search?.slack.timeZone).toBe('America/New_York');
    expect(search?.severityUrgency).toEqual({
      critical: 'high',
      error: 'high',
      warning: 'high',
      info: 'low',
    });
    expect(search?.permissions).toEqual({ kill: ['S0ONCALL', 'U0ANA'], restore: ['S0ONCALL', 'U0ANA'] });
  });
});

describe('invalid catalogs', () => {
  const CHANNEL = 'expected a Slack channel id like C0123ABCD';
  const USER_OR_GROUP = 'expected a Slack user id like U0123ABCD or user group id like S0123ABCD';
  const ZONE = 'expected an IANA time zone like Europe/London';
  const DURATION = 'expected a duration of at least 1s, like 90s, 5m or 1h';
  const PERCENTAGE = 'expected a percentage above 1% and below 100%, like 98% or 99.9%';
  const WINDOW = 'expected a duration in minutes, hours or days, like 5m, 6h or 30d';
  const UNIQUE = 'expected alert_match values unique across features';
  // [field to change, new value (DELETE removes it), expected message, field the message names if not the same]
  const cases: Array<[string, unknown, string, string?]> = [
    ['features[1].slack.alerts_channel', 'alerts', `${CHANNEL}, got "alerts"`],
    ['features[0].slack.stakeholder_channel', '#stakeholders', `${CHANNEL}, got "#stakeholders"`],
    ['features[2].slack.alerts_channel', DELETE, `required, ${CHANNEL}`],
    ['features[0].slack.alert_channel', 'C0ALERTS', `unknown field, ${SLACK_FIELDS}`],
    ['features[0].owner.slack', 'jane', 'expected a Slack user id like U0123ABCD, got "jane"'],
    ['features[0].owner', 'U0JANE', 'expected a mapping of slack, email, got "U0JANE"'],
    ['features[1].owner.email', 'ana', 'expected an email address, got "ana"'],
    ['features[0].name', DELETE, 'required, expected a display name'],
    [
      'features[1].key',
      'AI Search',
      `expected a lowercase slug of a-z, 0-9 and - like ai-support-bot, got "AI Search"`,
    ],
    [
      'features[2].key',
      'ai-support-bot',
      'expected a unique key, "ai-support-bot" is already used by features[0]',
    ],
    ['default_route.feature', 'nobody', `expected the key of a feature in features (${KEYS}), got "nobody"`],
    [
      'features[1].alert_match.values[1]',
      'ai-support-bot',
      `${UNIQUE}, ai_feature="ai-support-bot" already routes to features[0]`,
    ],
    [
      'features[0].alert_match.values[0]',
      'unrouted',
      `${UNIQUE}, ai_feature="unrouted" already routes to features[0]`,
      'features[2].key',
    ],
    ['features[1].alert_match.values', [], 'expected at least one label value'],
    ['defaults.time_zone', 'London', `${ZONE}, got "London"`],
    ['features[0].slack.time_zone', '+01:00', `${ZONE}, got "+01:00"`],
    ['features[1].pagerduty', { escalation_policy: 'PEP2' }, 'expected a service id, a routing_key or both'],
    ['features[1].pagerduty.service', 'search', 'expected a PagerDuty service id like PABC123, got "search"'],
    ['defaults.admin_group', 'U0JANE', 'expected a Slack user group id like S0123ABCD, got "U0JANE"'],
    [
      'defaults.update_jargon',
      ['p99'],
      'expected a mapping of jargon terms to plain words, like p99: slowest responses, got a list',
    ],
    [
      'defaults.update_jargon.p99',
      '',
      'expected the plain words to say instead, or ~ to allow the term, got ""',
    ],
    ['features[0].permissions.kill[1]', 'jane', `${USER_OR_GROUP}, got "jane"`],
    ['features[0].slo.target', 0.98, `${PERCENTAGE}, got 0.98`],
    ['features[0].slo.target', '98', `${PERCENTAGE}, got "98"`],
    ['features[0].slo.target', DELETE, 'required, expected a percentage like 98% or 99.9%'],
    ['features[0].slo.period', '30 days', `${WINDOW}, got "30 days"`],
    [
      'features[0].slo.kinds[1]',
      'Thumbs',
      'expected a signal kind of a-z, 0-9 and _ like eval or thumbs_down, got "Thumbs"',
    ],
    ['features[0].slo.on_exhausted', 'panic', 'expected page, freeze or kill, got "panic"'],
    [
      'features[2].slo',
      { target: '99%', on_exhausted: 'kill' },
      'expected page or freeze: kill needs the feature to have an unleash flag',
      'features[2].slo.on_exhausted',
    ],
    ['defaults.error_budget.min_events', -1, 'expected a whole number, got -1'],
    [
      'defaults.error_budget.burn_alerts[0].short',
      '2h',
      'expected the short window to be shorter than the long one',
      'defaults.error_budget.burn_alerts[0]',
    ],
    ['defaults.error_budget.burn_alerts[1].burn_rate', 0, 'expected a burn rate above 0, like 14.4, got 0'],
    ['defaults.error_budget.burn_alerts[2].notify', 'email', 'expected page or ticket, got "email"'],
    ['defaults.error_budget.weekly_report.day', 'mon', 'expected a day of the week like monday, got "mon"'],
    ['defaults.error_budget.weekly_report.time', '9am', 'expected a time of day like 09:00, got "9am"'],
    ['features[0].severity_urgency.warning', 'medium', 'expected high or low, got "medium"'],
    ['features[2].auto_resolve', 'no way', 'expected true or false, got "no way"'],
    ['features[0].ack_timeout', '5 minutes', `${DURATION}, got "5 minutes"`],
    ['defaults.ack_timeout', '0s', `${DURATION}, got "0s"`],
    [
      'features[1].unleash',
      { project: 'search' },
      'required, expected an Unleash feature flag name',
      'features[1].unleash.flag',
    ],
    ['features', [], 'expected at least one feature'],
    ['features', { 'ai-support-bot': {} }, 'expected a list of features, got a mapping'],
    ['feature', [], 'unknown field, expected one of defaults, default_route, features'],
  ];

  it.each(cases)('%s = %j', (field, value, expected, reported = field) => {
    const error = catalogError(exampleWith((tree) => setIn(tree, field, value)));
    expect(error.code).toBe('CATALOG_INVALID');
    expect(error.message).toMatch(/ \(line \d+\)$/);
    expect(error.message.replace(/ \(line \d+\)$/, '')).toBe(`failsafe.yml: ${reported}: ${expected}`);
  });

  it('never echoes a routing key', () => {
    const key = 'not a routing key but a secret';
    const { message } = catalogError(exampleWith((t) => setIn(t, 'features[0].pagerduty.routing_key', key)));
    expect(message).toMatch(
      /^failsafe\.yml: features\[0\]\.pagerduty\.routing_key: expected a PagerDuty Events API v2 integration key \(line \d+\)$/,
    );
    expect(message).not.toContain(key);
  });

  it('gives the line of the offending value', () => {
    const text = [
      'features:',
      '  - key: x',
      '    name: X',
      '    owner: { slack: U0X }',
      '    pagerduty: { service: P1 }',
      '    slack:',
      '      alerts_channel: general',
      '',
    ].join('\n');
    expect(catalogError(text, 'conf/failsafe.yml').message).toBe(
      'conf/failsafe.yml: features[0].slack.alerts_channel: expected a Slack channel id like C0123ABCD, got "general" (line 7)',
    );
  });

  it.each([
    [
      'a syntax error',
      'features:\n  - key: [x\nother: 1\n',
      /^failsafe\.yml: YAML syntax error at line \d+, column \d+: /,
    ],
    [
      'a duplicate YAML key',
      'defaults: {}\nfeatures: []\ndefaults: {}\n',
      /^failsafe\.yml: YAML syntax error at line 3, column 1: Map keys must be unique$/,
    ],
    [
      'an empty file',
      '# nothing yet\n',
      /^failsafe\.yml: the file is empty, expected a mapping with defaults and features$/,
    ],
    [
      'a list at the top',
      '- key: x\n',
      /^failsafe\.yml: expected a mapping of defaults, default_route, features, got a list \(line 1\)$/,
    ],
  ])('reports %s', (_name, text, expected) => {
    expect(catalogError(text).message).toMatch(expected);
  });

  it('names the file it could not read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'failsafe-catalog-'));
    try {
      await expect(loadCatalog(join(dir, 'failsafe.yml'))).rejects.toThrow(
        `${join(dir, 'failsafe.yml')}: cannot read the catalog: file not found`,
      );
      await writeFile(join(dir, 'failsafe.yml'), 'features: 3\n');
      await expect(loadCatalog(join(dir, 'failsafe.yml'))).rejects.toThrow(
        `${join(dir, 'failsafe.yml')}: features: expected a list of features, got 3 (line 1)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('featureForLabels', () => {
  const catalog: Catalog = parseCatalog(EXAMPLE, 'failsafe.yml');
  const withoutRoute: Catalog = parseCatalog(
    exampleWith((t) => {
      delete t.default_route;
      t.features[2].alert_match = { label: 'team', values: ['platform'] };
    }),
    'failsafe.yml',
  );
  const keyOf = (c: Catalog, labels: Record<string, string>, explicit: string | null) =>
    featureForLabels(c, labels, explicit)?.key ?? null;

  it.each([
    [
      'a known explicit feature wins over labels',
      { ai_feature: 'ai-support-bot' },
      'ai-search-summaries',
      'ai-search-summaries',
    ],
    [
      'an unknown explicit feature falls back to labels',
      { ai_feature: 'ai-support-bot' },
      'retired-feature',
      'ai-support-bot',
    ],
    [
      'the label value matches the key by default',
      { ai_feature: 'ai-support-bot', severity: 'critical' },
      null,
      'ai-support-bot',
    ],
    ['any listed value matches', { ai_feature: 'search-summaries' }, null, 'ai-search-summaries'],
    ['a value under another label does not match', { feature: 'ai-support-bot' }, null, 'unrouted'],
    ['no labels go to the default route', {}, null, 'unrouted'],
  ])('%s', (_name, labels, explicit, expected) => {
    expect(keyOf(catalog, labels, explicit)).toBe(expected);
  });

  it('matches a feature on its own label', () => {
    expect(keyOf(withoutRoute, { team: 'platform' }, null)).toBe('unrouted');
  });

  it('returns null with no match and no default route', () => {
    expect(keyOf(withoutRoute, { ai_feature: 'something-else' }, 'nope')).toBeNull();
  });

  it('indexCatalog binds the lookups to one catalog', () => {
    const index = indexCatalog(catalog);
    expect(index.featureByKey('ai-support-bot')?.name).toBe('AI support bot');
    expect(index.featureByKey('nope')).toBeNull();
    expect(index.featureForLabels({ ai_feature: 'ai-search-summaries' }, null)?.key).toBe(
      'ai-search-summaries',
    );
    expect(index.timeZoneFor(null)).toBe('Europe/London');
  });
});
