// Small sweep configs for the tests: seconds, not minutes, yet every kind of point (synthetic and
// MNIST workloads, chunked and not, rtz and rne, a preset block and a baseline).
import type { SweepInput } from '../../sweep/schema.js';

export function tinySweep(name = 'tiny'): SweepInput {
  return {
    name,
    workloads: [
      { name: 'g64', kind: 'synthetic', dist: 'gaussian', M: 6, K: 64, N: 6, seed: 3 },
      { name: 'mnist', kind: 'mnist-mlp', testDigits: 30 },
    ],
    blocks: [
      { name: 'e5', preset: 'ocp-fp8', acc: { exp: 5, man: { from: 2, to: 7 } }, rounding: ['rtz', 'rne'], chunk: [null, 16] },
      { name: 'lba', preset: 'lba' },
      { name: 'fp32', role: 'baseline', preset: 'ocp-fp8' },
    ],
  };
}

/** Synthetic points only, each taking a noticeable fraction of a second (for killing a run midway). */
export function slowSweep(points: number): SweepInput {
  return {
    name: 'slow',
    workloads: [{ name: 'g', kind: 'synthetic', dist: 'gaussian', M: 40, K: 1024, N: 40, seed: 5 }],
    blocks: [{ name: 'e4', preset: 'ocp-fp8', acc: { exp: 4, man: { from: 1, to: points }, bias: 10, subnormals: false, specials: 'none', overflow: 'saturate' } }],
  };
}

/** A result without what may differ between two runs of the same point: its timing. */
export function timeless<T extends { seconds: number }>(r: T): Omit<T, 'seconds'> {
  const { seconds: _s, ...rest } = r;
  return rest;
}

/** Two small synthetic points: a whole sweep in well under a second (for the output-directory rules). */
export function microSweep(name = 'micro'): SweepInput {
  return {
    name,
    workloads: [{ name: 'g', kind: 'synthetic', dist: 'gaussian', M: 2, K: 16, N: 2, seed: 1 }],
    blocks: [{ name: 'e5', preset: 'ocp-fp8', acc: { exp: 5, man: { from: 3, to: 4 } } }],
  };
}
