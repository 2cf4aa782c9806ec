// Co-simulation: the same stimulus through the simulator and the Verilated RTL, every output port
// compared in every cycle. The simulator runs each job and records its port trace; the harness
// drives the recorded inputs into the generated top and records the outputs; compare.ts does the
// rest.
import type { SimJob } from '../sim/simulate.js';
import { type ArrayHarnessBuild, runArrayHarness } from './array-harness.js';
import { type Comparison, compareTraces } from './compare.js';
import { traceJob } from './trace.js';

export interface CosimItem {
  /** Which top of the build runs the job. */
  top: number;
  job: SimJob;
  /** How the job is named in reports. */
  label: string;
}

export interface CosimResult {
  label: string;
  top: number;
  cycles: number;
  comparison: Comparison;
  /** The harness's time for its cycle loop. */
  rtlSeconds: number;
}

/** Runs every item (all in one harness process) and compares each with the simulator. */
export function cosimulate(build: ArrayHarnessBuild, items: readonly CosimItem[], workDir?: string): CosimResult[] {
  const traces = items.map((it) => {
    const d = build.designs[it.top];
    if (d === undefined) throw new Error(`cosim: no top ${it.top} in this build`);
    return traceJob(d.arch, it.job);
  });
  const runs = runArrayHarness(
    build,
    items.map((it, i) => ({ top: it.top, stimulus: traces[i]!.stimulus })),
    workDir,
  );
  return items.map((it, i) => {
    const t = traces[i]!;
    return {
      label: it.label,
      top: it.top,
      cycles: t.cycles,
      comparison: compareTraces(build.designs[it.top]!.arch, t.outputs, t.expected, runs[i]!.outputs),
      rtlSeconds: runs[i]!.seconds,
    };
  });
}

/** The report of a failed item: the job, the first mismatches, how many in all. */
export function mismatchReport(r: CosimResult): string {
  const c = r.comparison;
  return [
    `RTL and simulator disagree on ${r.label}:`,
    ...c.first.map((m) => `  ${m.text}`),
    `  ${c.total} mismatching value${c.total === 1 ? '' : 's'} in ${c.cyclesWithMismatch} of ${c.cycles} cycles${c.total > c.first.length ? ` (the first ${c.first.length} shown)` : ''}`,
  ].join('\n');
}
