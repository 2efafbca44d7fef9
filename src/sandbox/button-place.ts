// Where a button sits in a stored message (block and element index), as the console's button
// forms send it, and the button found there again when the click comes in.
import { z } from 'zod';
import type { FakeMessage } from './fakes/slack-state.ts';

const Index = z.coerce.number().int().min(0).max(100);

export const ButtonPlaceForm = z.object({
  channel: z.string().max(64),
  ts: z.string().regex(/^\d+\.\d+$/),
  block: Index,
  element: Index,
  user: z.string().max(64),
});

const Button = z.object({
  type: z.literal('button'),
  action_id: z.string(),
  value: z.string().optional(),
  text: z.object({ text: z.string() }),
});
const ActionsBlock = z.object({
  type: z.literal('actions'),
  block_id: z.string().optional(),
  elements: z.array(z.unknown()),
});

export function buttonAt(message: FakeMessage, block: number, element: number) {
  const actions = ActionsBlock.safeParse(message.blocks?.[block]);
  if (!actions.success) return null;
  const button = Button.safeParse(actions.data.elements[element]);
  return button.success ? { button: button.data, blockId: actions.data.block_id } : null;
}
