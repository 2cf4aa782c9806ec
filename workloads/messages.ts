// The texts of workload errors (the files an ONNX workload names), in one place. Each names the
// workload, the file and the value at fault, and says what would be accepted.
import { showDims } from '../onnx/tensor.js';

const dims = (d: readonly (number | string | null)[]) => `[${d.map((x) => x ?? '?').join(', ')}]`;

export const workloadMessages = {
  cannotRead: (w: string, what: string, path: string, reason: string) => `workload ${w}: cannot read the ${what} ${path}: ${reason}`,
  modelInputs: (w: string, path: string, inputs: readonly string[]) =>
    `workload ${w}: the model ${path} has ${inputs.length} inputs (${inputs.map((i) => `"${i}"`).join(', ') || 'none'}); an onnx workload feeds models with exactly one`,
  unknownOutput: (w: string, path: string, output: string, outputs: readonly string[]) =>
    `workload ${w}: "output": "${output}" is not an output of the model ${path}; its outputs are ${outputs.map((o) => `"${o}"`).join(', ')}`,
  duplicateLayer: (w: string, path: string, name: string) =>
    `workload ${w}: the model ${path} has two Conv/Gemm/MatMul nodes named "${name}"; per-layer results need unique node names`,
  inputsNotFloat: (w: string, path: string, dtype: string) => `workload ${w}: the inputs ${path} hold ${dtype}; inputs are real values: save them as float32 (numpy.save(path, x.astype(numpy.float32)))`,
  inputsRank: (w: string, path: string, shape: readonly number[], input: string, declared: readonly (number | string | null)[]) =>
    `workload ${w}: the inputs ${path} have shape ${showDims(shape)}, but the model's input "${input}" is ${dims(declared)}: expected one input per row of the first axis, the other axes as the model declares them`,
  inputsDim: (w: string, path: string, shape: readonly number[], axis: number, input: string, declared: readonly (number | string | null)[]) =>
    `workload ${w}: the inputs ${path} have shape ${showDims(shape)}; axis ${axis} is ${shape[axis]}, but the model's input "${input}" is ${dims(declared)}`,
  noInputs: (w: string, path: string) => `workload ${w}: the inputs ${path} hold no input (the first axis is 0)`,
  labelsShape: (w: string, path: string, shape: readonly number[]) => `workload ${w}: the labels ${path} have shape ${showDims(shape)}; expected one label per input: (N,) or (N, 1)`,
  labelsCount: (w: string, labels: string, count: number, inputs: string, images: number) =>
    `workload ${w}: the labels ${labels} hold ${count} labels, but the inputs ${inputs} hold ${images} inputs`,
  labelValue: (w: string, path: string, index: number, value: number) => `workload ${w}: the labels ${path}: label ${index} is ${value}; labels are class indices 0, 1, 2, ...`,
  labelRange: (w: string, path: string, index: number, value: number, classes: number) =>
    `workload ${w}: the labels ${path}: label ${index} is ${value}, but the model's output has ${classes} classes (0..${classes - 1})`,
  limit: (w: string, limit: number, path: string, images: number) => `workload ${w}: "limit": ${limit}, but the inputs ${path} hold only ${images} inputs`,
  fixedBatch: (w: string, path: string, input: string, batch: number, images: number) =>
    `workload ${w}: the model ${path} fixes the batch of its input "${input}" at ${batch}, and ${images} inputs do not divide into batches of ${batch}; set "limit" to a multiple of ${batch}`,
  unknownLayer: (w: string, node: string, layers: readonly string[]) => `workload ${w}: no Conv, Gemm or MatMul node is named "${node}"; its layers are ${layers.join(', ')}`,
  hashRead: (what: string, path: string, reason: string) => `cannot read the ${what} ${path}, which the sweep's point ids depend on (lbamac merge needs the workloads' files too): ${reason}`,
  ortMissing: (reason: string) =>
    `onnxruntime-node, which gives onnx workloads their float32 reference accuracy, cannot be loaded (${reason}); install lbamac's dependencies (npm ci, with ONNXRUNTIME_NODE_INSTALL=skip where its optional download cannot reach its host)`,
};
