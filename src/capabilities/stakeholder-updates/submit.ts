// The modal submitted: check every rule (a broken one is shown next to its field and nothing
// is posted), store the update once per view, then queue its posting.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Feature } from '../../config/catalog.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { mayDo, refusal } from '../../kernel/permissions.ts';
import { displayName } from '../../kernel/slack-text.ts';
import { readViewMetadata } from '../../kernel/view-metadata.ts';
import { findIncident } from '../../store/incidents.ts';
import { recordUpdateOnce } from '../../store/updates.ts';
import type { UpdateDeps } from './deps.ts';
import { jargonList } from './jargon.ts';
import { BLOCK_OF, ModalMetadata, readSubmission, TEXT_BLOCK } from './modal.ts';
import { modalErrors, validateUpdate } from './validate.ts';

export async function onUpdateSubmit(
  deps: UpdateDeps,
  { ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
): Promise<void> {
  const meta = readViewMetadata(ModalMetadata, view.private_metadata);
  const feature = meta ? deps.catalog.featureByKey(meta.feature) : null;
  if (!meta || !feature || meta.user !== body.user.id) {
    await ack({
      response_action: 'errors',
      errors: { [TEXT_BLOCK]: 'This form is out of date: run /ai-update again.' },
    });
    return;
  }
  const input = readSubmission(view.state.values);
  const [incident, profile] = await Promise.all([
    meta.incidentId ? findIncident(deps.db, meta.incidentId) : null,
    deps.slack.usersInfo(body.user.id).catch(() => null),
  ]);
  const name = displayName(profile, body.user.name);
  // Asked again at submission: the modal may have stayed open after the right was lost.
  const permission = await mayDo(deps, 'update', { feature, incident }, body.user.id);
  if (!permission.allowed) {
    await ack({
      response_action: 'errors',
      errors: { [TEXT_BLOCK]: refusal('update', feature, permission) },
    });
    return;
  }
  const checked = validateUpdate(input, {
    now: deps.clock.now(),
    timeZone: feature.slack.timeZone,
    jargon: jargonList(deps.catalog.catalog.defaults.updateJargon),
    people: [name, incident?.assigneeName].filter((p): p is string => Boolean(p)),
    systems: [feature.name, feature.key],
  });
  if (!checked.ok) {
    await ack({ response_action: 'errors', errors: modalErrors(checked.violations, BLOCK_OF) });
    return;
  }
  const updateId = await recordUpdate(deps, feature, incident, {
    requestKey: `update:${view.id}`,
    text: checked.update,
    postedBy: body.user.id,
    nextUpdateAt: checked.dueAt,
  });
  await ack();
  await deps.queue.enqueue('stakeholder-update-post', updateId, { updateId, by: name }, { inline: true });
}

/** The update's row, once per request key: a double submit or a second replica finds the first. */
async function recordUpdate(
  deps: UpdateDeps,
  feature: Feature,
  incident: Incident | null,
  row: { requestKey: string; text: string; postedBy: string; nextUpdateAt: Date },
): Promise<string> {
  return recordUpdateOnce(deps.db, { ...row, featureKey: feature.key, incidentId: incident?.id ?? null });
}
