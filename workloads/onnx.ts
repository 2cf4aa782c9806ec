// The onnx workload: a model, its inputs (.npy, one per row of the first axis) and their labels.
// describeOnnx checks the three files against each other before a sweep starts (every error names
// the file and the value); loadOnnx readies them in a worker: the Program, the labels, the inputs
// read a batch at a time from the file (an ImageNet-sized set need not fit in memory), and the float
// path's calibration, accuracy and layer shapes, none of which depend on the array configuration.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { LbamacError } from '../core/errors.js';
import { decodeNpyData, isFloatDtype, npyLayout, type NpyLayout, parseNpy } from '../engine/npy.js';
import { loadProgram, type Program, type RunOptions } from '../onnx/interpreter.js';
import { float64Backend, type GemmBackend } from '../onnx/linear.js';
import { exactBackend } from '../onnx/array-backend.js';
import { Pruner, pruned24 } from '../onnx/prune.js';
import { AbsMaxRecorder, FormatQuantizer, type QuantizerSetup } from '../onnx/quantize.js';
import type { Format, RoundingMode } from '../core/format.js';
import { type Tensor, tensor } from '../onnx/tensor.js';
import { stableStringify } from '../util/stable-json.js';
import { workloadMessages as msg } from './messages.js';
import { argmax } from './mnist.js';
import type { OnnxSpec } from './schema.js';

/** The operators that run on the array; every other runs in float32. */
export const GEMM_OPS: readonly string[] = ['Conv', 'Gemm', 'MatMul'];

/** The files' paths made absolute against the sweep config's directory (what a sweep records and its workers read). */
export function resolveOnnxPaths(spec: OnnxSpec, baseDir: string): OnnxSpec {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  return { ...spec, model: abs(spec.model), inputs: abs(spec.inputs), labels: abs(spec.labels) };
}

/** What the sweep needs to know of a workload before any point runs. */
export interface OnnxInfo {
  /** Inputs used (after `limit`). */
  images: number;
  /** Inputs per interpreter run: the spec's, or the batch the model fixes. */
  batch: number;
  input: string;
  output: string;
  /** Class scores per input (the output's elements per input). */
  classes: number;
  /** The Conv, Gemm and MatMul nodes, in the order they run. */
  layers: LayerShape[];
}

/** One GEMM layer (a Conv, Gemm or MatMul node) as the array sees it for one input. */
export interface LayerShape {
  name: string;
  op: string;
  /** One GEMM of the node for one input: M × K by K × N (a grouped Conv runs `calls` of them, a batched MatMul likewise). */
  M: number;
  K: number;
  N: number;
  calls: number;
  /** Σ M·K·N over the calls: the dense multiply-accumulates per input. */
  macsPerImage: number;
}

function readFile(w: string, what: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new LbamacError(msg.cannotRead(w, what, path, (err as Error).message));
  }
}

/** The layout of a .npy file, reading only its header (the data may be large). */
function npyFileLayout(w: string, path: string): NpyLayout {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new LbamacError(msg.cannotRead(w, 'inputs', path, (err as Error).message));
  }
  try {
    const size = fstatSync(fd).size;
    // Headers are a few hundred bytes; 1 MiB holds any a numpy writes.
    const head = Buffer.alloc(Math.min(size, 1 << 20));
    readSync(fd, head, 0, head.length, 0);
    return npyLayout(head, size, path);
  } finally {
    closeSync(fd);
  }
}

/** Class labels: non-negative integers, one per input, (N,) or (N, 1). */
function readLabels(spec: OnnxSpec): Int32Array {
  const npy = parseNpy(readFile(spec.name, 'labels', spec.labels), spec.labels, { integers: true });
  const [n, extra] = npy.shape;
  if (n === undefined || npy.shape.length > 2 || (npy.shape.length === 2 && extra !== 1)) throw new LbamacError(msg.labelsShape(spec.name, spec.labels, npy.shape));
  return Int32Array.from(npy.data, (v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** 31) throw new LbamacError(msg.labelValue(spec.name, spec.labels, i, v));
    return v;
  });
}

/** The float path's GEMMs, noting each node's shapes. */
class ShapeRecorder implements GemmBackend {
  readonly shapes = new Map<string, { M: number; K: number; N: number; calls: number; macs: number }>();

  gemm(A: Float64Array, B: Float64Array, M: number, K: number, N: number, node: string): Float64Array {
    const s = this.shapes.get(node);
    if (s) {
      s.calls++;
      s.macs += M * K * N;
    } else this.shapes.set(node, { M, K, N, calls: 1, macs: M * K * N });
    return float64Backend.gemm(A, B, M, K, N, node);
  }
}

/** The inputs `start`..`start + count - 1`, read from the file. */
function readInputs(path: string, layout: NpyLayout, start: number, count: number): Tensor {
  const per = layout.shape.slice(1).reduce((n, d) => n * d, 1);
  const bytes = Buffer.alloc(count * per * layout.itemSize);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, bytes, 0, bytes.length, layout.dataStart + start * per * layout.itemSize);
  } finally {
    closeSync(fd);
  }
  return tensor([count, ...layout.shape.slice(1)], decodeNpyData(bytes, layout.dtype));
}

const infos = new Map<string, OnnxInfo>();

/**
 * Checks the model, inputs and labels against each other, and runs the first input on the float
 * path for the layers' shapes and the number of classes; cached per spec. `program`: the model's,
 * when the caller has it already.
 */
export function describeOnnx(spec: OnnxSpec, program?: Program): OnnxInfo {
  const key = stableStringify(spec);
  const cached = infos.get(key);
  if (cached) return cached;
  const w = spec.name;
  program ??= loadProgram(readFile(w, 'model', spec.model), spec.model);
  const { model } = program;
  if (model.inputs.length !== 1) throw new LbamacError(msg.modelInputs(w, spec.model, model.inputs.map((i) => i.name)));
  const input = model.inputs[0]!;
  const outputs = model.outputs.map((o) => o.name);
  const output = spec.output ?? outputs[0]!;
  if (!outputs.includes(output)) throw new LbamacError(msg.unknownOutput(w, spec.model, output, outputs));
  const gemms = program.order.filter((n) => GEMM_OPS.includes(n.opType));
  const seen = new Set<string>();
  for (const n of gemms) {
    if (seen.has(n.name)) throw new LbamacError(msg.duplicateLayer(w, spec.model, n.name));
    seen.add(n.name);
  }

  const layout = npyFileLayout(w, spec.inputs);
  if (!isFloatDtype(layout.dtype)) throw new LbamacError(msg.inputsNotFloat(w, spec.inputs, layout.dtype));
  const shape = layout.shape;
  const declared = input.dims;
  if (shape.length < 1 || (declared && declared.length !== shape.length)) throw new LbamacError(msg.inputsRank(w, spec.inputs, shape, input.name, declared ?? []));
  for (let axis = 1; axis < shape.length; axis++) {
    const d = declared?.[axis];
    if (typeof d === 'number' && d !== shape[axis]) throw new LbamacError(msg.inputsDim(w, spec.inputs, shape, axis, input.name, declared!));
  }
  const total = shape[0]!;
  if (total === 0) throw new LbamacError(msg.noInputs(w, spec.inputs));
  const labels = readLabels(spec);
  if (labels.length !== total) throw new LbamacError(msg.labelsCount(w, spec.labels, labels.length, spec.inputs, total));
  if (spec.limit !== undefined && spec.limit > total) throw new LbamacError(msg.limit(w, spec.limit, spec.inputs, total));
  const images = spec.limit ?? total;
  const fixed = declared?.[0];
  if (typeof fixed === 'number' && images % fixed !== 0) throw new LbamacError(msg.fixedBatch(w, spec.model, input.name, fixed, images));
  const batch = typeof fixed === 'number' ? fixed : Math.min(spec.batch, images);

  // The first input alone (or the first batch, when the model fixes it): the shapes per input and the classes.
  const shapes = new ShapeRecorder();
  const first = readInputs(spec.inputs, layout, 0, typeof fixed === 'number' ? fixed : 1);
  const classes = program.run({ [input.name]: first }, { backend: shapes }).get(output)!.data.length / first.dims[0]!;
  labels.subarray(0, images).forEach((l, i) => {
    if (l >= classes) throw new LbamacError(msg.labelRange(w, spec.labels, i, l, classes));
  });
  const perInput = first.dims[0]!;
  const layers = gemms.map(({ name, opType }) => {
    const s = shapes.shapes.get(name) ?? { M: 0, K: 0, N: 0, calls: 0, macs: 0 };
    return { name, op: opType, M: s.M / perInput, K: s.K, N: s.N, calls: s.calls, macsPerImage: s.macs / perInput };
  });
  const info: OnnxInfo = { images, batch, input: input.name, output, classes, layers };
  infos.set(key, info);
  return info;
}

/** A workload made ready in a worker: what does not depend on the array configuration. */
export interface OnnxData {
  spec: OnnxSpec;
  info: OnnxInfo;
  program: Program;
  labels: Int32Array;
  /** Where the inputs file keeps its array. */
  layout: NpyLayout;
  /** Largest magnitude of each activation entering a GEMM, over every input, on the float path. */
  calibration: Map<string, number>;
  /** Top-1 accuracy of the project's float path (float32 tensors, float64 GEMM sums). */
  accuracyFloat: number;
}

/** The inputs in batches of info.batch (the last may be short), read from the file as they are wanted. */
export function* inputBatches(spec: OnnxSpec, info: OnnxInfo, layout = npyFileLayout(spec.name, spec.inputs)): Generator<{ start: number; x: Tensor }> {
  for (let start = 0; start < info.images; start += info.batch) yield { start, x: readInputs(spec.inputs, layout, start, Math.min(info.batch, info.images - start)) };
}

/** The labels of the inputs used. */
export function labelsOf(spec: OnnxSpec, info: OnnxInfo): Int32Array {
  return readLabels(spec).slice(0, info.images);
}

/** The scores of every input: the output of each batch's run, one after the other. */
export function runNetwork(data: OnnxData, opts: RunOptions): Float64Array {
  const { spec, info } = data;
  const out = new Float64Array(info.images * info.classes);
  for (const { start, x } of inputBatches(spec, info, data.layout)) out.set(data.program.run({ [info.input]: x }, opts).get(info.output)!.data, start * info.classes);
  return out;
}

/** Share of inputs whose largest score is their label's (ties: the lowest class; NaN never wins). */
export function top1(scores: Float64Array, labels: Int32Array, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (argmax(scores.subarray(i * classes, (i + 1) * classes)) === labels[i]) correct++;
  return correct / labels.length;
}

const loaded = new Map<string, OnnxData>();

export function loadOnnx(spec: OnnxSpec): OnnxData {
  const key = stableStringify(spec);
  const cached = loaded.get(key);
  if (cached) return cached;
  const program = loadProgram(readFile(spec.name, 'model', spec.model), spec.model);
  const info = describeOnnx(spec, program);
  const labels = labelsOf(spec, info);
  const recorder = new AbsMaxRecorder();
  const data: OnnxData = { spec, info, program, labels, layout: npyFileLayout(spec.name, spec.inputs), calibration: recorder.absMax, accuracyFloat: 0 };
  data.accuracyFloat = top1(runNetwork(data, { quantizer: recorder }), labels, info.classes);
  loaded.set(key, data);
  return data;
}

/** A workload ready for one input setup (formats a and w, input rounding): the sweep's points only run their GEMMs. */
export interface PreparedOnnx {
  kind: 'onnx';
  spec: OnnxSpec;
  data: OnnxData;
  setup: QuantizerSetup;
  /** Makes (and counts) every constant tensor's operand once: the quantized weights, shared by every point. */
  constants: FormatQuantizer;
  /** The scores with exact accumulation of the same quantized operands: what each point's error is measured against. */
  exact: Float64Array;
  accuracyExactAcc: number;
  /** A 2:4 sparse array's pruning of every GEMM's weights (onnx/prune.ts), shared by the reference and the points; null when dense. */
  pruner: Pruner | null;
}

export function prepareOnnx(spec: OnnxSpec, s: { a: Format; w: Format; inputRounding: RoundingMode; sparsity: 'dense' | '2:4' }): PreparedOnnx {
  const data = loadOnnx(spec);
  const setup: QuantizerSetup = { a: s.a, w: s.w, rounding: s.inputRounding, scale: spec.scale, calibration: data.calibration };
  const constants = new FormatQuantizer(setup);
  const pruner = s.sparsity === '2:4' ? new Pruner() : null;
  const exact = runNetwork(data, { quantizer: new FormatQuantizer(setup, constants), backend: pruner ? pruned24(exactBackend, pruner) : exactBackend });
  return { kind: 'onnx', spec, data, setup, constants, exact, accuracyExactAcc: top1(exact, data.labels, data.info.classes), pruner };
}
