// The /ai-update modal: where the update goes, the proposed wording, and the promised time
// of the next one, each in its own block so a broken rule shows next to its field.
import { z } from 'zod';
import type { Feature } from '../../config/catalog.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import type { Field } from './validate.ts';

export const UPDATE_VIEW = 'ai_update_post';
export const TEXT_BLOCK = 'update_text';
export const TEXT_INPUT = 'update_text_input';
export const NEXT_BLOCK = 'next_update';
export const NEXT_INPUT = 'next_update_input';
export const BLOCK_OF: Record<Field, string> = { text: TEXT_BLOCK, next_update: NEXT_BLOCK };
/** Slack's limit for a plain_text_input's initial value and typed text. */
const INPUT_MAX = 3_000;

export const ModalMetadata = z.object({
  feature: z.string(),
  incidentId: z.uuid().nullable(),
  user: z.string(),
  channel: z.string(),
});
export type ModalMetadata = z.infer<typeof ModalMetadata>;

export interface ModalFacts {
  feature: Feature;
  incident: { number: number; title: string; channelId: string | null } | null;
  draft: string;
  nextUpdate: string;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

export function updateModal(facts: ModalFacts, meta: ModalMetadata) {
  const { feature, incident } = facts;
  const where = [`<#${feature.slack.stakeholderChannel}>`];
  if (incident?.channelId && incident.channelId !== feature.slack.stakeholderChannel) {
    where.push(`the incident channel <#${incident.channelId}>`);
  }
  const about = incident
    ? `incident #${incident.number}, ${escapeMrkdwn(incident.title)}`
    : 'no open incident';
  return {
    type: 'modal',
    callback_id: UPDATE_VIEW,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Stakeholder update' },
    submit: { type: 'plain_text', text: 'Post update' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${escapeMrkdwn(feature.name)}* (${about}). Posts to ${where.join(' and ')}.`),
      {
        type: 'input',
        block_id: TEXT_BLOCK,
        label: { type: 'plain_text', text: 'Update' },
        hint: {
          type: 'plain_text',
          text: 'At most two sentences in plain words: what is affected, and what you did. No names, jargon or personal data.',
        },
        element: {
          type: 'plain_text_input',
          action_id: TEXT_INPUT,
          multiline: true,
          max_length: INPUT_MAX,
          initial_value: facts.draft.slice(0, INPUT_MAX),
        },
      },
      {
        type: 'input',
        block_id: NEXT_BLOCK,
        label: { type: 'plain_text', text: 'Next update at' },
        hint: {
          type: 'plain_text',
          text: `HH:mm, 24-hour, ${feature.slack.timeZone} time; added as "Next update at …" and reminded 5 minutes before.`,
        },
        element: {
          type: 'plain_text_input',
          action_id: NEXT_INPUT,
          max_length: 8,
          initial_value: facts.nextUpdate,
          placeholder: { type: 'plain_text', text: 'HH:mm' },
        },
      },
    ],
  };
}

const Values = z.object({
  [TEXT_BLOCK]: z.object({ [TEXT_INPUT]: z.object({ value: z.string().nullish() }) }).optional(),
  [NEXT_BLOCK]: z.object({ [NEXT_INPUT]: z.object({ value: z.string().nullish() }) }).optional(),
});

/** The two fields as submitted; a field left empty is "". */
export function readSubmission(values: unknown): { text: string; nextUpdate: string } {
  const parsed = Values.safeParse(values);
  const v = parsed.success ? parsed.data : {};
  return {
    text: v[TEXT_BLOCK]?.[TEXT_INPUT].value ?? '',
    nextUpdate: v[NEXT_BLOCK]?.[NEXT_INPUT].value ?? '',
  };
}
