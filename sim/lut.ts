// The product register's value table (pipelined arrays): built once per set of formats from the
// core's own multiply, so the hot loop reads a product instead of recomputing it; every entry is
// core/arith's result. (core/mac.ts's MacKernel has the same table inside, but does not expose a
// product on its own: its step fuses the product into the add.)
import { mul, type RoundingCode } from '../core/arith.js';
import type { Format } from '../core/format.js';

/** Largest product table: a.width + w.width bits of index (256K entries, 1 MB). */
export const PRODUCT_LUT_MAX_BITS = 18;

export interface ProductLut {
  /** Index (a << wWidth) | w. */
  wShift: number;
  code: Uint32Array;
}

/** The product table for small operand formats, or null when a.width + w.width is too large. */
export function productLut(fa: Format, fw: Format, fp: Format, mode: RoundingCode): ProductLut | null {
  const bits = fa.width + fw.width;
  if (bits > PRODUCT_LUT_MAX_BITS) return null;
  const n = 1 << bits;
  const code = new Uint32Array(n);
  const nw = 1 << fw.width;
  for (let a = 0; a < 1 << fa.width; a++) {
    for (let w = 0; w < nw; w++) {
      const i = a * nw + w;
      code[i] = mul(fa, a, fw, w, fp, mode);
    }
  }
  return { wShift: fw.width, code };
}
