// Seeded random jobs for co-simulation: shapes around the array size (edge tiles, several tiles,
// K below and above the array depth), codes biased toward the cases where hardware goes wrong:
// zeros of both signs, infinities and NaNs (canonical or not), subnormals, the largest and
// smallest normals, plus a C input in about half of the jobs.
import type { Format } from '../core/format.js';
import { type ArrayConfig, outputFormat } from '../config/resolve.js';
import { Rng } from '../workloads/rng.js';

export interface RandomJob {
  A: number[][];
  B: number[][];
  C?: number[][];
  /** Cycles that pulse flags_clear (arrays with sticky flags). */
  flagsClear?: number[];
}

/** A code of f drawn from the corners or uniformly. */
export function cornerCode(f: Format, rng: Rng): number {
  const sign = rng.int(2) === 1 ? f.signBit : 0;
  const u = rng.uniform();
  const maxField = Math.floor(f.maxFiniteMag / f.hidden);
  const field = (e: number) => Math.max(0, Math.min(maxField, e));
  let mag: number;
  if (u < 0.12) mag = 0;
  else if (u < 0.22 && (f.infCode >= 0 || f.nanCode >= 0)) {
    // Infinities and NaNs: every code with the all-ones exponent (ieee) or the NaN codes (fn).
    mag = f.specials === 'ieee' ? f.infCode + rng.int(f.signBit - f.infCode) : f.nanCode;
  } else if (u < 0.32 && f.man > 0) mag = 1 + rng.int(f.hidden - 1); // subnormal (a zero under ftz)
  else if (u < 0.42) mag = Math.max(0, f.maxFiniteMag - rng.int(Math.min(f.hidden, 4) + 1)); // huge
  else if (u < 0.5) mag = field(1 + rng.int(2)) * f.hidden + rng.int(f.hidden); // tiny normals
  else mag = rng.int(f.maxFiniteMag + 1);
  return sign + Math.min(mag, f.signBit - 1);
}

function matrix(rows: number, cols: number, f: Format, rng: Rng): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => cornerCode(f, rng)));
}

/**
 * `count` jobs for the array; the same seed gives the same jobs. Job i has C when i is even, so
 * any two jobs cover both; shapes reach up to about twice the array in every dimension.
 */
export function randomJobs(cfg: ArrayConfig, count: number, seed: number): RandomJob[] {
  const rng = new Rng(seed);
  const jobs: RandomJob[] = [];
  const R = cfg.rows;
  const C = cfg.cols;
  const dim = (n: number) => 1 + rng.int(rng.uniform() < 0.4 ? 2 * n + 1 : n);
  for (let i = 0; i < count; i++) {
    const M = dim(R);
    const N = dim(C);
    // Terms the array's depth holds: R steps of G terms (2:4: of two slots a group).
    const depth = (cfg.sparsity === '2:4' ? 2 * R : R) * (cfg.lanes ?? 1);
    const K = 1 + rng.int(rng.uniform() < 0.5 ? 2 * depth + 4 : depth + 1);
    const A = matrix(M, K, cfg.a, rng);
    const B = matrix(K, N, cfg.w, rng);
    if (cfg.sparsity === '2:4') {
      // At most two nonzeros in every aligned group of 4 along K; the rest become zeros of either sign.
      const positions = [0, 1, 2, 3];
      for (let g = 0; 4 * g < K; g++) {
        for (let j = 0; j < N; j++) {
          rng.shuffle(positions);
          for (const q of positions.slice(2)) if (4 * g + q < K) B[4 * g + q]![j] = rng.int(2) === 1 ? cfg.w.signBit : 0;
        }
      }
    }
    const job: RandomJob = i % 2 === 0 ? { A, B, C: matrix(M, N, outputFormat(cfg), rng) } : { A, B };
    // Arrays with sticky flags get a few clears at random cycles (within the first job's reach).
    if (cfg.flags) job.flagsClear = Array.from({ length: 1 + rng.int(3) }, () => rng.int(4 * (M + N + K + R + C)));
    jobs.push(job);
  }
  return jobs;
}

export function describeJob(job: RandomJob): string {
  const M = job.A.length;
  const K = job.B.length;
  const N = job.B[0]!.length;
  return `${M}×${K} by ${K}×${N}${job.C ? ' with C' : ''}`;
}
