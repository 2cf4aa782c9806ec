// Shared by the ONNX tests: random float32 tensors, onnxruntime as the reference, the comparison
// of our outputs with its, and onnx workloads' files for the sweep tests.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '../../engine/npy.js';
import { argmax } from '../../workloads/mnist.js';
import * as ort from 'onnxruntime-node';
import { attr, encodeModel, type ModelSpec } from '../../onnx/builder.js';
import { loadProgram } from '../../onnx/interpreter.js';
import { type DType, sizeOf, type Tensor, tensor } from '../../onnx/tensor.js';
import { Rng } from '../../workloads/rng.js';

/** Gaussian float32 values (times `scale`). */
export function randn(rng: Rng, dims: number[], scale = 1): Tensor {
  return tensor(dims, Float64Array.from({ length: sizeOf(dims) }, () => Math.fround(rng.normal() * scale)));
}

export function ints(values: number[]): Tensor {
  return tensor([values.length], Float64Array.from(values), 'int64');
}

function toOrt(t: Tensor): ort.Tensor {
  return t.dtype === 'int64' ? new ort.Tensor('int64', BigInt64Array.from(t.data, (v) => BigInt(v)), t.dims) : new ort.Tensor('float32', Float32Array.from(t.data), t.dims);
}

function fromOrt(t: ort.Tensor): Tensor {
  const dtype: DType = t.type === 'int64' ? 'int64' : 'float32';
  return tensor([...t.dims], Float64Array.from(t.data as ArrayLike<number | bigint>, Number), dtype);
}

/** The model's outputs as onnxruntime computes them (float32, CPU). */
export async function runOrt(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Map<string, Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, toOrt(v)])));
    return new Map(session.outputNames.map((n) => [n, fromOrt(out[n]!)]));
  } finally {
    await session.release();
  }
}

/**
 * Our float path against onnxruntime on one model: same dims, and every element within
 * rtol · (largest magnitude of the reference output); `rtol = 0` asks for identical values.
 */
export async function expectMatchesOrt(spec: ModelSpec, feeds: Record<string, Tensor>, rtol: number): Promise<void> {
  const bytes = encodeModel(spec);
  const ref = await runOrt(bytes, feeds);
  const ours = loadProgram(bytes).run(feeds);
  for (const [name, r] of ref) {
    const o = ours.get(name)!;
    expect(o.dims, `dims of ${name}`).to.deep.equal(r.dims);
    expect(maxDiff(o.data, r.data), `largest difference in ${name}`).to.be.at.most(rtol * maxAbs(r.data));
  }
}

export function maxAbs(x: Float64Array): number {
  return x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

export function maxDiff(x: Float64Array, y: Float64Array): number {
  expect(x.length).to.equal(y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Object.is(x[i], y[i]) ? 0 : Math.abs(x[i]! - y[i]!));
  return m;
}

/**
 * A LeNet-sized CNN with random weights on [batch, 1, 16, 16] inputs: Conv+BatchNorm+Relu+MaxPool,
 * Conv+Relu+AveragePool, Flatten, Gemm+Relu, MatMul+Add, Softmax. Weights are scaled like a
 * trained network's (fan-in), so activations stay of order 1.
 */
export function smallCnn(rng: Rng): ModelSpec {
  const positive = (n: number) => tensor([n], Float64Array.from({ length: n }, () => Math.fround(0.5 + rng.uniform())));
  return {
    opset: 17,
    inputs: [{ name: 'x', dims: ['batch', 1, 16, 16] }],
    outputs: [{ name: 'probs' }, { name: 'logits' }],
    initializers: {
      c1w: randn(rng, [4, 1, 3, 3], 1 / 3),
      c1b: randn(rng, [4], 0.1),
      bns: positive(4),
      bnb: randn(rng, [4], 0.1),
      bnm: randn(rng, [4], 0.1),
      bnv: positive(4),
      c2w: randn(rng, [8, 4, 3, 3], 1 / 6),
      c2b: randn(rng, [8], 0.1),
      f1w: randn(rng, [16, 72], 1 / Math.sqrt(72)),
      f1b: randn(rng, [16], 0.1),
      f2w: randn(rng, [16, 10], 1 / 4),
      f2b: randn(rng, [10], 0.1),
    },
    nodes: [
      { op: 'Conv', name: 'conv1', inputs: ['x', 'c1w', 'c1b'], outputs: ['c1'], attrs: { pads: attr.ints([1, 1, 1, 1]) } },
      { op: 'BatchNormalization', name: 'bn1', inputs: ['c1', 'bns', 'bnb', 'bnm', 'bnv'], outputs: ['b1'] },
      { op: 'Relu', inputs: ['b1'], outputs: ['r1'] },
      { op: 'MaxPool', inputs: ['r1'], outputs: ['p1'], attrs: { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) } },
      { op: 'Conv', name: 'conv2', inputs: ['p1', 'c2w', 'c2b'], outputs: ['c2'] },
      { op: 'Relu', inputs: ['c2'], outputs: ['r2'] },
      { op: 'AveragePool', inputs: ['r2'], outputs: ['p2'], attrs: { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) } },
      { op: 'Flatten', inputs: ['p2'], outputs: ['f'] },
      { op: 'Gemm', name: 'fc1', inputs: ['f', 'f1w', 'f1b'], outputs: ['g1'], attrs: { transB: attr.int(1) } },
      { op: 'Relu', inputs: ['g1'], outputs: ['r3'] },
      { op: 'MatMul', name: 'fc2', inputs: ['r3', 'f2w'], outputs: ['m2'] },
      { op: 'Add', inputs: ['m2', 'f2b'], outputs: ['logits'] },
      { op: 'Softmax', inputs: ['logits'], outputs: ['probs'], attrs: { axis: attr.int(1) } },
    ],
  };
}

/** Images i..i+n of a batch tensor. */
export function slice(x: Tensor, i: number, n: number): Tensor {
  const per = x.data.length / x.dims[0]!;
  return tensor([n, ...x.dims.slice(1)], x.data.slice(i * per, (i + n) * per), x.dtype);
}

/**
 * An onnx workload's three files in `dir`: the model, the inputs (float32 .npy) and the labels
 * (int64 .npy, as numpy saves integers); `labels` default: the float path's predictions.
 */
export function writeWorkload(dir: string, spec: ModelSpec, x: Tensor, labels?: number[], names = { model: 'm.onnx', inputs: 'x.npy', labels: 'y.npy' }): typeof names {
  const bytes = encodeModel(spec);
  let y = labels;
  if (!y) {
    const out = loadProgram(bytes).run({ x }).get(spec.outputs[0]!.name)!;
    const classes = out.data.length / x.dims[0]!;
    y = Array.from({ length: x.dims[0]! }, (_, i) => argmax(out.data.subarray(i * classes, (i + 1) * classes)));
  }
  writeFileSync(join(dir, names.model), bytes);
  writeFileSync(join(dir, names.inputs), encodeNpy({ dtype: 'float32', shape: x.dims, data: x.data }));
  writeFileSync(join(dir, names.labels), encodeNpy({ dtype: 'int64', shape: [y.length], data: y }));
  return names;
}
