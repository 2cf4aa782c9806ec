// Error of D against the float reference (docs/arithmetic.md §6). Differences are taken exactly and
// norms are computed on power-of-two-scaled values: doubles from formats with extreme biases would
// otherwise overflow or underflow when squared or subtracted.
import { LbamacError } from '../core/errors.js';
import { type Exact, type Finite, exactAdd, fromFloat64, ilog2, negate, toFloat64 } from './exact.js';

export interface ErrorMetrics {
  /** sqrt(Σ(D - ref)² / Σ ref²) over finite pairs; 0 when both sums are 0, NaN when only Σ ref² is. */
  nrmse: number;
  /** Mean and max of |D - ref| / |ref| over finite pairs with ref ≠ 0; 0 when there are none. */
  meanRelError: number;
  maxRelError: number;
  /** Number of outputs. */
  outputs: number;
  /** Finite pairs with ref ≠ 0: the population of the relative errors. */
  nonzeroRefs: number;
  /** Pairs where D or ref is not finite, left out of every other metric. */
  nonFinite: number;
}

/** D and ref: same-shaped matrices of float64 values. */
export function errorMetrics(D: number[][], ref: number[][]): ErrorMetrics {
  if (D.length !== ref.length || D.some((row, i) => row.length !== ref[i]!.length)) {
    throw new LbamacError('errorMetrics: D and ref must have the same shape');
  }
  const errs: Exact[] = [];
  const refs: Exact[] = [];
  const rels: number[] = [];
  let outputs = 0;
  let nonFinite = 0;
  D.forEach((row, i) =>
    row.forEach((d, j) => {
      const r = ref[i]![j]!;
      outputs++;
      if (!Number.isFinite(d) || !Number.isFinite(r)) {
        nonFinite++;
        return;
      }
      const refExact = fromFloat64(r);
      const err = exactAdd(fromFloat64(d), negate(refExact));
      errs.push(err);
      refs.push(refExact);
      if (refExact.kind === 'finite') rels.push(relative(err, refExact));
    }),
  );
  const sum = rels.reduce((s, x) => s + x, 0);
  return {
    nrmse: normRatio(errs, refs),
    meanRelError: rels.length ? sum / rels.length : 0,
    maxRelError: rels.reduce((m, x) => Math.max(m, x), 0),
    outputs,
    nonzeroRefs: rels.length,
    nonFinite,
  };
}

/** v · 2^k, exactly. */
function scale(v: Exact, k: number): Exact {
  return v.kind === 'finite' ? { ...v, exp: v.exp + k } : v;
}

/** |err| / |ref|, both scaled so that ref lies in [1, 2). */
function relative(err: Exact, ref: Finite): number {
  const k = -ilog2(ref);
  return Math.abs(toFloat64(scale(err, k))) / Math.abs(toFloat64(scale(ref, k)));
}

/** Σ v² as s · 4^k with s in [1/4, count], or null when every value is zero. */
function sumOfSquares(values: Exact[]): { s: number; k: number } | null {
  const nonzero = values.filter((v): v is Finite => v.kind === 'finite');
  if (nonzero.length === 0) return null;
  const k = nonzero.reduce((top, v) => Math.max(top, ilog2(v)), -Infinity) + 1;
  return { s: nonzero.reduce((sum, v) => sum + toFloat64(scale(v, -k)) ** 2, 0), k };
}

function normRatio(errs: Exact[], refs: Exact[]): number {
  const e = sumOfSquares(errs);
  const r = sumOfSquares(refs);
  if (e === null) return 0;
  if (r === null) return NaN;
  // The power of two is applied exactly, then rounded once to a double.
  return toFloat64(scale(fromFloat64(Math.sqrt(e.s / r.s)), e.k - r.k));
}
