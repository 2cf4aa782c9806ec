// BatchNormalization in its inference form and Softmax (with the axis semantics of the model's opset).
import { onnxMessages as msg } from '../messages.js';
import { sizeOf, tensor } from '../tensor.js';
import { normalizeAxis, type OpDef, OpError } from './context.js';

/** Y = (X - mean) / sqrt(var + epsilon) · scale + B, per channel (dimension 1). */
export const BatchNormalization: OpDef = {
  attrs: ['epsilon', 'momentum', 'training_mode', 'spatial'],
  inputs: [5, 5],
  run(ctx) {
    if (ctx.attrs.int('training_mode', 0) !== 0) throw new OpError(msg.trainingMode);
    // spatial = 0 (opsets before 9) normalizes every element separately.
    if (ctx.attrs.int('spatial', 1) !== 1) throw new OpError(msg.attrValue('spatial', 0, 'only spatial = 1 (per channel)'));
    const X = ctx.floatInput(0);
    const C = X.dims[1] ?? 1;
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => {
      const t = ctx.floatInput(i);
      if (t.data.length !== C) throw new OpError(msg.rank(ctx.node.inputs[i]!, t.dims, `[${C}]`));
      return t.data;
    }) as [Float64Array, Float64Array, Float64Array, Float64Array];
    const eps = ctx.attrs.float('epsilon', 1e-5);
    const inner = sizeOf(X.dims.slice(2));
    const Y = tensor(X.dims);
    for (let i = 0; i < X.data.length; i++) {
      const c = Math.floor(i / inner) % C;
      Y.data[i] = ((X.data[i]! - mean[c]!) / Math.sqrt(variance[c]! + eps)) * scale[c]! + bias[c]!;
    }
    return Y;
  },
};

/**
 * From opset 13 on, softmax along `axis` (default -1) alone. Before, the input is seen as a matrix
 * [product of dims before axis, product of the rest] (axis default 1) and each row is normalized.
 */
export const Softmax: OpDef = {
  attrs: ['axis'],
  inputs: [1, 1],
  run(ctx) {
    const X = ctx.floatInput(0);
    const rank = X.dims.length;
    const modern = ctx.opset >= 13;
    const axis = normalizeAxis(ctx.attrs.int('axis', modern ? -1 : 1), Math.max(rank, 1));
    const len = modern ? (X.dims[axis] ?? 1) : sizeOf(X.dims.slice(axis));
    const inner = modern ? sizeOf(X.dims.slice(axis + 1)) : 1;
    const Y = tensor(X.dims);
    for (let base = 0; base < X.data.length; base += len * inner) {
      for (let s = 0; s < inner; s++) {
        let m = -Infinity;
        for (let k = 0; k < len; k++) m = Math.max(m, X.data[base + k * inner + s]!);
        let sum = 0;
        for (let k = 0; k < len; k++) sum += Math.exp(X.data[base + k * inner + s]! - m);
        for (let k = 0; k < len; k++) Y.data[base + k * inner + s] = Math.exp(X.data[base + k * inner + s]! - m) / sum;
      }
    }
    return Y;
  },
};
