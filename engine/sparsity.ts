// 2:4 sparsity of a job's B (docs/arithmetic.md §4): at most 2 nonzeros in every aligned group of
// 4 along K, for every column. A B that breaks it is rejected, naming the first group, unless the
// user asked to prune it: then the usual magnitude recipe makes it hold.
import { isZeroCode, toFloat64 } from '../core/arith.js';
import { LbamacError } from '../core/errors.js';
import type { Format } from '../core/format.js';
import type { Matrix } from './matrix.js';
import { jobMessages as msg } from './messages.js';

/** Rows of group g holding a nonzero in column j of the K×N codes (NaN and inf count, zeros of either sign do not). */
function nonzeroRows(B: number[][], w: Format, g: number, j: number): number[] {
  const rows: number[] = [];
  for (let k = 4 * g; k < Math.min(4 * g + 4, B.length); k++) if (!isZeroCode(B[k]![j]!, w)) rows.push(k);
  return rows;
}

/** Throws for the first group with more than 2 nonzeros. `nk`: the file holds B as N×K, and the
 *  message gives positions in the file. */
export function checkSparsity(B: Matrix, w: Format, file: string, nk: boolean): void {
  const K = B.codes.length;
  const N = B.codes[0]!.length;
  for (let g = 0; 4 * g < K; g++) {
    for (let j = 0; j < N; j++) {
      const rows = nonzeroRows(B.codes, w, g, j);
      if (rows.length > 2) throw new LbamacError(msg.sparsity(file, j, g, rows, rows.map((k) => B.written(k, j)), nk));
    }
  }
}

/**
 * Makes the K×N codes 2:4 sparse in place: in every group with more than 2 nonzeros, keeps the 2
 * of largest magnitude as the weight format holds them (NaN ranks with the infinities, so that a
 * broken weight stays visible; ties keep the lower row) and sets the others to +0.
 */
export function prune24(B: number[][], w: Format): { zeroed: number; nonzeros: number } {
  let zeroed = 0;
  let nonzeros = 0;
  const magnitude = (code: number) => {
    const v = Math.abs(toFloat64(code, w));
    return Number.isNaN(v) ? Infinity : v;
  };
  for (let g = 0; 4 * g < B.length; g++) {
    for (let j = 0; j < B[0]!.length; j++) {
      const rows = nonzeroRows(B, w, g, j);
      nonzeros += rows.length;
      // Largest first; between equal magnitudes (two infinities make a NaN difference) the lower row.
      const smallest = rows.sort((k, l) => magnitude(B[l]![j]!) - magnitude(B[k]![j]!) || k - l).slice(2);
      for (const k of smallest) B[k]![j] = 0;
      zeroed += smallest.length;
    }
  }
  return { zeroed, nonzeros };
}
