// Random inputs for a simulation when the user gives none (`lbamac sim`, the benchmark): seeded,
// so the same seed gives the same job on every machine.
import { fromFloat64, RNE } from '../core/arith.js';
import { LbamacError } from '../core/errors.js';
import { Rng } from '../workloads/rng.js';
import { formatOf } from '../arch/build.js';
import type { Arch } from '../arch/types.js';

export interface JobShape {
  M: number;
  K: number;
  N: number;
}

/** Largest random job: M·K + K·N elements (plenty for a terminal or a benchmark). */
export const MAX_RANDOM_ELEMENTS = 1 << 24;

/**
 * A ~ N(0, 1) and B ~ N(0, 1/K) (unit-scale dot products), rounded to nearest even into the
 * array's a and w formats. On a 2:4 array, two random positions of every group of 4 along K are
 * kept in each column of B and the others set to +0, so the job is 2:4 sparse.
 */
export function randomJob(arch: Arch, shape: JobShape, seed: number): { A: number[][]; B: number[][] } {
  for (const key of ['M', 'K', 'N'] as const) {
    const v = shape[key];
    if (!Number.isInteger(v) || v < 1) throw new LbamacError(`random job: ${key} = ${v} is not allowed; expected a positive integer`);
  }
  const { M, K, N } = shape;
  if (M * K + K * N > MAX_RANDOM_ELEMENTS) throw new LbamacError(`random job: ${M}×${K} by ${K}×${N} has ${M * K + K * N} elements; at most ${MAX_RANDOM_ELEMENTS} are allowed`);
  const fa = formatOf(arch.formats.a);
  const fw = formatOf(arch.formats.w);
  const rng = new Rng(seed);
  const scale = 1 / Math.sqrt(K);
  const A = Array.from({ length: M }, () => Array.from({ length: K }, () => fromFloat64(rng.normal(), fa, RNE)));
  const B = Array.from({ length: K }, () => Array.from({ length: N }, () => fromFloat64(rng.normal() * scale, fw, RNE)));
  if (arch.sparsity === '2:4') {
    const positions = [0, 1, 2, 3];
    for (let g = 0; 4 * g < K; g++) {
      for (let j = 0; j < N; j++) {
        rng.shuffle(positions);
        for (const q of positions.slice(2)) if (4 * g + q < K) B[4 * g + q]![j] = 0;
      }
    }
  }
  return { A, B };
}
