// Dense row-major matrices of float64 values or of format codes, per-tensor power-of-two scaling,
// quantization into a float format, and 2:4 magnitude pruning.
import { isFiniteCode, isZeroCode, roundingCode, toFloat64 } from '../core/arith.js';
import { type ConversionCounts, ConversionTally } from '../core/conversions.js';
import type { Format, RoundingMode } from '../core/format.js';

/** rows × cols values, row-major. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** rows × cols codes of `format`, row-major (codes < 2^32). */
export interface CodeMat {
  rows: number;
  cols: number;
  data: Uint32Array;
  format: Format;
}

export function mat(rows: number, cols: number, data?: Float64Array): Mat {
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

export function absMax(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    if (v > m) m = v;
  }
  return m;
}

/**
 * The power-of-two scale of per-tensor quantization: the exponent s with absMax · 2^s in [1, 2)
 * (0 for an all-zero tensor). Scaling by 2^s is exact, so it never adds error of its own.
 */
export function scaleLog2(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 0;
  let s = -Math.floor(Math.log2(max));
  while (max * 2 ** s >= 2) s--;
  while (max * 2 ** s < 1) s++;
  return s;
}

/** A code matrix made from real values, with what the conversion did to them. */
export interface QuantizedMat extends CodeMat {
  conversions: ConversionCounts;
}

/** x · 2^s rounded into `format` with `mode`, element by element. */
export function quantize(x: Mat, s: number, format: Format, mode: RoundingMode): QuantizedMat {
  const tally = new ConversionTally(format, roundingCode(mode));
  const f = 2 ** s;
  const data = new Uint32Array(x.data.length);
  for (let i = 0; i < data.length; i++) data[i] = tally.convert(x.data[i]! * f);
  return { rows: x.rows, cols: x.cols, data, format, conversions: tally.counts };
}

/** Values of a code matrix: a table lookup for formats up to 16 bits. */
export function decode(m: CodeMat): Float64Array {
  const out = new Float64Array(m.data.length);
  const table = valueTable(m.format);
  for (let i = 0; i < out.length; i++) out[i] = table ? table[m.data[i]!]! : toFloat64(m.data[i]!, m.format);
  return out;
}

const tables = new WeakMap<Format, Float64Array | null>();

/** The float64 value of every code of a format up to 16 bits wide, else null. */
export function valueTable(f: Format): Float64Array | null {
  let t = tables.get(f);
  if (t === undefined) {
    if (f.width <= 16) {
      t = new Float64Array(2 ** f.width);
      for (let c = 0; c < t.length; c++) t[c] = toFloat64(c, f);
    } else t = null;
    tables.set(f, t);
  }
  return t;
}

/** True when every code is a finite number (no inf, no NaN). */
export function allFinite(m: CodeMat): boolean {
  const finite = finiteTable(m.format);
  if (finite) {
    for (let i = 0; i < m.data.length; i++) if (finite[m.data[i]!] === 0) return false;
    return true;
  }
  for (let i = 0; i < m.data.length; i++) if (!isFiniteCode(m.data[i]!, m.format)) return false;
  return true;
}

const finiteTables = new WeakMap<Format, Uint8Array | null>();

/** 1 for the codes that are finite numbers, formats up to 16 bits (a lookup instead of decoding: it runs on every GEMM's A). */
function finiteTable(f: Format): Uint8Array | null {
  let t = finiteTables.get(f);
  if (t === undefined) {
    t = f.width <= 16 ? Uint8Array.from({ length: 2 ** f.width }, (_, c) => (isFiniteCode(c, f) ? 1 : 0)) : null;
    finiteTables.set(f, t);
  }
  return t;
}

/** For each row: the columns holding a nonzero code, ascending (offsets into one Int32Array). */
export interface RowIndex {
  start: Int32Array;
  cols: Int32Array;
}

export function nonzeroByRow(m: CodeMat): RowIndex {
  const start = new Int32Array(m.rows + 1);
  // Room for every column, cut to size at the end: one pass, no growing array.
  const cols = new Int32Array(m.rows * m.cols);
  const zero = zeroTable(m.format);
  let n = 0;
  for (let i = 0; i < m.rows; i++) {
    start[i] = n;
    const off = i * m.cols;
    for (let k = 0; k < m.cols; k++) {
      const c = m.data[off + k]!;
      if (!(zero ? zero[c] === 1 : isZeroCode(c, m.format))) cols[n++] = k;
    }
  }
  start[m.rows] = n;
  return { start, cols: cols.slice(0, n) };
}

const zeroTables = new WeakMap<Format, Uint8Array | null>();

/** 1 for the codes that are zeros (either sign, and flushed subnormal fields), formats up to 16 bits. */
export function zeroTable(f: Format): Uint8Array | null {
  let t = zeroTables.get(f);
  if (t === undefined) {
    if (f.width <= 16) {
      t = new Uint8Array(2 ** f.width);
      for (let c = 0; c < t.length; c++) t[c] = isZeroCode(c, f) ? 1 : 0;
    } else t = null;
    zeroTables.set(f, t);
  }
  return t;
}

/**
 * 2:4 magnitude pruning of a K × N weight matrix along K: in every aligned group of 4 rows and
 * every column, the 2 largest magnitudes stay (ties: the lower row) and the others become 0.
 * A last partial group keeps at most 2 as well.
 */
export function prune24(b: Mat): Mat {
  const out = mat(b.rows, b.cols, Float64Array.from(b.data));
  for (let g = 0; g < b.rows; g += 4) {
    const n = Math.min(4, b.rows - g);
    for (let j = 0; j < b.cols; j++) {
      const rows = Array.from({ length: n }, (_, r) => g + r);
      rows.sort((x, y) => Math.abs(b.data[y * b.cols + j]!) - Math.abs(b.data[x * b.cols + j]!) || x - y);
      for (const r of rows.slice(2)) out.data[r * b.cols + j] = 0;
    }
  }
  return out;
}

/** Nested arrays, for the core's reference APIs and for tests. */
export function toRows(m: { rows: number; cols: number; data: ArrayLike<number> }): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.data[i * m.cols + j]!));
}
