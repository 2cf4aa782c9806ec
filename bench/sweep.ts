// Sweep engine throughput: rounded multiply-accumulates (nonzero terms through the bit-exact
// MacKernel, as sweep/point.ts counts them) per second, on one thread and on every core through
// the sweep's worker pool, beside a plain float64 multiply-accumulate loop over the same matrices
// on as many threads. The points are synthetic Gaussian GEMMs of the default sweep's kind.
import { Worker } from 'node:worker_threads';
import { expandSweep, parseSweep, type PointSpec } from '../sweep/grid.js';
import { runPoint } from '../sweep/point.js';
import { defaultWorkers, runInWorkers } from '../sweep/pool.js';
import { resolveConfig } from '../config/resolve.js';
import { decode } from '../workloads/matrix.js';
import { type PreparedSynthetic, prepareWorkload } from '../workloads/prepare.js';

export const SWEEP_BENCH_SHAPE = { M: 64, K: 1024, N: 64 };

export const SWEEP_CASES = [
  { label: 'one thread', threads: 1 },
  { label: 'all threads', threads: 0 },
] as const;

export interface SweepBenchRow {
  label: string;
  threads: number;
  points: number;
  terms: number;
  seconds: number;
  macsPerSecond: number;
  /** The float64 loop on as many threads: multiply-accumulates per second, all threads together. */
  float64MacsPerSecond: number;
  /** macsPerSecond / float64MacsPerSecond */
  ratio: number;
}

/** e4m3 inputs, exact products; e4 bias-10 accumulators (rtz) and e5 ones (rne), mantissa 3..10. */
function benchPoints(): PointSpec[] {
  return expandSweep(
    parseSweep({
      name: 'bench',
      workloads: [{ name: 'gauss', kind: 'synthetic', dist: 'gaussian', ...SWEEP_BENCH_SHAPE, seed: 7 }],
      blocks: [
        { name: 'e4', preset: 'ocp-fp8', acc: { exp: 4, man: { from: 3, to: 10 }, bias: 10, subnormals: false, specials: 'none', overflow: 'saturate' }, rounding: ['rtz'] },
        { name: 'e5', preset: 'ocp-fp8', acc: { exp: 5, man: { from: 3, to: 10 } }, rounding: ['rne'] },
      ],
    }),
  ).points;
}

/** The bench workload's A (M × K) and B by column (N × K) as float64 values. */
function float64Operands(p: PointSpec): { A: Float64Array; BT: Float64Array } {
  const cfg = resolveConfig(p.config);
  const prep = prepareWorkload(p.workload, { a: cfg.a, w: cfg.w, inputRounding: cfg.rounding.input, sparsity: cfg.sparsity }) as PreparedSynthetic;
  const { K, N } = SWEEP_BENCH_SHAPE;
  const B = decode(prep.B.codes);
  const BT = new Float64Array(N * K);
  for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) BT[j * K + k] = B[k * N + j]!;
  return { A: decode(prep.A), BT };
}

/** The float64 baseline: D = A·B, every multiply-accumulate of it, in one monomorphic loop. */
function float64Gemm(A: Float64Array, BT: Float64Array): number {
  const { M, K, N } = SWEEP_BENCH_SHAPE;
  let sink = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = 0;
      const a = i * K;
      const b = j * K;
      for (let k = 0; k < K; k++) acc += A[a + k]! * BT[b + k]!;
      sink += acc;
    }
  }
  return sink;
}

const F64_MACS = SWEEP_BENCH_SHAPE.M * SWEEP_BENCH_SHAPE.K * SWEEP_BENCH_SHAPE.N;

/** The float64 loop for about `seconds` of one thread: its rate (multiply-accumulates per second). */
export function float64Rate(seconds: number): number {
  const { A, BT } = float64Operands(benchPoints()[0]!);
  float64Gemm(A, BT); // JIT warm-up, not timed
  let runs = 0;
  let sink = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    sink += float64Gemm(A, BT);
    runs++;
  }
  const elapsed = (performance.now() - t0) / 1000;
  if (Number.isNaN(sink)) process.stdout.write(''); // keeps the sums observable to the optimizer
  return (runs * F64_MACS) / elapsed;
}

/** float64Rate on `threads` bench workers at once (bench/worker.ts), summed. */
function float64RateThreads(threads: number, seconds: number): Promise<number> {
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: { suite: 'sweep-float64', index: seconds } });
      w.once('message', resolve);
      w.once('error', reject);
    });
  return Promise.all(Array.from({ length: threads }, one)).then((rates) => rates.reduce((s, r) => s + r, 0));
}

export async function benchSweepCase(index: number): Promise<SweepBenchRow> {
  const spec = SWEEP_CASES[index]!;
  const points = benchPoints();
  if (spec.threads === 1) {
    // The engine's points and the float64 loop interleaved, so that a busy machine slows both alike.
    const { A, BT } = float64Operands(points[0]!);
    // Workload preparation and JIT warm-up (each kind of loop compiled, and compiled again once
    // its rare paths have run), not timed: a sweep's many points see the steady state.
    for (const p of points) runPoint(p);
    float64Gemm(A, BT);
    let seconds = 0;
    let f64Seconds = 0;
    let terms = 0;
    let sink = 0;
    for (const p of points) {
      const t0 = performance.now();
      terms += runPoint(p).terms;
      const t1 = performance.now();
      sink += float64Gemm(A, BT);
      seconds += (t1 - t0) / 1000;
      f64Seconds += (performance.now() - t1) / 1000;
    }
    if (Number.isNaN(sink)) process.stdout.write('');
    const macsPerSecond = terms / seconds;
    const float64MacsPerSecond = (points.length * F64_MACS) / f64Seconds;
    return { label: spec.label, threads: 1, points: points.length, terms, seconds, macsPerSecond, float64MacsPerSecond, ratio: macsPerSecond / float64MacsPerSecond };
  }
  const threads = defaultWorkers();
  // Every thread gets about 64 points, so that starting it, preparing its workload and compiling
  // its loops (timed: a sweep pays for them too) are a small part of the time.
  const many = Array.from({ length: Math.max(1, Math.ceil((threads * 64) / points.length)) }, () => points).flat();
  let terms = 0;
  const t0 = performance.now();
  await runInWorkers(many, threads, (r) => {
    terms += r.terms;
  });
  const seconds = (performance.now() - t0) / 1000;
  const macsPerSecond = terms / seconds;
  // As long on every thread as the engine took, at most 5 s.
  const float64MacsPerSecond = await float64RateThreads(threads, Math.min(5, seconds));
  return { label: `${spec.label} (${threads})`, threads, points: many.length, terms, seconds, macsPerSecond, float64MacsPerSecond, ratio: macsPerSecond / float64MacsPerSecond };
}
