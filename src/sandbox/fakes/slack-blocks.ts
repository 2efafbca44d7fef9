// Block Kit's published limits (docs.slack.dev/reference/block-kit), checked the way Slack
// refuses a message or view: the whole call fails with invalid_blocks. A fake that took any
// block would let a 3,001-character section or a 26th button reach production unnoticed.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown) => (isObj(v) && typeof v.text === 'string' ? v.text : undefined);
const tooLong = (v: unknown, max: number) => typeof v === 'string' && v.length > max;

/** Slack's `response_metadata.messages` wording, for the first limit a block breaks. */
function elementProblem(element: unknown, where: string): string | undefined {
  if (!isObj(element) || typeof element.type !== 'string') return `${where} must be an element object`;
  if (tooLong(element.action_id, 255)) return `${where}.action_id must be at most 255 characters`;
  if (element.type === 'button') {
    const label = textOf(element.text);
    if (label === undefined) return `${where}.text is required`;
    if (label.length > 75) return `${where}.text must be at most 75 characters`;
    if (tooLong(element.value, 2000)) return `${where}.value must be at most 2000 characters`;
    if (tooLong(element.url, 3000)) return `${where}.url must be at most 3000 characters`;
  }
  return undefined;
}

function blockProblem(block: Obj, where: string): string | undefined {
  if (tooLong(block.block_id, 255)) return `${where}.block_id must be at most 255 characters`;
  switch (block.type) {
    case 'section': {
      const text = textOf(block.text);
      const fields = block.fields;
      if (text === undefined && !Array.isArray(fields)) return `${where} needs text or fields`;
      if (text !== undefined && (text.length < 1 || text.length > 3000))
        return `${where}.text must be 1 to 3000 characters`;
      if (Array.isArray(fields)) {
        if (fields.length > 10) return `${where}.fields must have at most 10 items`;
        const long = fields.findIndex((f) => (textOf(f)?.length ?? 0) > 2000);
        if (long >= 0) return `${where}.fields[${long}].text must be at most 2000 characters`;
      }
      return block.accessory === undefined
        ? undefined
        : elementProblem(block.accessory, `${where}.accessory`);
    }
    case 'header': {
      const text = textOf(block.text);
      return text === undefined || text.length > 150
        ? `${where}.text must be 1 to 150 characters`
        : undefined;
    }
    case 'actions': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length < 1 || elements.length > 25)
        return `${where}.elements must have 1 to 25 items`;
      for (const [i, e] of elements.entries()) {
        const problem = elementProblem(e, `${where}.elements[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'context': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length < 1 || elements.length > 10)
        return `${where}.elements must have 1 to 10 items`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The first Block Kit limit `blocks` breaks (max 50 in a message, 100 in a view), else undefined. */
export function blocksProblem(blocks: unknown[], maxBlocks: number): string | undefined {
  if (blocks.length > maxBlocks) return `must have at most ${maxBlocks} blocks`;
  for (const [i, block] of blocks.entries()) {
    if (!isObj(block) || typeof block.type !== 'string') return `[${i}] must be a block with a type`;
    const problem = blockProblem(block, `[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}
