// The part of the ONNX protobuf schema (onnx.proto, IR version 3 and later) that lbamac reads and
// writes, as a protobufjs reflection descriptor. Field numbers are the spec's; fields we never read
// (sparse tensors, training info, segments, ...) are left out, and protobuf decoding skips them.
import protobuf from 'protobufjs';

const str = (id: number) => ({ type: 'string', id });
const i64 = (id: number) => ({ type: 'int64', id });
const rep = (type: string, id: number, packed?: boolean) => ({ rule: 'repeated', type, id, ...(packed ? { options: { packed: true } } : {}) });

const descriptor = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: i64(1),
            producerName: str(2),
            producerVersion: str(3),
            domain: str(4),
            modelVersion: i64(5),
            docString: str(6),
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: rep('OperatorSetIdProto', 8),
          },
        },
        OperatorSetIdProto: { fields: { domain: str(1), version: i64(2) } },
        GraphProto: {
          fields: {
            node: rep('NodeProto', 1),
            name: str(2),
            initializer: rep('TensorProto', 5),
            docString: str(10),
            input: rep('ValueInfoProto', 11),
            output: rep('ValueInfoProto', 12),
            valueInfo: rep('ValueInfoProto', 13),
          },
        },
        NodeProto: {
          fields: {
            input: rep('string', 1),
            output: rep('string', 2),
            name: str(3),
            opType: str(4),
            attribute: rep('AttributeProto', 5),
            docString: str(6),
            domain: str(7),
          },
        },
        AttributeProto: {
          fields: {
            name: str(1),
            f: { type: 'float', id: 2 },
            i: i64(3),
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            g: { type: 'GraphProto', id: 6 },
            floats: rep('float', 7),
            ints: rep('int64', 8),
            strings: rep('bytes', 9),
            tensors: rep('TensorProto', 10),
            graphs: rep('GraphProto', 11),
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: rep('int64', 1),
            dataType: { type: 'int32', id: 2 },
            floatData: rep('float', 4, true),
            int32Data: rep('int32', 5, true),
            int64Data: rep('int64', 7, true),
            name: str(8),
            rawData: { type: 'bytes', id: 9 },
            doubleData: rep('double', 10, true),
            externalData: rep('StringStringEntryProto', 13),
            dataLocation: { type: 'int32', id: 14 },
          },
        },
        StringStringEntryProto: { fields: { key: str(1), value: str(2) } },
        ValueInfoProto: { fields: { name: str(1), type: { type: 'TypeProto', id: 2 }, docString: str(3) } },
        TypeProto: {
          fields: { tensorType: { type: 'TypeProtoTensor', id: 1 } },
        },
        TypeProtoTensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TensorShapeProto: { fields: { dim: rep('TensorShapeDimension', 1) } },
        TensorShapeDimension: { fields: { dimValue: i64(1), dimParam: str(2) } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);
export const ModelProto = root.lookupType('onnx.ModelProto');

/** TensorProto.DataType values lbamac reads or writes. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;

/** AttributeProto.AttributeType values lbamac reads or writes (graphs and tensor lists it refuses). */
export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

// Plain-object shapes of the messages as ModelProto.toObject(…, CONVERSION) returns them and
// ModelProto.fromObject accepts them (every field optional, as in proto2).
export interface TensorMsg {
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  name?: string;
  rawData?: Uint8Array;
  doubleData?: number[];
  externalData?: { key?: string; value?: string }[];
  dataLocation?: number;
}
export interface AttributeMsg {
  name?: string;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorMsg;
  g?: unknown;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: TensorMsg[];
  graphs?: unknown[];
  type?: number;
}
export interface NodeMsg {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  attribute?: AttributeMsg[];
  domain?: string;
}
export interface ValueInfoMsg {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: number; dimParam?: string }[] } } };
}
export interface GraphMsg {
  node?: NodeMsg[];
  name?: string;
  initializer?: TensorMsg[];
  input?: ValueInfoMsg[];
  output?: ValueInfoMsg[];
}
export interface ModelMsg {
  irVersion?: number;
  producerName?: string;
  opsetImport?: { domain?: string; version?: number }[];
  graph?: GraphMsg;
}

/** int64 as JS numbers (shapes, attributes and int64 tensors stay far below 2^53); bytes stay Uint8Array. */
export const CONVERSION: protobuf.IConversionOptions = { longs: Number };
