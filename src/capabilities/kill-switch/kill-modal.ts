// The confirmation modal of /ai-kill: what will be turned off, what users get instead, the
// open incident, and a required reason.
import type { FlaggedFeature } from '../../config/catalog.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';

export const KILL_VIEW = 'ai_kill_confirm';
export const RESTORE_NOW_VIEW = 'ai_kill_restore_now';
export const REASON_BLOCK = 'reason';
export const REASON_INPUT = 'reason_input';

export interface ModalMetadata {
  feature: string;
  user: string;
  channel: string;
  incidentId: string | null;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

export function killModal(
  feature: FlaggedFeature,
  incident: Incident | null,
  reason: string,
  meta: ModalMetadata,
) {
  const u = feature.unleash;
  const blocks: unknown[] = [
    section(
      `Turn off *${escapeMrkdwn(feature.name)}* (\`${feature.key}\`): flag \`${escapeMrkdwn(u.flag)}\` ` +
        `in environment *${escapeMrkdwn(u.environment)}* of project \`${escapeMrkdwn(u.project)}\`.`,
    ),
    section(
      `*Users get instead:* ${escapeMrkdwn(feature.fallback ?? 'no fallback is described in the catalog')}`,
    ),
    section(
      incident
        ? `*Open incident:* #${incident.number} ${escapeMrkdwn(incident.title)} (${incident.status})`
        : '*Open incident:* none',
    ),
    {
      type: 'input',
      block_id: REASON_BLOCK,
      label: { type: 'plain_text', text: 'Why? (shown in the channel and the audit log)' },
      element: {
        type: 'plain_text_input',
        action_id: REASON_INPUT,
        max_length: 300,
        ...(reason ? { initial_value: reason.slice(0, 300) } : {}),
        placeholder: { type: 'plain_text', text: 'e.g. hallucinated refunds' },
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: KILL_VIEW,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Kill switch' },
    submit: { type: 'plain_text', text: 'Turn it off' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

export function restoreNowModal(feature: FlaggedFeature, meta: ModalMetadata) {
  const u = feature.unleash;
  return {
    type: 'modal',
    callback_id: RESTORE_NOW_VIEW,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Restore at once' },
    submit: { type: 'plain_text', text: 'Restore to 100%' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        `Turn *${escapeMrkdwn(feature.name)}* back on for *every* user in ${escapeMrkdwn(u.environment)} now, ` +
          'without a gradual ramp? A plain `/ai-kill restore` ramps 10% → 50% → 100% instead.',
      ),
    ],
  };
}
