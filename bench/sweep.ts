// Sweep engine throughput: rounded multiply-accumulates (nonzero terms through the bit-exact
// MacKernel, as sweep/point.ts counts them) per second, on one thread and on every core through
// the sweep's worker pool. The points are synthetic Gaussian GEMMs of the default sweep's kind.
import { expandSweep, parseSweep, type PointSpec } from '../sweep/grid.js';
import { runPoint } from '../sweep/point.js';
import { defaultWorkers, runInWorkers } from '../sweep/pool.js';

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

export async function benchSweepCase(index: number): Promise<SweepBenchRow> {
  const spec = SWEEP_CASES[index]!;
  const points = benchPoints();
  if (spec.threads === 1) {
    runPoint(points[0]!); // workload preparation and JIT warm-up, not timed
    const t0 = performance.now();
    let terms = 0;
    for (const p of points) terms += runPoint(p).terms;
    const seconds = (performance.now() - t0) / 1000;
    return { label: spec.label, threads: 1, points: points.length, terms, seconds, macsPerSecond: terms / seconds };
  }
  const threads = defaultWorkers();
  // Every thread gets about 24 points, so that starting it and preparing its workload (timed: a
  // sweep pays for them too) are a small part of the time.
  const many = Array.from({ length: Math.max(1, Math.ceil((threads * 24) / points.length)) }, () => points).flat();
  let terms = 0;
  const t0 = performance.now();
  await runInWorkers(many, threads, (r) => {
    terms += r.terms;
  });
  const seconds = (performance.now() - t0) / 1000;
  return { label: `${spec.label} (${threads})`, threads, points: many.length, terms, seconds, macsPerSecond: terms / seconds };
}
