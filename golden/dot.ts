// Golden dot-product cells (docs/arithmetic.md §3, "Dot-product cells"): the contract's loop on the
// exact values of golden/exact.ts, line by line. Written apart from core/dot.ts (which sums
// integers in a window and rounds with the core) so that the two can catch each other's mistakes.
import type { ArrayConfig } from '../config/resolve.js';
import type { DotCell } from '../core/lanes.js';
import {
  cancellationSign,
  decode,
  type Exact,
  EV_OVERFLOW,
  EV_TINY,
  EV_INVALID,
  EV_ZERO,
  exactAdd,
  exactMul,
  finite,
  ilog2,
  mul,
  round,
  type Sign,
  zero,
  NAN,
  inf,
} from './exact.js';
import type { EventCounts, Term } from './gemm.js';

/**
 * One output: acc = C (or +0), then one step per G consecutive terms (a last partial group padded
 * with +0 × +0); chunked, a chunk is chunk/G steps and its sum goes to `addChunk`.
 */
export function dotCellOutput(
  cfg: ArrayConfig,
  cell: DotCell,
  terms: Term[],
  c: number | undefined,
  ev: EventCounts,
  addChunk: (total: number, part: number) => number,
): number {
  const G = cell.lanes;
  const groups: Term[][] = [];
  for (let s = 0; s < terms.length; s += G) {
    const group = terms.slice(s, s + G);
    while (group.length < G) group.push({ a: 0, b: 0 }); // code 0 is +0 in every format
    groups.push(group);
  }
  if (cfg.chunk === null) return groups.reduce((acc, group) => dotStep(cfg, cell, acc, group, ev), c ?? 0);
  const stepsPerChunk = cfg.chunk / G;
  let total = c ?? 0;
  for (let s = 0; s < groups.length; s += stepsPerChunk) {
    const part = groups.slice(s, s + stepsPerChunk).reduce((acc, group) => dotStep(cfg, cell, acc, group, ev), 0);
    total = addChunk(total, part);
  }
  return total;
}

/** acc = round_acc(the exact sum of the aligned terms [acc, p_0, ..., p_(G-1)]); counts events. */
export function dotStep(cfg: ArrayConfig, cell: DotCell, acc: number, group: Term[], ev: EventCounts): number {
  const accValue = decode(acc, cfg.acc);
  const products = group.map((t) => product(cfg, t, ev));
  const terms = [accValue, ...products];
  // Operands of the step, for telling an invalid operation from a NaN passed along: the inputs of
  // the multipliers when the products are exact, else the rounded products.
  const operands = cfg.product === null ? [accValue, ...group.flatMap((t) => [decode(t.a, cfg.a), decode(t.b, cfg.w)])] : terms;

  const special = specialSum(terms);
  if (special !== null) {
    if (special.kind === 'nan' && operands.every((o) => o.kind !== 'nan')) ev.nan++;
    return round(special, cfg.acc, cfg.rounding.acc).code;
  }

  const aligned = align(terms, cell.alignBits);
  const r = round(sumWithZeroSign(aligned, cancellationSign(cfg.rounding.acc)), cfg.acc, cfg.rounding.acc);
  if (r.flags & EV_OVERFLOW) ev.accOverflow++;
  if (r.flags & EV_ZERO) ev.accUnderflow++;

  if (cell.lanes > 1) {
    // A nonzero product the alignment made 0 is lost from the sum: swamped.
    ev.swamping += products.filter((p, i) => p.kind === 'finite' && aligned[i + 1]!.kind === 'zero').length;
  } else if (products[0]!.kind === 'finite' && (accValue.kind === 'finite' || accValue.kind === 'zero') && r.code === acc) {
    ev.swamping++; // one lane: §5's rule, the product left the accumulator's code unchanged
  }
  return r.code;
}

/** A product as the cell's adder sees it: rounded into cfg.product (with its events) or exact. */
function product(cfg: ArrayConfig, t: Term, ev: EventCounts): Exact {
  if (cfg.product === null) return exactMul(decode(t.a, cfg.a), decode(t.b, cfg.w));
  const p = mul(cfg.a, t.a, cfg.w, t.b, cfg.product, cfg.rounding.product);
  if (p.flags & EV_OVERFLOW) ev.productOverflow++;
  if (p.flags & EV_TINY) ev.productUnderflow++;
  if (p.flags & EV_INVALID) ev.nan++;
  return decode(p.code, cfg.product);
}

/** IEEE addition's specials over all terms: any NaN, or +inf with -inf, is NaN; else an infinity
 *  wins; null when every term is finite. */
function specialSum(terms: Exact[]): Exact | null {
  if (terms.some((t) => t.kind === 'nan')) return NAN;
  const infs = terms.filter((t) => t.kind === 'inf');
  if (infs.length === 0) return null;
  return infs.every((t) => t.sign === infs[0]!.sign) ? inf(infs[0]!.sign) : NAN;
}

/** Every finite term truncated toward zero to a multiple of q = 2^(emax - W + 1), emax the largest
 *  floor(log2 |t|); a term truncated to nothing becomes a zero of its own sign. */
function align(terms: Exact[], W: number | 'exact'): Exact[] {
  const nonzero = terms.filter((t) => t.kind === 'finite');
  if (W === 'exact' || nonzero.length === 0) return terms;
  const emax = Math.max(...nonzero.map(ilog2));
  const qExp = emax - W + 1;
  return terms.map((t) => {
    if (t.kind !== 'finite' || t.exp >= qExp) return t; // already a multiple of q
    const kept = t.sig >> BigInt(qExp - t.exp); // floor(|t| / q)
    return kept === 0n ? zero(t.sign) : finite(t.sign, kept, qExp);
  });
}

/** The exact sum; an exact zero sum has the sign its terms share when all are zeros of one sign,
 *  else `cancellation` (docs/arithmetic.md §2). */
function sumWithZeroSign(terms: Exact[], cancellation: Sign): Exact {
  const zeros = terms.filter((t) => t.kind === 'zero');
  if (zeros.length === terms.length) return zero(zeros.every((t) => t.sign === zeros[0]!.sign) ? zeros[0]!.sign : cancellation);
  const sum = terms.reduce((s, t) => exactAdd(s, t), zero(0));
  return sum.kind === 'zero' ? zero(cancellation) : sum;
}
