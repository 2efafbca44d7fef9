// Sandbox only when asked or when nothing real is configured; a half-configured production
// names every missing variable in one ConfigError (main.ts prints it as one line).

import { describe, expect, it } from 'vitest';
import { loadConfig, loadDatabaseConfig } from '../../src/config/env.ts';
import { realSettings } from '../../src/config/mode.ts';
import { configError } from '../support/config.ts';

const LIVE = {
  SLACK_BOT_TOKEN: 'xoxb-bot-token-123456',
  SLACK_SIGNING_SECRET: 'signing-secret-abcdef',
  FAILSAFE_ALERT_TOKEN: 'alert-token-0123456789',
};
const DATABASE_URL = 'postgres://failsafe:db-secret-pw@db.internal:5432/failsafe';

describe('which mode runs', () => {
  it.each<[string, Record<string, string>, 'sandbox' | 'production']>([
    ['nothing configured', {}, 'sandbox'],
    [
      'only Failsafe settings (no Slack, PagerDuty, Unleash or database)',
      { PORT: '0', LOG_LEVEL: 'warn' },
      'sandbox',
    ],
    [
      'an alert token alone: the sandbox uses it for its curl',
      { FAILSAFE_ALERT_TOKEN: LIVE.FAILSAFE_ALERT_TOKEN },
      'sandbox',
    ],
    ['blank real settings count as unset', { SLACK_BOT_TOKEN: ' ', DATABASE_URL: '' }, 'sandbox'],
    ['NODE_ENV=development alone', { NODE_ENV: 'development' }, 'sandbox'],
    ['FAILSAFE_SANDBOX=1', { FAILSAFE_SANDBOX: '1' }, 'sandbox'],
    ['FAILSAFE_SANDBOX=1 next to real settings', { ...LIVE, DATABASE_URL, FAILSAFE_SANDBOX: '1' }, 'sandbox'],
    ['every required setting', LIVE, 'production'],
    ['every required setting and NODE_ENV=production', { ...LIVE, NODE_ENV: 'production' }, 'production'],
    ['FAILSAFE_SANDBOX=0 with every required setting', { ...LIVE, FAILSAFE_SANDBOX: '0' }, 'production'],
  ])('%s → %s', (_name, env, mode) => {
    expect(loadConfig(env).mode).toBe(mode);
  });

  it('keeps PagerDuty and Unleash optional in production', () => {
    const config = loadConfig(LIVE);
    expect(config.pagerduty.apiToken).toBeUndefined();
    expect(config.unleash).toEqual({});
  });

  it('counts every SLACK_, PAGERDUTY_ and UNLEASH_ variable and DATABASE_URL as real, misspelt ones too', () => {
    expect(
      realSettings({
        SLACK_BOT_TOKN: 'x',
        PAGERDUTY_X: 'y',
        UNLEASH_Y: 'z',
        DATABASE_URL: 'p',
        PORT: '1',
        SLACK_A: '',
      }),
    ).toEqual(['DATABASE_URL', 'PAGERDUTY_X', 'SLACK_BOT_TOKN', 'UNLEASH_Y']);
  });
});

describe('a real setting without the rest', () => {
  it('the measured incident: signing secret, NODE_ENV=production, PagerDuty, alert token and database, no bot token', () => {
    const env = {
      SLACK_SIGNING_SECRET: LIVE.SLACK_SIGNING_SECRET,
      NODE_ENV: 'production',
      PAGERDUTY_API_TOKEN: 'pd-token-abcdef',
      FAILSAFE_ALERT_TOKEN: LIVE.FAILSAFE_ALERT_TOKEN,
      DATABASE_URL,
    };
    const error = configError(env);
    expect(error.variable).toBe('SLACK_BOT_TOKEN');
    expect(error.variables).toEqual(['SLACK_BOT_TOKEN', 'PAGERDUTY_FROM_EMAIL']);
    expect(error.message).toBe(
      'SLACK_BOT_TOKEN: required when NODE_ENV=production and DATABASE_URL, PAGERDUTY_API_TOKEN, ' +
        'SLACK_SIGNING_SECRET are set (also: PAGERDUTY_FROM_EMAIL)',
    );
    expect(error.message).not.toContain('\n');
    for (const secret of [
      'db-secret-pw',
      'pd-token-abcdef',
      LIVE.SLACK_SIGNING_SECRET,
      LIVE.FAILSAFE_ALERT_TOKEN,
    ])
      expect(error.message).not.toContain(secret);
  });

  // Each case: the environment, then every variable the error must name, the first first.
  it.each<[string, Record<string, string>, string[], string]>([
    [
      'NODE_ENV=production alone',
      { NODE_ENV: 'production' },
      ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'FAILSAFE_ALERT_TOKEN'],
      'required when NODE_ENV=production',
    ],
    [
      'DATABASE_URL alone',
      { DATABASE_URL },
      ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'FAILSAFE_ALERT_TOKEN'],
      'required when DATABASE_URL is set',
    ],
    [
      'a misspelt bot token',
      { ...LIVE, SLACK_BOT_TOKEN: '', SLACK_BOT_TOKN: 'xoxb-1' },
      ['SLACK_BOT_TOKEN'],
      'required when SLACK_BOT_TOKN, SLACK_SIGNING_SECRET are set',
    ],
    [
      'Slack without an alert token',
      { ...LIVE, FAILSAFE_ALERT_TOKEN: '' },
      ['FAILSAFE_ALERT_TOKEN'],
      'required when SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET are set',
    ],
    [
      'a PagerDuty From email without a token',
      { ...LIVE, PAGERDUTY_FROM_EMAIL: 'oncall@example.com' },
      ['PAGERDUTY_API_TOKEN'],
      'required when PAGERDUTY_FROM_EMAIL is set',
    ],
    [
      'an Unleash URL without an admin token',
      { ...LIVE, UNLEASH_URL: 'http://unleash:4242' },
      ['UNLEASH_ADMIN_TOKEN'],
      'required when another UNLEASH_ variable is set',
    ],
    [
      'an Unleash client token alone',
      { ...LIVE, UNLEASH_CLIENT_TOKEN: 'default:production.x' },
      ['UNLEASH_URL', 'UNLEASH_ADMIN_TOKEN'],
      'required when another UNLEASH_ variable is set',
    ],
  ])('%s', (_name, env, variables, expected) => {
    const error = configError(env);
    expect(error.variables).toEqual(variables);
    expect(error.message.startsWith(`${variables[0]}: ${expected}`)).toBe(true);
  });
});

describe('NODE_ENV=production never runs the sandbox', () => {
  it('refuses FAILSAFE_SANDBOX=1 there, whatever else is set', () => {
    for (const env of [{}, LIVE]) {
      const error = configError({ ...env, NODE_ENV: 'production', FAILSAFE_SANDBOX: '1' });
      expect(error.variables).toEqual(['FAILSAFE_SANDBOX']);
      expect(error.message).toMatch(/^FAILSAFE_SANDBOX: cannot turn the sandbox on with NODE_ENV=production/);
    }
  });
});

describe('loadDatabaseConfig (npm run db:migrate)', () => {
  it('needs only the database settings', () => {
    expect(loadDatabaseConfig({ DATABASE_URL, NODE_ENV: 'production' })).toEqual({
      databaseUrl: DATABASE_URL,
      dataDir: '.failsafe',
    });
  });

  it('still refuses a DATABASE_URL that is not PostgreSQL, without quoting it', () => {
    expect(() => loadDatabaseConfig({ DATABASE_URL: 'mysql://root:db-secret-pw@db/x' })).toThrow(
      /^DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ connection URL/,
    );
  });
});
