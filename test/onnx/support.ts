// Shared by the ONNX tests: random float32 tensors, onnxruntime as the reference, and the
// comparison of our outputs with its.
import { expect } from 'chai';
import * as ort from 'onnxruntime-node';
import { encodeModel, type ModelSpec } from '../../onnx/builder.js';
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
