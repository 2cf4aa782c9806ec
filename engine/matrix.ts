// One matrix of a job, from what its file holds to codes of its format. A JSON matrix is an
// array of rows whose elements are numbers or strings; a .npy array (engine/npy.ts) is 2-D and of
// one dtype: float elements are real values, uint elements bit patterns, as "0x…" strings are in
// JSON. Real values are converted with the input rounding mode and counted (the tally).
import { LbamacError } from '../core/errors.js';
import type { ConversionTally } from '../core/conversions.js';
import { jobMessages as msg } from './messages.js';
import { isFloatDtype, NpyArray, showShape } from './npy.js';

export interface Matrix {
  /** Codes, one row per row of the file. */
  codes: number[][];
  /** The element at [i][j] as the file gives it, for messages. */
  written(i: number, j: number): unknown;
}

/** Parsed JSON or a .npy array, converted element by element into codes of the tally's format. */
export function toMatrix(raw: unknown, file: string, tally: ConversionTally): Matrix {
  if (raw instanceof NpyArray) return npyMatrix(raw, file, tally);
  const rows = jsonRows(raw, file);
  return { codes: rows.map((row, i) => row.map((el, j) => parseElement(el, tally, file, i, j))), written: (i, j) => rows[i]![j] };
}

/** The same matrix with rows and columns swapped (element [i][j] of the file is at [j][i]). */
export function transposed(m: Matrix): Matrix {
  const rows = m.codes.length;
  const cols = m.codes[0]!.length;
  return {
    codes: Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => m.codes[i]![j]!)),
    written: (i, j) => m.written(j, i),
  };
}

/** A JSON array of rows, rectangular and non-empty. */
function jsonRows(raw: unknown, file: string): unknown[][] {
  if (!Array.isArray(raw)) throw new LbamacError(msg.notMatrix(file, raw));
  if (raw.length === 0) throw new LbamacError(msg.noRows(file));
  raw.forEach((row: unknown, i) => {
    if (!Array.isArray(row)) throw new LbamacError(msg.rowNotArray(file, i, row));
    if (i === 0 && row.length === 0) throw new LbamacError(msg.emptyRow(file));
    if (row.length !== raw[0].length) throw new LbamacError(msg.ragged(file, i, row.length, raw[0].length));
  });
  return raw as unknown[][];
}

/** The values a JSON number cannot say, as gemm writes them (engine/output.ts). */
const SPECIAL_VALUES: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 };
const HEX_RE = /^0x[0-9a-f]+$/i;

function parseElement(el: unknown, tally: ConversionTally, file: string, i: number, j: number): number {
  const f = tally.format;
  if (typeof el === 'number') {
    // JSON.parse turns a literal such as 1e999 into Infinity; that is a typo, not an infinity.
    if (!Number.isFinite(el)) throw new LbamacError(msg.nonFinite(file, i, j, el));
    return tally.convert(el);
  }
  if (typeof el === 'string') {
    const special = SPECIAL_VALUES[el];
    if (special !== undefined) return tally.convert(special);
    if (HEX_RE.test(el)) {
      // BigInt so that a long pattern is reported as too large instead of losing digits.
      const code = BigInt(el);
      if (code >= 2n ** BigInt(f.width)) throw new LbamacError(msg.hexTooLarge(file, i, j, el, f.name, f.width, hex(2 ** f.width - 1)));
      return Number(code);
    }
  }
  throw new LbamacError(msg.badElement(file, i, j, el));
}

function npyMatrix(array: NpyArray, file: string, tally: ConversionTally): Matrix {
  const { shape, data } = array;
  if (shape.length !== 2) throw new LbamacError(msg.npyNotMatrix(file, showShape(shape)));
  const [rows, cols] = shape as [number, number];
  if (rows === 0 || cols === 0) throw new LbamacError(msg.npyEmpty(file, showShape(shape)));
  const f = tally.format;
  const values = isFloatDtype(array.dtype);
  const codes = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => {
      const x = data[i * cols + j]!;
      if (values) return tally.convert(x);
      if (x >= 2 ** f.width) throw new LbamacError(msg.codeTooLarge(file, i, j, x, hex(x), array.dtype, f.name, f.width, 2 ** f.width - 1, hex(2 ** f.width - 1)));
      return x;
    }),
  );
  return { codes, written: (i, j) => (values ? data[i * cols + j] : hex(data[i * cols + j]!)) };
}

function hex(code: number): string {
  return '0x' + code.toString(16);
}
