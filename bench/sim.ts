// Cycle simulator throughput: simulated PE-cycles per second (rows · cols · cycles / wall time),
// one thread, end to end (job checks, the cycle loop and the result), plus the memory it took.
// simRate is the measurement alone, for any array and job, so that other back ends (Verilator on
// the generated RTL) can be timed the same way beside it.
import { resolveConfig } from '../config/resolve.js';
import { buildArch } from '../arch/build.js';
import type { Arch } from '../arch/types.js';
import { setStepBackend, stepWat } from '../sim/compile.js';
import { simulate, type SimJob } from '../sim/simulate.js';
import { randomJob } from '../sim/stimulus.js';

export interface SimRate {
  /** rows · cols · cycles per second of wall time (median run). */
  peCyclesPerSecond: number;
  cyclesPerSecond: number;
  /** Cycles of one run of the job. */
  cycles: number;
  /** Timed runs (after warm-up). */
  runs: number;
}

/** Runs the job on the array repeatedly, at least minRuns times and for at least minSeconds, and
 *  returns the median run's rate. The first runs warm the JIT up and are not timed. */
export function simRate(arch: Arch, job: SimJob, minSeconds = 2, minRuns = 5): SimRate {
  const warm = simulate(arch, job);
  simulate(arch, job);
  const seconds: number[] = [];
  const start = process.hrtime.bigint();
  let sink = 0;
  while (seconds.length < minRuns || Number(process.hrtime.bigint() - start) / 1e9 < minSeconds) {
    const t0 = process.hrtime.bigint();
    sink += simulate(arch, job).cycles;
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  if (sink !== warm.cycles * seconds.length) throw new Error('internal: the benchmark job changed its cycle count between runs');
  const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)]!;
  return { peCyclesPerSecond: (arch.rows * arch.cols * warm.cycles) / median, cyclesPerSecond: warm.cycles / median, cycles: warm.cycles, runs: seconds.length };
}

/** The benchmark arrays: e4m3 inputs, e5m10 products, e4m7 accumulator with bias 10, rtz, OS,
 *  8×8 and 16×16, unpipelined and with 2 pipeline stages; and the target each must meet against
 *  Verilator on the same array (simulator cycles per second over Verilator's). */
export const VERILATOR_TARGET_CASES = [0, 2].flatMap((stages) =>
  [8, 16].map((n) => ({
    label: `${n}×${n} OS, e4m3 × e4m3 -> e5m10 product, e4m7 b10 accumulator, rtz, ${stages} stage${stages === 1 ? '' : 's'}`,
    config: { rows: n, cols: n, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10', rounding: { product: 'rtz', acc: 'rtz' }, pipeline: { stages } } as Record<string, unknown>,
    targetOverVerilator: n === 16 ? 3 : 2,
  })),
);

/** The other accumulator architectures on the 8×8 array, simulator only, beside the cases above:
 *  the tensor-core-like dot-product cell and the exact (Kulisch) fixed-point register of e4m3 products. */
export const ARCHITECTURE_CASES = [
  {
    label: '8×8 OS, e4m3 × e4m3, dot-product cell of 8 lanes keeping 24 bits, fp32 accumulator, rtz',
    config: { rows: 8, cols: 8, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'fp32', lanes: 8, alignBits: 24, rounding: { acc: 'rtz' } } as Record<string, unknown>,
    targetOverVerilator: null,
  },
  {
    label: '8×8 OS, e4m3 × e4m3, exact products into the 49-bit Kulisch register, fp32 out, rne',
    config: { rows: 8, cols: 8, dataflow: 'os', a: 'e4m3', w: 'e4m3', product: 'exact', acc: { fixed: { msb: 29, lsb: -18 }, overflow: 'saturate', out: 'fp32' } } as Record<string, unknown>,
    targetOverVerilator: null,
  },
];

export const SIM_CASES = [...VERILATOR_TARGET_CASES, ...ARCHITECTURE_CASES];

/** The job: 2 × 2 tiles with K = 256 (long dot products, as in a layer), random N(0, 1) inputs. */
export const SIM_BENCH_K = 256;

export interface SimBenchRow extends SimRate {
  label: string;
  job: { M: number; K: number; N: number };
  /** The step ran as WebAssembly (sim/wasm/). */
  wasmStep: boolean;
  /** This rate over the JavaScript step's: the median of alternating rounds. */
  overJsStep: number;
  /** Process-wide peak resident set (this worker shares the process with the bench driver). */
  maxRssMB: number;
  /** This worker's JS heap and array buffers after the runs. */
  heapMB: number;
}

/** Alternating rounds of the WebAssembly step (the default) and the JavaScript one, for their ratio. */
const BACKEND_ROUNDS = 5;
const BACKEND_ROUND_SECONDS = 0.3;

export function benchSimCase(index: number): SimBenchRow {
  const spec = SIM_CASES[index]!;
  const arch = buildArch(resolveConfig(spec.config));
  const shape = { M: 2 * arch.rows, K: SIM_BENCH_K, N: 2 * arch.cols };
  const job = randomJob(arch, shape, 1);
  const rate = simRate(arch, job);
  // The step's two back ends side by side (an architecture without a WebAssembly step runs
  // JavaScript in both: ratio 1).
  const ratios: number[] = [];
  for (let round = 0; round < BACKEND_ROUNDS; round++) {
    const wasm = simRate(arch, job, BACKEND_ROUND_SECONDS);
    setStepBackend('js');
    const js = simRate(arch, job, BACKEND_ROUND_SECONDS);
    setStepBackend('wasm');
    ratios.push(wasm.cyclesPerSecond / js.cyclesPerSecond);
  }
  const mem = process.memoryUsage();
  return {
    label: spec.label,
    job: shape,
    ...rate,
    wasmStep: stepWat(arch) !== null,
    overJsStep: [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    heapMB: (mem.heapUsed + mem.arrayBuffers) / 2 ** 20,
  };
}
