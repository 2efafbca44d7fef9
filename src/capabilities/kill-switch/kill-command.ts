// `/ai-kill <feature> [reason]`: checks who is asking and whether the flag is on, then opens
// the confirmation modal; its submission stores one operation and queues the flip.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { UpstreamError } from '../../adapters/http.ts';
import { type FlaggedFeature, hasKillSwitch } from '../../config/catalog.ts';
import { whatFailed } from '../../kernel/errors.ts';
import { refusal } from '../../kernel/permissions.ts';
import { displayName, escapeMrkdwn } from '../../kernel/slack-text.ts';
import { readViewMetadata } from '../../kernel/view-metadata.ts';
import { findActiveRamp } from '../../store/flags.ts';
import { findOpenIncident } from '../../store/incidents.ts';
import { audit } from './audit.ts';
import type { KillBaseDeps } from './deps.ts';
import { killModal, type ModalMetadata, REASON_BLOCK, REASON_INPUT } from './kill-modal.ts';
import { recordKill } from './kill-record.ts';
import type { KillDeps } from './operation.ts';
import { permissionFor } from './permissions.ts';

export interface Asker {
  userId: string;
  userName: string;
  channelId: string;
  triggerId: string;
}

/** The reply for the person who typed the command; null when the modal opened. */
export async function startKill(
  deps: KillDeps,
  feature: FlaggedFeature,
  reason: string,
  asker: Asker,
): Promise<string | null> {
  const u = feature.unleash;
  const base = { slackUserId: asker.userId, actorName: asker.userName, featureKey: feature.key };
  const permission = await permissionFor(deps, feature, asker.userId, 'kill');
  if (!permission.allowed) {
    await audit(deps.db, { ...base, environment: u.environment, action: 'kill', reason, result: 'refused' });
    return refusal('kill', feature, permission);
  }
  const ramping = await findActiveRamp(deps.db, feature.key);
  let env: Awaited<ReturnType<KillDeps['unleash']['admin']['getFlag']>>[number] | undefined;
  try {
    env = (await deps.unleash.admin.getFlag(u)).find((e) => e.name === u.environment);
  } catch (error) {
    await audit(deps.db, {
      ...base,
      environment: u.environment,
      action: 'kill',
      reason,
      result: 'failed',
      ...unleashFailure(error),
    });
    return `Could not read \`${u.flag}\` from Unleash: ${escapeMrkdwn(whatFailed(error))}. Nothing was changed.`;
  }
  if (!env)
    return `Unleash has no environment \`${u.environment}\` for flag \`${u.flag}\`: check the catalog.`;
  if (!env.enabled && !ramping) {
    await audit(deps.db, {
      ...base,
      environment: u.environment,
      action: 'kill',
      reason,
      result: 'noop',
      unleashStatus: 200,
    });
    return `\`${feature.key}\` is already OFF in ${u.environment} (flag \`${u.flag}\`). Nothing was changed.`;
  }
  const incident = await findOpenIncident(deps.db, feature.key);
  const meta: ModalMetadata = {
    feature: feature.key,
    user: asker.userId,
    channel: asker.channelId,
    incidentId: incident?.id ?? null,
  };
  await deps.slack.openView(asker.triggerId, killModal(feature, incident, reason, meta));
  return null;
}

export function unleashFailure(error: unknown): { unleashStatus: number | null; detail: string } {
  const status = error instanceof UpstreamError ? (error.status ?? null) : null;
  return { unleashStatus: status, detail: (error as Error).message };
}

const Metadata = z.object({
  feature: z.string(),
  user: z.string(),
  channel: z.string(),
  incidentId: z.uuid().nullable(),
});

/** Modal submitted: store the operation once (per view), cancel any ramp, queue the flip. */
export async function onKillSubmit(
  deps: KillBaseDeps,
  { ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
): Promise<void> {
  const meta = readViewMetadata(Metadata, view.private_metadata);
  const feature = meta ? deps.catalog.featureByKey(meta.feature) : null;
  const reason = (view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value ?? '').trim();
  if (!reason) {
    await ack({ response_action: 'errors', errors: { [REASON_BLOCK]: 'Say why, in a few words.' } });
    return;
  }
  if (!meta || !feature || !hasKillSwitch(feature) || meta.user !== body.user.id) {
    await ack({
      response_action: 'errors',
      errors: { [REASON_BLOCK]: 'This form is out of date: run /ai-kill again.' },
    });
    return;
  }
  const profile = await deps.slack.usersInfo(body.user.id).catch(() => null);
  const name = displayName(profile, body.user.name);
  // Asked again at submission: the modal may have stayed open after the right was lost.
  const permission = await permissionFor(deps, feature, body.user.id, 'kill');
  if (!permission.allowed) {
    await audit(deps.db, {
      slackUserId: body.user.id,
      actorName: name,
      featureKey: feature.key,
      environment: feature.unleash.environment,
      action: 'kill',
      reason,
      result: 'refused',
    });
    await ack({
      response_action: 'errors',
      errors: { [REASON_BLOCK]: refusal('kill', feature, permission) },
    });
    return;
  }
  const opId = await recordKill(deps, feature, {
    reason,
    name,
    userId: body.user.id,
    requestKey: `kill:${view.id}`,
    incidentId: meta.incidentId,
  });
  await ack();
  await deps.queue.enqueue('flag-kill', opId, { operationId: opId }, { inline: true });
}
