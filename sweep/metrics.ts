// Error of D against the float reference (docs/arithmetic.md §6), with golden/metrics.ts's
// conventions: pairs where D or ref is not finite are left out and counted; relative errors are
// taken over the pairs with ref ≠ 0. Computed in float64 on values scaled by one power of two
// (exact), so large or tiny magnitudes neither overflow nor underflow when squared.

import type { ErrorMetrics } from '../golden/metrics.js';

export type { ErrorMetrics };

export function errorMetrics(D: ArrayLike<number>, ref: ArrayLike<number>): ErrorMetrics {
  return new ErrorAccumulator().add(D, ref).result();
}

/**
 * errorMetrics over outputs that arrive in parts (a network layer's output, batch by batch), without
 * keeping them: the same sums, each part scaled by the power of two of the largest value so far
 * (rescaling the earlier sums exactly when it grows). One part gives errorMetrics' numbers.
 */
export class ErrorAccumulator {
  private top = 0;
  private scale = 1;
  private err2 = 0;
  private ref2 = 0;
  private relSum = 0;
  private relMax = 0;
  private nonzeroRefs = 0;
  private outputs = 0;
  private nonFinite = 0;

  add(D: ArrayLike<number>, ref: ArrayLike<number>): this {
    if (D.length !== ref.length) throw new Error(`errorMetrics: ${D.length} outputs against ${ref.length} references`);
    let top = this.top;
    for (let i = 0; i < D.length; i++) {
      const d = D[i]!;
      const r = ref[i]!;
      if (!Number.isFinite(d) || !Number.isFinite(r)) {
        this.nonFinite++;
        continue;
      }
      top = Math.max(top, Math.abs(d), Math.abs(r));
    }
    if (top > this.top) {
      // One exact power-of-two scale that puts every finite value so far below 1.
      const s = 2 ** -(Math.floor(Math.log2(top)) + 1);
      const f = (s / this.scale) ** 2;
      this.err2 *= f;
      this.ref2 *= f;
      this.scale = s;
      this.top = top;
    }
    const s = this.scale;
    for (let i = 0; i < D.length; i++) {
      const d = D[i]!;
      const r = ref[i]!;
      if (!Number.isFinite(d) || !Number.isFinite(r)) continue;
      const diff = d * s - r * s;
      this.err2 += diff * diff;
      this.ref2 += r * s * (r * s);
      if (r !== 0) {
        const rel = Math.abs(diff) / Math.abs(r * s);
        this.relSum += rel;
        if (rel > this.relMax) this.relMax = rel;
        this.nonzeroRefs++;
      }
    }
    this.outputs += D.length;
    return this;
  }

  result(): ErrorMetrics {
    const { err2, ref2, nonzeroRefs } = this;
    return {
      nrmse: err2 === 0 ? 0 : ref2 === 0 ? NaN : Math.sqrt(err2 / ref2),
      meanRelError: nonzeroRefs ? this.relSum / nonzeroRefs : 0,
      maxRelError: this.relMax,
      outputs: this.outputs,
      nonzeroRefs,
      nonFinite: this.nonFinite,
    };
  }
}
