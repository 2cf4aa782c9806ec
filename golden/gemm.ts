// Golden D = A·B + C (docs/arithmetic.md §3-§5) on the exact arithmetic of golden/exact.ts: every
// output is computed on its own, term by term, in the contract's order.
import { type ArrayConfig, outputFormat } from '../config/resolve.js';
import { LbamacError } from '../core/errors.js';
import type { Format } from '../core/format.js';
import { dotCellOf } from '../core/lanes.js';
import { draw, type DrawKind } from '../core/random-stream.js';
import { dotCellOutput } from './dot.js';
import {
  type Draw,
  type Exact,
  EV_INVALID,
  EV_OVERFLOW,
  EV_TINY,
  EV_ZERO,
  type Rounded,
  add,
  decode,
  exactAdd,
  exactMul,
  fma,
  mul,
  toFloat64,
  zero,
} from './exact.js';
import { fixedDot } from './fixed.js';
import { compress24 } from './sparse.js';

export interface EventCounts {
  /** Product roundings with EV_OVERFLOW. */
  productOverflow: number;
  /** Product roundings with EV_TINY: a subnormal or zero product from a nonzero exact one. */
  productUnderflow: number;
  /** Accumulator and chunk-total additions with EV_OVERFLOW. */
  accOverflow: number;
  /** Accumulator and chunk-total additions with EV_ZERO: a nonzero exact sum rounded to zero. */
  accUnderflow: number;
  /** Additions of a finite nonzero addend to a finite (possibly zero) acc that leave its code unchanged. */
  swamping: number;
  /** Operations with EV_INVALID. */
  nan: number;
}

export function zeroEvents(): EventCounts {
  return { productOverflow: 0, productUnderflow: 0, accOverflow: 0, accUnderflow: 0, swamping: 0, nan: 0 };
}

export function addEvents(a: EventCounts, b: EventCounts): EventCounts {
  return {
    productOverflow: a.productOverflow + b.productOverflow,
    productUnderflow: a.productUnderflow + b.productUnderflow,
    accOverflow: a.accOverflow + b.accOverflow,
    accUnderflow: a.accUnderflow + b.accUnderflow,
    swamping: a.swamping + b.swamping,
    nan: a.nan + b.nan,
  };
}

export interface GoldenGemm {
  /** M×N codes in outputFormat(cfg). */
  D: number[][];
  events: EventCounts;
  perOutput: EventCounts[][];
}

/** One term of a dot product: codes in cfg.a and cfg.w. */
export interface Term {
  a: number;
  b: number;
}

/**
 * A: M×K codes in cfg.a; B: K×N codes in cfg.w (the dense layout, also in 2:4 mode);
 * C: optional M×N codes in outputFormat(cfg).
 */
/** onRow, if given, hears after each row of D how many of the M rows are done. */
export function goldenGemm(cfg: ArrayConfig, A: number[][], B: number[][], C?: number[][], onRow?: (done: number, total: number) => void): GoldenGemm {
  const { M, N } = checkShapes(A, B, C);
  const termsOf = termSource(cfg, A, B);
  const D: number[][] = [];
  const perOutput: EventCounts[][] = [];
  let events = zeroEvents();
  for (let i = 0; i < M; i++) {
    D.push([]);
    perOutput.push([]);
    for (let j = 0; j < N; j++) {
      const ev = zeroEvents();
      D[i]!.push(cfg.fixed === undefined ? dot(cfg, termsOf(i, j), C?.[i]![j], ev, drawsAt(cfg, i, j)) : fixedDot(cfg, cfg.fixed, termsOf(i, j), C?.[i]![j], ev));
      perOutput[i]!.push(ev);
      events = addEvents(events, ev);
    }
    onRow?.(i + 1, M);
  }
  return { D, events, perOutput };
}

function checkShapes(A: number[][], B: number[][], C?: number[][]): { M: number; K: number; N: number } {
  const M = A.length;
  const K = B.length;
  const N = B[0]?.length ?? C?.[0]?.length ?? 0;
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new LbamacError(`goldenGemm: ${message}`);
  };
  A.forEach((row, i) => check(row.length === K, `A row ${i} has ${row.length} entries; B has K = ${K} rows`));
  B.forEach((row, k) => check(row.length === N, `B row ${k} has ${row.length} entries; expected N = ${N}`));
  if (C) {
    check(C.length === M, `C has ${C.length} rows; A has M = ${M}`);
    C.forEach((row, i) => check(row.length === N, `C row ${i} has ${row.length} entries; expected N = ${N}`));
  }
  return { M, K, N };
}

/** The terms of output (i, j): all of row i and column j when dense, the 2:4 slots otherwise. */
function termSource(cfg: ArrayConfig, A: number[][], B: number[][]): (i: number, j: number) => Term[] {
  if (cfg.sparsity === 'dense') return (i, j) => B.map((row, k) => ({ a: A[i]![k]!, b: row[j]! }));
  const { groups, values, index } = compress24(B, cfg.w);
  return (i, j) => {
    const terms: Term[] = [];
    for (let g = 0; g < groups; g++) {
      for (const slot of [0, 1]) {
        // A is padded with +0 (code 0 in every format) beyond K.
        terms.push({ a: A[i]![4 * g + index[g]![j]![slot]!] ?? 0, b: values[g]![j]![slot]! });
      }
    }
    return terms;
  };
}

/** The draw of term t's rounding of a kind (docs/arithmetic.md §2, rsr), or null: the draws of
 *  one output (i, j), taken only by the steps whose mode is rsr. */
type Draws = (kind: DrawKind, t: number) => Draw | null;

function drawsAt(cfg: ArrayConfig, i: number, j: number): Draws {
  const random = cfg.random;
  return (kind, t) => (random === undefined ? null : { r: draw(random, kind, i, j, t), bits: random.bits });
}

/** docs/arithmetic.md §3 for one output; c is a code in outputFormat(cfg). */
function dot(cfg: ArrayConfig, terms: Term[], c: number | undefined, ev: EventCounts, draws: Draws): number {
  const cell = dotCellOf(cfg);
  if (cell !== null) return dotCellOutput(cfg, cell, terms, c, ev, (total, part) => addChunk(cfg, total, part, ev, null));
  if (cfg.chunk === null) return terms.reduce((acc, t, k) => accumulate(cfg, acc, t, ev, k, draws), c ?? 0);
  let total = c ?? 0;
  let chunk = 0;
  let filled = 0;
  for (const [k, t] of terms.entries()) {
    chunk = accumulate(cfg, chunk, t, ev, k, draws);
    filled++;
    // A chunk is flushed when full and, if partial, after the last term; never an empty one.
    if (filled === cfg.chunk || k === terms.length - 1) {
      total = addChunk(cfg, total, chunk, ev, draws('total', k));
      chunk = 0;
      filled = 0;
    }
  }
  return total;
}

/** acc = round_acc(acc + p_k): p_k rounded to cfg.product first, or fused when it is exact. */
function accumulate(cfg: ArrayConfig, acc: number, t: Term, ev: EventCounts, k: number, draws: Draws): number {
  const mode = cfg.rounding.acc;
  if (cfg.product === null) {
    const r = fma(cfg.a, t.a, cfg.w, t.b, cfg.acc, acc, cfg.acc, mode, draws('acc', k));
    return countAdd(ev, r, acc, cfg.acc, exactMul(decode(t.a, cfg.a), decode(t.b, cfg.w)));
  }
  const p = mul(cfg.a, t.a, cfg.w, t.b, cfg.product, cfg.rounding.product, draws('product', k));
  if (p.flags & EV_OVERFLOW) ev.productOverflow++;
  if (p.flags & EV_TINY) ev.productUnderflow++;
  if (p.flags & EV_INVALID) ev.nan++;
  return countAdd(ev, add(cfg.acc, acc, cfg.product, p.code, cfg.acc, mode, draws('acc', k)), acc, cfg.acc, decode(p.code, cfg.product));
}

function addChunk(cfg: ArrayConfig, total: number, chunk: number, ev: EventCounts, d: Draw | null): number {
  const r = add(cfg.total, total, cfg.acc, chunk, cfg.total, cfg.rounding.total, d);
  return countAdd(ev, r, total, cfg.total, decode(chunk, cfg.acc));
}

/** Counts an accumulation's events and returns its code. */
function countAdd(ev: EventCounts, r: Rounded, accBefore: number, accFormat: Format, addend: Exact): number {
  if (r.flags & EV_OVERFLOW) ev.accOverflow++;
  if (r.flags & EV_ZERO) ev.accUnderflow++;
  if (r.flags & EV_INVALID) ev.nan++;
  const accKind = decode(accBefore, accFormat).kind;
  if (addend.kind === 'finite' && (accKind === 'finite' || accKind === 'zero') && r.code === accBefore) ev.swamping++;
  return r.code;
}

/** docs/arithmetic.md §6: the exact C + Σ_k A·B on the decoded inputs (dense B in either
 *  mode). */
export function referenceGemm(cfg: ArrayConfig, A: number[][], B: number[][], C?: number[][]): Exact[][] {
  const { M, K, N } = checkShapes(A, B, C);
  const out: Exact[][] = [];
  for (let i = 0; i < M; i++) {
    out.push([]);
    for (let j = 0; j < N; j++) {
      let sum: Exact = C ? decode(C[i]![j]!, outputFormat(cfg)) : zero(0);
      for (let k = 0; k < K; k++) sum = exactAdd(sum, exactMul(decode(A[i]![k]!, cfg.a), decode(B[k]![j]!, cfg.w)));
      out[i]!.push(sum);
    }
  }
  return out;
}

/** referenceGemm as the nearest doubles. */
export function referenceValues(cfg: ArrayConfig, A: number[][], B: number[][], C?: number[][]): number[][] {
  return referenceGemm(cfg, A, B, C).map((row) => row.map(toFloat64));
}
