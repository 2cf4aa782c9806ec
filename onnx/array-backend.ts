// The emulated array as a GEMM backend: the sweep's GEMM (sweep/gemm.ts sweepGemm, bit-exact with
// `gemm --engine core`) on the configured arithmetic, optionally a different configuration per
// ONNX node (a per-layer sweep narrows one layer at a time). It receives values that the quantizer
// has already rounded into the formats a and w, so turning them into codes is exact.
//
// The exact-accumulation backend is the reference of the same quantized run: each GEMM's output is
// the exact sum of its products rounded once to float64 (sweep/reference.ts exactGemm).
import { addEvents, type EventCounts, zeroEvents } from '../core/events.js';
import { formatSpecOf, type Format } from '../core/format.js';
import type { ArrayConfig } from '../config/resolve.js';
import { type PreparedB, prepareB, sweepGemm } from '../sweep/gemm.js';
import { ErrorAccumulator } from '../sweep/metrics.js';
import { exactGemm, type ReferenceMethod } from '../sweep/reference.js';
import { stableStringify } from '../util/stable-json.js';
import { fromFloat64, RNE } from '../core/arith.js';
import { type CodeMat, decode, mat, quantize, type RowIndex, valueTable } from '../workloads/matrix.js';
import { float64Backend, type GemmBackend } from './linear.js';

const notQuantized = (x: number, format: Format) => new Error(`array backend: ${x} is not a value of ${format.name}; operands must be quantized first`);

/** Mantissas this wide at most get a direct table (2^(12 + man) entries: 2 MB for 7 bits). */
const TABLE_MAN = 7;

/**
 * A format's values by the top bits of their float64 pattern: a value with at most man + 1
 * significant bits has nothing below the top 20 − man bits of the high word's mantissa and nothing
 * in the low word, so sign, exponent and those bits index its code (-1: not a value).
 */
interface CodeIndex {
  shift: number;
  table: Int32Array;
}

const codeIndexes = new WeakMap<Format, CodeIndex | null>();

function codeIndex(f: Format): CodeIndex | null {
  let index = codeIndexes.get(f);
  if (index === undefined) {
    const values = f.man <= TABLE_MAN ? valueTable(f) : null;
    index = null;
    if (values) {
      const shift = 20 - f.man;
      const table = new Int32Array(2 ** (12 + f.man)).fill(-1);
      const bits = new Uint32Array(new Float64Array(1).buffer);
      const f64 = new Float64Array(bits.buffer);
      for (const v of values) {
        if (Number.isNaN(v)) continue;
        for (const signed of v === 0 ? [0, -0] : [v]) {
          f64[0] = signed;
          table[bits[1]! >>> shift] = fromFloat64(signed, f, RNE);
        }
      }
      index = { shift, table };
    }
    codeIndexes.set(f, index);
  }
  return index;
}

/**
 * The codes of values that `format` holds exactly; anything else is a caller's bug (no quantizer
 * ran). By table for formats of up to 7 mantissa bits (the FP8 inputs): this runs on every GEMM's
 * A (im2col's output), where converting each value would cost a good part of a narrow layer's GEMM.
 */
function exactCodes(x: Float64Array, rows: number, cols: number, format: Format): CodeMat {
  const index = codeIndex(format);
  if (!index) {
    const q = quantize(mat(rows, cols, x), 0, format, 'rne');
    const back = decode(q);
    for (let i = 0; i < x.length; i++) if (back[i] !== x[i] && !(Number.isNaN(back[i]) && Number.isNaN(x[i]))) throw notQuantized(x[i]!, format);
    return q;
  }
  const { shift, table } = index;
  const low = (1 << shift) - 1;
  const words = new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);
  const data = new Uint32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const hi = words[2 * i + 1]!;
    const c = words[2 * i] === 0 && (hi & low) === 0 ? table[hi >>> shift]! : -1;
    if (c >= 0) data[i] = c;
    else if (Number.isNaN(x[i])) data[i] = fromFloat64(x[i]!, format, RNE);
    else throw notQuantized(x[i]!, format);
  }
  return { rows, cols, data, format };
}

/**
 * A's codes with what the GEMM needs to know of them, in the same pass: each row's nonzero columns
 * (a zero value is a zero code) and whether every value is finite. On a narrow layer (LeNet's first
 * Conv: K = 25, N = 6) two more passes over im2col's output cost a tenth of the GEMM.
 */
function indexedCodes(x: Float64Array, rows: number, cols: number, format: Format): { codes: CodeMat; index: RowIndex; finite: boolean } {
  const codes = exactCodes(x, rows, cols, format);
  const start = new Int32Array(rows + 1);
  const nonzero = new Int32Array(x.length);
  let n = 0;
  let finite = true;
  for (let i = 0; i < rows; i++) {
    start[i] = n;
    for (let k = 0, at = i * cols; k < cols; k++, at++) {
      const v = x[at]!;
      if (v !== 0) {
        nonzero[n++] = k;
        if (v - v !== 0) finite = false;
      }
    }
  }
  start[rows] = n;
  return { codes, index: { start, cols: nonzero.subarray(0, n) }, finite };
}

/**
 * B's codes laid out for the sweep's loop, per B array and weight format: a constant weight keeps
 * its B array from run to run (onnx/linear.ts), so it is prepared once for every point of a sweep
 * that shares the format, not on every call.
 */
const preparedBs = new WeakMap<Float64Array, Map<string, PreparedB>>();

/** `sparse`: B is 2:4 (pruned, onnx/prune.ts), laid out compressed for a 2:4 array. */
function preparedWeights(B: Float64Array, K: number, N: number, w: Format, sparse: boolean): PreparedB {
  const key = stableStringify([formatSpecOf(w), sparse]);
  let byFormat = preparedBs.get(B);
  if (!byFormat) preparedBs.set(B, (byFormat = new Map()));
  let p = byFormat.get(key);
  if (!p) byFormat.set(key, (p = prepareB(exactCodes(B, K, N, w), sparse)));
  return p;
}

/** What one ONNX node's GEMMs did, summed over every call. */
export interface NodeTotals {
  events: EventCounts;
  /** Multiply-accumulate steps with both operands nonzero. */
  terms: number;
  /** Against the exact sums of the node's own (quantized) operands; null unless measured. */
  error: ErrorAccumulator | null;
  refMethod: ReferenceMethod;
}

export interface ArrayBackendOptions {
  /** A configuration per node name other than the backend's own (same input formats). */
  layers?: ReadonlyMap<string, ArrayConfig>;
  /** Compare every GEMM with the exact sum of its operands (an extra float64 pass per GEMM). */
  measure?: boolean;
}

export class ArrayBackend implements GemmBackend {
  /** Events of every GEMM, in total and per ONNX node. */
  readonly events = zeroEvents();
  readonly perNode = new Map<string, NodeTotals>();
  /** Multiply-accumulate steps with both operands nonzero. */
  terms = 0;
  private readonly layers: ReadonlyMap<string, ArrayConfig>;

  constructor(
    private readonly cfg: ArrayConfig,
    private readonly opts: ArrayBackendOptions = {},
  ) {
    this.layers = opts.layers ?? new Map();
  }

  gemm(A: Float64Array, B: Float64Array, M: number, K: number, N: number, node: string): Float64Array {
    const cfg = this.layers.get(node) ?? this.cfg;
    const { codes, index: rows, finite } = indexedCodes(A, M, K, cfg.a);
    const run = sweepGemm(cfg, codes, preparedWeights(B, K, N, cfg.w, cfg.sparsity === '2:4'), rows, finite);
    let totals = this.perNode.get(node);
    if (!totals) this.perNode.set(node, (totals = { events: zeroEvents(), terms: 0, error: this.opts.measure ? new ErrorAccumulator() : null, refMethod: 'float64' }));
    addEvents(this.events, run.events);
    addEvents(totals.events, run.events);
    this.terms += run.terms;
    totals.terms += run.terms;
    if (totals.error) {
      const ref = exactSums(A, B, M, K, N, rows);
      totals.error.add(run.D, ref.values);
      if (ref.method === 'expansion') totals.refMethod = 'expansion';
    }
    return run.D;
  }
}

/** Each output the exact sum of its products rounded once to float64; nonfinite operands (no exact sum exists) as float64 sums. */
function exactSums(A: Float64Array, B: Float64Array, M: number, K: number, N: number, rows: RowIndex): { values: Float64Array; method: ReferenceMethod } {
  if (!A.every(Number.isFinite) || !B.every(Number.isFinite)) return { values: float64Backend.gemm(A, B, M, K, N, ''), method: 'float64' };
  return exactGemm(A, B, M, K, N, rows);
}

/** For each row of a values matrix: the columns holding a nonzero. */
function nonzeroRows(A: Float64Array, M: number, K: number): RowIndex {
  const start = new Int32Array(M + 1);
  const cols: number[] = [];
  for (let i = 0; i < M; i++) {
    start[i] = cols.length;
    for (let k = 0; k < K; k++) if (A[i * K + k] !== 0) cols.push(k);
  }
  start[M] = cols.length;
  return { start, cols: Int32Array.from(cols) };
}

/** Exact accumulation of the quantized operands: the reference a sweep measures each array run against. */
export const exactBackend: GemmBackend = {
  gemm: (A, B, M, K, N) => exactSums(A, B, M, K, N, nonzeroRows(A, M, K)).values,
};
