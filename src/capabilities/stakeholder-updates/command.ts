// Reads what someone typed after /ai-update. Pure: the feature is named explicitly, or comes
// from the incident channel the command was typed in (the caller knows which that is).

export const USAGE =
  '`/ai-update [text]` in an incident channel, or `/ai-update <feature> [text]` anywhere else, ' +
  'opens the stakeholder update form; [text] replaces the proposed wording.';

export type UpdateCommand =
  | { kind: 'help' }
  /** featureKey is null when the first word is not a feature: the channel's incident decides. */
  | { kind: 'update'; featureKey: string | null; firstWord: string | null; text: string };

export function parseUpdateCommand(input: string, isFeature: (key: string) => boolean): UpdateCommand {
  const text = input.trim();
  if (text === 'help' || text === '?') return { kind: 'help' };
  const first = /^\S+/.exec(text)?.[0] ?? null;
  if (first && isFeature(first)) {
    return { kind: 'update', featureKey: first, firstWord: first, text: text.slice(first.length).trim() };
  }
  return { kind: 'update', featureKey: null, firstWord: first, text };
}

/** The ephemeral answer when no feature could be worked out: what to type, and the features. */
export function whichFeature(firstWord: string | null, featureKeys: readonly string[]): string {
  const list = featureKeys.map((k) => `\`${k}\``).join(', ');
  const example = featureKeys[0] ?? 'my-feature';
  const problem = firstWord
    ? `Unknown feature \`${firstWord.slice(0, 60)}\`, and this channel has no open incident.`
    : 'Which feature? This channel has no open incident.';
  return `${problem} Type \`/ai-update <feature> [text]\`, like \`/ai-update ${example}\`. Features: ${list}.\n${USAGE}`;
}
