// Error of D against the float reference (docs/arithmetic.md §6), with golden/metrics.ts's
// conventions: pairs where D or ref is not finite are left out and counted; relative errors are
// taken over the pairs with ref ≠ 0. Computed in float64 on values scaled by one power of two
// (exact), so large or tiny magnitudes neither overflow nor underflow when squared.

import type { ErrorMetrics } from '../golden/metrics.js';

export type { ErrorMetrics };

export function errorMetrics(D: ArrayLike<number>, ref: ArrayLike<number>): ErrorMetrics {
  if (D.length !== ref.length) throw new Error(`errorMetrics: ${D.length} outputs against ${ref.length} references`);
  let top = 0;
  let nonFinite = 0;
  for (let i = 0; i < D.length; i++) {
    const d = D[i]!;
    const r = ref[i]!;
    if (!Number.isFinite(d) || !Number.isFinite(r)) {
      nonFinite++;
      continue;
    }
    top = Math.max(top, Math.abs(d), Math.abs(r));
  }
  // One exact power-of-two scale that puts every finite value below 1.
  const s = top > 0 ? 2 ** -(Math.floor(Math.log2(top)) + 1) : 1;
  let err2 = 0;
  let ref2 = 0;
  let relSum = 0;
  let relMax = 0;
  let nonzeroRefs = 0;
  for (let i = 0; i < D.length; i++) {
    const d = D[i]!;
    const r = ref[i]!;
    if (!Number.isFinite(d) || !Number.isFinite(r)) continue;
    const diff = d * s - r * s;
    err2 += diff * diff;
    ref2 += r * s * (r * s);
    if (r !== 0) {
      const rel = Math.abs(diff) / Math.abs(r * s);
      relSum += rel;
      if (rel > relMax) relMax = rel;
      nonzeroRefs++;
    }
  }
  return {
    nrmse: err2 === 0 ? 0 : ref2 === 0 ? NaN : Math.sqrt(err2 / ref2),
    meanRelError: nonzeroRefs ? relSum / nonzeroRefs : 0,
    maxRelError: relMax,
    outputs: D.length,
    nonzeroRefs,
    nonFinite,
  };
}
