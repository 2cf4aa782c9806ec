// Gemm and MatMul on the array. Their first operand is the activations A (format a), the second the
// weights B (format w), whichever of them is an initializer.
import { onnxMessages as msg } from '../messages.js';
import { sizeOf, tensor } from '../tensor.js';
import { layoutOf, type OpDef, OpError } from './context.js';
import { broadcastDims, broadcastStrides } from './elementwise.js';

/** The transpose of a rows × cols row-major matrix. */
function transpose(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(x.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j]!;
  return t;
}

const transposedWeights = new WeakMap<Float64Array, Map<string, Float64Array>>();

/** Y = alpha · A'·B' + beta · C, where A' and B' are A and B transposed when transA and transB say so. */
export const Gemm: OpDef = {
  attrs: ['alpha', 'beta', 'transA', 'transB'],
  inputs: [2, 3],
  run(ctx) {
    const A = ctx.floatInput(0);
    const B = ctx.floatInput(1);
    for (const [i, t] of [A, B].entries()) if (t.dims.length !== 2) throw new OpError(msg.rank(ctx.node.inputs[i]!, t.dims, 'a matrix'));
    const transA = ctx.attrs.int('transA', 0) === 1;
    const transB = ctx.attrs.int('transB', 0) === 1;
    const [M, K] = (transA ? [A.dims[1], A.dims[0]] : A.dims) as [number, number];
    const [Kb, N] = (transB ? [B.dims[1], B.dims[0]] : B.dims) as [number, number];
    if (K !== Kb) throw new OpError(msg.inner([M, K], [Kb, N]));
    const a = ctx.operand('a', 0);
    const w = ctx.operand('w', 1);
    const D = ctx.gemm(transA ? transpose(a.values, K, M) : a.values, transB ? layoutOf(transposedWeights, w.values, `${N}`, () => transpose(w.values, N, K)) : w.values, M, K, N);
    const alpha = ctx.attrs.float('alpha', 1) * 2 ** -(a.log2Scale + w.log2Scale);
    const beta = ctx.attrs.float('beta', 1);
    const C = ctx.optional(2);
    const Y = tensor([M, N]);
    if (C && broadcastDims([M, N], C.dims).join() !== [M, N].join()) throw new OpError(msg.broadcast(C.dims, [M, N]));
    const sc = C ? broadcastStrides(C.dims, [M, N]) : [0, 0];
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) Y.data[i * N + j] = alpha * D[i * N + j]! + (C ? beta * C.data[i * sc[0]! + j * sc[1]!]! : 0);
    }
    return Y;
  },
};

/** numpy's matmul: 1-D operands gain a dimension (dropped again), leading dimensions broadcast. */
export const MatMul: OpDef = {
  attrs: [],
  inputs: [2, 2],
  run(ctx) {
    const A = ctx.floatInput(0);
    const B = ctx.floatInput(1);
    if (A.dims.length === 0 || B.dims.length === 0) throw new OpError(msg.rank(ctx.node.inputs[A.dims.length === 0 ? 0 : 1]!, [], 'at least one dimension'));
    const ad = A.dims.length === 1 ? [1, A.dims[0]!] : A.dims;
    const bd = B.dims.length === 1 ? [B.dims[0]!, 1] : B.dims;
    const [M, K] = ad.slice(-2) as [number, number];
    const [Kb, N] = bd.slice(-2) as [number, number];
    if (K !== Kb) throw new OpError(msg.inner(A.dims, B.dims));
    const aBatch = ad.slice(0, -2);
    const bBatch = bd.slice(0, -2);
    const batch = broadcastDims(aBatch, bBatch);
    const dims = [...batch, ...(A.dims.length === 1 ? [] : [M]), ...(B.dims.length === 1 ? [] : [N])];
    const a = ctx.operand('a', 0);
    const w = ctx.operand('w', 1);
    const unscale = 2 ** -(a.log2Scale + w.log2Scale);
    const Y = tensor(dims);
    if (sizeOf(bBatch) === 1) {
      // One weight matrix for every batch entry: one GEMM with the batch folded into A's rows.
      const D = ctx.gemm(a.values, w.values, sizeOf(aBatch) * M, K, N);
      for (let i = 0; i < D.length; i++) Y.data[i] = D[i]! * unscale;
      return Y;
    }
    const sa = broadcastStrides(aBatch, batch);
    const sb = broadcastStrides(bBatch, batch);
    const idx = new Array<number>(batch.length).fill(0);
    for (let e = 0; e < sizeOf(batch); e++) {
      const ia = idx.reduce((o, v, d) => o + v * sa[d]!, 0);
      const ib = idx.reduce((o, v, d) => o + v * sb[d]!, 0);
      const D = ctx.gemm(a.values.subarray(ia * M * K, (ia + 1) * M * K), w.values.subarray(ib * K * N, (ib + 1) * K * N), M, K, N);
      for (let i = 0; i < D.length; i++) Y.data[e * M * N + i] = D[i]! * unscale;
      for (let d = batch.length - 1; d >= 0 && ++idx[d]! === batch[d]!; d--) idx[d] = 0;
    }
    return Y;
  },
};
