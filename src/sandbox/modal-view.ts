// Reads a modal the app opened (as the fake Slack stored it) into what the console needs to
// draw it as a form: its texts, its inputs, its buttons, and who it was opened for.
import { z } from 'zod';
import type { ActionValue, SubmittedValues } from './slack-requests.ts';

const Text = z.object({ text: z.string() });
const TextInput = z.object({
  type: z.literal('plain_text_input'),
  action_id: z.string(),
  initial_value: z.string().optional(),
  max_length: z.number().int().positive().optional(),
  multiline: z.boolean().optional(),
  placeholder: Text.optional(),
});
const TimePicker = z.object({
  type: z.literal('timepicker'),
  action_id: z.string(),
  initial_time: z.string().optional(),
  placeholder: Text.optional(),
});
// An element the console cannot draw still shows up, so a missing field is not a mystery.
const Element = z.looseObject({ type: z.string(), action_id: z.string().optional() });
const InputBlock = z.object({
  type: z.literal('input'),
  block_id: z.string(),
  label: Text,
  hint: Text.optional(),
  optional: z.boolean().optional(),
  element: Element,
});
const Block = z.union([
  z.object({ type: z.literal('section'), text: Text }),
  InputBlock,
  // Blocks the console cannot draw are left out.
  z.object({ type: z.string() }).transform(() => null),
]);
const View = z.object({
  title: Text,
  submit: Text.optional(),
  close: Text.optional(),
  private_metadata: z.string().optional(),
  blocks: z.array(Block),
});
const Metadata = z.object({ user: z.string() });

export interface ModalInput {
  blockId: string;
  actionId: string;
  /** `plain_text_input`, `timepicker`, or another element type the console only names. */
  element: string;
  label: string;
  hint: string | null;
  placeholder: string;
  /** The text, or the time as HH:mm. */
  initialValue: string;
  maxLength: number | undefined;
  multiline: boolean;
  optional: boolean;
}

export interface Modal {
  title: string;
  sections: string[];
  inputs: ModalInput[];
  submit: string;
  close: string;
  /** The user the app wrote into private_metadata, when it did. */
  user: string | null;
}

/** The form field that carries an input's value: `block_id/action_id`. */
export const fieldName = (input: Pick<ModalInput, 'blockId' | 'actionId'>) =>
  `${input.blockId}/${input.actionId}`;

/** Element types the console can draw and submit. */
export const DRAWN_ELEMENTS = new Set(['plain_text_input', 'timepicker']);

function metadataUser(raw: string | undefined): string | null {
  try {
    const parsed = Metadata.safeParse(JSON.parse(raw ?? 'null'));
    return parsed.success ? parsed.data.user : null;
  } catch {
    return null;
  }
}

function readInput(block: z.infer<typeof InputBlock>): ModalInput {
  const e = block.element;
  const text = TextInput.safeParse(e).data;
  const time = TimePicker.safeParse(e).data;
  const placeholder = text?.placeholder ?? time?.placeholder;
  return {
    blockId: block.block_id,
    actionId: e.action_id ?? '',
    // A malformed element of a known type is shown as one the console cannot draw.
    element: text || time || !DRAWN_ELEMENTS.has(e.type) ? e.type : `${e.type} (unreadable)`,
    label: block.label.text,
    hint: block.hint?.text ?? null,
    placeholder: placeholder?.text ?? '',
    initialValue: text?.initial_value ?? time?.initial_time ?? '',
    maxLength: text?.max_length,
    multiline: text?.multiline ?? false,
    optional: block.optional ?? false,
  };
}

/** Null when the view is not a modal the console can draw. */
export function readModal(view: unknown): Modal | null {
  const parsed = View.safeParse(view);
  if (!parsed.success) return null;
  const { title, submit, close, private_metadata, blocks } = parsed.data;
  const modal: Modal = {
    title: title.text,
    sections: [],
    inputs: [],
    submit: submit?.text ?? 'Submit',
    close: close?.text ?? 'Cancel',
    user: metadataUser(private_metadata),
  };
  for (const block of blocks) {
    if (block?.type === 'section' && 'text' in block) modal.sections.push(block.text.text);
    if (block?.type === 'input' && 'element' in block) modal.inputs.push(readInput(block));
  }
  return modal;
}

/** One field as Slack's view_submission reports it for its element type; empty is null. */
function actionValue(input: ModalInput, typed: string): ActionValue | null {
  if (input.element === 'timepicker') return { type: 'timepicker', selected_time: typed || null };
  // Slack's clients send what was typed; '' stays '' so the app's own "empty" check is exercised.
  if (input.element === 'plain_text_input') return { type: 'plain_text_input', value: typed };
  return null;
}

/** block_id → action_id → value as Slack sends it, from the console's form fields. */
export function submittedValues(modal: Modal, form: URLSearchParams): SubmittedValues {
  const values: SubmittedValues = {};
  for (const input of modal.inputs) {
    const value = actionValue(input, form.get(fieldName(input)) ?? '');
    if (value) values[input.blockId] = { ...values[input.blockId], [input.actionId]: value };
  }
  return values;
}
