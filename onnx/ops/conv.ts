// Conv as GEMMs on the array (docs/onnx.md): per group, im2col lays the input out as A with one
// row per (image, output position) and one column per (input channel, kernel tap), the weights as
// B with one row per (input channel, kernel tap) and one column per output channel of the group.
import { onnxMessages as msg } from '../messages.js';
import { tensor } from '../tensor.js';
import { layoutOf, type OpDef, OpError } from './context.js';
import { makeWindow, type Window } from './window.js';

/**
 * A (batch·outSize × cg·taps) for group g: A[(n·outSize + p)·K + c·taps + q] is the input of image
 * n, channel g·cg + c at the position tap q of output position p reads (0 in the padding).
 */
export function im2col(x: Float64Array, batch: number, channels: number, g: number, cg: number, w: Window): Float64Array {
  const { outSize, taps, table } = w;
  const inSize = x.length / (batch * channels);
  const K = cg * taps;
  const A = new Float64Array(batch * outSize * K);
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < cg; c++) {
      const xOff = (n * channels + g * cg + c) * inSize;
      for (let p = 0; p < outSize; p++) {
        const aOff = (n * outSize + p) * K + c * taps;
        const tOff = p * taps;
        for (let q = 0; q < taps; q++) {
          const at = table[tOff + q]!;
          if (at >= 0) A[aOff + q] = x[xOff + at]!;
        }
      }
    }
  }
  return A;
}

/** Per group g, B (K × N): B[k·N + j] = W[g·N + j][k], output channel g·N + j's weights flattened as (channel, tap). */
function groupWeights(w: Float64Array, group: number, K: number, N: number): Float64Array[] {
  return Array.from({ length: group }, (_, g) => {
    const B = new Float64Array(K * N);
    for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) B[k * N + j] = w[(g * N + j) * K + k]!;
    return B;
  });
}

const weightLayouts = new WeakMap<Float64Array, Map<string, Float64Array[]>>();

export const Conv: OpDef = {
  attrs: ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'],
  inputs: [2, 3],
  run(ctx) {
    const X = ctx.floatInput(0);
    const W = ctx.floatInput(1);
    const bias = ctx.optional(2);
    if (X.dims.length < 3 || W.dims.length !== X.dims.length) throw new OpError(msg.rank(ctx.node.inputs[0]!, X.dims, `[N, C, spatial...] with weights of the same rank (weights: [${W.dims.join(', ')}])`));
    const [batch, channels] = X.dims as [number, number];
    const [outCh, cg] = W.dims as [number, number];
    const group = ctx.attrs.int('group', 1);
    if (group < 1 || cg * group !== channels) throw new OpError(msg.channels(channels, cg, group));
    if (outCh % group !== 0) throw new OpError(msg.groups(outCh, group));
    const kernel = W.dims.slice(2);
    if (ctx.attrs.has('kernel_shape') && ctx.attrs.ints('kernel_shape').join() !== kernel.join()) throw new OpError(msg.attrValue('kernel_shape', ctx.attrs.ints('kernel_shape'), `the weights' kernel is [${kernel.join(', ')}]`));
    if (bias && bias.data.length !== outCh) throw new OpError(msg.rank(ctx.node.inputs[2]!, bias.dims, `[${outCh}]`));
    const win = makeWindow(ctx.attrs, X.dims.slice(2), kernel, false);

    const a = ctx.operand('a', 0);
    const w = ctx.operand('w', 1);
    const unscale = 2 ** -(a.log2Scale + w.log2Scale);
    const { outSize, taps } = win;
    const M = batch * outSize;
    const K = cg * taps;
    const N = outCh / group;
    const Y = tensor([batch, outCh, ...win.outDims]);
    const Bs = layoutOf(weightLayouts, w.values, `${group}`, () => groupWeights(w.values, group, K, N));
    for (let g = 0; g < group; g++) {
      const D = ctx.gemm(im2col(a.values, batch, channels, g, cg, win), Bs[g]!, M, K, N);
      for (let n = 0; n < batch; n++) {
        for (let j = 0; j < N; j++) {
          const oc = g * N + j;
          const b = bias ? bias.data[oc]! : 0;
          const yOff = (n * outCh + oc) * outSize;
          for (let p = 0; p < outSize; p++) Y.data[yOff + p] = D[(n * outSize + p) * N + j]! * unscale + b;
        }
      }
    }
    return Y;
  },
};
