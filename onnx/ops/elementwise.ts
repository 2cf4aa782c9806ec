// Element-wise operators: Relu, Clip, and Add and Mul with numpy-style (multidirectional)
// broadcasting, as ONNX defines it from opset 7 on.
import { onnxMessages as msg } from '../messages.js';
import { stridesOf, type Tensor, tensor } from '../tensor.js';
import { type OpContext, type OpDef, OpError } from './context.js';

function map(x: Tensor, f: (v: number) => number): Tensor {
  const out = tensor(x.dims, undefined, x.dtype);
  for (let i = 0; i < x.data.length; i++) out.data[i] = f(x.data[i]!);
  return out;
}

export function broadcastDims(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new OpError(msg.broadcast(a, b));
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Strides of x's elements along `dims` (x broadcast to dims): 0 where x is repeated. */
export function broadcastStrides(x: readonly number[], dims: readonly number[]): number[] {
  const s = stridesOf(x);
  const off = dims.length - x.length;
  return dims.map((_, i) => (i < off || x[i - off] === 1 ? 0 : s[i - off]!));
}

function binary(ctx: OpContext, f: (x: number, y: number) => number): Tensor {
  const a = ctx.input(0);
  const b = ctx.input(1);
  if (a.dtype !== b.dtype) throw new OpError(msg.dtype(ctx.node.inputs[1]!, b.dtype, a.dtype));
  const dims = broadcastDims(a.dims, b.dims);
  const out = tensor(dims, undefined, a.dtype);
  const n = out.data.length;
  if (a.data.length === n && b.data.length === n) {
    for (let i = 0; i < n; i++) out.data[i] = f(a.data[i]!, b.data[i]!);
    return out;
  }
  // An odometer over the output's index, moving both inputs' offsets by their broadcast strides.
  const sa = broadcastStrides(a.dims, dims);
  const sb = broadcastStrides(b.dims, dims);
  const idx = new Array<number>(dims.length).fill(0);
  let oa = 0;
  let ob = 0;
  for (let i = 0; i < n; i++) {
    out.data[i] = f(a.data[oa]!, b.data[ob]!);
    for (let d = dims.length - 1; d >= 0; d--) {
      oa += sa[d]!;
      ob += sb[d]!;
      if (++idx[d]! < dims[d]!) break;
      oa -= sa[d]! * dims[d]!;
      ob -= sb[d]! * dims[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

export const Add: OpDef = { attrs: [], inputs: [2, 2], run: (ctx) => binary(ctx, (x, y) => x + y) };
export const Mul: OpDef = { attrs: [], inputs: [2, 2], run: (ctx) => binary(ctx, (x, y) => x * y) };

// x < 0 rather than max(x, 0): a NaN stays NaN.
export const Relu: OpDef = { attrs: [], inputs: [1, 1], run: (ctx) => map(ctx.floatInput(0), (x) => (x < 0 ? 0 : x)) };

/** The bound of Clip: an input from opset 11 on (absent or "" for none), an attribute before. */
function bound(ctx: OpContext, input: number, attr: string, none: number): number {
  if (ctx.opset < 11) return ctx.attrs.float(attr, none);
  const t = ctx.optional(input);
  return t === null ? none : t.data[0]!;
}

export const Clip: OpDef = {
  attrs: ['min', 'max'],
  inputs: [1, 3],
  run(ctx) {
    const lo = bound(ctx, 1, 'min', -Infinity);
    const hi = bound(ctx, 2, 'max', Infinity);
    return map(ctx.floatInput(0), (x) => (x < lo ? lo : x > hi ? hi : x));
  },
};
