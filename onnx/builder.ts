// Writes ONNX models (ModelProto bytes) from a plain description: for the tests' generated models
// and for exporting lbamac's own networks. Float tensors are stored as raw little-endian bytes, as
// PyTorch writes them, or in float_data when asked, so that both ways of reading are exercised.
import { type AttributeMsg, AttrType, DataType, type ModelMsg, ModelProto, type NodeMsg, type TensorMsg, type ValueInfoMsg } from './proto.js';
import type { DType, Tensor } from './tensor.js';

/** Typed attribute values: ONNX tells 1 (INT) from 1.0 (FLOAT), so the writer must say which. */
export const attr = {
  int: (i: number): AttributeMsg => ({ type: AttrType.INT, i }),
  float: (f: number): AttributeMsg => ({ type: AttrType.FLOAT, f }),
  string: (s: string): AttributeMsg => ({ type: AttrType.STRING, s: new TextEncoder().encode(s) }),
  ints: (ints: number[]): AttributeMsg => ({ type: AttrType.INTS, ints }),
  floats: (floats: number[]): AttributeMsg => ({ type: AttrType.FLOATS, floats }),
  tensor: (t: Tensor): AttributeMsg => ({ type: AttrType.TENSOR, t: encodeTensor('', t, true) }),
};

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attrs?: Record<string, AttributeMsg>;
}

export interface ValueSpec {
  name: string;
  dtype?: DType;
  /** Numbers, or names for dimensions left free (such as the batch); omitted: no shape written. */
  dims?: (number | string)[];
}

export interface ModelSpec {
  opset: number;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: NodeSpec[];
  initializers?: Record<string, Tensor>;
  producer?: string;
  /** Float tensors in raw_data (default) or in float_data. */
  rawData?: boolean;
}

/** The IR version that introduced each opset (docs/Versioning.md of ONNX), so a runtime accepts the pair. */
export function irVersionFor(opset: number): number {
  const table: [number, number][] = [[23, 11], [21, 10], [19, 9], [15, 8], [12, 7], [11, 6], [10, 5], [9, 4]];
  return table.find(([o]) => opset >= o)?.[1] ?? 3;
}

const ELEM_TYPE: Record<DType, number> = { float32: DataType.FLOAT, int64: DataType.INT64 };

export function encodeTensor(name: string, t: Tensor, raw: boolean): TensorMsg {
  const base: TensorMsg = { name, dims: t.dims, dataType: ELEM_TYPE[t.dtype] };
  if (t.dtype === 'int64') return raw ? { ...base, rawData: new Uint8Array(BigInt64Array.from(t.data, (v) => BigInt(v)).buffer) } : { ...base, int64Data: Array.from(t.data) };
  return raw ? { ...base, rawData: new Uint8Array(Float32Array.from(t.data).buffer) } : { ...base, floatData: Array.from(t.data) };
}

function valueInfo(v: ValueSpec): ValueInfoMsg {
  const dims = v.dims?.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name: v.name, type: { tensorType: { elemType: ELEM_TYPE[v.dtype ?? 'float32'], ...(dims ? { shape: { dim: dims } } : {}) } } };
}

export function encodeModel(spec: ModelSpec): Uint8Array {
  const raw = spec.rawData ?? true;
  const nodes: NodeMsg[] = spec.nodes.map((n, i) => ({
    input: n.inputs,
    output: n.outputs,
    name: n.name ?? `${n.op}_${i}`,
    opType: n.op,
    domain: n.domain ?? '',
    attribute: Object.entries(n.attrs ?? {}).map(([name, a]) => ({ name, ...a })),
  }));
  const model: ModelMsg = {
    irVersion: irVersionFor(spec.opset),
    producerName: spec.producer ?? 'lbamac',
    opsetImport: [{ domain: '', version: spec.opset }],
    graph: {
      name: 'graph',
      node: nodes,
      initializer: Object.entries(spec.initializers ?? {}).map(([name, t]) => encodeTensor(name, t, raw)),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
