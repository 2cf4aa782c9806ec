// Seeded random jobs for co-simulation: shapes around the array size (edge tiles, several tiles,
// K below and above the array depth), codes biased toward the cases where hardware goes wrong:
// zeros of both signs, infinities and NaNs (canonical or not), subnormals, the largest and
// smallest normals, plus a C input in about half of the jobs; every fourth job near zero (sums
// that underflow) and another fourth with terms that cancel in pairs (sums of exactly zero).
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

/** A code of f near zero: zeros of both signs, subnormals (the smallest most), the two smallest binades of normals. */
export function tinyCode(f: Format, rng: Rng): number {
  const sign = rng.int(2) === 1 ? f.signBit : 0;
  const u = rng.uniform();
  if (u < 0.2) return sign;
  // The smallest subnormals most: their products fall below any accumulator's subnormals.
  if (u < 0.45 && f.man > 0) return sign + 1 + rng.int(Math.min(3, f.hidden - 1));
  if (u < 0.7 && f.man > 0) return sign + 1 + rng.int(f.hidden - 1);
  return sign + Math.min(f.signBit - 1, (1 + rng.int(2)) * f.hidden + rng.int(f.hidden));
}

function matrix(rows: number, cols: number, f: Format, rng: Rng, code = cornerCode): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => code(f, rng)));
}

/** Every odd term repeats the even one before it with the weight's sign flipped: sums that cancel
 *  to zero (exactly, where the accumulator holds the product), then start again. */
function cancelInPairs(A: number[][], B: number[][], signBit: number): void {
  for (let k = 0; k + 1 < B.length; k += 2) {
    for (const row of A) row[k + 1] = row[k]!;
    B[k + 1] = B[k]!.map((w) => w ^ signBit);
  }
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
    // Jobs 1, 5, 9, … stay near zero (sums that underflow); jobs 3, 7, … cancel in pairs (dense arrays).
    const kind = i % 4 === 1 ? 'tiny' : i % 4 === 3 && cfg.sparsity !== '2:4' ? 'cancel' : 'corner';
    const A = matrix(M, K, cfg.a, rng, kind === 'tiny' ? tinyCode : cornerCode);
    const B = matrix(K, N, cfg.w, rng, kind === 'tiny' ? tinyCode : cornerCode);
    if (kind === 'cancel') cancelInPairs(A, B, cfg.w.signBit);
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
