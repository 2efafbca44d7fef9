// Slack: the bot token works and has every scope of manifest.yml, the signing secret is set,
// and every channel the catalog names exists with the bot in it.
import type { SlackApi } from '../adapters/slack.ts';
import type { Catalog } from '../config/catalog.ts';
import type { Config } from '../config/env.ts';
import { type Check, fail, pass, skip, transientFix, whatWentWrong } from './check.ts';

const REINSTALL = 'then reinstall the app to the workspace and update SLACK_BOT_TOKEN';

export async function checkSlack(
  config: Config,
  catalog: Catalog,
  slack: SlackApi,
  wantedScopes: string[],
): Promise<Check[]> {
  const secret = config.slack.signingSecret
    ? pass('Slack signing secret', 'set')
    : fail(
        'Slack signing secret',
        'not set',
        'set SLACK_SIGNING_SECRET (Basic Information → Signing Secret)',
      );
  let identity: Awaited<ReturnType<SlackApi['authTest']>>;
  try {
    identity = await slack.authTest();
  } catch (error) {
    const fix =
      transientFix(error, 'Slack') ??
      'set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) of the installed app (OAuth & Permissions)';
    return [
      fail('Slack token', `auth.test refused it (${whatWentWrong(error)})`, fix),
      secret,
      skip('Slack scopes and channels', 'not checked: the token does not work'),
    ];
  }
  const who = `bot @${identity.user} in ${identity.teamId}`;
  const token = identity.botId
    ? pass('Slack token', who)
    : fail(
        'Slack token',
        `${identity.user} is a user token, not a bot token`,
        `use the Bot User OAuth Token (xoxb-…), ${REINSTALL}`,
      );
  return [
    token,
    scopesCheck(identity.scopes, wantedScopes),
    secret,
    ...(await channelChecks(catalog, slack, identity.user)),
  ];
}

function scopesCheck(granted: string[] | null, wanted: string[]): Check {
  if (granted === null)
    return fail(
      'Slack scopes',
      'Slack did not report the token’s scopes (no x-oauth-scopes header)',
      'check SLACK_API_URL points at the Slack Web API',
    );
  const have = new Set(granted);
  const missing = wanted.filter((scope) => !have.has(scope));
  if (missing.length === 0) return pass('Slack scopes', `all ${wanted.length} of manifest.yml`);
  return fail(
    'Slack scopes',
    `missing ${missing.join(', ')}`,
    `add ${missing.length > 1 ? 'them' : 'it'} under OAuth & Permissions → Bot Token Scopes (or recreate the app from manifest.yml), ${REINSTALL}`,
  );
}

/** Every channel id the catalog posts to, with where it is named (for the fix line). */
export function catalogChannels(catalog: Catalog): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  const add = (id: string, use: string) => uses.set(id, [...(uses.get(id) ?? []), use]);
  for (const f of catalog.features) {
    add(f.slack.alertsChannel, `${f.key} alerts_channel`);
    if (f.slack.stakeholderChannel !== f.slack.alertsChannel)
      add(f.slack.stakeholderChannel, `${f.key} stakeholder_channel`);
  }
  const report = catalog.defaults.errorBudget.weeklyReport;
  if (report) add(report.channel, 'weekly_report');
  return uses;
}

async function channelChecks(catalog: Catalog, slack: SlackApi, bot: string): Promise<Check[]> {
  const checks: Check[] = [];
  for (const [id, uses] of catalogChannels(catalog)) {
    const label = `Slack channel ${id}`;
    const where = uses.join(', ');
    try {
      const channel = await slack.channelInfo(id);
      if (!channel)
        checks.push(
          fail(
            label,
            `not found (${where})`,
            `check the id in failsafe.yml; a private channel must have the bot invited (/invite @${bot}) before Slack shows it`,
          ),
        );
      else if (!channel.isMember)
        checks.push(
          fail(
            label,
            `#${channel.name}: the bot is not a member (${where})`,
            `invite it: /invite @${bot} in #${channel.name}`,
          ),
        );
      else checks.push(pass(label, `#${channel.name}, bot is a member`));
    } catch (error) {
      checks.push(
        fail(
          label,
          `conversations.info failed (${whatWentWrong(error)})`,
          transientFix(error, 'Slack') ?? 'grant channels:read and groups:read, then reinstall the app',
        ),
      );
    }
  }
  return checks;
}
