// The texts of ONNX loading and interpreter errors, in one place so their wording stays consistent.
// Each names the model (or node and operator) and says what is allowed.
import { showDims } from './tensor.js';

export const onnxMessages = {
  notOnnx: (where: string, reason: string) => `${where}: not an ONNX model (protobuf decoding failed: ${reason})`,
  noOpset: (where: string) => `${where}: the model imports no version of the default operator set (ai.onnx)`,
  oldOpset: (opset: number, min: number) => `the model uses operator set ${opset}; lbamac runs operator sets ${min} and later`,
  externalData: (where: string) => `${where}: the data is stored in an external file; lbamac reads models whose tensors are inside the .onnx file`,
  dataType: (where: string, type: number) => `${where}: data type ${type} is not supported; lbamac reads FLOAT (1), INT32 (6) and INT64 (7) tensors`,
  tensorSize: (where: string, got: number, dims: readonly number[]) => `${where}: ${got} elements stored for dims ${showDims(dims)}`,
  attributeType: (where: string, type: number) => `${where}: attribute type ${type} is not supported (graphs and sparse tensors are not)`,

  unsupportedOp: (op: string, domain: string, node: string, supported: readonly string[]) =>
    `node ${node}: operator ${domain ? `${domain}.` : ''}${op} is not supported; lbamac runs ${supported.join(', ')}`,
  missingInput: (name: string) => `the model's input "${name}" was not given`,
  unknownInput: (name: string, inputs: readonly string[]) => `"${name}" is not an input of the model; its inputs are ${inputs.map((i) => `"${i}"`).join(', ')}`,
  inputShape: (name: string, got: readonly number[], want: readonly (number | string | null)[]) =>
    `input "${name}" has dims ${showDims(got)}, but the model declares [${want.map((d) => d ?? '?').join(', ')}]`,
  cycle: (nodes: readonly string[]) => `the graph has a cycle or a value no node produces; these nodes can never run: ${nodes.join(', ')}`,
  noValue: (node: string, name: string) => `node ${node}: input "${name}" is neither a graph input, an initializer nor any node's output`,
  noOutput: (name: string) => `the graph's output "${name}" is never produced`,

  // Raised by an operator; the interpreter prefixes the node and operator.
  inNode: (node: string, op: string, message: string) => `node ${node} (${op}): ${message}`,
  unknownAttr: (attr: string, known: readonly string[]) =>
    `attribute ${attr} is not supported; ${known.length ? `this operator takes ${known.join(', ')}` : 'this operator takes none'}`,
  attrType: (attr: string, want: string) => `attribute ${attr} should be ${want}`,
  attrValue: (attr: string, value: unknown, allowed: string) => `attribute ${attr} = ${JSON.stringify(value)} is not supported; ${allowed}`,
  needAttr: (attr: string) => `attribute ${attr} is required`,
  inputCount: (min: number, max: number, got: number) => `takes ${min === max ? min : `${min} to ${max}`} inputs, got ${got}`,
  needInput: (index: number) => `input ${index} is required`,
  extraOutput: (index: number) => `output ${index} is not supported (only the first output is computed)`,
  dtype: (input: string, got: string, want: string) => `input "${input}" is ${got}, expected ${want}`,
  rank: (input: string, dims: readonly number[], want: string) => `input "${input}" has dims ${showDims(dims)}; expected ${want}`,
  broadcast: (a: readonly number[], b: readonly number[]) => `dims ${showDims(a)} and ${showDims(b)} do not broadcast`,
  axis: (axis: number, rank: number) => `axis ${axis} is out of range for rank ${rank}`,
  inner: (a: readonly number[], b: readonly number[]) => `the inner dimensions of ${showDims(a)} and ${showDims(b)} differ`,
  channels: (x: number, w: number, group: number) => `the input has ${x} channels but the weights expect ${w} per group × ${group} groups`,
  groups: (out: number, group: number) => `${out} output channels do not divide into ${group} groups`,
  emptyOutput: (dims: readonly number[]) => `the output would have dims ${showDims(dims)}; the window does not fit the padded input`,
  reshape: (from: readonly number[], to: readonly number[]) => `cannot reshape ${showDims(from)} into ${showDims(to)}`,
  perm: (perm: readonly number[], rank: number) => `perm [${perm.join(', ')}] is not a permutation of 0..${rank - 1}`,
  concat: (axis: number) => `the inputs differ in a dimension other than the axis ${axis}`,
  trainingMode: 'training_mode = 1 is not supported; lbamac runs inference only',
};
