// Lookup tables built once per array from the core's own operations, so the hot loop reads a
// product or a class instead of recomputing it. Every entry is the core's result: the tables
// cannot disagree with core/arith.
import { isFiniteNonzeroCode, isZeroCode, mul, type Rounding, status } from '../core/arith.js';
import type { Format } from '../core/format.js';

/** Largest product table: a.width + w.width bits of index (256K entries, 1.25 MB). */
export const PRODUCT_LUT_MAX_BITS = 18;

export interface ProductLut {
  /** Index (a << wWidth) | w. */
  wShift: number;
  code: Uint32Array;
  /** status.flags of the multiply. */
  flags: Uint8Array;
}

/** The product table for small operand formats, or null when a.width + w.width is too large. */
export function productLut(fa: Format, fw: Format, fp: Format, mode: Rounding): ProductLut | null {
  const bits = fa.width + fw.width;
  if (bits > PRODUCT_LUT_MAX_BITS) return null;
  const n = 1 << bits;
  const code = new Uint32Array(n);
  const flags = new Uint8Array(n);
  const nw = 1 << fw.width;
  for (let a = 0; a < 1 << fa.width; a++) {
    for (let w = 0; w < nw; w++) {
      const i = a * nw + w;
      code[i] = mul(fa, a, fw, w, fp, mode);
      flags[i] = status.flags;
    }
  }
  return { wShift: fw.width, code, flags };
}

/** Operand classes as the swamping rule needs them. */
export const CLS_ZERO = 0;
export const CLS_FINITE = 1; // finite nonzero
export const CLS_SPECIAL = 2; // inf or NaN

export const CLASS_LUT_MAX_BITS = 16;

/** Classifies codes of one format: a table for formats up to 16 bits, the core's predicates above. */
export class Classifier {
  private readonly table: Uint8Array | null;
  constructor(private readonly f: Format) {
    if (f.width <= CLASS_LUT_MAX_BITS) {
      const t = new Uint8Array(1 << f.width);
      for (let c = 0; c < t.length; c++) t[c] = this.slow(c);
      this.table = t;
    } else {
      this.table = null;
    }
  }

  private slow(code: number): number {
    return isFiniteNonzeroCode(code, this.f) ? CLS_FINITE : isZeroCode(code, this.f) ? CLS_ZERO : CLS_SPECIAL;
  }

  of(code: number): number {
    return this.table !== null ? this.table[code]! : this.slow(code);
  }
}
