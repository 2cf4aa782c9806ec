// Matrices with the statistics of NN layers: A (M×K activations) and B (K×N weights), drawn from a
// seeded PRNG. The values are unit-scale; the per-tensor power-of-two scaling of quantization
// (workloads/matrix.ts) makes the absolute scale irrelevant.
import { mat, type Mat } from './matrix.js';
import { Rng } from './rng.js';
import type { SyntheticSpec } from './schema.js';

function draw(rng: Rng, dist: SyntheticSpec['dist'], nu: number): number {
  switch (dist) {
    case 'gaussian':
      return rng.normal();
    case 'laplace':
      return rng.laplace();
    case 'student-t':
      return rng.studentT(nu);
    case 'uniform':
      // Positive values: sums without cancellation, where a relative error is the error's size.
      return rng.uniform();
  }
}

/** A then B, both from one stream seeded with spec.seed. */
export function syntheticMatrices(spec: SyntheticSpec): { A: Mat; B: Mat } {
  const rng = new Rng(spec.seed);
  const A = mat(spec.M, spec.K);
  for (let i = 0; i < A.data.length; i++) {
    const x = draw(rng, spec.dist, spec.nu);
    A.data[i] = spec.relu ? Math.max(0, x) : x;
  }
  const B = mat(spec.K, spec.N);
  const wDist = spec.wDist ?? spec.dist;
  for (let i = 0; i < B.data.length; i++) B.data[i] = draw(rng, wDist, spec.nu) / Math.sqrt(spec.K);
  return { A, B };
}
