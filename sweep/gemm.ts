// The sweep's GEMM: D = A·B through the bit-exact core (core/mac.ts's compiled MacKernel step,
// as core/gemm.ts's Accumulation builds it), in a tight loop over typed arrays, without C.
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

/** B laid out for the loop. */
export interface PreparedB {
  K: number;
  N: number;
  /** N × K: the weight code of column j at row k, or -1 when it is a zero. */
  wT: Float64Array;
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
  const wT = new Float64Array(N * K);
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

/** D = A·B for one configuration. `rows` may be passed when the caller has A's nonzero index. */
export function sweepGemm(cfg: ArrayConfig, A: CodeMat, B: PreparedB, rows?: RowIndex): GemmRun {
  if (A.cols !== B.K) throw new Error(`sweepGemm: A is ${A.rows}×${A.cols} but B has K = ${B.K}`);
  if (B.sparse !== (cfg.sparsity === '2:4')) throw new Error('sweepGemm: B was prepared for the other sparsity');
  // Stochastic rounding draws per term from the stream (core/random-stream.ts): coreGemm passes the
  // draws, this loop's kernel steps do not.
  if (!B.finite || !allFinite(A) || cfg.random !== undefined) return viaCore(cfg, A, B);
  const cell = dotCellOf(cfg);
  if (cell !== null) return sweepGemmLanes(cfg, cell, A, B, rows);
  if (cfg.fixed !== undefined) return sweepGemmFixed(cfg, cfg.fixed, A, B, rows);
  const M = A.rows;
  const K = B.K;
  const N = B.N;
  const T = B.T;
  const mac = new Accumulation(cfg).mac;
  const ev = mac.events;
  ev.fill(0);
  const step = mac.step;
  const chunk = cfg.chunk ?? 0;
  const totals = chunk === 0 ? null : chunkKernel(cfg);
  const tev = totals === null ? ev : totals.events;
  const addChunk = totals === null ? step : totals.step;
  // The zero accumulator a zero term can change.
  const accFragile = cfg.rounding.acc === 'rdn' ? 0 : cfg.acc.signBit;
  // A +0 chunk changes a -0 total (none under rdn: treating -0 as fragile there is only slower).
  const totalNegZero = cfg.total.signBit;
  // A chunk of zero terms starting from +0 stays +0 (under rdn a -0 term makes it -0).
  const zeroChunkIsPlusZero = cfg.rounding.acc !== 'rdn';
  const out = outputFormat(cfg);
  const table = valueTable(out);
  const idx = rows ?? nonzeroByRow(A);
  const a = A.data;
  const wT = B.wT;
  const term = B.term;
  const aIndex = B.aIndex;
  const weight = B.weight;
  const D = new Float64Array(M * N);
  let terms = 0;
  for (let i = 0; i < M; i++) {
    const s = idx.start[i]!;
    const e = idx.start[i + 1]!;
    const aOff = i * K;
    for (let j = 0; j < N; j++) {
      const wOff = j * K;
      const tOff = j * T;
      let acc = 0;
      let total = 0;
      /** Every term before pos is accounted for. */
      let pos = 0;
      let n = 0;
      // The nonzero terms in ascending order, then one more round (t = T) for the trailing zeros.
      for (let p = s; p <= e; p++) {
        let t = T;
        let w = 0;
        let k = 0;
        if (p < e) {
          k = idx.cols[p]!;
          w = wT[wOff + k]!;
          if (w < 0) continue;
          t = term === null ? k : term[wOff + k]!;
        }
        // The zero terms pos..t-1. They change nothing while the accumulator is not the fragile
        // zero (then they are skipped); while it is, they are added like any term. Chunks close on
        // the way.
        if (chunk === 0) {
          for (; pos < t && acc === accFragile; pos++) {
            const z = aIndex[tOff + pos]!;
            acc = step(acc, z < 0 ? 0 : a[aOff + z]!, weight[tOff + pos]!);
          }
          pos = t;
        } else {
          while (pos < t) {
            if (acc === accFragile) {
              const z = aIndex[tOff + pos]!;
              acc = step(acc, z < 0 ? 0 : a[aOff + z]!, weight[tOff + pos]!);
              pos++;
              if (pos % chunk === 0 || pos === T) {
                total = addChunk(total, acc, ONE);
                acc = 0;
              }
              continue;
            }
            const end = Math.min((Math.floor(pos / chunk) + 1) * chunk, T);
            if (t < end) {
              pos = t;
              break;
            }
            // A +0 chunk added to a total other than -0 changes nothing and counts no event.
            if (acc !== 0 || total === totalNegZero) total = addChunk(total, acc, ONE);
            acc = 0;
            pos = end;
            // Whole chunks of zero terms up to t's chunk: +0 chunks, likewise nothing unless the
            // total is -0.
            if (zeroChunkIsPlusZero && total !== totalNegZero) pos = Math.max(pos, Math.min(t, Math.floor(t / chunk) * chunk));
          }
        }
        if (p === e) break;
        acc = step(acc, a[aOff + k]!, w);
        n++;
        pos = t + 1;
        if (chunk !== 0 && (pos % chunk === 0 || pos === T)) {
          total = addChunk(total, acc, ONE);
          acc = 0;
        }
      }
      const code = chunk === 0 ? acc : total;
      terms += n;
      D[i * N + j] = table ? table[code]! : toFloat64(code, out);
    }
  }
  if (totals !== null) for (let x = 0; x < 6; x++) ev[x]! += tev[x]!;
  return { D, events: takeEvents(ev), terms };
}

/** The general path for inputs with inf or NaN, and for rsr: coreGemm itself, every term included. */
function viaCore(cfg: ArrayConfig, A: CodeMat, B: PreparedB): GemmRun {
  const r = coreGemm(cfg, toRows(A), toRows(B.codes));
  const out = outputFormat(cfg);
  const D = Float64Array.from(r.D.flat(), (c) => toFloat64(c, out));
  return { D, events: r.events, terms: A.rows * B.N * B.T };
}
