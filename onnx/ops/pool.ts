// Pooling over the spatial dimensions of [N, C, spatial...]: MaxPool, AveragePool (padding either
// excluded from the divisor or, with count_include_pad, counted), GlobalAveragePool.
import { onnxMessages as msg } from '../messages.js';
import { sizeOf, type Tensor, tensor } from '../tensor.js';
import { type OpContext, type OpDef, OpError } from './context.js';
import { makeWindow, type Window } from './window.js';

function spatialInput(ctx: OpContext): Tensor {
  const x = ctx.floatInput(0);
  if (x.dims.length < 3) throw new OpError(msg.rank(ctx.node.inputs[0]!, x.dims, '[N, C, spatial...]'));
  return x;
}

/** Runs `reduce` over every window of every (image, channel) plane. */
function pool(ctx: OpContext, reduce: (x: Float64Array, off: number, w: Window, p: number) => number): Tensor {
  const x = spatialInput(ctx);
  const win = makeWindow(ctx.attrs, x.dims.slice(2), ctx.attrs.ints('kernel_shape'), ctx.attrs.int('ceil_mode', 0) === 1);
  const planes = x.dims[0]! * x.dims[1]!;
  const inSize = sizeOf(win.inDims);
  const y = tensor([x.dims[0]!, x.dims[1]!, ...win.outDims]);
  for (let c = 0; c < planes; c++) for (let p = 0; p < win.outSize; p++) y.data[c * win.outSize + p] = reduce(x.data, c * inSize, win, p);
  return y;
}

export const MaxPool: OpDef = {
  attrs: ['auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'storage_order', 'strides'],
  inputs: [1, 1],
  run(ctx) {
    // storage_order only orders the Indices output, which the interpreter refuses.
    return pool(ctx, (x, off, w, p) => {
      let m = -Infinity;
      for (let q = 0; q < w.taps; q++) {
        const at = w.table[p * w.taps + q]!;
        if (at >= 0 && x[off + at]! > m) m = x[off + at]!;
      }
      return m;
    });
  },
};

export const AveragePool: OpDef = {
  attrs: ['auto_pad', 'ceil_mode', 'count_include_pad', 'dilations', 'kernel_shape', 'pads', 'strides'],
  inputs: [1, 1],
  run(ctx) {
    const includePad = ctx.attrs.int('count_include_pad', 0) === 1;
    return pool(ctx, (x, off, w, p) => {
      let sum = 0;
      let n = 0;
      for (let q = 0; q < w.taps; q++) {
        const at = w.table[p * w.taps + q]!;
        if (at >= 0) {
          sum += x[off + at]!;
          n++;
        }
      }
      return sum / (includePad ? w.padded[p]! : n);
    });
  },
};

export const GlobalAveragePool: OpDef = {
  attrs: [],
  inputs: [1, 1],
  run(ctx) {
    const x = spatialInput(ctx);
    const planes = x.dims[0]! * x.dims[1]!;
    const size = x.data.length / planes;
    const y = tensor([x.dims[0]!, x.dims[1]!, ...x.dims.slice(2).map(() => 1)]);
    for (let c = 0; c < planes; c++) {
      let sum = 0;
      for (let i = 0; i < size; i++) sum += x.data[c * size + i]!;
      y.data[c] = sum / size;
    }
    return y;
  },
};
