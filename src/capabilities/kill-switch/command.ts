// Reads what someone typed after /ai-kill. Pure: every mistake comes back as a sentence that
// says what to type instead.
export const USAGE = [
  '`/ai-kill <feature> [reason]` turns the feature off',
  '`/ai-kill status [feature]` shows each flag in Unleash',
  '`/ai-kill restore <feature> [--ramp 10,50,100] [--hold 15m] [--now]` brings it back gradually',
  '`/ai-kill drill <feature>` rehearses a kill in the drill environment',
].join('\n');

export const DEFAULT_RAMP = [10, 50, 100];
export const DEFAULT_HOLD_SECONDS = 15 * 60;
const MAX_STEPS = 10;
const MAX_HOLD_SECONDS = 24 * 3600;

export type KillCommand =
  | { kind: 'kill'; featureKey: string; reason: string }
  | { kind: 'status'; featureKey: string | null }
  | { kind: 'restore'; featureKey: string; steps: number[]; holdSeconds: number; now: boolean }
  | { kind: 'drill'; featureKey: string }
  | { kind: 'help'; message: string };

const help = (problem: string): KillCommand => ({ kind: 'help', message: `${problem}\n${USAGE}` });

export function parseKillCommand(text: string): KillCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  if (!first || first === 'help') return help('What would you like to do?');
  if (first === 'status') {
    if (rest.length > 1) return help('`/ai-kill status` takes at most one feature.');
    return { kind: 'status', featureKey: rest[0] ?? null };
  }
  if (first === 'drill') {
    if (rest.length !== 1) return help('`/ai-kill drill` needs exactly one feature.');
    return { kind: 'drill', featureKey: rest[0] as string };
  }
  if (first === 'restore') return parseRestore(rest);
  return { kind: 'kill', featureKey: first, reason: rest.join(' ') };
}

function parseRestore(words: string[]): KillCommand {
  const [featureKey, ...flags] = words;
  if (!featureKey || featureKey.startsWith('--')) return help('`/ai-kill restore` needs a feature.');
  let steps = DEFAULT_RAMP;
  let holdSeconds = DEFAULT_HOLD_SECONDS;
  let now = false;
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    const value = flags[i + 1];
    if (flag === '--now') {
      now = true;
    } else if (flag === '--ramp' && value) {
      const parsed = parseRamp(value);
      if (typeof parsed === 'string') return help(parsed);
      steps = parsed;
      i++;
    } else if (flag === '--hold' && value) {
      const parsed = parseHold(value);
      if (typeof parsed === 'string') return help(parsed);
      holdSeconds = parsed;
      i++;
    } else {
      return help(
        `I do not understand \`${flag}\`${value === undefined && flag?.startsWith('--') ? ' without a value' : ''}.`,
      );
    }
  }
  return { kind: 'restore', featureKey, steps: now ? [100] : steps, holdSeconds, now };
}

export function parseRamp(value: string): number[] | string {
  const steps = value.split(',').map((s) => Number(s.replace(/%$/, '')));
  const valid =
    steps.length <= MAX_STEPS &&
    steps.every((s, i) => Number.isInteger(s) && s >= 1 && s <= 100 && (i === 0 || s > (steps[i - 1] ?? 0)));
  if (!valid || steps.at(-1) !== 100) {
    return `\`--ramp ${value}\` is not a ramp: give up to ${MAX_STEPS} rising percentages ending at 100, like \`--ramp 10,50,100\`.`;
  }
  return steps;
}

export function parseHold(value: string): number | string {
  const match = /^([1-9]\d*)(s|m|h)$/.exec(value);
  const seconds = match ? Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'] : NaN;
  if (!(seconds <= MAX_HOLD_SECONDS)) {
    return `\`--hold ${value}\` is not a duration: use seconds, minutes or hours up to 24h, like \`--hold 15m\`.`;
  }
  return seconds;
}
