// Reads a modal the app opened (as the fake Slack stored it) into what the console needs to
// draw it as a form: its texts, its text inputs, its buttons, and who it was opened for.
import { z } from 'zod';

const Text = z.object({ text: z.string() });
const Block = z.union([
  z.object({ type: z.literal('section'), text: Text }),
  z.object({
    type: z.literal('input'),
    block_id: z.string(),
    label: Text,
    optional: z.boolean().optional(),
    element: z.object({
      type: z.literal('plain_text_input'),
      action_id: z.string(),
      initial_value: z.string().optional(),
      max_length: z.number().int().positive().optional(),
      multiline: z.boolean().optional(),
    }),
  }),
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
  label: string;
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

function metadataUser(raw: string | undefined): string | null {
  try {
    const parsed = Metadata.safeParse(JSON.parse(raw ?? 'null'));
    return parsed.success ? parsed.data.user : null;
  } catch {
    return null;
  }
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
    if (block?.type === 'section') modal.sections.push(block.text.text);
    if (block?.type === 'input') {
      const { element } = block;
      modal.inputs.push({
        blockId: block.block_id,
        actionId: element.action_id,
        label: block.label.text,
        initialValue: element.initial_value ?? '',
        maxLength: element.max_length,
        multiline: element.multiline ?? false,
        optional: block.optional ?? false,
      });
    }
  }
  return modal;
}

/** block_id → action_id → value, from the console's form fields. */
export function submittedValues(modal: Modal, form: URLSearchParams): Record<string, Record<string, string>> {
  const values: Record<string, Record<string, string>> = {};
  for (const input of modal.inputs) {
    const value = form.get(fieldName(input)) ?? '';
    values[input.blockId] = { ...values[input.blockId], [input.actionId]: value };
  }
  return values;
}
