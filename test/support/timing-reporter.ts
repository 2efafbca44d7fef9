// Where the suite's time goes, per file: wall time from start to end (hooks, imports and waits
// included, which vitest's own JSON leaves out) and the parts vitest measures. Not in the
// config; run it when measuring:
//   npx vitest run --reporter=default --reporter=./test/support/timing-reporter.ts
// It writes TIMING_OUT (default /tmp/failsafe-test-timing.json) and prints the ten slowest.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

interface Row {
  file: string;
  wallMs: number;
  startedAtMs: number;
  collectMs: number;
  setupMs: number;
  testsAndHooksMs: number;
  state: string;
}

export default class TimingReporter implements Reporter {
  private readonly began = Date.now();
  private readonly started = new Map<string, number>();
  private readonly rows: Row[] = [];

  onTestModuleStart(module: TestModule): void {
    this.started.set(module.moduleId, Date.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const start = this.started.get(module.moduleId) ?? this.began;
    const d = module.diagnostic();
    this.rows.push({
      file: path.relative(process.cwd(), module.moduleId),
      wallMs: Date.now() - start,
      startedAtMs: start - this.began,
      collectMs: Math.round(d.collectDuration),
      setupMs: Math.round(d.setupDuration),
      testsAndHooksMs: Math.round(d.duration),
      state: module.state(),
    });
  }

  onTestRunEnd(): void {
    const totalMs = Date.now() - this.began;
    const rows = [...this.rows].sort((a, b) => b.wallMs - a.wallMs);
    const out = process.env.TIMING_OUT ?? '/tmp/failsafe-test-timing.json';
    writeFileSync(out, JSON.stringify({ totalMs, rows }, null, 2));
    const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`.padStart(7);
    console.log(`\ntiming: whole run ${s(totalMs)}; slowest files (wall, tests+hooks):`);
    for (const r of rows.slice(0, 10)) console.log(`${s(r.wallMs)} ${s(r.testsAndHooksMs)}  ${r.file}`);
    console.log(`timing: written to ${out}`);
  }
}
