// Verilator on the generated RTL beside the cycle simulator: the same arrays and job as bench/sim.ts
// (8×8 and 16×16, e4m3 inputs, e5m10 products, e4m7 bias 10 accumulator, rtz, OS; 2 × 2 tiles
// with K = 256), the same stimulus (the simulator's port trace of that job), simulated cycles per
// second of each, and their ratio. Verilator's build (-O3, cached) is timed apart; its rate is
// the harness's own timing of the cycle loop (drive inputs, evaluate, read outputs, clock). The
// two are measured in alternating rounds (a batch of Verilator runs, then the simulator for about
// as long), so that a change in the machine's load hits both; the ratio is the median of the
// rounds' ratios. The rounds are short and many: on these shared machines the speed of both
// swings by up to 2× from one second to the next, so short rounds pair like with like. The RTL's outputs are checked against the simulator's first: a benchmark of a
// wrong model would mean nothing.
import { resolveConfig } from '../config/resolve.js';
import { generateRtl } from '../rtl-gen/generate.js';
import { randomJob } from '../sim/stimulus.js';
import { buildArrayHarness, runArrayHarness } from '../cosim/array-harness.js';
import { compareTraces } from '../cosim/compare.js';
import { traceJob } from '../cosim/trace.js';
import { SIM_BENCH_K, type SimRate, simRate, VERILATOR_TARGET_CASES } from './sim.js';

/** Alternating rounds, and per round the harness runs of the job: at least this many, and enough
 *  for this much loop time. */
const ROUNDS = 15;
const MIN_RUNS = 5;
const ROUND_SECONDS = 0.2;

export interface VerilatorBenchRow {
  label: string;
  job: { M: number; K: number; N: number };
  cycles: number;
  verilator: {
    cyclesPerSecond: number;
    peCyclesPerSecond: number;
    runs: number;
    /** The -O3 build's wall time, or null when it came from the cache. */
    buildSeconds: number | null;
  };
  sim: SimRate;
  /** Verilator's cycles per second over the simulator's: the median of the alternating rounds' ratios. */
  ratio: number;
}

export const VERILATOR_CASES = VERILATOR_TARGET_CASES;

export function benchVerilatorCase(index: number): VerilatorBenchRow {
  const spec = VERILATOR_CASES[index]!;
  const rtl = generateRtl(resolveConfig(spec.config));
  const arch = rtl.arch;
  const shape = { M: 2 * arch.rows, K: SIM_BENCH_K, N: 2 * arch.cols };
  const job = randomJob(arch, shape, 1);
  const trace = traceJob(arch, job);
  const build = buildArrayHarness([rtl], { profile: 'bench' });
  const run = (n: number) => runArrayHarness(build, Array.from({ length: n }, () => ({ top: 0, stimulus: trace.stimulus })));
  const first = run(MIN_RUNS);
  const cmp = compareTraces(arch, trace.outputs, trace.expected, first[0]!.outputs);
  if (cmp.total > 0) throw new Error(`bench: the RTL disagrees with the simulator on the benchmark job: ${cmp.first[0]!.text}`);
  const perRun = first.reduce((t, r) => t + r.seconds, 0) / MIN_RUNS;
  const batch = Math.max(MIN_RUNS, Math.ceil(ROUND_SECONDS / perRun));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratios: number[] = [];
  const vRates: number[] = [];
  let sim: SimRate | null = null;
  for (let round = 0; round < ROUNDS; round++) {
    const runs = run(batch);
    const cps = trace.cycles / median(runs.map((r) => r.seconds));
    const s = simRate(arch, job, ROUND_SECONDS, MIN_RUNS);
    vRates.push(cps);
    ratios.push(cps / s.cyclesPerSecond);
    if (sim === null || s.cyclesPerSecond > sim.cyclesPerSecond) sim = s;
  }
  const cps = median(vRates);
  return {
    label: spec.label,
    job: shape,
    cycles: trace.cycles,
    verilator: { cyclesPerSecond: cps, peCyclesPerSecond: cps * arch.rows * arch.cols, runs: ROUNDS * batch, buildSeconds: build.built ? build.seconds : null },
    sim: sim!,
    ratio: median(ratios),
  };
}
