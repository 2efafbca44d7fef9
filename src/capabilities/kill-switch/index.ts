// Kill switches: /ai-kill turns an AI feature's Unleash flag off, proves SDKs see it off,
// restores it with a ramp, rehearses it in drills, and audits every attempt.
import type {
  AllMiddlewareArgs,
  App,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { z } from 'zod';
import type { Feature } from '../../config/catalog.ts';
import type { AppDeps } from '../../deps.ts';
import { displayName } from '../../kernel/slack-text.ts';
import { audit } from './audit.ts';
import { type KillCommand, parseKillCommand } from './command.ts';
import { defineDrillJob, startDrill } from './drill.ts';
import { type Asker, onKillSubmit, startKill } from './kill-command.ts';
import { defineKillJobs } from './kill-jobs.ts';
import { KILL_VIEW, RESTORE_NOW_VIEW, restoreNowModal } from './kill-modal.ts';
import type { KillDeps } from './operation.ts';
import { permissionFor } from './permissions.ts';
import { defineRampJobs, startRamp } from './ramp.ts';
import { statusReply } from './status.ts';

export function register(app: App, deps: AppDeps): void {
  app.command('/ai-kill', (args) => onKillCommand(deps, args));
  app.view<ViewSubmitAction>({ callback_id: KILL_VIEW, type: 'view_submission' }, (args) =>
    onKillSubmit(deps, args),
  );
  app.view<ViewSubmitAction>({ callback_id: RESTORE_NOW_VIEW, type: 'view_submission' }, (args) =>
    onRestoreNowSubmit(deps, args),
  );
  if (!deps.unleash) return;
  const killDeps = deps as KillDeps;
  defineKillJobs(killDeps);
  defineRampJobs(killDeps);
  defineDrillJob(killDeps);
}

export async function onKillCommand(
  deps: AppDeps,
  { ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const profile = await deps.slack.usersInfo(command.user_id).catch(() => null);
  const asker: Asker = {
    userId: command.user_id,
    userName: displayName(profile, command.user_name),
    channelId: command.channel_id,
    triggerId: command.trigger_id,
  };
  let text: string | null;
  try {
    text = await killReply(deps, parseKillCommand(command.text), asker);
  } catch (error) {
    deps.logger.error({ err: error, command: '/ai-kill' }, 'kill-switch command failed');
    text = `Something went wrong: ${(error as Error).message}. Nothing was changed; try again.`;
  }
  if (text) await respond({ response_type: 'ephemeral', text });
}

export async function killReply(deps: AppDeps, cmd: KillCommand, asker: Asker): Promise<string | null> {
  if (cmd.kind === 'help') return cmd.message;
  const flagged = deps.catalog.catalog.features.filter((f) => f.unleash);
  const known = flagged.map((f) => `\`${f.key}\``).join(', ') || 'none (no feature has an `unleash` block)';
  const key = cmd.kind === 'status' ? cmd.featureKey : cmd.featureKey;
  const feature = key ? deps.catalog.featureByKey(key) : null;
  if (key && !feature) return `Unknown feature \`${key}\`. Features with a kill switch: ${known}.`;
  if (feature && !feature.unleash) {
    return `\`${feature.key}\` has no Unleash flag in the catalog, so it has no kill switch. Features with one: ${known}.`;
  }
  if (!deps.unleash) {
    return 'Failsafe is not connected to Unleash: set UNLEASH_URL and UNLEASH_ADMIN_TOKEN (and UNLEASH_CLIENT_TOKEN to verify kills).';
  }
  const killDeps = deps as KillDeps;
  const f = feature as Feature;
  switch (cmd.kind) {
    case 'status':
      return statusReply(killDeps, feature ? [feature] : flagged);
    case 'kill':
      return startKill(killDeps, f, cmd.reason, asker);
    case 'restore':
      return restore(killDeps, f, cmd, asker);
    case 'drill':
      return drill(killDeps, f, asker);
  }
}

async function restore(
  deps: KillDeps,
  feature: Feature,
  cmd: Extract<KillCommand, { kind: 'restore' }>,
  asker: Asker,
): Promise<string | null> {
  const u = feature.unleash as NonNullable<Feature['unleash']>;
  const permission = await permissionFor(deps, feature, asker.userId, 'restore');
  if (!permission.allowed) {
    await audit(deps.db, {
      slackUserId: asker.userId,
      actorName: asker.userName,
      featureKey: feature.key,
      environment: u.environment,
      action: 'restore',
      result: 'refused',
    });
    return `You may not restore \`${feature.key}\`. Ask ${permission.because}. Nothing was changed.`;
  }
  if (cmd.now) {
    const meta = { feature: feature.key, user: asker.userId, channel: asker.channelId, incidentId: null };
    await deps.slack.openView(asker.triggerId, restoreNowModal(feature, meta));
    return null;
  }
  const plan = { steps: cmd.steps, holdSeconds: cmd.holdSeconds, requestKey: `restore:${asker.triggerId}` };
  return startRamp(deps, feature, asker, plan);
}

async function drill(deps: KillDeps, feature: Feature, asker: Asker): Promise<string> {
  const u = feature.unleash as NonNullable<Feature['unleash']>;
  if (!u.drillEnvironment) {
    return `\`${feature.key}\` has no \`unleash.drill_environment\` in the catalog (e.g. staging), so it cannot be drilled.`;
  }
  const permission = await permissionFor(deps, feature, asker.userId, 'kill');
  if (!permission.allowed) {
    await audit(deps.db, {
      slackUserId: asker.userId,
      actorName: asker.userName,
      featureKey: feature.key,
      environment: u.drillEnvironment,
      action: 'drill',
      result: 'refused',
    });
    return `You may not drill \`${feature.key}\`. Ask ${permission.because}. Nothing was changed.`;
  }
  await startDrill(
    deps,
    {
      featureKey: feature.key,
      project: u.project,
      flag: u.flag,
      environment: u.drillEnvironment,
      channel: feature.slack.alertsChannel,
    },
    { userId: asker.userId, userName: asker.userName, requestKey: `drill:${asker.triggerId}` },
  );
  return `Drilling \`${feature.key}\` in ${u.drillEnvironment}: the report will be posted in <#${feature.slack.alertsChannel}>.`;
}

const RestoreMeta = z.object({ feature: z.string(), user: z.string(), channel: z.string() });

export async function onRestoreNowSubmit(
  deps: AppDeps,
  { ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const meta = RestoreMeta.safeParse(JSON.parse(view.private_metadata || 'null'));
  const feature = meta.success ? deps.catalog.featureByKey(meta.data.feature) : null;
  if (!feature?.unleash || !deps.unleash || !meta.success || meta.data.user !== body.user.id) return;
  const profile = await deps.slack.usersInfo(body.user.id).catch(() => null);
  const asker: Asker = {
    userId: body.user.id,
    userName: displayName(profile, body.user.name),
    channelId: meta.data.channel,
    triggerId: view.id,
  };
  const reply = await startRamp(deps, feature, asker, {
    steps: [100],
    holdSeconds: 0,
    requestKey: `restore-now:${view.id}`,
  });
  await deps.slack
    .postEphemeral({ channel: meta.data.channel, user: body.user.id, text: reply })
    .catch(() => {});
}
