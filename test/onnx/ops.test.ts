// Every supported operator against onnxruntime on small models built here. Operators that only move,
// compare or round once (Relu, Clip, Add, Mul, MaxPool, the shape operators) must give identical
// float32 values. Those that sum accumulate in float64 here and in float32 in onnxruntime, so they
// may differ by a few float32 ulps of the sum's terms: each output element must be within
// 1e-5 · (largest magnitude of the output), which covers K·2^-24 for the K ≤ 75 terms used here.
import { attr, type ModelSpec, type NodeSpec } from '../../onnx/builder.js';
import type { Tensor } from '../../onnx/tensor.js';
import { Rng } from '../../workloads/rng.js';
import { expectMatchesOrt, ints, randn } from './support.js';

const EXACT = 0;
const SUMS = 1e-5;

interface Case {
  name: string;
  node: NodeSpec;
  inputs: Record<string, Tensor>;
  initializers?: Record<string, Tensor>;
  opset?: number;
  /** Store float initializers in float_data instead of raw_data. */
  floatData?: boolean;
  rtol: number;
}

/** A model of one node whose inputs are graph inputs (with free batch dims) and initializers. */
function oneNode(c: Case): ModelSpec {
  return {
    opset: c.opset ?? 17,
    inputs: Object.entries(c.inputs).map(([name, t]) => ({ name, dtype: t.dtype, dims: t.dims })),
    outputs: c.node.outputs.filter((o) => o !== '').map((name) => ({ name })),
    initializers: c.initializers ?? {},
    nodes: [c.node],
    rawData: !c.floatData,
  };
}

const rng = new Rng(12);
const x4 = (dims: number[]) => ({ x: randn(rng, dims) });
const node = (op: string, inputs: string[], attrs: NodeSpec['attrs'] = {}): NodeSpec => ({ op, inputs, outputs: ['y'], attrs });
const scalar = (v: number): Tensor => ({ dtype: 'float32', dims: [], data: Float64Array.of(v) });
const positive = (n: number): Tensor => ({ dtype: 'float32', dims: [n], data: Float64Array.from({ length: n }, () => Math.fround(0.5 + rng.uniform())) });

const CASES: Case[] = [
  { name: 'Relu', node: node('Relu', ['x']), inputs: x4([2, 3, 4]), rtol: EXACT },
  { name: 'Clip, bounds as inputs', node: node('Clip', ['x', 'lo', 'hi']), inputs: x4([2, 3, 4]), initializers: { lo: scalar(-0.5), hi: scalar(0.75) }, rtol: EXACT },
  { name: 'Clip, max only', node: node('Clip', ['x', '', 'hi']), inputs: x4([3, 4]), initializers: { hi: scalar(0.25) }, rtol: EXACT },
  { name: 'Clip, bounds as attributes (opset 10)', node: node('Clip', ['x'], { min: attr.float(0), max: attr.float(6) }), inputs: x4([3, 4]), opset: 10, rtol: EXACT },
  { name: 'Add, same dims', node: node('Add', ['x', 'b']), inputs: { ...x4([2, 3]), b: randn(rng, [2, 3]) }, rtol: EXACT },
  { name: 'Add, broadcast', node: node('Add', ['x', 'b']), inputs: { ...x4([2, 3, 4]), b: randn(rng, [3, 1]) }, rtol: EXACT },
  { name: 'Mul, both broadcast', node: node('Mul', ['x', 'b']), inputs: { ...x4([2, 1, 4]), b: randn(rng, [3, 1]) }, rtol: EXACT },
  { name: 'MaxPool 3×3/2, pads 1', node: node('MaxPool', ['x'], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) }), inputs: x4([2, 3, 9, 9]), rtol: EXACT },
  { name: 'MaxPool ceil_mode', node: node('MaxPool', ['x'], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]), ceil_mode: attr.int(1) }), inputs: x4([1, 2, 7, 7]), rtol: EXACT },
  // 5 + 2 pads, kernel 2, stride 2: ceil gives 4 windows, but the 4th would start in the end padding.
  { name: 'MaxPool ceil_mode, pads, last window dropped', node: node('MaxPool', ['x'], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]), ceil_mode: attr.int(1) }), inputs: x4([1, 1, 5, 5]), rtol: EXACT },
  { name: 'MaxPool dilations, asymmetric pads', node: node('MaxPool', ['x'], { kernel_shape: attr.ints([2, 3]), dilations: attr.ints([2, 1]), pads: attr.ints([0, 1, 1, 0]) }), inputs: x4([1, 2, 8, 7]), rtol: EXACT },
  { name: 'MaxPool SAME_UPPER', node: node('MaxPool', ['x'], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), auto_pad: attr.string('SAME_UPPER') }), inputs: x4([1, 1, 8, 8]), rtol: EXACT },
  { name: 'MaxPool SAME_LOWER', node: node('MaxPool', ['x'], { kernel_shape: attr.ints([2, 2]), auto_pad: attr.string('SAME_LOWER') }), inputs: x4([1, 1, 5, 6]), rtol: EXACT },
  { name: 'MaxPool VALID, 1-D', node: node('MaxPool', ['x'], { kernel_shape: attr.ints([3]), strides: attr.ints([2]), auto_pad: attr.string('VALID') }), inputs: x4([2, 2, 10]), rtol: EXACT },
  { name: 'AveragePool, pads not counted', node: node('AveragePool', ['x'], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) }), inputs: x4([2, 2, 7, 7]), rtol: SUMS },
  { name: 'AveragePool count_include_pad', node: node('AveragePool', ['x'], { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 2, 1, 0]), count_include_pad: attr.int(1) }), inputs: x4([1, 2, 6, 6]), rtol: SUMS },
  { name: 'AveragePool ceil_mode, count_include_pad', node: node('AveragePool', ['x'], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]), ceil_mode: attr.int(1), count_include_pad: attr.int(1) }), inputs: x4([1, 1, 8, 8]), rtol: SUMS },
  { name: 'AveragePool SAME_UPPER', node: node('AveragePool', ['x'], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]), auto_pad: attr.string('SAME_UPPER') }), inputs: x4([1, 2, 5, 5]), rtol: SUMS },
  { name: 'GlobalAveragePool', node: node('GlobalAveragePool', ['x']), inputs: x4([2, 3, 5, 4]), rtol: SUMS },
  {
    name: 'BatchNormalization',
    node: node('BatchNormalization', ['x', 's', 'b', 'm', 'v'], { epsilon: attr.float(1e-3) }),
    inputs: x4([2, 3, 4, 4]),
    initializers: { s: randn(rng, [3]), b: randn(rng, [3]), m: randn(rng, [3]), v: positive(3) },
    rtol: SUMS,
  },
  { name: 'Flatten, default axis', node: node('Flatten', ['x']), inputs: x4([2, 3, 4, 5]), rtol: EXACT },
  { name: 'Flatten axis 0', node: node('Flatten', ['x'], { axis: attr.int(0) }), inputs: x4([2, 3, 4]), rtol: EXACT },
  { name: 'Flatten axis = rank', node: node('Flatten', ['x'], { axis: attr.int(3) }), inputs: x4([2, 3, 4]), rtol: EXACT },
  { name: 'Flatten axis -1', node: node('Flatten', ['x'], { axis: attr.int(-1) }), inputs: x4([2, 3, 4]), rtol: EXACT },
  { name: 'Reshape with 0 and -1', node: node('Reshape', ['x', 'shape']), inputs: x4([2, 3, 4]), initializers: { shape: ints([0, -1]) }, rtol: EXACT },
  { name: 'Reshape -1 first, 0 last', node: node('Reshape', ['x', 'shape']), inputs: x4([2, 3, 4]), initializers: { shape: ints([-1, 2, 0]) }, rtol: EXACT },
  { name: 'Transpose perm', node: node('Transpose', ['x'], { perm: attr.ints([0, 2, 3, 1]) }), inputs: x4([2, 3, 4, 5]), rtol: EXACT },
  { name: 'Transpose reversed', node: node('Transpose', ['x']), inputs: x4([2, 3, 4]), rtol: EXACT },
  { name: 'Concat axis 1', node: node('Concat', ['x', 'u', 'v'], { axis: attr.int(1) }), inputs: { ...x4([2, 1, 3]), u: randn(rng, [2, 4, 3]), v: randn(rng, [2, 2, 3]) }, rtol: EXACT },
  { name: 'Concat axis -1', node: node('Concat', ['x', 'u'], { axis: attr.int(-1) }), inputs: { ...x4([2, 3]), u: randn(rng, [2, 5]) }, rtol: EXACT },
  { name: 'Softmax, default axis', node: node('Softmax', ['x']), inputs: x4([2, 3, 4]), rtol: SUMS },
  { name: 'Softmax axis 1 (opset 13: that axis alone)', node: node('Softmax', ['x'], { axis: attr.int(1) }), inputs: x4([2, 3, 4]), rtol: SUMS },
  { name: 'Softmax axis 1 (opset 11: coerced to 2-D)', node: node('Softmax', ['x'], { axis: attr.int(1) }), inputs: x4([2, 3, 4]), opset: 11, rtol: SUMS },
  { name: 'Softmax default axis (opset 11: 1)', node: node('Softmax', ['x']), inputs: x4([2, 3, 4]), opset: 11, rtol: SUMS },
  { name: 'Identity', node: node('Identity', ['x']), inputs: x4([3, 2]), rtol: EXACT },
  { name: 'Constant', node: { op: 'Constant', inputs: [], outputs: ['y'], attrs: { value: attr.tensor(randn(rng, [2, 3])) } }, inputs: {}, rtol: EXACT },
  { name: 'Conv 3×3, bias (weights in float_data)', node: node('Conv', ['x', 'w', 'b']), inputs: x4([2, 3, 6, 6]), initializers: { w: randn(rng, [4, 3, 3, 3]), b: randn(rng, [4]) }, floatData: true, rtol: SUMS },
  {
    name: 'Conv groups, strides, pads, dilations',
    node: node('Conv', ['x', 'w'], { group: attr.int(2), strides: attr.ints([2, 1]), pads: attr.ints([1, 0, 2, 1]), dilations: attr.ints([1, 2]) }),
    inputs: x4([2, 4, 7, 8]),
    initializers: { w: randn(rng, [6, 2, 3, 2]) },
    rtol: SUMS,
  },
  { name: 'Conv depthwise SAME_UPPER', node: node('Conv', ['x', 'w'], { group: attr.int(3), strides: attr.ints([2, 2]), auto_pad: attr.string('SAME_UPPER') }), inputs: x4([1, 3, 7, 6]), initializers: { w: randn(rng, [3, 1, 3, 3]) }, rtol: SUMS },
  { name: 'Conv SAME_LOWER', node: node('Conv', ['x', 'w'], { auto_pad: attr.string('SAME_LOWER'), kernel_shape: attr.ints([2, 2]) }), inputs: x4([1, 2, 5, 5]), initializers: { w: randn(rng, [3, 2, 2, 2]) }, rtol: SUMS },
  { name: 'Conv VALID, 1-D', node: node('Conv', ['x', 'w', 'b'], { auto_pad: attr.string('VALID'), strides: attr.ints([3]) }), inputs: x4([2, 3, 11]), initializers: { w: randn(rng, [5, 3, 4]), b: randn(rng, [5]) }, rtol: SUMS },
  { name: 'Conv 3-D', node: node('Conv', ['x', 'w'], { pads: attr.ints([1, 0, 1, 1, 0, 1]) }), inputs: x4([1, 2, 4, 5, 3]), initializers: { w: randn(rng, [2, 2, 2, 3, 2]) }, rtol: SUMS },
  { name: 'Gemm transB, alpha, beta, C per column', node: node('Gemm', ['x', 'w', 'c'], { transB: attr.int(1), alpha: attr.float(0.5), beta: attr.float(2) }), inputs: x4([3, 5]), initializers: { w: randn(rng, [4, 5]), c: randn(rng, [4]) }, rtol: SUMS },
  { name: 'Gemm transA, C per row', node: node('Gemm', ['x', 'w', 'c'], { transA: attr.int(1) }), inputs: x4([5, 3]), initializers: { w: randn(rng, [5, 4]), c: randn(rng, [3, 1]) }, rtol: SUMS },
  { name: 'Gemm without C', node: node('Gemm', ['x', 'w']), inputs: x4([3, 5]), initializers: { w: randn(rng, [5, 2]) }, rtol: SUMS },
  { name: 'MatMul, batch folded into rows', node: node('MatMul', ['x', 'w']), inputs: x4([2, 3, 4, 5]), initializers: { w: randn(rng, [5, 6]) }, rtol: SUMS },
  { name: 'MatMul 1-D × 2-D', node: node('MatMul', ['x', 'w']), inputs: x4([5]), initializers: { w: randn(rng, [5, 6]) }, rtol: SUMS },
  { name: 'MatMul 2-D × 1-D', node: node('MatMul', ['x', 'w']), inputs: x4([4, 5]), initializers: { w: randn(rng, [5]) }, rtol: SUMS },
  { name: 'MatMul broadcast batches', node: node('MatMul', ['x', 'w']), inputs: { ...x4([2, 1, 4, 5]), w: randn(rng, [3, 5, 2]) }, rtol: SUMS },
];

describe('onnx operators match onnxruntime', function () {
  this.timeout(60000);
  for (const c of CASES) it(c.name, () => expectMatchesOrt(oneNode(c), c.inputs, c.rtol));
});
