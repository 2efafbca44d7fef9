// "What changed" between two versions of a draft, as the summary message says it.
import { describe, expect, it } from 'vitest';
import { describeChanges } from '../../../src/capabilities/postmortem/changes.ts';

const draft = (parts: { metrics?: string; timeline?: string[]; cause?: string; extra?: string }) =>
  [
    '## Summary\n\nSame words.',
    `## Metrics\n\n| metric | value | from | to |\n| --- | --- | --- | --- |\n| Time to resolve | ${parts.metrics ?? 'not resolved yet'} | a | b |`,
    `## Timeline\n\n| UTC | who | what |\n| --- | --- | --- |\n${(parts.timeline ?? ['| 1 | a | b |']).join('\n')}`,
    `## Root cause bin\n\n- [${parts.cause === 'config' ? 'x' : ' '}] Config`,
    ...(parts.extra ? [`## ${parts.extra}\n\nnew`] : []),
  ].join('\n\n');

describe('describing changes between versions', () => {
  it('is null when nothing changed', () => {
    expect(describeChanges(draft({}), draft({}))).toBeNull();
  });

  it('counts timeline lines, names moved metrics and changed sections', () => {
    const before = draft({});
    const after = draft({
      metrics: '**1 h 8 min**',
      timeline: ['| 1 | a | b |', '| 2 | c | d |', '| 3 | e | f |'],
      cause: 'config',
    });
    expect(describeChanges(before, after)).toBe(
      'Metrics (time to resolve 1 h 8 min, was not resolved yet); Timeline (+2 lines); Root cause bin.',
    );
  });

  it('names added and removed sections', () => {
    expect(describeChanges(draft({ extra: 'Old notes' }), draft({ extra: 'Guardrail added' }))).toBe(
      'Guardrail added (new section); Old notes (removed).',
    );
  });
});
