// Everything the sections of a draft share, computed once from the facts.
import { type AiSpecifics, aiSpecifics } from './ai-specifics.ts';
import type { PostmortemFacts } from './facts.ts';
import { computeMetrics, type Metrics, type Milestones, milestones } from './metrics.ts';
import { createNamer, type Namer } from './people.ts';
import { buildTimeline, type TimelineResult } from './timeline.ts';
import { bothZones, localClock, zoneAbbreviation } from './times.ts';

export interface DraftContext {
  facts: PostmortemFacts;
  zone: string;
  namer: Namer;
  m: Milestones;
  metrics: Metrics;
  timeline: TimelineResult;
  ai: AiSpecifics;
  /** "2026-07-14 02:58 UTC (03:58 BST)" */
  at(date: Date): string;
  /** "03:58 BST", for sentences a non-engineer reads. */
  local(date: Date): string;
}

export function draftContext(facts: PostmortemFacts, featureLabel: string): DraftContext {
  const zone = facts.feature.timeZone;
  const namer = createNamer(facts.people);
  const m = milestones(facts);
  return {
    facts,
    zone,
    namer,
    m,
    metrics: computeMetrics(m),
    timeline: buildTimeline(facts.entries, facts.alerts, namer),
    ai: aiSpecifics(facts.alerts, featureLabel, facts.entries),
    at: (date) => bothZones(date, zone),
    local: (date) => `${localClock(date, zone)} ${zoneAbbreviation(date, zone)}`,
  };
}
