// The emulated array as a GEMM backend: the sweep's GEMM (sweep/gemm.ts sweepGemm, bit-exact with
// `gemm --engine core`) on the configured arithmetic. It receives values that the quantizer has
// already rounded into the formats a and w, so turning them into codes is exact.
import { LbamacError } from '../core/errors.js';
import { addEvents, type EventCounts, zeroEvents } from '../core/events.js';
import type { Format } from '../core/format.js';
import type { ArrayConfig } from '../config/resolve.js';
import { prepareB, sweepGemm } from '../sweep/gemm.js';
import { type CodeMat, decode, mat, quantize } from '../workloads/matrix.js';
import type { GemmBackend } from './linear.js';
import { onnxMessages as msg } from './messages.js';

/** The codes of values that `format` holds exactly; anything else is a caller's bug (no quantizer ran). */
function exactCodes(x: Float64Array, rows: number, cols: number, format: Format): CodeMat {
  const q = quantize(mat(rows, cols, x), 0, format, 'rne');
  const back = decode(q);
  for (let i = 0; i < x.length; i++) {
    if (back[i] !== x[i] && !(Number.isNaN(back[i]) && Number.isNaN(x[i]))) throw new Error(`array backend: ${x[i]} is not a value of ${format.name}; operands must be quantized first`);
  }
  return q;
}

export class ArrayBackend implements GemmBackend {
  /** Events of every GEMM, in total and per ONNX node. */
  readonly events = zeroEvents();
  readonly perNode = new Map<string, EventCounts>();
  /** Multiply-accumulate steps with both operands nonzero. */
  terms = 0;

  constructor(private readonly cfg: ArrayConfig) {
    if (cfg.sparsity === '2:4') throw new LbamacError(msg.sparseArray);
  }

  gemm(A: Float64Array, B: Float64Array, M: number, K: number, N: number, node: string): Float64Array {
    const run = sweepGemm(this.cfg, exactCodes(A, M, K, this.cfg.a), prepareB(exactCodes(B, K, N, this.cfg.w), false));
    addEvents(this.events, run.events);
    addEvents(this.perNode.get(node) ?? this.perNode.set(node, zeroEvents()).get(node)!, run.events);
    this.terms += run.terms;
    return run.D;
  }
}
