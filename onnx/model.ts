// An ONNX model (ModelProto bytes) decoded into what the interpreter runs: nodes with typed
// attributes, initializers as tensors, the graph's real inputs (initializers listed as inputs too,
// as IR < 4 requires, are not inputs to feed), its outputs and the default domain's opset.
import { LbamacError } from '../core/errors.js';
import { onnxMessages as msg } from './messages.js';
import { type AttributeMsg, AttrType, CONVERSION, DataType, type GraphMsg, type ModelMsg, ModelProto, type TensorMsg, type ValueInfoMsg } from './proto.js';
import { type DType, sizeOf, type Tensor, tensor } from './tensor.js';

export type AttrValue = number | number[] | string | string[] | Tensor;

export interface OnnxNode {
  /** The node's name, or "#index" when the model gives none, for messages. */
  name: string;
  opType: string;
  domain: string;
  /** Input names; "" marks an optional input left out. */
  inputs: string[];
  outputs: string[];
  attrs: Map<string, AttrValue>;
}

export interface ValueInfo {
  name: string;
  dtype: DType | null;
  /** A dimension is a number, a symbolic name, or null when unknown. */
  dims: (number | string | null)[] | null;
}

export interface OnnxModel {
  /** Version of the default (ai.onnx) operator set. */
  opset: number;
  producer: string;
  nodes: OnnxNode[];
  initializers: Map<string, Tensor>;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

const DEFAULT_DOMAINS = ['', 'ai.onnx'];

export function isDefaultDomain(domain: string): boolean {
  return DEFAULT_DOMAINS.includes(domain);
}

export function decodeModel(bytes: Uint8Array, where = 'model'): OnnxModel {
  let m: ModelMsg;
  try {
    m = ModelProto.toObject(ModelProto.decode(bytes), CONVERSION) as ModelMsg;
  } catch (e) {
    throw new LbamacError(msg.notOnnx(where, (e as Error).message));
  }
  const opset = (m.opsetImport ?? []).find((o) => isDefaultDomain(o.domain ?? ''))?.version;
  if (opset === undefined) throw new LbamacError(msg.noOpset(where));
  const g: GraphMsg = m.graph ?? {};
  const initializers = new Map<string, Tensor>();
  for (const t of g.initializer ?? []) initializers.set(t.name ?? '', decodeTensor(t, `${where}: initializer "${t.name ?? ''}"`));
  const nodes: OnnxNode[] = (g.node ?? []).map((n, i) => {
    const name = n.name || `#${i}`;
    const attrs = new Map<string, AttrValue>();
    for (const a of n.attribute ?? []) attrs.set(a.name ?? '', decodeAttribute(a, `${where}: node ${name}, attribute "${a.name ?? ''}"`));
    return { name, opType: n.opType ?? '', domain: n.domain ?? '', inputs: n.input ?? [], outputs: n.output ?? [], attrs };
  });
  return {
    opset,
    producer: m.producerName ?? '',
    nodes,
    initializers,
    inputs: (g.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(valueInfo),
    outputs: (g.output ?? []).map(valueInfo),
  };
}

function dtypeOf(dataType: number | undefined): DType | null {
  return dataType === DataType.FLOAT ? 'float32' : dataType === DataType.INT64 || dataType === DataType.INT32 ? 'int64' : null;
}

function valueInfo(v: ValueInfoMsg): ValueInfo {
  const t = v.type?.tensorType;
  const dims = t?.shape ? (t.shape.dim ?? []).map((d) => d.dimValue ?? d.dimParam ?? null) : null;
  return { name: v.name ?? '', dtype: dtypeOf(t?.elemType), dims };
}

/** A copy of raw little-endian bytes in an aligned buffer (raw_data may start at any offset). */
function aligned(raw: Uint8Array): ArrayBuffer {
  const buf = new ArrayBuffer(raw.length);
  new Uint8Array(buf).set(raw);
  return buf;
}

export function decodeTensor(t: TensorMsg, where: string): Tensor {
  if (t.dataLocation === 1 || (t.externalData?.length ?? 0) > 0) throw new LbamacError(msg.externalData(where));
  const dims = t.dims ?? [];
  const dtype = dtypeOf(t.dataType);
  if (dtype === null) throw new LbamacError(msg.dataType(where, t.dataType ?? 0));
  const size = sizeOf(dims);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
  let values: ArrayLike<number>;
  if (t.dataType === DataType.FLOAT) values = raw ? new Float32Array(aligned(raw)) : (t.floatData ?? []);
  else if (t.dataType === DataType.INT32) values = raw ? new Int32Array(aligned(raw)) : (t.int32Data ?? []);
  else values = raw ? Array.from(new BigInt64Array(aligned(raw)), Number) : (t.int64Data ?? []);
  if (values.length !== size) throw new LbamacError(msg.tensorSize(where, values.length, dims));
  return tensor(dims, Float64Array.from(values), dtype);
}

const utf8 = new TextDecoder();

function decodeAttribute(a: AttributeMsg, where: string): AttrValue {
  switch (a.type) {
    case AttrType.FLOAT:
      return a.f ?? 0;
    case AttrType.INT:
      return a.i ?? 0;
    case AttrType.STRING:
      return utf8.decode(a.s ?? new Uint8Array());
    case AttrType.TENSOR:
      return decodeTensor(a.t ?? {}, where);
    case AttrType.FLOATS:
      return a.floats ?? [];
    case AttrType.INTS:
      return a.ints ?? [];
    case AttrType.STRINGS:
      return (a.strings ?? []).map((s) => utf8.decode(s));
    default:
      // Graphs (If, Loop) and sparse tensors: no supported operator takes them.
      throw new LbamacError(msg.attributeType(where, a.type ?? 0));
  }
}
