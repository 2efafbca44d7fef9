// What /ai-postmortem understands. Pure, so every mistake comes back as what to type instead.

export const USAGE = [
  '`/ai-postmortem` in an incident channel drafts (or redrafts) its postmortem from the timeline',
  '`/ai-postmortem <incident number>` does the same from anywhere',
  '`/ai-postmortem reviewed [incident number]` marks the postmortem reviewed and stops the reminders',
  '`/ai-postmortem revoke [incident number]` stops every download link of it issued so far',
].join('\n');

export type PostmortemCommand =
  | { kind: 'draft'; incidentNumber: number | null }
  | { kind: 'reviewed'; incidentNumber: number | null }
  | { kind: 'revoke'; incidentNumber: number | null }
  | { kind: 'help'; message: string };

const NUMBER = /^#?(\d{1,9})$/;

export function parsePostmortemCommand(text: string): PostmortemCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, second, ...rest] = words;
  if (!first) return { kind: 'draft', incidentNumber: null };
  const number = (word: string | undefined) => (word ? Number(NUMBER.exec(word)?.[1] ?? Number.NaN) : null);
  if (first.toLowerCase() === 'help') return { kind: 'help', message: USAGE };
  const verb = first.toLowerCase();
  if (verb === 'reviewed' || verb === 'revoke') {
    const n = number(second);
    if (rest.length || Number.isNaN(n))
      return {
        kind: 'help',
        message: `Say which incident by its number: \`/ai-postmortem ${verb} 12\`.\n${USAGE}`,
      };
    return { kind: verb, incidentNumber: n };
  }
  const n = number(first);
  if (second || n === null || Number.isNaN(n))
    return {
      kind: 'help',
      message: `\`/ai-postmortem\` takes an incident number or \`reviewed\`.\n${USAGE}`,
    };
  return { kind: 'draft', incidentNumber: n };
}
