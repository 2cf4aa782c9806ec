// D = A·B + C with the fast core, term by term exactly as docs/arithmetic.md §3 orders it.
import { add, EV_INVALID, EV_OVERFLOW, EV_ZERO, isFiniteCode, isFiniteNonzeroCode, roundingCode, status, type RoundingCode } from './arith.js';
import { DotKernel } from './dot.js';
import { type EventCounts, zeroEvents } from './events.js';
import type { FixedAccumulator } from './fixed.js';
import { FixedAccumulation } from './fixed-acc.js';
import type { Format, RoundingMode } from './format.js';
import { type AlignBits, dotCellOf } from './lanes.js';
import { countEvent, EVI, MacKernel } from './mac.js';
import { drawFraction, type RandomSpec } from './random-stream.js';
import { compress24 } from './sparse.js';

/**
 * What decides a GEMM's numbers: the formats of each step, their rounding, chunking and
 * sparsity. The array configuration (config/resolve.ts ArrayConfig) extends it with the array's
 * shape, which changes the cycles but not the result.
 */
export interface GemmArithmetic {
  a: Format;
  w: Format;
  /** null: products are exact (a fused multiply-add). */
  product: Format | null;
  /** The accumulator format; with a fixed-point accumulator, the format its register is rounded
   *  into at the end (the config's acc.out), in which D and C are. */
  acc: Format;
  /** A fixed-point accumulator (docs/arithmetic.md §3) instead of the float one; never with chunk. */
  fixed?: FixedAccumulator;
  /** Chunk-total format; equals acc when the config gives none. Used only with chunk. */
  total: Format;
  /** input: C onto a fixed-point register's grid (rne when absent; an ArrayConfig always has it). */
  rounding: { product: RoundingMode; acc: RoundingMode; total: RoundingMode; input?: RoundingMode };
  /** The random stream of the steps that round with rsr (config rounding.randomBits and seed);
   *  present exactly when one does. */
  random?: RandomSpec;
  /** Chunk size in terms, or null for plain accumulation. */
  chunk: number | null;
  sparsity: 'dense' | '2:4';
  /** The dot-product cell (core/lanes.ts); absent: 1 lane, "exact", the multiply-add cell. */
  lanes?: number;
  alignBits?: AlignBits;
}

export interface GemmResult {
  /** Codes in outputFormat(cfg), M×N. */
  D: number[][];
  events: EventCounts;
  perOutput: EventCounts[][];
}

/** The terms of one output column: which A element (k, or -1 for padding) meets which weight code. */
export interface Terms {
  aIndex: Int32Array;
  weight: Float64Array;
}

export function denseTerms(B: readonly (readonly number[])[], j: number): Terms {
  const K = B.length;
  const aIndex = new Int32Array(K);
  const weight = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    aIndex[k] = k;
    weight[k] = B[k]![j]!;
  }
  return { aIndex, weight };
}

/** The 2:4 terms: per group, its two slots in ascending order (docs/arithmetic.md §4). */
export function sparseTerms(B: readonly (readonly number[])[], w: Format, cols: number): Terms[] {
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

/** What coreGemm asks of an accumulator: one output at a time, output (i, j), its events counted
 *  in `events` (EVI order). */
export interface OutputAccumulator {
  readonly events: Float64Array;
  dot(aRow: readonly number[], t: Terms, c: number, i: number, j: number): number;
}

/** The accumulator kind a configuration names: fixed-point (core/fixed-acc.ts) or float. */
export function accumulatorFor(cfg: GemmArithmetic): OutputAccumulator {
  return cfg.fixed === undefined ? new Accumulation(cfg) : new FixedAccumulation(cfg, cfg.fixed);
}

/** Everything one output's float accumulation needs, built once per GEMM. */
export class Accumulation implements OutputAccumulator {
  readonly mac: MacKernel;
  readonly events: Float64Array;
  private readonly total: Format;
  private readonly modeTotal: RoundingCode;
  private readonly chunk: number;
  /** The dot-product cell that computes each output instead of the term-by-term loop, if any. */
  readonly cell: DotKernel | null;
  private readonly addChunkTo = (total: number, part: number): number => this.addChunk(total, part);
  /** The stream of the steps that round with rsr, and which steps do. */
  private readonly random: RandomSpec | null;
  private readonly draws: { product: boolean; acc: boolean; total: boolean };

  constructor(private readonly cfg: GemmArithmetic) {
    this.mac = new MacKernel({
      a: cfg.a,
      w: cfg.w,
      product: cfg.product,
      acc: cfg.acc,
      modeProduct: roundingCode(cfg.rounding.product),
      modeAcc: roundingCode(cfg.rounding.acc),
    });
    this.events = this.mac.events;
    this.total = cfg.total;
    this.modeTotal = roundingCode(cfg.rounding.total);
    this.chunk = cfg.chunk ?? 0;
    const cell = dotCellOf(cfg);
    this.cell = cell === null ? null : new DotKernel(cell, this.mac);
    const r = cfg.rounding;
    this.draws = { product: cfg.product !== null && r.product === 'rsr', acc: r.acc === 'rsr', total: cfg.chunk !== null && r.total === 'rsr' };
    const stochastic = this.draws.product || this.draws.acc || this.draws.total;
    if (stochastic && (cfg.random === undefined || this.cell !== null)) throw new Error('internal: rsr without a random stream, or in a dot-product cell (config/resolve.ts refuses both)');
    this.random = stochastic ? cfg.random! : null;
  }

  /** total ← total + chunk accumulator, in the chunk-total format; counts its events. `u`: the
   *  draw of an rsr total (docs/arithmetic.md §2). */
  addChunk(total: number, chunkAcc: number, u = 0): number {
    const out = add(this.total, total, this.cfg.acc, chunkAcc, this.total, this.modeTotal, u);
    const f = status.flags;
    const ev = this.mac.events;
    if (f & EV_OVERFLOW) countEvent(ev, EVI.accOverflow);
    if (f & EV_ZERO) countEvent(ev, EVI.accUnderflow);
    if (f & EV_INVALID) countEvent(ev, EVI.nan);
    if (out === total && isFiniteNonzeroCode(chunkAcc, this.cfg.acc) && isFiniteCode(total, this.total)) countEvent(ev, EVI.swamping);
    return out;
  }

  /** One output, (i, j): C (or +0), then every term in order; events land in mac.events. */
  dot(aRow: readonly number[], t: Terms, c: number, i: number, j: number): number {
    if (this.cell !== null) return this.cell.output(aRow, t, c, this.chunk, this.addChunkTo);
    if (this.random !== null) return this.dotRandom(this.random, aRow, t, c, i, j);
    const mac = this.mac;
    const n = t.aIndex.length;
    if (this.chunk === 0) {
      let acc = c;
      for (let i = 0; i < n; i++) {
        const k = t.aIndex[i]!;
        acc = mac.step(acc, k < 0 ? 0 : aRow[k]!, t.weight[i]!);
      }
      return acc;
    }
    let acc = 0;
    let total = c;
    for (let i = 0; i < n; i++) {
      const k = t.aIndex[i]!;
      acc = mac.step(acc, k < 0 ? 0 : aRow[k]!, t.weight[i]!);
      if ((i + 1) % this.chunk === 0 || i === n - 1) {
        total = this.addChunk(total, acc);
        acc = 0;
      }
    }
    return total;
  }

  /** dot under rsr: each term's roundings draw from the stream at (i, j, term). */
  private dotRandom(random: RandomSpec, aRow: readonly number[], t: Terms, c: number, i: number, j: number): number {
    const mac = this.mac;
    const draws = this.draws;
    const n = t.aIndex.length;
    let acc = this.chunk === 0 ? c : 0;
    let total = c;
    for (let s = 0; s < n; s++) {
      const k = t.aIndex[s]!;
      const uProduct = draws.product ? drawFraction(random, 'product', i, j, s) : 0;
      const uAcc = draws.acc ? drawFraction(random, 'acc', i, j, s) : 0;
      acc = mac.step(acc, k < 0 ? 0 : aRow[k]!, t.weight[s]!, uProduct, uAcc);
      if (this.chunk !== 0 && ((s + 1) % this.chunk === 0 || s === n - 1)) {
        total = this.addChunk(total, acc, draws.total ? drawFraction(random, 'total', i, j, s) : 0);
        acc = 0;
      }
    }
    return this.chunk === 0 ? acc : total;
  }
}

/** The counts of a kernel's events array, which it leaves zeroed. */
export function takeEvents(ev: Float64Array): EventCounts {
  const out: EventCounts = {
    productOverflow: ev[EVI.productOverflow]!,
    productUnderflow: ev[EVI.productUnderflow]!,
    accOverflow: ev[EVI.accOverflow]!,
    accUnderflow: ev[EVI.accUnderflow]!,
    swamping: ev[EVI.swamping]!,
    nan: ev[EVI.nan]!,
  };
  ev.fill(0);
  return out;
}

/** onRow, if given, hears after each row of D how many of the M rows are done. */
export function coreGemm(
  cfg: GemmArithmetic,
  A: readonly (readonly number[])[],
  B: readonly (readonly number[])[],
  C?: readonly (readonly number[])[],
  onRow?: (done: number, total: number) => void,
): GemmResult {
  const M = A.length;
  const N = B.length > 0 ? B[0]!.length : (C?.[0]?.length ?? 0);
  const columns = cfg.sparsity === '2:4' ? sparseTerms(B, cfg.w, N) : Array.from({ length: N }, (_, j) => denseTerms(B, j));
  const acc = accumulatorFor(cfg);
  const events = zeroEvents();
  const D: number[][] = [];
  const perOutput: EventCounts[][] = [];
  for (let i = 0; i < M; i++) {
    const dRow: number[] = [];
    const eRow: EventCounts[] = [];
    for (let j = 0; j < N; j++) {
      dRow.push(acc.dot(A[i]!, columns[j]!, C ? C[i]![j]! : 0, i, j));
      const ev = takeEvents(acc.events);
      eRow.push(ev);
      for (const k of Object.keys(ev) as (keyof EventCounts)[]) events[k] += ev[k];
    }
    D.push(dRow);
    perOutput.push(eRow);
    onRow?.(i + 1, M);
  }
  return { D, events, perOutput };
}
