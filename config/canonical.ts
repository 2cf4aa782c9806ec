// A resolved configuration written back as a complete config input: every format field explicit,
// so two inputs that resolve alike give the same object (and the same hash, wherever it keys a
// cache or a sweep point).
import type { FixedOverflow } from '../core/fixed.js';
import { formatSpecOf, type FormatSpec, makeFormat } from '../core/format.js';
import { fixedLabel } from '../core/fixed.js';
import { type AlignBits, dotCellOf } from '../core/lanes.js';
import type { ArrayConfig } from './resolve.js';

/** A fixed-point accumulator as the config writes it (docs/arithmetic.md §3). */
export interface CanonicalFixedAcc {
  fixed: { msb: number; lsb: number };
  overflow: FixedOverflow;
  out: Required<FormatSpec>;
}

/** A resolved config as a complete config input (every format field explicit): valid for resolveConfig. */
export interface CanonicalConfig {
  rows: number;
  cols: number;
  dataflow: 'os' | 'ws';
  a: Required<FormatSpec>;
  w: Required<FormatSpec>;
  product: Required<FormatSpec> | 'exact';
  acc: Required<FormatSpec> | CanonicalFixedAcc;
  total?: Required<FormatSpec>;
  /** randomBits and seed only with a step that rounds with rsr. */
  rounding: { input: string; product: string; acc: string; total: string; randomBits?: number; seed?: number };
  chunk?: number;
  sparsity: 'dense' | '2:4';
  /** A dot-product cell's, only when not the multiply-add cell (hashes stay as they were). */
  lanes?: number;
  alignBits?: AlignBits;
  /** Only when not the default, so that a configuration keeps the hash it always had. */
  pipeline?: { stages: number };
  flags?: true;
}

export function canonicalConfig(c: ArrayConfig): CanonicalConfig {
  return {
    rows: c.rows,
    cols: c.cols,
    dataflow: c.dataflow,
    a: formatSpecOf(c.a),
    w: formatSpecOf(c.w),
    product: c.product === null ? 'exact' : formatSpecOf(c.product),
    acc: c.fixed === undefined ? formatSpecOf(c.acc) : { fixed: { msb: c.fixed.msb, lsb: c.fixed.lsb }, overflow: c.fixed.overflow, out: formatSpecOf(c.acc) },
    ...(c.chunk === null ? {} : { total: formatSpecOf(c.total), chunk: c.chunk }),
    rounding: { ...c.rounding, ...(c.random === undefined ? {} : { randomBits: c.random.bits, seed: c.random.seed }) },
    sparsity: c.sparsity,
    ...(dotCellOf(c) ?? {}),
    ...((c.pipeline?.stages ?? 0) > 0 ? { pipeline: { stages: c.pipeline!.stages } } : {}),
    ...(c.flags ? { flags: true as const } : {}),
  };
}

/** The accumulator's name (a fixed-point register by its label) and its width in bits. */
export function accName(acc: CanonicalConfig['acc']): string {
  return 'fixed' in acc ? fixedLabel({ ...acc.fixed, overflow: acc.overflow, width: accWidth(acc) }, makeFormat(acc.out)) : makeFormat(acc).name;
}

export function accWidth(acc: CanonicalConfig['acc']): number {
  return 'fixed' in acc ? acc.fixed.msb + 2 - acc.fixed.lsb : makeFormat(acc).width;
}

/** The mantissa bits of a float accumulator, of a fixed-point one's output format. */
export function accMan(acc: CanonicalConfig['acc']): number {
  return 'fixed' in acc ? acc.out.man : acc.man;
}
