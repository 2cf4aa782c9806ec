// Operators that move elements without computing: Identity, Flatten, Reshape, Transpose, Concat,
// and Constant (PyTorch's exporter writes Reshape's target shape as one).
import { onnxMessages as msg } from '../messages.js';
import { sizeOf, stridesOf, type Tensor, tensor } from '../tensor.js';
import { normalizeAxis, type OpDef, OpError } from './context.js';

/** The same elements under new dims (the data is shared: no tensor is ever written after it is made). */
function view(x: Tensor, dims: number[]): Tensor {
  if (sizeOf(dims) !== x.data.length) throw new OpError(msg.reshape(x.dims, dims));
  return { dtype: x.dtype, dims, data: x.data };
}

export const Identity: OpDef = { attrs: [], inputs: [1, 1], run: (ctx) => view(ctx.input(0), [...ctx.input(0).dims]) };

export const Flatten: OpDef = {
  attrs: ['axis'],
  inputs: [1, 1],
  run(ctx) {
    const x = ctx.input(0);
    const rank = x.dims.length;
    // axis is in [-rank, rank]: rank puts everything in the first dimension.
    const a = ctx.attrs.int('axis', 1);
    const axis = a === rank ? rank : normalizeAxis(a, rank);
    return view(x, [sizeOf(x.dims.slice(0, axis)), sizeOf(x.dims.slice(axis))]);
  },
};

export const Reshape: OpDef = {
  attrs: ['allowzero'],
  inputs: [2, 2],
  run(ctx) {
    const x = ctx.input(0);
    const shape = ctx.input(1);
    if (shape.dtype !== 'int64') throw new OpError(msg.dtype(ctx.node.inputs[1]!, shape.dtype, 'int64'));
    const allowZero = ctx.attrs.int('allowzero', 0) === 1;
    const dims = Array.from(shape.data);
    // 0 copies the input's dimension at that position (unless allowzero), -1 takes what is left.
    const out = dims.map((d, i) => (d === 0 && !allowZero ? (x.dims[i] ?? 0) : d));
    const free = out.indexOf(-1);
    if (free >= 0) {
      const known = sizeOf(out.filter((_, i) => i !== free));
      if (known === 0 || x.data.length % known !== 0) throw new OpError(msg.reshape(x.dims, dims));
      out[free] = x.data.length / known;
    }
    if (out.some((d) => d < 0)) throw new OpError(msg.reshape(x.dims, dims));
    return view(x, out);
  },
};

export const Transpose: OpDef = {
  attrs: ['perm'],
  inputs: [1, 1],
  run(ctx) {
    const x = ctx.input(0);
    const rank = x.dims.length;
    const perm = ctx.attrs.ints('perm', Array.from({ length: rank }, (_, i) => rank - 1 - i));
    if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) throw new OpError(msg.perm(perm, rank));
    const dims = perm.map((p) => x.dims[p]!);
    const inStrides = stridesOf(x.dims);
    const s = perm.map((p) => inStrides[p]!);
    const out = tensor(dims, undefined, x.dtype);
    const idx = new Array<number>(rank).fill(0);
    let o = 0;
    for (let i = 0; i < out.data.length; i++) {
      out.data[i] = x.data[o]!;
      for (let d = rank - 1; d >= 0; d--) {
        o += s[d]!;
        if (++idx[d]! < dims[d]!) break;
        o -= s[d]! * dims[d]!;
        idx[d] = 0;
      }
    }
    return out;
  },
};

export const Concat: OpDef = {
  attrs: ['axis'],
  inputs: [1, Infinity],
  run(ctx) {
    const xs = ctx.inputs.map((_, i) => ctx.input(i));
    const first = xs[0]!;
    const rank = first.dims.length;
    const axis = normalizeAxis(ctx.attrs.int('axis'), rank);
    for (const [i, x] of xs.entries()) {
      if (x.dtype !== first.dtype) throw new OpError(msg.dtype(ctx.node.inputs[i]!, x.dtype, first.dtype));
      if (x.dims.length !== rank || x.dims.some((d, j) => j !== axis && d !== first.dims[j])) throw new OpError(msg.concat(axis));
    }
    const dims = [...first.dims];
    dims[axis] = xs.reduce((n, x) => n + x.dims[axis]!, 0);
    const outer = sizeOf(dims.slice(0, axis));
    const out = tensor(dims, undefined, first.dtype);
    // Each input contributes one contiguous block of dims[axis]·inner elements per outer index.
    let o = 0;
    for (let p = 0; p < outer; p++) {
      for (const x of xs) {
        const block = x.data.length / outer;
        out.data.set(x.data.subarray(p * block, (p + 1) * block), o);
        o += block;
      }
    }
    return out;
  },
};

export const Constant: OpDef = {
  attrs: ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'],
  inputs: [0, 0],
  run(ctx) {
    const a = ctx.attrs;
    if (a.has('value')) return a.tensor('value');
    if (a.has('value_float')) return tensor([], Float64Array.of(a.float('value_float')));
    if (a.has('value_floats')) return tensor([a.floats('value_floats').length], Float64Array.from(a.floats('value_floats')));
    if (a.has('value_int')) return tensor([], Float64Array.of(a.int('value_int')), 'int64');
    const v = a.ints('value_ints');
    return tensor([v.length], Float64Array.from(v), 'int64');
  },
};
