// NumPy .npy files, so that a job's matrices and its result can come from and go to NumPy or
// PyTorch without a JSON detour. Read: format versions 1.0, 2.0 and 3.0; written: 1.0, which every
// NumPy reads. Only what a job can mean is accepted: little-endian, C-ordered arrays of float16,
// float32, float64 (real values) or uint8, uint16, uint32 (bit patterns). Any other file is an
// LbamacError saying what it holds and how to save a usable one. Elements are handed over as
// float64, which holds every element of these dtypes exactly (NaN payloads aside).
import { LbamacError } from '../core/errors.js';
import { npyMessages as msg } from './messages.js';

export const NPY_DTYPES = ['float16', 'float32', 'float64', 'uint8', 'uint16', 'uint32'] as const;
/** Signed integers: what numpy saves class labels as (int64 by default); read only when asked (parseNpy's `integers`). */
export const NPY_INT_DTYPES = ['int8', 'int16', 'int32', 'int64'] as const;
export type NpyDtype = (typeof NPY_DTYPES)[number] | (typeof NPY_INT_DTYPES)[number];

interface DtypeCodec {
  /** What NumPy writes for the dtype ('|': byte order does not apply to one byte). */
  descr: string;
  size: number;
  read(v: DataView, at: number): number;
  /** Whether the dtype holds x exactly. */
  holds(x: number): boolean;
  write(v: DataView, at: number, x: number): void;
}

const uintHolds = (bits: number) => (x: number) => Number.isInteger(x) && x >= 0 && x < 2 ** bits;
const intHolds = (bits: number) => (x: number) => Number.isInteger(x) && x >= -(2 ** (bits - 1)) && x < 2 ** (bits - 1);

const CODECS: Record<NpyDtype, DtypeCodec> = {
  float16: {
    descr: '<f2',
    size: 2,
    read: (v, at) => float16Value(v.getUint16(at, true)),
    holds: (x) => float16Bits(x) !== null,
    write: (v, at, x) => v.setUint16(at, float16Bits(x)!, true),
  },
  float32: {
    descr: '<f4',
    size: 4,
    read: (v, at) => v.getFloat32(at, true),
    holds: (x) => Object.is(Math.fround(x), x) || Number.isNaN(x),
    write: (v, at, x) => v.setFloat32(at, x, true),
  },
  float64: { descr: '<f8', size: 8, read: (v, at) => v.getFloat64(at, true), holds: () => true, write: (v, at, x) => v.setFloat64(at, x, true) },
  uint8: { descr: '|u1', size: 1, read: (v, at) => v.getUint8(at), holds: uintHolds(8), write: (v, at, x) => v.setUint8(at, x) },
  uint16: { descr: '<u2', size: 2, read: (v, at) => v.getUint16(at, true), holds: uintHolds(16), write: (v, at, x) => v.setUint16(at, x, true) },
  uint32: { descr: '<u4', size: 4, read: (v, at) => v.getUint32(at, true), holds: uintHolds(32), write: (v, at, x) => v.setUint32(at, x, true) },
  int8: { descr: '|i1', size: 1, read: (v, at) => v.getInt8(at), holds: intHolds(8), write: (v, at, x) => v.setInt8(at, x) },
  int16: { descr: '<i2', size: 2, read: (v, at) => v.getInt16(at, true), holds: intHolds(16), write: (v, at, x) => v.setInt16(at, x, true) },
  int32: { descr: '<i4', size: 4, read: (v, at) => v.getInt32(at, true), holds: intHolds(32), write: (v, at, x) => v.setInt32(at, x, true) },
  // Beyond 2^53 an int64 does not fit a float64 exactly: read as NaN, which no caller takes for an integer.
  int64: {
    descr: '<i8',
    size: 8,
    read: (v, at) => {
      const x = Number(v.getBigInt64(at, true));
      return Number.isSafeInteger(x) ? x : NaN;
    },
    holds: Number.isSafeInteger,
    write: (v, at, x) => v.setBigInt64(at, BigInt(x), true),
  },
};

export function isFloatDtype(dtype: NpyDtype): boolean {
  return dtype.startsWith('float');
}

/** An array as a .npy file holds it: elements in C order (last index fastest). */
export class NpyArray {
  constructor(
    readonly dtype: NpyDtype,
    readonly shape: readonly number[],
    readonly data: Float64Array,
  ) {}
}

const MAGIC = [0x93, ...Buffer.from('NUMPY', 'latin1')];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** NumPy pads the header so that the data starts at a multiple of this (reading does not require it). */
const ALIGN = 64;

export function hasNpyMagic(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

/** The array in a .npy file; `file` names it in error messages. `integers`: signed integer dtypes are read too (labels). */
export function parseNpy(bytes: Uint8Array, file: string, opts: { integers?: boolean } = {}): NpyArray {
  const layout = npyLayout(bytes, bytes.length, file, { ...opts, fortran: true });
  const data = decodeNpyData(bytes.subarray(layout.dataStart), layout.dtype);
  return new NpyArray(layout.dtype, layout.shape, layout.fortran ? cOrder(data, layout.shape) : data);
}

/** The elements of a Fortran-ordered (column-major: first index fastest) array in C order. */
function cOrder(data: Float64Array, shape: readonly number[]): Float64Array {
  const out = new Float64Array(data.length);
  const index = shape.map(() => 0);
  for (let c = 0; c < data.length; c++) {
    let f = 0;
    for (let d = shape.length - 1; d >= 0; d--) f = f * shape[d]! + index[d]!;
    out[c] = data[f]!;
    // The next C-order index: the last dimension fastest.
    for (let d = shape.length - 1; d >= 0 && ++index[d]! === shape[d]; d--) index[d] = 0;
  }
  return out;
}

/** Where a .npy file keeps its array: the dtype, the shape, and the offset of the data (C order). */
export interface NpyLayout {
  dtype: NpyDtype;
  shape: number[];
  dataStart: number;
  /** Bytes per element. */
  itemSize: number;
  /** Stored in Fortran (column-major) order; only when the caller takes it (opts.fortran). */
  fortran: boolean;
}

/**
 * The layout of a .npy file from its first bytes (`head`: at least the whole header) and its size,
 * so that a large file can be read a slice at a time; the size must be exactly header + data.
 */
export function npyLayout(head: Uint8Array, fileSize: number, file: string, opts: { integers?: boolean; fortran?: boolean } = {}): NpyLayout {
  if (!hasNpyMagic(head)) {
    if (ZIP_MAGIC.every((b, i) => head[i] === b)) throw new LbamacError(msg.npz(file));
    throw new LbamacError(msg.badMagic(file));
  }
  if (head.length < 8) throw new LbamacError(msg.truncatedHeader(file));
  const [major, minor] = [head[6]!, head[7]!];
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) throw new LbamacError(msg.version(file, major, minor));
  // 1.0 has a 2-byte header length; 2.0 widened it to 4 bytes; 3.0 only makes the header UTF-8.
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (head.length < headerStart) throw new LbamacError(msg.truncatedHeader(file));
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (head.length < dataStart) throw new LbamacError(msg.truncatedHeader(file));
  const header = decodeHeader(head.subarray(headerStart, dataStart), major === 3, file);
  const { descr, dtype, shape, fortran } = readHeader(header, file, opts.integers ?? false);
  // After the dtype: a big-endian or object array says so first, whatever its order.
  if (fortran && !opts.fortran) throw new LbamacError(msg.fortranOrder(file));
  const count = shape.reduce((n, d) => n * d, 1);
  const { size } = CODECS[dtype];
  const have = fileSize - dataStart;
  if (have < count * size) throw new LbamacError(msg.truncatedData(file, descr, showShape(shape), count * size, have));
  if (have > count * size) throw new LbamacError(msg.trailingData(file, have - count * size));
  return { dtype, shape, dataStart, itemSize: size, fortran };
}

/** Elements of `dtype` stored in `data` (little-endian, whole elements), as float64. */
export function decodeNpyData(data: Uint8Array, dtype: NpyDtype): Float64Array {
  const { size, read } = CODECS[dtype];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Float64Array(Math.floor(data.length / size));
  for (let i = 0; i < out.length; i++) out[i] = read(view, i * size);
  return out;
}

/** A .npy file (format 1.0) holding `data` in C order. The writer never rounds: a value the dtype
 *  cannot hold exactly is a bug of the caller, and an Error. */
export function encodeNpy(array: { dtype: NpyDtype; shape: readonly number[]; data: ArrayLike<number> }): Uint8Array {
  const { dtype, shape, data } = array;
  const count = shape.reduce((n, d) => n * d, 1);
  if (data.length !== count) throw new Error(`encodeNpy: ${data.length} elements for shape ${showShape(shape)}`);
  const codec = CODECS[dtype];
  let header = `{'descr': '${codec.descr}', 'fortran_order': False, 'shape': ${showShape(shape)}, }`;
  const unpadded = MAGIC.length + 4 + header.length + 1; // magic, version, length, header, '\n'
  header += ' '.repeat((ALIGN - (unpadded % ALIGN)) % ALIGN) + '\n';
  if (header.length > 0xffff) throw new Error(`encodeNpy: a header of ${header.length} bytes needs format 2.0`);
  const size = codec.size;
  const dataStart = MAGIC.length + 4 + header.length;
  const bytes = new Uint8Array(dataStart + count * size);
  bytes.set(MAGIC, 0);
  bytes.set([1, 0], MAGIC.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(MAGIC.length + 2, header.length, true);
  bytes.set(Buffer.from(header, 'latin1'), MAGIC.length + 4);
  for (let i = 0; i < count; i++) {
    const x = data[i]!;
    if (!codec.holds(x)) throw new Error(`encodeNpy: element ${i} = ${x} is not a ${dtype}`);
    codec.write(view, dataStart + i * size, x);
  }
  return bytes;
}

/** IEEE binary16: 1 sign, 5 exponent (bias 15), 10 fraction bits. Every value is exact in float64. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >>> 10) & 0x1f;
  const f = bits & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 0x1f) return f === 0 ? sign * Infinity : NaN;
  return sign * (0x400 + f) * 2 ** (e - 25);
}

/** The binary16 bits of x, or null when binary16 cannot hold x exactly. NaN becomes the quiet 0x7e00. */
export function float16Bits(x: number): number | null {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a > 65504) return null;
  // In units of the smallest subnormal, 2^-24: subnormals are the integers below 2^10.
  let m = a * 2 ** 24;
  let e = 1;
  if (m < 0x400) return Number.isInteger(m) ? sign | m : null;
  while (m >= 0x800) {
    m /= 2;
    e++;
  }
  return Number.isInteger(m) ? sign | (e << 10) | (m - 0x400) : null;
}

export function showShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function decodeHeader(raw: Uint8Array, utf8: boolean, file: string): string {
  if (!utf8) return Buffer.from(raw).toString('latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new LbamacError(msg.badHeader(file, 'not valid UTF-8', ''));
  }
}

/** The header: a Python dict literal with exactly the keys descr, fortran_order and shape. */
function readHeader(text: string, file: string, integers: boolean): { descr: string; dtype: NpyDtype; shape: number[]; fortran: boolean } {
  const fail = (reason: string): never => {
    throw new LbamacError(msg.badHeader(file, reason, text.trim()));
  };
  const dict = parsePyLiteral(text, fail);
  if (!(dict instanceof Map)) return fail('not a dict');
  for (const key of dict.keys()) if (!['descr', 'fortran_order', 'shape'].includes(key)) fail(`unexpected key '${key}'`);
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (descr === undefined || fortran === undefined || shape === undefined) return fail('it needs the keys descr, fortran_order and shape');
  if (Array.isArray(descr)) throw new LbamacError(msg.structured(file));
  if (typeof descr !== 'string') return fail('descr is not a string');
  if (typeof fortran !== 'boolean') return fail('fortran_order is not True or False');
  if (!(shape instanceof PyTuple) || !shape.items.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    return fail('shape is not a tuple of non-negative integers');
  }
  return { descr, dtype: dtypeOf(descr, file, integers), shape: shape.items as number[], fortran };
}

/** NumPy's type kinds, for naming a dtype we do not read: int32 rather than '<i4'. */
const KIND_NAMES: Record<string, string> = { b: 'bool', i: 'int', u: 'uint', f: 'float', c: 'complex', m: 'timedelta64', M: 'datetime64', S: 'bytes', U: 'str', V: 'void' };
const SIZED_KINDS = 'iufc';

function dtypeOf(descr: string, file: string, integers: boolean): NpyDtype {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  const [order, kind, bytes] = m === null ? ['', '', ''] : [m[1]!, m[2]!, m[3]!];
  if (kind === 'O') throw new LbamacError(msg.objectArray(file, descr));
  const dtype = [...NPY_DTYPES, ...(integers ? NPY_INT_DTYPES : [])].find((d) => CODECS[d].descr.slice(1) === kind + bytes);
  if (dtype !== undefined) {
    if (CODECS[dtype].size === 1 || order === '<') return dtype;
    throw new LbamacError(order === '>' ? msg.bigEndian(file, descr) : msg.noByteOrder(file, descr));
  }
  const kindName = KIND_NAMES[kind];
  const name = kindName === undefined ? null : SIZED_KINDS.includes(kind) && bytes !== '' ? `${kindName}${Number(bytes) * 8}` : kindName;
  throw new LbamacError(msg.unsupportedDtype(file, descr, name, integers));
}

// --- A Python literal, as much of it as a .npy header uses ---------------------------------------

class PyTuple {
  constructor(readonly items: PyValue[]) {}
}
type PyValue = string | number | boolean | null | PyValue[] | PyTuple | Map<string, PyValue>;

function parsePyLiteral(text: string, fail: (reason: string) => never): PyValue {
  let at = 0;
  const space = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const expect = (c: string) => {
    space();
    if (text[at] !== c) fail(at < text.length ? `expected '${c}' at character ${at}, found '${text[at]}'` : `expected '${c}', the header ends first`);
    at++;
  };
  /** Items up to `close`, separated by commas, a trailing comma allowed; `item` reads one. */
  const items = <T>(close: string, item: () => T): { list: T[]; trailingComma: boolean } => {
    const list: T[] = [];
    let trailingComma = false;
    for (space(); text[at] !== close; space()) {
      list.push(item());
      space();
      trailingComma = text[at] === ',';
      if (trailingComma) at++;
      else if (text[at] !== close) expect(close);
    }
    at++;
    return { list, trailingComma };
  };
  const value = (): PyValue => {
    space();
    const c = text[at];
    if (c === undefined) return fail('it ends where a value should be');
    if (c === '{') {
      at++;
      const entries = items('}', () => {
        const key = value();
        if (typeof key !== 'string') fail('a dict key is not a string');
        expect(':');
        return [key as string, value()] as const;
      }).list;
      return new Map(entries);
    }
    if (c === '[') {
      at++;
      return items(']', value).list;
    }
    if (c === '(') {
      at++;
      const { list, trailingComma } = items(')', value);
      // (3) is just 3 in Python; a 1-tuple needs its comma.
      return list.length === 1 && !trailingComma ? list[0]! : new PyTuple(list);
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, at + 1);
      if (end < 0) fail('a string is not closed');
      const s = text.slice(at + 1, end);
      if (s.includes('\\')) fail('escapes in strings are not supported');
      at = end + 1;
      return s;
    }
    // Python 2 wrote long integers with an L suffix: (3L, 4L).
    const word = /^(?:-?\d+L?|True|False|None)/.exec(text.slice(at));
    if (word === null) return fail(`unexpected '${c}' at character ${at}`);
    at += word[0].length;
    if (word[0] === 'True' || word[0] === 'False') return word[0] === 'True';
    if (word[0] === 'None') return null;
    return Number(word[0].replace('L', ''));
  };
  const result = value();
  space();
  if (at < text.length) fail(`unexpected '${text[at]}' at character ${at} after the dict`);
  return result;
}
