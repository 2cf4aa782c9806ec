// Golden 2:4 compression of the weights (docs/arithmetic.md §4), written apart from
// core/sparse.ts.
import { LbamacError } from '../core/errors.js';
import type { Format } from '../core/format.js';
import { decode } from './exact.js';

export interface Compressed24 {
  groups: number;
  /** [group][column][slot]: codes of the weight format. */
  values: number[][][];
  /** [group][column][slot]: index 0..3 within the group, slot 0 < slot 1. */
  index: number[][][];
}

/** Compresses B (K×N codes, dense layout); K is padded with zeros to a multiple of 4. */
export function compress24(B: number[][], w: Format): Compressed24 {
  const K = B.length;
  const N = B[0]?.length ?? 0;
  B.forEach((row, k) => {
    if (row.length !== N) throw new LbamacError(`B row ${k} has ${row.length} columns; row 0 has ${N}`);
  });
  const groups = Math.ceil(K / 4);
  const values: number[][][] = [];
  const index: number[][][] = [];
  for (let g = 0; g < groups; g++) {
    values.push([]);
    index.push([]);
    for (let j = 0; j < N; j++) {
      const rows = nonzeroRows(B, w, g, j);
      if (rows.length > 2) {
        throw new LbamacError(
          `B breaks 2:4 sparsity: group ${g} (rows ${4 * g}-${4 * g + 3}), column ${j} has ${rows.length} nonzeros ` +
            `(rows ${rows.join(', ')}); at most 2 are allowed`,
        );
      }
      const slots = slotsOf(rows.map((k) => ({ idx: k - 4 * g, code: B[k]![j]! })));
      values[g]!.push(slots.map((s) => s.code));
      index[g]!.push(slots.map((s) => s.idx));
    }
  }
  return { groups, values, index };
}

/** Rows of group g holding a nonzero in column j: NaN and inf count, zeros of any sign do not. */
function nonzeroRows(B: number[][], w: Format, g: number, j: number): number[] {
  const rows: number[] = [];
  for (let k = 4 * g; k < Math.min(4 * g + 4, B.length); k++) {
    if (decode(B[k]![j]!, w).kind !== 'zero') rows.push(k);
  }
  return rows;
}

/** Two slots in ascending index: the nonzeros, then +0 at the lowest unused indices. */
function slotsOf(nonzeros: { idx: number; code: number }[]): { idx: number; code: number }[] {
  const slots = [...nonzeros];
  for (let idx = 0; slots.length < 2; idx++) {
    if (!nonzeros.some((s) => s.idx === idx)) slots.push({ idx, code: 0 });
  }
  return slots.sort((s, t) => s.idx - t.idx);
}
