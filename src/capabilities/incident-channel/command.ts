// What /ai-incident understands. Pure, so every mistake comes back as what to type instead.
export const ROOT_CAUSES = {
  data: 'Data',
  code: 'Code/Prompt',
  prompt: 'Code/Prompt',
  config: 'Config',
  process: 'Process',
} as const;
export type RootCause = 'data' | 'code_prompt' | 'config' | 'process';

export const USAGE = [
  '`/ai-incident <feature> [sev1|sev2|sev3] <title>` declares an incident with its own channel',
  '`/ai-incident <feature>` gives the open alert incident of the feature its own channel',
  '`/ai-incident status` · `/ai-incident mitigated` · `/ai-incident resolved` in an incident channel',
  '`/ai-incident cause data|code|prompt|config|process` sets the root-cause bin',
  '`/ai-incident` alone lists open incidents',
].join('\n');

const SEVERITY = { sev1: 'critical', sev2: 'error', sev3: 'warning' } as const;

export type IncidentCommand =
  | { kind: 'list' }
  | { kind: 'declare'; featureKey: string; severity: 'critical' | 'error' | 'warning'; title: string | null }
  | { kind: 'status' }
  | { kind: 'mitigated' }
  | { kind: 'resolved' }
  | { kind: 'cause'; cause: RootCause }
  | { kind: 'help'; message: string };

export function parseIncidentCommand(text: string): IncidentCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  if (!first) return { kind: 'list' };
  if (first === 'help') return { kind: 'help', message: USAGE };
  if (first === 'status' || first === 'mitigated' || first === 'resolved') {
    if (rest.length)
      return { kind: 'help', message: `\`/ai-incident ${first}\` takes nothing after it.\n${USAGE}` };
    return { kind: first };
  }
  if (first === 'cause') {
    const bin = ROOT_CAUSES[(rest[0] ?? '').toLowerCase() as keyof typeof ROOT_CAUSES];
    if (!bin || rest.length !== 1) {
      return {
        kind: 'help',
        message: `Say which bin: \`/ai-incident cause data|code|prompt|config|process\`.`,
      };
    }
    const cause = bin === 'Code/Prompt' ? 'code_prompt' : (bin.toLowerCase() as RootCause);
    return { kind: 'cause', cause };
  }
  const [maybeSev, ...titleWords] = rest;
  const severity = SEVERITY[(maybeSev ?? '').toLowerCase() as keyof typeof SEVERITY];
  const title = (severity ? titleWords : rest).join(' ').trim();
  if (title.length > 200) return { kind: 'help', message: 'Keep the title under 200 characters.' };
  return { kind: 'declare', featureKey: first, severity: severity ?? 'error', title: title || null };
}

export function rootCauseLabel(cause: string | null): string {
  if (cause === 'code_prompt') return 'Code/Prompt';
  if (!cause) return 'not set';
  return cause.charAt(0).toUpperCase() + cause.slice(1);
}
