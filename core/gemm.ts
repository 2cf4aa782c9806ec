// D = A·B + C with the fast core, term by term exactly as SPEC section 3 orders it.
import { add, EV_INVALID, EV_OVERFLOW, EV_TINY, EV_ZERO, fma, isFiniteNonzeroCode, mul, roundingCode, status, type Rounding } from './arith.js';
import { addEvents, type EventCounts, zeroEvents } from './events.js';
import type { Format } from './format.js';
import { compress24 } from './sparse.js';
import type { ArrayConfig } from '../config/resolve.js';

export interface GemmResult {
  /** Codes in outputFormat(cfg), M×N. */
  D: number[][];
  events: EventCounts;
  perOutput: EventCounts[][];
}

/** The terms of one output column: which A element (k, or -1 for padding) meets which weight code. */
interface Terms {
  aIndex: Int32Array;
  weight: Float64Array;
}

function denseTerms(B: readonly (readonly number[])[], j: number): Terms {
  const K = B.length;
  const aIndex = new Int32Array(K);
  const weight = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    aIndex[k] = k;
    weight[k] = B[k]![j]!;
  }
  return { aIndex, weight };
}

function sparseTerms(B: readonly (readonly number[])[], w: Format, cols: number): Terms[] {
  const s = compress24(B, w, cols);
  const K = B.length;
  return Array.from({ length: cols }, (_, j) => {
    const aIndex = new Int32Array(s.groups * 2);
    const weight = new Float64Array(s.groups * 2);
    for (let g = 0; g < s.groups; g++) {
      for (let slot = 0; slot < 2; slot++) {
        const at = (g * cols + j) * 2 + slot;
        const k = 4 * g + s.index[at]!;
        aIndex[g * 2 + slot] = k < K ? k : -1;
        weight[g * 2 + slot] = s.values[at]!;
      }
    }
    return { aIndex, weight };
  });
}

interface Plan {
  a: Format;
  w: Format;
  product: Format | null;
  acc: Format;
  total: Format;
  modeProduct: Rounding;
  modeAcc: Rounding;
  modeTotal: Rounding;
  chunk: number;
}

function countAccumulation(flags: number, ev: EventCounts): void {
  if (flags & EV_OVERFLOW) ev.accOverflow++;
  if (flags & EV_ZERO) ev.accUnderflow++;
  if (flags & EV_INVALID) ev.nan++;
}

function dot(p: Plan, aRow: readonly number[], t: Terms, c: number, ev: EventCounts): number {
  const chunked = p.chunk > 0;
  let acc = chunked ? 0 : c;
  let total = c;
  const n = t.aIndex.length;
  for (let i = 0; i < n; i++) {
    const k = t.aIndex[i]!;
    const a = k < 0 ? 0 : aRow[k]!;
    const w = t.weight[i]!;
    if (p.product === null) {
      const out = fma(p.a, a, p.w, w, p.acc, acc, p.acc, p.modeAcc);
      countAccumulation(status.flags, ev);
      // A fused term is nonzero exactly when both factors are finite and nonzero.
      if (out === acc && isFiniteNonzeroCode(a, p.a) && isFiniteNonzeroCode(w, p.w) && isFiniteOrZero(acc, p.acc)) ev.swamping++;
      acc = out;
    } else {
      const prod = mul(p.a, a, p.w, w, p.product, p.modeProduct);
      const f = status.flags;
      if (f & EV_OVERFLOW) ev.productOverflow++;
      if (f & EV_TINY) ev.productUnderflow++;
      if (f & EV_INVALID) ev.nan++;
      acc = accumulateTerm(p.acc, acc, p.product, prod, p.modeAcc, ev);
    }
    if (chunked && ((i + 1) % p.chunk === 0 || i === n - 1)) {
      total = accumulateTerm(p.total, total, p.acc, acc, p.modeTotal, ev);
      acc = 0;
    }
  }
  return chunked ? total : acc;
}

function isFiniteOrZero(code: number, f: Format): boolean {
  return isFiniteNonzeroCode(code, f) || code % f.signBit === 0;
}

/** acc + addend into acc's format; swamping: a finite nonzero addend left a finite acc unchanged. */
function accumulateTerm(fa: Format, acc: number, fp: Format, addend: number, mode: Rounding, ev: EventCounts): number {
  const out = add(fa, acc, fp, addend, fa, mode);
  countAccumulation(status.flags, ev);
  if (out === acc && isFiniteNonzeroCode(addend, fp) && isFiniteOrZero(acc, fa)) ev.swamping++;
  return out;
}

export function coreGemm(cfg: ArrayConfig, A: readonly (readonly number[])[], B: readonly (readonly number[])[], C?: readonly (readonly number[])[]): GemmResult {
  const M = A.length;
  const N = B.length > 0 ? B[0]!.length : (C?.[0]?.length ?? 0);
  const plan: Plan = {
    a: cfg.a,
    w: cfg.w,
    product: cfg.product,
    acc: cfg.acc,
    total: cfg.total,
    modeProduct: roundingCode(cfg.rounding.product),
    modeAcc: roundingCode(cfg.rounding.acc),
    modeTotal: roundingCode(cfg.rounding.total),
    chunk: cfg.chunk ?? 0,
  };
  const columns = cfg.sparsity === '2:4' ? sparseTerms(B, cfg.w, N) : Array.from({ length: N }, (_, j) => denseTerms(B, j));
  const events = zeroEvents();
  const D: number[][] = [];
  const perOutput: EventCounts[][] = [];
  for (let i = 0; i < M; i++) {
    const dRow: number[] = [];
    const eRow: EventCounts[] = [];
    for (let j = 0; j < N; j++) {
      const ev = zeroEvents();
      dRow.push(dot(plan, A[i]!, columns[j]!, C ? C[i]![j]! : 0, ev));
      eRow.push(ev);
      addEvents(events, ev);
    }
    D.push(dRow);
    perOutput.push(eRow);
  }
  return { D, events, perOutput };
}
