// onnxruntime's float32 accuracy on an onnx workload: the reference the report sets beside the
// emulated accuracies. Run once per workload by the sweep's main thread (sweep/run.ts), on one
// thread of onnxruntime's own so that the workers keep the cores.
import { readFileSync } from 'node:fs';
import { LbamacError } from '../core/errors.js';
import { stableStringify } from '../util/stable-json.js';
import { workloadMessages as msg } from './messages.js';
import { describeOnnx, inputBatches, labelsOf, top1 } from './onnx.js';
import type { OnnxSpec } from './schema.js';

type Ort = typeof import('onnxruntime-node');

/** Loaded when first needed: a native binding that other commands never use. */
async function loadOrt(): Promise<Ort> {
  try {
    return await import('onnxruntime-node');
  } catch (err) {
    throw new LbamacError(msg.ortMissing((err as Error).message));
  }
}

const accuracies = new Map<string, Promise<number>>();

export function ortAccuracy(spec: OnnxSpec): Promise<number> {
  const key = stableStringify(spec);
  let a = accuracies.get(key);
  if (!a) accuracies.set(key, (a = measure(spec)));
  return a;
}

async function measure(spec: OnnxSpec): Promise<number> {
  const ort = await loadOrt();
  const info = describeOnnx(spec);
  const session = await ort.InferenceSession.create(readFileSync(spec.model), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const scores = new Float64Array(info.images * info.classes);
    for (const { start, x } of inputBatches(spec, info)) {
      const out = await session.run({ [info.input]: new ort.Tensor('float32', Float32Array.from(x.data), x.dims) });
      scores.set(out[info.output]!.data as Float32Array, start * info.classes);
    }
    return top1(scores, labelsOf(spec, info), info.classes);
  } finally {
    await session.release();
  }
}
