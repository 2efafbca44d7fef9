// The update Failsafe proposes from what it knows, following the template stakeholders are
// used to: "We disabled <feature> at <time> after <symptom> increased. No data loss or
// personal data exposure confirmed." (the "Next update at" clause comes from its own field).
// Pure.
import { clock } from './next-update.ts';

export interface UpdateFacts {
  featureName: string;
  /** The stakeholder channel's time zone. */
  timeZone: string;
  incident: { title: string; openedAt: Date } | null;
  /** The latest confirmed kill of the feature during the incident. */
  kill: { at: Date; reason: string } | null;
}

export const NO_DATA_LOSS = 'No data loss or personal data exposure confirmed.';

export function draftUpdate(facts: UpdateFacts): string {
  const { featureName, timeZone, incident, kill } = facts;
  const symptom = incident ? symptomOf(incident.title) : kill ? symptomOf(kill.reason) : '';
  if (kill) {
    const after = symptom ? ` after ${symptom} increased` : '';
    return `We disabled ${featureName} at ${clock(kill.at, timeZone)}${after}. ${NO_DATA_LOSS}`;
  }
  if (incident && symptom) {
    return `We are investigating ${symptom} in ${featureName} since ${clock(incident.openedAt, timeZone)}. ${NO_DATA_LOSS}`;
  }
  return `We are investigating a problem with ${featureName}. ${NO_DATA_LOSS}`;
}

/**
 * An alert title as a phrase inside a sentence: "[FIRING:2] Hallucinated refunds." →
 * "hallucinated refunds". Acronyms keep their case ("LLM errors").
 */
export function symptomOf(title: string): string {
  const phrase = title
    .replace(/^\s*(?:\[[^\]]*\]\s*)+/, '')
    .replace(/[\s.!?:;,]+$/, '')
    .trim();
  if (/^\p{Lu}\p{Ll}/u.test(phrase)) return phrase.charAt(0).toLowerCase() + phrase.slice(1);
  return phrase;
}
