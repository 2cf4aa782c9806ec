// 2:4 structured sparsity (docs/arithmetic.md §4): B compressed to 2 value slots and their 2-bit
// indices per aligned group of 4 along K and per column, as the array's selectors consume it.
import { isZeroCode } from './arith.js';
import { LbamacError } from './errors.js';
import type { Format } from './format.js';

export interface Sparse24 {
  /** ceil(K / 4): groups along K, the last one padded with zeros. */
  groups: number;
  cols: number;
  /** Slot values (codes of the weight format) at [(g * cols + j) * 2 + slot]. */
  values: Float64Array;
  /** Slot indices 0..3 within the group at the same positions; slot 0 < slot 1. */
  index: Uint8Array;
}

/** Compresses a dense K×N B; a group with more than 2 nonzeros is an error naming the first one. */
export function compress24(B: readonly (readonly number[])[], w: Format, cols: number): Sparse24 {
  const K = B.length;
  const groups = Math.ceil(K / 4);
  const values = new Float64Array(groups * cols * 2);
  const index = new Uint8Array(groups * cols * 2);
  const kept: number[] = [];
  for (let g = 0; g < groups; g++) {
    for (let j = 0; j < cols; j++) {
      kept.length = 0;
      for (let r = 0; r < 4; r++) {
        const k = 4 * g + r;
        if (k < K && !isZeroCode(B[k]![j]!, w)) kept.push(r);
      }
      if (kept.length > 2) {
        throw new LbamacError(
          `B breaks 2:4 sparsity: group ${g} (rows ${4 * g}-${4 * g + 3}), column ${j} has ${kept.length} nonzeros ` +
            `(rows ${kept.map((r) => 4 * g + r).join(', ')}); at most 2 are allowed`,
        );
      }
      // Free slots take the lowest unused indices and hold +0 (code 0 in every format).
      for (let r = 0; kept.length < 2; r++) if (!kept.includes(r)) kept.push(r);
      kept.sort((x, y) => x - y);
      const at = (g * cols + j) * 2;
      for (let s = 0; s < 2; s++) {
        const r = kept[s]!;
        index[at + s] = r;
        const k = 4 * g + r;
        values[at + s] = k < K && !isZeroCode(B[k]![j]!, w) ? B[k]![j]! : 0;
      }
    }
  }
  return { groups, cols, values, index };
}
