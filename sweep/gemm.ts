// The sweep's GEMM: D = A·B through the bit-exact core (core/mac.ts's compiled MacKernel step,
// as core/gemm.ts's Accumulation builds it), in a tight loop over typed arrays, without C: one
// JavaScript function per kind of configuration (gemm-loop.ts), which on the float64 fast path
// steps eight or four outputs at once on accumulator values.
//
// Terms whose product is an exact zero (a zero activation or weight, both operands finite) are
// skipped. Adding a zero product to a nonzero accumulator changes neither its code nor any event
// count; what a zero term can change is a zero accumulator of one sign (docs/arithmetic.md §2):
// -0, which a +0 product turns into +0, or under rdn +0, which a -0 product turns into -0. So
// while an accumulator holds that zero (under rdn at the start of every output and chunk,
// otherwise rarely: a negative sum rounded or flushed to zero) the zero terms are added one by
// one like any other, and skipping resumes once it does not. A chunk of zero terms is then +0
// (not under rdn, where it is stepped through), which changes no total but -0. D's codes and
// every event count therefore equal coreGemm's; test/sweep/gemm.test.ts checks it. With inf or
// NaN inputs nothing is skipped.
// A dot-product cell (lanes) skips whole steps instead: gemm-lanes.ts.
import { isZeroCode, RNE, roundingCode, toFloat64 } from '../core/arith.js';
import { type EventCounts } from '../core/events.js';
import { makeFormat } from '../core/format.js';
import { Accumulation, coreGemm } from '../core/gemm.js';
import { dotCellOf } from '../core/lanes.js';
import { EVI, MacKernel } from '../core/mac.js';
import { compress24 } from '../core/sparse.js';
import { type ArrayConfig, outputFormat } from '../config/resolve.js';
import { allFinite, type CodeMat, nonzeroByRow, type RowIndex, toRows, valueTable, zeroTable } from '../workloads/matrix.js';
import { sweepGemmFixed } from './gemm-fixed.js';
import { sweepGemmLanes } from './gemm-lanes.js';
import { gemmLoop } from './gemm-loop.js';

/** B laid out for the loop. */
export interface PreparedB {
  K: number;
  N: number;
  /** N × K: the weight code of column j at row k, or -1 when it is a zero (Int32Array when the
   *  codes fit). */
  wT: Int32Array | Float64Array;
  /** N × K: the term index of (k, j) in column j's dot product (the 2:4 slot); null when dense (k). */
  term: Int32Array | null;
  /** Every term of every column, zeros included (docs/arithmetic.md §3-§4): T per column. */
  T: number;
  /** N × T: the A column each term reads (-1: padding, reads +0) and its weight code. */
  aIndex: Int32Array;
  weight: Float64Array;
  sparse: boolean;
  finite: boolean;
  codes: CodeMat;
}

export function prepareB(B: CodeMat, sparse: boolean): PreparedB {
  const K = B.rows;
  const N = B.cols;
  const zero = zeroTable(B.format);
  const wT = B.format.width < 32 ? new Int32Array(N * K) : new Float64Array(N * K);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < N; j++) {
      const c = B.data[k * N + j]!;
      wT[j * K + k] = (zero ? zero[c] === 1 : isZeroCode(c, B.format)) ? -1 : c;
    }
  }
  let term: Int32Array | null = null;
  let T = K;
  let aIndex: Int32Array;
  let weight: Float64Array;
  if (sparse) {
    // The compressed layout of docs/arithmetic.md §4 (compress24 also rejects a B that breaks
    // 2:4).
    const s = compress24(toRows(B), B.format, N);
    T = 2 * s.groups;
    term = new Int32Array(N * K).fill(-1);
    aIndex = new Int32Array(N * T);
    weight = new Float64Array(N * T);
    for (let g = 0; g < s.groups; g++) {
      for (let j = 0; j < N; j++) {
        for (let slot = 0; slot < 2; slot++) {
          const at = (g * N + j) * 2 + slot;
          const k = 4 * g + s.index[at]!;
          const t = 2 * g + slot;
          if (k < K) term[j * K + k] = t;
          aIndex[j * T + t] = k < K ? k : -1;
          weight[j * T + t] = s.values[at]!;
        }
      }
    }
  } else {
    aIndex = new Int32Array(N * K);
    weight = new Float64Array(N * K);
    for (let j = 0; j < N; j++) {
      for (let k = 0; k < K; k++) {
        aIndex[j * K + k] = k;
        weight[j * K + k] = B.data[k * N + j]!;
      }
    }
  }
  return { K, N, wT, term, T, aIndex, weight, sparse, finite: allFinite(B), codes: B };
}

export interface GemmRun {
  /** M × N output values (float64 of the output codes). */
  D: Float64Array;
  events: EventCounts;
  /** Multiply-accumulate steps with both operands nonzero (the zero terms, skipped, are not counted). */
  terms: number;
}

/** e2m1 without specials: holds 1.0 exactly (code 2), the neutral factor of the chunk-total step. */
const ONE_FORMAT = makeFormat({ exp: 2, man: 1, specials: 'none' });
const ONE = 2;

/**
 * The chunk-total addition total + chunk as a compiled MacKernel step: total + chunk·1 with an
 * exact product is one rounding of the same exact sum, with the events Accumulation.addChunk
 * counts (overflow, underflow to zero, NaN, swamping when a finite nonzero chunk leaves a finite
 * total unchanged), and it takes the kernel's table/float64 fast path.
 */
function chunkKernel(cfg: ArrayConfig): MacKernel {
  return new MacKernel({ a: cfg.acc, w: ONE_FORMAT, product: null, acc: cfg.total, modeProduct: RNE, modeAcc: roundingCode(cfg.rounding.total) });
}

function takeEvents(ev: Float64Array): EventCounts {
  return {
    productOverflow: ev[EVI.productOverflow]!,
    productUnderflow: ev[EVI.productUnderflow]!,
    accOverflow: ev[EVI.accOverflow]!,
    accUnderflow: ev[EVI.accUnderflow]!,
    swamping: ev[EVI.swamping]!,
    nan: ev[EVI.nan]!,
  };
}

/** D = A·B for one configuration. `rows` may be passed when the caller has A's nonzero index,
 *  `aFinite` when it knows whether A holds only finite values. */
export function sweepGemm(cfg: ArrayConfig, A: CodeMat, B: PreparedB, rows?: RowIndex, aFinite?: boolean): GemmRun {
  if (A.cols !== B.K) throw new Error(`sweepGemm: A is ${A.rows}×${A.cols} but B has K = ${B.K}`);
  if (B.sparse !== (cfg.sparsity === '2:4')) throw new Error('sweepGemm: B was prepared for the other sparsity');
  // Stochastic rounding draws per term from the stream (core/random-stream.ts): coreGemm passes the
  // draws, this loop's kernel steps do not.
  if (!B.finite || !(aFinite ?? allFinite(A)) || cfg.random !== undefined) return viaCore(cfg, A, B);
  const cell = dotCellOf(cfg);
  if (cell !== null) return sweepGemmLanes(cfg, cell, A, B, rows);
  if (cfg.fixed !== undefined) return sweepGemmFixed(cfg, cfg.fixed, A, B, rows);
  const mac = new Accumulation(cfg).mac;
  const ev = mac.events;
  ev.fill(0);
  const chunk = cfg.chunk ?? 0;
  const totals = chunk === 0 ? null : chunkKernel(cfg);
  const { loop, values } = gemmLoop(mac, totals, { chunk, sparse: B.sparse, rdn: cfg.rounding.acc === 'rdn' }, B.wT instanceof Float64Array);
  const out = outputFormat(cfg);
  const idx = rows ?? nonzeroByRow(A);
  const D = new Float64Array(A.rows * B.N);
  const terms = loop({
    M: A.rows,
    N: B.N,
    K: B.K,
    T: B.T,
    start: idx.start,
    cols: idx.cols,
    a: A.data,
    wT: B.wT,
    wv: values ? weightValues(B) : EMPTY,
    term: B.term,
    aIndex: B.aIndex,
    weight: B.weight,
    D,
    outTable: valueTable(out),
    outDecode: (code) => toFloat64(code, out),
  }, mac, totals, ONE, cfg.total.signBit);
  if (totals !== null) for (let x = 0; x < 6; x++) ev[x]! += totals.events[x]!;
  return { D, events: takeEvents(ev), terms };
}

const EMPTY = new Float64Array(0);

const weightValuesOf = new WeakMap<PreparedB, Float64Array>();

/** B's values by column (zeros: 0), kept with B: a prepared B serves many points. */
function weightValues(B: PreparedB): Float64Array {
  let v = weightValuesOf.get(B);
  if (v === undefined) {
    const f = B.codes.format;
    const table = valueTable(f);
    v = Float64Array.from(B.wT, (c: number) => (c < 0 ? 0 : table ? table[c]! : toFloat64(c, f)));
    weightValuesOf.set(B, v);
  }
  return v;
}

/** The general path for inputs with inf or NaN, and for rsr: coreGemm itself, every term included. */
function viaCore(cfg: ArrayConfig, A: CodeMat, B: PreparedB): GemmRun {
  const r = coreGemm(cfg, toRows(A), toRows(B.codes));
  const out = outputFormat(cfg);
  const D = Float64Array.from(r.D.flat(), (c) => toFloat64(c, out));
  return { D, events: r.events, terms: A.rows * B.N * B.T };
}
