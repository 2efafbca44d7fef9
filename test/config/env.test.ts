import { describe, expect, it } from 'vitest';
import { loadConfig, secretValues } from '../../src/config/env.ts';
import { configError } from '../support/config.ts';

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-bot-token-123456', SLACK_SIGNING_SECRET: 'signing-secret-abcdef' };
/** The least a production start needs (see test/config/mode.test.ts). */
const LIVE = { ...SLACK, FAILSAFE_ALERT_TOKEN: 'alert-token-0123456789' };

describe('loadConfig defaults', () => {
  it('runs with an empty environment, in the sandbox', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 3000,
      configPath: './failsafe.yml',
      dataDir: '.failsafe',
      logLevel: 'info',
      publicUrl: 'http://localhost:3000',
      mode: 'sandbox',
      slack: { apiUrl: 'https://slack.com/api/' },
      pagerduty: {
        apiUrl: 'https://api.pagerduty.com',
        eventsUrl: 'https://events.pagerduty.com',
        webhookSecrets: [],
      },
      unleash: {},
      langfuse: { webhookSecrets: [] },
      grafana: {
        webhookSecrets: [],
        signatureHeader: 'x-grafana-alerting-signature',
        timestampHeader: 'x-grafana-alerting-timestamp',
      },
    });
    // exactOptionalPropertyTypes: unset means absent, not present-and-undefined.
    expect(Object.keys(config)).not.toContain('databaseUrl');
    expect(Object.keys(config)).not.toContain('alertToken');
  });

  it('derives the public URL from PORT', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it('treats blank variables as unset and trims values', () => {
    const config = loadConfig({ PORT: '', SLACK_BOT_TOKEN: '  ', LOG_LEVEL: ' DEBUG ' });
    expect(config.port).toBe(3000);
    expect(config.mode).toBe('sandbox');
    expect(config.logLevel).toBe('debug');
  });

  it('maps every variable to its camelCased field', () => {
    const config = loadConfig({
      ...SLACK,
      PORT: '0',
      DATABASE_URL: 'postgres://failsafe@127.0.0.1:5432/test',
      FAILSAFE_CONFIG: '/etc/failsafe/failsafe.yml',
      FAILSAFE_DATA_DIR: '/var/lib/failsafe',
      FAILSAFE_PUBLIC_URL: 'https://failsafe.example.com/',
      SLACK_APP_TOKEN: 'xapp-1-app-token',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      PAGERDUTY_API_TOKEN: 'pd-token-abcdef',
      PAGERDUTY_FROM_EMAIL: 'oncall-bot@example.com',
      PAGERDUTY_API_URL: 'http://127.0.0.1:9998/',
      PAGERDUTY_EVENTS_URL: 'http://127.0.0.1:9997',
      PAGERDUTY_WEBHOOK_SECRETS: 'old-secret, new-secret,,',
      UNLEASH_URL: 'http://127.0.0.1:4242/',
      UNLEASH_ADMIN_TOKEN: '*:*.admin-token',
      UNLEASH_CLIENT_TOKEN: 'default:production.client-token',
      FAILSAFE_ALERT_TOKEN: 'alert-token-0123456789',
    });
    expect(config).toMatchObject({
      port: 0,
      databaseUrl: 'postgres://failsafe@127.0.0.1:5432/test',
      configPath: '/etc/failsafe/failsafe.yml',
      dataDir: '/var/lib/failsafe',
      publicUrl: 'https://failsafe.example.com',
      mode: 'production',
      slack: {
        botToken: SLACK.SLACK_BOT_TOKEN,
        signingSecret: SLACK.SLACK_SIGNING_SECRET,
        appToken: 'xapp-1-app-token',
        apiUrl: 'http://127.0.0.1:9999/api/',
      },
      pagerduty: {
        apiToken: 'pd-token-abcdef',
        fromEmail: 'oncall-bot@example.com',
        apiUrl: 'http://127.0.0.1:9998',
        eventsUrl: 'http://127.0.0.1:9997',
        webhookSecrets: ['old-secret', 'new-secret'],
      },
      unleash: {
        url: 'http://127.0.0.1:4242',
        adminToken: '*:*.admin-token',
        clientToken: 'default:production.client-token',
      },
      alertToken: 'alert-token-0123456789',
    });
  });
});

describe('sandbox detection', () => {
  it.each([
    ['no Slack bot token', {}, 'sandbox'],
    ['a Slack bot token', LIVE, 'production'],
    ['FAILSAFE_SANDBOX=true despite a token', { ...SLACK, FAILSAFE_SANDBOX: 'true' }, 'sandbox'],
    [
      'FAILSAFE_SANDBOX=true with a token but no signing secret',
      { FAILSAFE_SANDBOX: 'true', SLACK_BOT_TOKEN: 'xoxb-1' },
      'sandbox',
    ],
    ['FAILSAFE_SANDBOX=false with a token', { ...LIVE, FAILSAFE_SANDBOX: 'false' }, 'production'],
  ])('%s → %s', (_name, env: Record<string, string>, mode) => {
    expect(loadConfig(env).mode).toBe(mode);
  });
});

describe('configuration errors', () => {
  // Each case: the environment, the variable the message must name, a phrase of what is expected.
  const cases: Array<[string, Record<string, string>, string, string]> = [
    [
      'Slack token without signing secret',
      { SLACK_BOT_TOKEN: 'xoxb-secret-bot-token' },
      'SLACK_SIGNING_SECRET',
      'required when SLACK_BOT_TOKEN is set',
    ],
    [
      'sandbox forced off without a token',
      { FAILSAFE_SANDBOX: 'false' },
      'SLACK_BOT_TOKEN',
      'required when FAILSAFE_SANDBOX=false',
    ],
    [
      'PagerDuty token without From email',
      { ...LIVE, PAGERDUTY_API_TOKEN: 'pd-secret-token' },
      'PAGERDUTY_FROM_EMAIL',
      'required when PAGERDUTY_API_TOKEN is set',
    ],
    [
      'From email that is no email',
      { PAGERDUTY_API_TOKEN: 'pd-secret-token', PAGERDUTY_FROM_EMAIL: 'oncall' },
      'PAGERDUTY_FROM_EMAIL',
      'email address of a PagerDuty user',
    ],
    [
      'short alert token',
      { FAILSAFE_ALERT_TOKEN: 'tiny-secret' },
      'FAILSAFE_ALERT_TOKEN',
      'at least 16 characters',
    ],
    ['PORT not a number', { PORT: 'http' }, 'PORT', 'port number from 0 to 65535'],
    ['PORT out of range', { PORT: '70000' }, 'PORT', 'port number from 0 to 65535'],
    [
      'Slack API URL not a URL',
      { SLACK_API_URL: 'slack.com/api' },
      'SLACK_API_URL',
      'http:// or https:// URL',
    ],
    [
      'PagerDuty URL with another scheme',
      { PAGERDUTY_API_URL: 'ftp://api.pagerduty.com' },
      'PAGERDUTY_API_URL',
      'http:// or https:// URL',
    ],
    [
      'Events URL not a URL',
      { PAGERDUTY_EVENTS_URL: 'events' },
      'PAGERDUTY_EVENTS_URL',
      'http:// or https:// URL',
    ],
    ['Unleash URL not a URL', { UNLEASH_URL: 'unleash:4242' }, 'UNLEASH_URL', 'http:// or https:// URL'],
    [
      'public URL not a URL',
      { FAILSAFE_PUBLIC_URL: 'failsafe.example.com' },
      'FAILSAFE_PUBLIC_URL',
      'http:// or https:// URL',
    ],
    [
      'database URL for another database',
      { DATABASE_URL: 'mysql://root:db-secret-pw@db/failsafe' },
      'DATABASE_URL',
      'postgres://',
    ],
    [
      'unknown log level',
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL',
      'one of fatal, error, warn, info, debug, trace, silent',
    ],
    [
      'sandbox switch not a boolean',
      { FAILSAFE_SANDBOX: 'yes' },
      'FAILSAFE_SANDBOX',
      'expected "true" or "false"',
    ],
  ];

  it.each(cases)('%s names %s', (_name, env, variable, expected) => {
    const error = configError(env);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toContain(expected);
  });

  it.each(cases)('%s does not leak a secret', (_name, env) => {
    const secrets = Object.entries(env)
      .filter(([name]) => /TOKEN|SECRET|DATABASE_URL/.test(name))
      .map(([, value]) => value);
    const { message } = configError(env);
    for (const secret of secrets) expect(message).not.toContain(secret);
    expect(message).not.toContain('db-secret-pw');
  });

  it('quotes values that cannot be secrets', () => {
    expect(configError({ PORT: 'http' }).message).toBe(
      'PORT: expected a port number from 0 to 65535, got "http"',
    );
  });

  it('reports several problems in one message, naming the first', () => {
    const error = configError({ PORT: 'x', LOG_LEVEL: 'loud', SLACK_API_URL: 'nope' });
    expect(error.variable).toBe('PORT');
    expect(error.message).toMatch(/^PORT: .* \(also: LOG_LEVEL, SLACK_API_URL\)$/);
  });
});

describe('secretValues', () => {
  it('lists every credential, and nothing that is not one', () => {
    const config = loadConfig({
      ...SLACK,
      SLACK_APP_TOKEN: 'xapp-app-token',
      DATABASE_URL: 'postgres://failsafe:p%40ss-word@db:5432/failsafe',
      PAGERDUTY_API_TOKEN: 'pd-token-abcdef',
      PAGERDUTY_FROM_EMAIL: 'oncall-bot@example.com',
      PAGERDUTY_WEBHOOK_SECRETS: 'old-secret,new-secret',
      UNLEASH_URL: 'http://unleash:4242',
      UNLEASH_ADMIN_TOKEN: 'unleash-admin-token',
      UNLEASH_CLIENT_TOKEN: 'unleash-client-token',
      FAILSAFE_ALERT_TOKEN: 'alert-token-0123456789',
    });
    expect(secretValues(config).sort()).toEqual(
      [
        SLACK.SLACK_BOT_TOKEN,
        SLACK.SLACK_SIGNING_SECRET,
        'xapp-app-token',
        'p%40ss-word',
        'p@ss-word',
        'pd-token-abcdef',
        'old-secret',
        'new-secret',
        'unleash-admin-token',
        'unleash-client-token',
        'alert-token-0123456789',
      ].sort(),
    );
  });

  it('is empty in a bare sandbox', () => {
    expect(secretValues(loadConfig({}))).toEqual([]);
  });
});
