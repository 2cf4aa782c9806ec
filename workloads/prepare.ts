// A workload made ready for one set of inputs (formats a and w, input rounding, sparsity): the
// quantized matrices, B laid out for the sweep's GEMM loop, and the exact reference. None of it
// depends on the accumulator, so it is built once per worker and reused by every point.
//
// Quantization is per tensor with a power-of-two scale (workloads/matrix.ts: the tensor's largest
// magnitude lands in [1, 2)). Synthetic tensors are scaled by their own maximum; the MLP's weights
// likewise, its activations by the static maxima calibrated on the training split in float64
// (stored in the model file). Scales are exact and undone in float64 after each GEMM.
import type { ConversionCounts } from '../core/conversions.js';
import type { Format, RoundingMode } from '../core/format.js';
import { exactGemm } from '../sweep/reference.js';
import { prepareB, type PreparedB } from '../sweep/gemm.js';
import { stableStringify } from '../util/stable-json.js';
import { formatSpecOf } from '../core/format.js';
import { absMax, decode, mat, nonzeroByRow, prune24, quantize, type QuantizedMat, type RowIndex, scaleLog2 } from './matrix.js';
import { accuracy64, argmax, CLASSES, digitsOf, loadModel, type MlpModel, PIXELS } from './mnist.js';
import type { MnistSpec, SyntheticSpec, WorkloadSpec } from './schema.js';
import { prepareOnnx, type PreparedOnnx } from './onnx.js';
import { syntheticMatrices } from './synthetic.js';

export interface InputSetup {
  a: Format;
  w: Format;
  inputRounding: RoundingMode;
  sparsity: 'dense' | '2:4';
}

export interface PreparedSynthetic {
  kind: 'synthetic';
  spec: SyntheticSpec;
  A: QuantizedMat;
  rows: RowIndex;
  B: PreparedB;
  /** What quantizing B did to its values. */
  wConversions: ConversionCounts;
  /** Exact Σ A·B of the quantized inputs, rounded once to float64. */
  ref: Float64Array;
  refMethod: string;
  scaleLog2: { a: number; w: number };
}

export interface MlpLayerPrep {
  K: number;
  N: number;
  B: PreparedB;
  /** What quantizing the weights did to their values. */
  wConversions: ConversionCounts;
  /** Values of B's codes (K × N), for the per-point exact reference of later layers. */
  Bvalues: Float64Array;
  bias: Float64Array;
  relu: boolean;
  /** Power-of-two scales of this layer's input and weights. */
  sIn: number;
  sW: number;
}

export interface PreparedMnist {
  kind: 'mnist-mlp';
  spec: MnistSpec;
  model: MlpModel;
  labels: Int32Array;
  /** The test digits quantized: the first layer's A. */
  X: QuantizedMat;
  rows: RowIndex;
  layers: MlpLayerPrep[];
  /** Exact reference of the first layer's GEMM (its inputs do not depend on the accumulator). */
  ref: Float64Array;
  refMethod: string;
  /** Accuracy of the float64 model (no quantization) on the same digits. */
  accuracyFloat64: number;
  /** Accuracy with the quantized inputs and weights but exact accumulation (every GEMM's reference). */
  accuracyExactAcc: number;
}

export type Prepared = PreparedSynthetic | PreparedMnist | PreparedOnnx;

const cache = new Map<string, Prepared>();

export function prepareKey(spec: WorkloadSpec, s: InputSetup): string {
  return stableStringify({ spec, a: formatSpecOf(s.a), w: formatSpecOf(s.w), r: s.inputRounding, sp: s.sparsity });
}

export function prepareWorkload(spec: WorkloadSpec, setup: InputSetup): Prepared {
  const key = prepareKey(spec, setup);
  let p = cache.get(key);
  if (!p) {
    p = spec.kind === 'synthetic' ? prepareSynthetic(spec, setup) : spec.kind === 'mnist-mlp' ? prepareMnist(spec, setup) : prepareOnnx(spec, setup);
    cache.set(key, p);
  }
  return p;
}

export function clearPrepared(): void {
  cache.clear();
}

function prepareSynthetic(spec: SyntheticSpec, s: InputSetup): PreparedSynthetic {
  const { A: A64, B: B64raw } = syntheticMatrices(spec);
  const B64 = s.sparsity === '2:4' ? prune24(B64raw) : B64raw;
  const sa = scaleLog2(absMax(A64.data));
  const sw = scaleLog2(absMax(B64.data));
  const A = quantize(A64, sa, s.a, s.inputRounding);
  const Bq = quantize(B64, sw, s.w, s.inputRounding);
  const rows = nonzeroByRow(A);
  const ref = exactGemm(decode(A), decode(Bq), spec.M, spec.K, spec.N, rows);
  return { kind: 'synthetic', spec, A, rows, B: prepareB(Bq, s.sparsity === '2:4'), wConversions: Bq.conversions, ref: ref.values, refMethod: ref.method, scaleLog2: { a: sa, w: sw } };
}

function prepareMnist(spec: MnistSpec, s: InputSetup): PreparedMnist {
  const model = loadModel(spec.model);
  const digits = digitsOf(model.split.test.slice(0, spec.testDigits));
  const X64 = mat(digits.length, PIXELS);
  digits.forEach((d, i) => X64.data.set(d.pixels, i * PIXELS));
  const labels = Int32Array.from(digits, (d) => d.label);
  const layers: MlpLayerPrep[] = model.layers.map((l, i) => {
    const W = mat(l.inputs, l.outputs, Float64Array.from(l.W.flat()));
    const Wp = s.sparsity === '2:4' ? prune24(W) : W;
    const sW = scaleLog2(absMax(Wp.data));
    const Bq = quantize(Wp, sW, s.w, s.inputRounding);
    return {
      K: l.inputs,
      N: l.outputs,
      B: prepareB(Bq, s.sparsity === '2:4'),
      wConversions: Bq.conversions,
      Bvalues: decode(Bq),
      bias: Float64Array.from(l.b),
      relu: l.activation === 'relu',
      sIn: scaleLog2(model.calibration.inputAbsMax[i]!),
      sW,
    };
  });
  const X = quantize(X64, layers[0]!.sIn, s.a, s.inputRounding);
  const rows = nonzeroByRow(X);
  const ref = exactGemm(decode(X), layers[0]!.Bvalues, X.rows, PIXELS, layers[0]!.N, rows);
  const prep: PreparedMnist = {
    kind: 'mnist-mlp',
    spec,
    model,
    labels,
    X,
    rows,
    layers,
    ref: ref.values,
    refMethod: ref.method,
    accuracyFloat64: accuracy64(model, digits).accuracy,
    accuracyExactAcc: 0,
  };
  prep.accuracyExactAcc = mlpExactAccuracy(prep, s);
  return prep;
}

/** From one layer's GEMM output values to the next layer's float64 input (or the logits). */
export function layerOutput(l: MlpLayerPrep, D: Float64Array, M: number): Float64Array {
  const out = new Float64Array(M * l.N);
  const unscale = 2 ** -(l.sIn + l.sW);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < l.N; j++) {
      const y = D[i * l.N + j]! * unscale + l.bias[j]!;
      out[i * l.N + j] = !l.relu || y > 0 || Number.isNaN(y) ? y : 0; // ReLU; a NaN stays NaN
    }
  }
  return out;
}

export function countCorrect(logits: Float64Array, labels: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (argmax(logits.subarray(i * CLASSES, (i + 1) * CLASSES)) === labels[i]) correct++;
  return correct;
}

/** The MLP with FP8 inputs and weights and exact accumulation: each GEMM replaced by its reference. */
function mlpExactAccuracy(p: PreparedMnist, s: InputSetup): number {
  const M = p.labels.length;
  let X = p.X;
  let rows = p.rows;
  let h: Float64Array = new Float64Array(0);
  p.layers.forEach((l, i) => {
    const ref = i === 0 ? p.ref : exactGemm(decode(X), l.Bvalues, M, l.K, l.N, rows).values;
    h = layerOutput(l, ref, M);
    const next = p.layers[i + 1];
    if (next) {
      X = quantize(mat(M, l.N, h), next.sIn, s.a, s.inputRounding);
      rows = nonzeroByRow(X);
    }
  });
  return countCorrect(h, p.labels) / M;
}
