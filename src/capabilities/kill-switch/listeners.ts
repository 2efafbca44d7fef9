// The /ai-kill command and the restore-now modal: who asked, what they asked for, and the
// reply. Registered only when Unleash is configured; otherwise index.ts answers alone.
import type {
  AllMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { z } from 'zod';
import { type FlaggedFeature, hasKillSwitch } from '../../config/catalog.ts';
import { refusal } from '../../kernel/permissions.ts';
import { displayName } from '../../kernel/slack-text.ts';
import { readViewMetadata } from '../../kernel/view-metadata.ts';
import { audit } from './audit.ts';
import { type KillCommand, parseKillCommand } from './command.ts';
import type { KillDeps } from './deps.ts';
import { startDrill } from './drill.ts';
import { type Asker, startKill } from './kill-command.ts';
import { restoreNowModal } from './kill-modal.ts';
import { permissionFor } from './permissions.ts';
import { startRamp } from './ramp.ts';
import { statusReply } from './status.ts';

export async function onKillCommand(
  deps: KillDeps,
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
  // A failure here reaches the app's error handler, which tells the user plainly.
  const text = await killReply(deps, parseKillCommand(command.text), asker);
  if (text) await respond({ response_type: 'ephemeral', text });
}

export async function killReply(deps: KillDeps, cmd: KillCommand, asker: Asker): Promise<string | null> {
  if (cmd.kind === 'help') return cmd.message;
  const flagged = deps.catalog.catalog.features.filter(hasKillSwitch);
  const known = flagged.map((f) => `\`${f.key}\``).join(', ') || 'none (no feature has an `unleash` block)';
  const key = cmd.kind === 'status' ? cmd.featureKey : cmd.featureKey;
  const feature = key ? deps.catalog.featureByKey(key) : null;
  if (key && !feature) return `Unknown feature \`${key}\`. Features with a kill switch: ${known}.`;
  if (feature && !hasKillSwitch(feature)) return noFlagReply(feature.key, known);
  if (cmd.kind === 'status') return statusReply(deps, feature ? [feature] : flagged);
  // The parser only makes kill, restore and drill with a feature key, so feature is set here.
  if (!feature) return cmd.kind;
  switch (cmd.kind) {
    case 'kill':
      return startKill(deps, feature, cmd.reason, asker);
    case 'restore':
      return restore(deps, feature, cmd, asker);
    case 'drill':
      return drill(deps, feature, asker);
  }
}

async function restore(
  deps: KillDeps,
  feature: FlaggedFeature,
  cmd: Extract<KillCommand, { kind: 'restore' }>,
  asker: Asker,
): Promise<string | null> {
  const u = feature.unleash;
  const permission = await permissionFor(deps, feature, asker.userId, 'restore');
  if (!permission.allowed) return refuse(deps, feature, asker, 'restore', u.environment, permission.because);
  if (cmd.now) {
    const meta = { feature: feature.key, user: asker.userId, channel: asker.channelId, incidentId: null };
    await deps.slack.openView(asker.triggerId, restoreNowModal(feature, meta));
    return null;
  }
  const plan = { steps: cmd.steps, holdSeconds: cmd.holdSeconds, requestKey: `restore:${asker.triggerId}` };
  return startRamp(deps, feature, asker, plan);
}

async function drill(deps: KillDeps, feature: FlaggedFeature, asker: Asker): Promise<string> {
  const u = feature.unleash;
  if (!u.drillEnvironment) {
    return `\`${feature.key}\` has no \`unleash.drill_environment\` in the catalog (e.g. staging), so it cannot be drilled.`;
  }
  const permission = await permissionFor(deps, feature, asker.userId, 'drill');
  if (!permission.allowed)
    return refuse(deps, feature, asker, 'drill', u.drillEnvironment, permission.because);
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
  deps: KillDeps,
  { ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const meta = readViewMetadata(RestoreMeta, view.private_metadata);
  const feature = meta ? deps.catalog.featureByKey(meta.feature) : null;
  if (!feature || !hasKillSwitch(feature) || !meta || meta.user !== body.user.id) return;
  const profile = await deps.slack.usersInfo(body.user.id).catch(() => null);
  const asker: Asker = {
    userId: body.user.id,
    userName: displayName(profile, body.user.name),
    channelId: meta.channel,
    triggerId: view.id,
  };
  // Asked again at submission: the modal may have stayed open after the right was lost.
  const permission = await permissionFor(deps, feature, asker.userId, 'restore');
  const reply = !permission.allowed
    ? await refuse(deps, feature, asker, 'restore', feature.unleash.environment, permission.because)
    : await startRamp(deps, feature, asker, {
        steps: [100],
        holdSeconds: 0,
        requestKey: `restore-now:${view.id}`,
      });
  await deps.slack.postEphemeral({ channel: meta.channel, user: body.user.id, text: reply }).catch(() => {});
}

export function noFlagReply(featureKey: string, known: string): string {
  return `\`${featureKey}\` has no Unleash flag in the catalog, so it has no kill switch. Features with one: ${known}.`;
}

/** A refusal is audited like every attempt, and says who may do it instead. */
async function refuse(
  deps: KillDeps,
  feature: FlaggedFeature,
  asker: Asker,
  action: 'restore' | 'drill',
  environment: string,
  because: string,
): Promise<string> {
  await audit(deps.db, {
    slackUserId: asker.userId,
    actorName: asker.userName,
    featureKey: feature.key,
    environment,
    action,
    result: 'refused',
  });
  return refusal(action, feature, { allowed: false, because });
}
