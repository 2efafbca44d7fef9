// What was done (kill switch, fallback, ramp), the root-cause bin, the AI specifics and the
// evidence wanted before calling the feature green again.

import { escapeMarkdown, markdownCode, markdownLink } from '../../kernel/markdown-text.ts';
import type { DraftContext } from './context.ts';
import type { FlagOperationFacts } from './facts.ts';
import { cell, heading, table } from './markdown.ts';
import { maskPersonalData } from './redact.ts';
import { between, duration } from './times.ts';

const FILL = (what: string) => `_${what}_`;

export function actionsSection(c: DraftContext): string {
  const { facts, m } = c;
  const lines: string[] = [];
  const kills = facts.flagOperations.filter((op) => op.kind === 'kill');
  for (const kill of kills) lines.push(killLine(c, kill));
  if (!kills.length)
    lines.push(
      `- **Kill switch:** not used${facts.feature.flag ? ` (flag \`${facts.feature.flag.flag}\` stayed on)` : ' (the feature has none in the catalog)'}.`,
    );
  if (facts.feature.fallback) {
    const firstKill = kills.find((k) => k.flippedAt);
    lines.push(
      `- **Fallback path:** ${facts.feature.fallback}${firstKill ? ` — in use from ${c.local(firstKill.flippedAt as Date)}` : ' — not used'}.`,
    );
  }
  for (const op of facts.flagOperations.filter((o) => o.kind === 'restore')) lines.push(rampLine(c, op));
  if (m.mitigated && m.mitigated.what === 'marked mitigated')
    lines.push(`- **Mitigated:** marked by ${c.namer.actor(m.mitigated.actor)}, ${c.at(m.mitigated.at)}.`);
  const updates = facts.entries.filter((e) => e.kind === 'update.posted');
  if (updates.length)
    lines.push(`- **Stakeholder updates:** ${updates.map((u) => c.local(u.at)).join(', ')}.`);
  if (m.resolved)
    lines.push(
      `- **Resolved:** ${m.resolved.actor ? `by ${c.namer.actor(m.resolved.actor)}, ` : ''}${c.at(m.resolved.at)}.`,
    );
  lines.push(
    `- **Other actions** (rollbacks, config or prompt changes): ${FILL('fill in from the key messages in the timeline')}`,
  );
  return [heading('Actions taken'), '', ...lines].join('\n');
}

function killLine(c: DraftContext, op: FlagOperationFacts): string {
  const reason = escapeMarkdown(maskPersonalData(op.reason).text);
  const who = c.namer.actor(op.requestedByName);
  if (!op.flippedAt)
    return `- **Kill switch:** asked for by ${who} at ${c.at(op.createdAt)} but not carried out (${op.state}${op.lastError ? `: ${escapeMarkdown(maskPersonalData(op.lastError).text)}` : ''}).`;
  const confirm =
    op.state === 'confirmed' && op.confirmMs !== null
      ? `SDKs confirmed it off after ${(op.confirmMs / 1000).toFixed(1)} s`
      : op.state === 'unverified'
        ? 'SDKs did not confirm it off in time (unverified)'
        : 'SDK confirmation not recorded';
  return `- **Kill switch:** \`${op.flag}\` turned off in ${op.environment} at ${c.at(op.flippedAt)} by ${who} (“${reason}”); ${confirm}.`;
}

function rampLine(c: DraftContext, op: FlagOperationFacts): string {
  const steps = c.facts.entries
    .filter((e) => e.kind === 'flag.ramp_step' && e.dedupKey.startsWith(`kill-switch:${op.id}:step-`))
    .map((e) => ({ at: e.at, percent: op.steps[Number(e.dedupKey.split('step-')[1])] }));
  const plan = `${op.steps.join('% → ')}%${op.steps.length > 1 ? `, holding ${duration(op.holdSeconds * 1000)} per step` : ''}`;
  const done = steps.length ? `: ${steps.map((s) => `${s.percent}% at ${c.local(s.at)}`).join(', ')}` : '';
  const outcome =
    op.state === 'done'
      ? 'completed'
      : op.state === 'aborted'
        ? `stopped${op.lastError ? ` (${maskPersonalData(op.lastError).text})` : ''} and turned back off`
        : op.state;
  return `- **Re-enable ramp** by ${c.namer.actor(op.requestedByName)} from ${c.at(op.createdAt)} (${plan})${done} — ${outcome}.`;
}

const BINS: [string, string][] = [
  ['data', 'Data'],
  ['code_prompt', 'Code/Prompt'],
  ['config', 'Config'],
  ['process', 'Process'],
];

export function rootCauseSection(c: DraftContext): string {
  const bin = c.facts.incident.rootCause;
  const boxes = BINS.map(([key, label]) => `- [${bin === key ? 'x' : ' '}] ${label}`);
  const note = bin
    ? ''
    : '\n\n_Not set yet: `/ai-incident cause data|code|prompt|config|process` records it._';
  return [
    heading('Root cause bin'),
    '',
    ...boxes,
    note,
    '',
    `**Cause:** ${FILL('one line on what in the system allowed this (not who)')}`,
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

export function aiSection(c: DraftContext): string {
  const { ai } = c;
  const out = [heading('AI specifics'), ''];
  if (ai.versions.length) {
    const rows = ai.versions.map(({ label, values }) => [
      markdownCode(label),
      values
        .map(
          (v) =>
            `${markdownCode(v.value)} (${v.alerts} alert${v.alerts === 1 ? '' : 's'}, from ${c.local(v.firstSeen)})`,
        )
        .join(', '),
    ]);
    out.push(
      'Versions seen in alert labels:',
      '',
      table(
        ['label', 'values'],
        rows.map((r) => r.map(cell)),
      ),
      '',
    );
    const drift = ai.versions.filter((v) => v.values.length > 1);
    for (const d of drift)
      out.push(
        `- **Changed during the incident:** ${markdownCode(d.label)} went ${d.values.map((v) => markdownCode(v.value)).join(' → ')}.`,
      );
  } else
    out.push(
      '- No model, provider, prompt or flag versions in the alert labels: ' +
        FILL('add them (which model and prompt version served the bad answers?)'),
    );
  for (const q of ai.quality)
    out.push(
      `- **Quality signal ${markdownCode(q.label)}:** ${q.values.map((v) => `${markdownCode(v.value)} from ${c.local(v.firstSeen)}`).join(', ')}.`,
    );
  for (const b of ai.budgetAlerts) {
    const detail = b.description ? ` — ${escapeMarkdown(maskPersonalData(b.description).text)}` : '';
    const until = b.endsAt ? ` until ${c.local(b.endsAt)}` : ' (still firing)';
    out.push(
      `- **Error budget (${escapeMarkdown(b.rule)}):** burn-rate alert from ${c.local(b.at)}${until}: ${escapeMarkdown(maskPersonalData(b.summary).text)}${detail}.`,
    );
  }
  for (const w of ai.watchAlerts) {
    const until = w.endsAt ? ` until ${c.local(w.endsAt)}` : '';
    const replay = w.links.length
      ? ` Replay: ${w.links.map((l) => markdownLink(l.url, maskPersonalData(l.label).text)).join(', ')}.`
      : '';
    out.push(
      `- **Caught by the quality watch ${markdownCode(w.metric)}:** from ${c.local(w.at)}${until}: ${escapeMarkdown(maskPersonalData(w.summary).text)}${replay}`,
    );
  }
  const watched = c.facts.feature.watches ?? [];
  if (watched.length && !ai.watchAlerts.length)
    out.push(
      `- **Quality watches:** none of ${watched.map(markdownCode).join(', ')} fired: ${FILL('why did they miss it? a band, window or metric to add')}`,
    );
  if (c.facts.feature.flag)
    out.push(`- **Flag:** \`${c.facts.feature.flag.flag}\` in ${c.facts.feature.flag.environment}.`);
  out.push(`- **Evals during the incident:** ${FILL('eval or golden-set runs, and what they showed')}`);
  out.push(
    `- **Drift:** ${FILL('did inputs, retrieval data or model behaviour shift before the first alert? since when?')}`,
  );
  return out.join('\n');
}

export function fixSection(c: DraftContext): string {
  const { slo } = c.facts.feature;
  const kinds = slo?.kinds ? `\`${slo.kinds.join('`, `')}\` ` : '';
  const metric = slo ? `share of good ${kinds}signals (the error budget's SLI)` : FILL('metric');
  const threshold = slo ? `≥ ${slo.targetPercent}% (the SLO)` : FILL('threshold');
  const restore = c.facts.flagOperations.filter((o) => o.kind === 'restore').at(-1);
  const evidence = restore
    ? restore.state === 'done'
      ? `the ramp ${restore.steps.join('% → ')}% completed${restore.finishedAt ? ` at ${c.local(restore.finishedAt)}` : ''} with no new alert${restore.finishedAt ? ` over ${between(restore.createdAt, restore.finishedAt)}` : ''}.`
      : `the last ramp did not complete (${restore.state}).`
    : FILL('what showed it was safe again');
  return [
    heading('Fix and evidence for green'),
    '',
    `- **Fix:** ${FILL('what changed (PR, config, prompt or model version)')}`,
    `- **Acceptance signal to re-enable:** metric ${metric}; threshold ${threshold}; window ${FILL('e.g. 1 h at 10% of traffic')}.`,
    `- **Evidence:** ${evidence}`,
    '',
    table(
      ['golden set', 'before the fix', 'after the fix', 'pass?'],
      [[FILL('name'), FILL('score'), FILL('score'), FILL('yes/no')]],
    ),
  ].join('\n');
}
