// The simulator as an engine: same inputs as core/gemm.ts's coreGemm, same D and events, plus time.
import type { EventCounts } from '../core/events.js';
import type { ArrayConfig } from '../config/resolve.js';
import { buildArch } from '../arch/build.js';
import { latencyCycles } from '../arch/schedule.js';
import { simulate, type SimOptions } from './simulate.js';

export interface SimGemmResult {
  /** Codes of outputFormat(cfg), M×N: bit for bit coreGemm's. */
  D: number[][];
  events: EventCounts;
  perOutput: EventCounts[][];
  cycles: number;
  utilization: number;
  /** Events counted in each PE, rows × cols. */
  perPE: EventCounts[][];
  /** Useful multiply-adds done by each PE. */
  peTerms: number[][];
}

/** D = A·B + C on the cycle simulator of the array cfg describes (synchronous). */
/** How many cycles simGemm will take for these matrices (docs/timing.md). */
export function simCycles(cfg: ArrayConfig, job: { A: readonly (readonly number[])[]; B: readonly (readonly number[])[]; C?: unknown }): number {
  return latencyCycles(buildArch(cfg), { M: job.A.length, K: job.B.length, N: job.B[0]!.length, hasC: job.C !== undefined });
}

export function simGemm(
  cfg: ArrayConfig,
  A: readonly (readonly number[])[],
  B: readonly (readonly number[])[],
  C?: readonly (readonly number[])[],
  options: SimOptions = {},
): SimGemmResult {
  const arch = buildArch(cfg);
  const r = simulate(arch, C === undefined ? { A, B } : { A, B, C }, options);
  return { D: r.D, events: r.events, perOutput: r.perOutput, cycles: r.cycles, utilization: r.utilization, perPE: r.perPE, peTerms: r.peTerms };
}
