import { expect } from 'chai';
import { toFloat64 } from '../../core/arith.js';
import { parseFormatName } from '../../core/format.js';
import { LbamacError } from '../../core/errors.js';
import { encodeNpy, float16Bits, float16Value, NPY_DTYPES, NPY_INT_DTYPES, NpyArray, type NpyDtype, npyLayout, parseNpy } from '../../engine/npy.js';

/** A .npy file built by hand: magic, version, header length (2 bytes for 1.x, else 4), header, data. */
function npyBytes(header: string, data: number[] = [], version: [number, number] = [1, 0], utf8 = false): Uint8Array {
  const head = Buffer.from(header, utf8 ? 'utf8' : 'latin1');
  const lengthBytes = version[0] === 1 ? 2 : 4;
  const bytes = Buffer.alloc(8 + lengthBytes + head.length + data.length);
  Buffer.from('\x93NUMPY', 'latin1').copy(bytes, 0);
  bytes[6] = version[0];
  bytes[7] = version[1];
  if (lengthBytes === 2) bytes.writeUInt16LE(head.length, 8);
  else bytes.writeUInt32LE(head.length, 8);
  head.copy(bytes, 8 + lengthBytes);
  Buffer.from(data).copy(bytes, 8 + lengthBytes + head.length);
  return bytes;
}

const header = (descr: string, shape: string, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }\n`;

/** Values each dtype holds exactly, the awkward ones included. */
const SAMPLES: Record<NpyDtype, number[]> = {
  float16: [0, -0, 1, -2.5, 2 ** -24, 1023 * 2 ** -24, 2 ** -14, 65504, -65504, Infinity, -Infinity, NaN],
  float32: [0, -0, 0.1, 2 ** -149, 2 ** -126, 3.4028234663852886e38, -1e-30, Infinity, -Infinity, NaN].map(Math.fround),
  float64: [0, -0, 0.1, Number.MIN_VALUE, 2 ** -1022, Number.MAX_VALUE, -Math.PI, Infinity, -Infinity, NaN],
  uint8: [0, 1, 127, 128, 255],
  uint16: [0, 1, 0x7e00, 0x8000, 0xffff],
  uint32: [0, 1, 0x7fffffff, 0x80000000, 0xffffffff],
  int8: [0, 1, -1, 127, -128],
  int16: [0, -1, 0x7fff, -0x8000],
  int32: [0, -1, 0x7fffffff, -0x80000000],
  int64: [0, -1, 9, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER],
};

function sameElements(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [x, y] = [actual[i]!, expected[i]!];
    expect(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)), `element ${i}: ${x} for ${y}`).to.equal(true);
  }
}

describe('engine/npy', () => {
  describe('round trips', () => {
    for (const dtype of NPY_DTYPES) {
      it(`${dtype}: every sample back as written, in shapes 2-D, 1-D, 0-D and empty`, () => {
        const values = SAMPLES[dtype];
        for (const shape of [[1, values.length], [values.length], [], [0, 3]]) {
          const data = shape.length === 0 ? values.slice(0, 1) : shape[0] === 0 ? [] : values;
          const back = parseNpy(encodeNpy({ dtype, shape, data }), 'x.npy');
          expect(back).to.be.instanceOf(NpyArray);
          expect(back.dtype).to.equal(dtype);
          expect(back.shape).to.deep.equal(shape);
          sameElements(back.data, data);
        }
      });
    }

    for (const dtype of NPY_INT_DTYPES) {
      it(`${dtype}: read only when integers are asked for (class labels), every sample back`, () => {
        const bytes = encodeNpy({ dtype, shape: [SAMPLES[dtype].length], data: SAMPLES[dtype] });
        sameElements(parseNpy(bytes, 'y.npy', { integers: true }).data, SAMPLES[dtype]);
        expect(() => parseNpy(bytes, 'y.npy')).to.throw(LbamacError, /is not supported; allowed: float16, float32, float64 \(real values\) and uint8, uint16, uint32 \(bit patterns\); integers meant as values/);
      });
    }

    it('an int64 beyond 2^53 reads as NaN, not as a nearby integer', () => {
      const bytes = Buffer.from(encodeNpy({ dtype: 'int64', shape: [1], data: [0] }));
      bytes.writeBigInt64LE(2n ** 60n + 1n, bytes.length - 8);
      expect(parseNpy(bytes, 'y.npy', { integers: true }).data[0]).to.be.NaN;
    });

    it('writes format 1.0 with the data 64-byte aligned, as NumPy does', () => {
      const bytes = encodeNpy({ dtype: 'uint16', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
      expect(Buffer.from(bytes.subarray(0, 8)).toString('latin1')).to.equal('\x93NUMPY\x01\x00');
      const headerLength = Buffer.from(bytes).readUInt16LE(8);
      expect((10 + headerLength) % 64).to.equal(0);
      const text = Buffer.from(bytes.subarray(10, 10 + headerLength)).toString('latin1');
      expect(text).to.match(/^\{'descr': '<u2', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
      expect(Array.from(bytes.subarray(10 + headerLength))).to.deep.equal([1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0]);
      expect(Buffer.from(encodeNpy({ dtype: 'uint8', shape: [3], data: [1, 2, 3] })).toString('latin1')).to.include("'descr': '|u1'");
    });

    it('refuses to write a value its dtype cannot hold exactly (the writer never rounds)', () => {
      const cases: [NpyDtype, number][] = [
        ['uint8', 256],
        ['uint8', -1],
        ['uint16', 1.5],
        ['uint32', 2 ** 32],
        ['float32', 0.1],
        ['float16', 0.1],
        ['float16', 65520],
      ];
      for (const [dtype, x] of cases) expect(() => encodeNpy({ dtype, shape: [1], data: [x] }), `${dtype} ${x}`).to.throw(`is not a ${dtype}`);
      expect(() => encodeNpy({ dtype: 'float64', shape: [2, 2], data: [1, 2, 3] })).to.throw('3 elements for shape (2, 2)');
    });
  });

  describe('float16', () => {
    const fp16 = parseFormatName('fp16');
    it('decodes all 65536 patterns exactly: as the arithmetic core does, and back to the same bits', () => {
      for (let bits = 0; bits < 0x10000; bits++) {
        const x = float16Value(bits);
        const expected = toFloat64(bits, fp16);
        expect(Object.is(x, expected) || (Number.isNaN(x) && Number.isNaN(expected)), `0x${bits.toString(16)}`).to.equal(true);
        if (!Number.isNaN(x)) expect(float16Bits(x)).to.equal(bits);
      }
    });

    it('knows its landmarks: subnormals, the smallest normal, the largest finite, infinities, NaN', () => {
      expect(float16Value(0x0001)).to.equal(2 ** -24);
      expect(float16Value(0x03ff)).to.equal(1023 * 2 ** -24);
      expect(float16Value(0x0400)).to.equal(2 ** -14);
      expect(float16Value(0x3c00)).to.equal(1);
      expect(float16Value(0x3555)).to.equal(0.333251953125);
      expect(float16Value(0x7bff)).to.equal(65504);
      expect(float16Value(0x7c00)).to.equal(Infinity);
      expect(float16Value(0xfc00)).to.equal(-Infinity);
      expect(Object.is(float16Value(0x8000), -0)).to.equal(true);
      expect(float16Value(0x7c01)).to.be.NaN;
      expect(float16Value(0xfe00)).to.be.NaN;
      expect(float16Bits(NaN)).to.equal(0x7e00);
    });

    it('has no bits for values between its codes or beyond its range', () => {
      for (const x of [2 ** -25, 3 * 2 ** -25, 1 + 2 ** -11, 65505, 1e300, -1e-300]) expect(float16Bits(x), String(x)).to.equal(null);
    });
  });

  describe('reading what NumPy writes', () => {
    it('format 1.0 as numpy.save writes it, padding for growth included', () => {
      // numpy.save(f, numpy.array([[1, 2]], dtype='<f4')): header padded so that the data starts at byte 128.
      const text = header('<f4', '(1, 2)').trimEnd().padEnd(117) + '\n';
      const bytes = npyBytes(text, [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
      expect(bytes.length - 8).to.equal(128);
      const a = parseNpy(bytes, 'a.npy');
      expect([a.dtype, a.shape, Array.from(a.data)]).to.deep.equal(['float32', [1, 2], [1, 2]]);
    });

    it('format 2.0 (4-byte header length) and 3.0 (UTF-8 header)', () => {
      const two = parseNpy(npyBytes(header('<u2', '(1,)'), [0x34, 0x12], [2, 0]), 'a.npy');
      expect([two.dtype, Array.from(two.data)]).to.deep.equal(['uint16', [0x1234]]);
      const three = parseNpy(npyBytes(header('<f8', '()'), [0, 0, 0, 0, 0, 0, 0xf0, 0x3f], [3, 0], true), 'a.npy');
      expect([three.dtype, three.shape, Array.from(three.data)]).to.deep.equal(['float64', [], [1]]);
    });

    it('headers in other spellings: keys in any order, double quotes, no trailing comma, Python 2 longs, one-byte types in any byte order', () => {
      const spellings = [
        `{"shape": (2, 1), "fortran_order": False, "descr": "<u2"}`,
        `{'descr':'<u2','fortran_order':False,'shape':(2L, 1L)}`,
        `{ 'descr' : '<u2' , 'fortran_order' : False , 'shape' : ( 2 , 1 , ) , }`,
      ];
      for (const text of spellings) expect(parseNpy(npyBytes(text, [1, 0, 2, 0]), 'a.npy').shape, text).to.deep.equal([2, 1]);
      for (const descr of ['|u1', '<u1', '>u1', '=u1']) expect(parseNpy(npyBytes(header(descr, '(1,)'), [7]), 'a.npy').data[0], descr).to.equal(7);
    });
  });

  it('Fortran (column-major) order: read in C order, as numpy.save writes a transposed array (2-D and 3-D)', () => {
    // x.T of [[1, 2, 3], [4, 5, 6]] is [[1, 4], [2, 5], [3, 6]], stored as x's bytes, Fortran-ordered.
    const bytes = (values: number[]) => [...new Uint8Array(new Float64Array(values).buffer)];
    const t = parseNpy(npyBytes(header('<f8', '(3, 2)', 'True'), bytes([1, 2, 3, 4, 5, 6])), 'w.npy');
    expect(t.shape).to.deep.equal([3, 2]);
    expect([...t.data]).to.deep.equal([1, 4, 2, 5, 3, 6]);
    // Element (i, j, k) of a Fortran array of shape (2, 3, 2) sits at i + 2j + 6k.
    const f = Array.from({ length: 12 }, (_, n) => n);
    const cube = parseNpy(npyBytes(header('<f8', '(2, 3, 2)', 'True'), bytes(f)), 'c.npy');
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) expected.push(i + 2 * j + 6 * k);
    expect([...cube.data]).to.deep.equal(expected);
    // Reading a slice at a time (a workload's tensors) still needs C order, and says so.
    const stored = npyBytes(header('<f8', '(2, 2)', 'True'), Array(32).fill(0));
    expect(() => npyLayout(stored, stored.length, 'b.npy')).to.throw(/^b\.npy: the array is stored in Fortran \(column-major\) order; save a C-ordered copy/);
  });

  describe('rejecting what a job cannot use, with a message that says why', () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['a file without the magic string', Buffer.from('[[1, 2]]'), /^b\.npy: not a \.npy file \(it does not start with the \.npy magic string "\\x93NUMPY"\)$/],
      ['an empty file', new Uint8Array(0), /^b\.npy: not a \.npy file/],
      ['an .npz archive', Buffer.from('PK\x03\x04rest', 'latin1'), /^b\.npy: a \.npz archive \(a zip of several arrays\); give one array, saved with numpy\.save$/],
      ['format version 4.0', npyBytes(header('<f8', '(1,)'), [], [4, 0]), /^b\.npy: \.npy format version 4\.0 is not supported; versions 1\.0, 2\.0 and 3\.0 are$/],
      ['format version 1.1', npyBytes(header('<f8', '(1,)'), [], [1, 1]), /version 1\.1 is not supported/],
      ['a file that ends in the header length', npyBytes('').subarray(0, 9), /^b\.npy: the \.npy file is truncated: it ends inside its header$/],
      ['a header longer than the file', npyBytes(header('<f8', '(1,)')).subarray(0, 30), /^b\.npy: the \.npy file is truncated: it ends inside its header$/],
      ['a header that is not a dict', npyBytes("('<f8', False, (1,))\n"), /^b\.npy: the \.npy header is malformed: not a dict \(header: \('<f8', False, \(1,\)\)\)$/],
      ['a header without shape', npyBytes("{'descr': '<f8', 'fortran_order': False}"), /malformed: it needs the keys descr, fortran_order and shape/],
      ['a header with another key', npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}"), /malformed: unexpected key 'x'/],
      ['an unclosed string', npyBytes("{'descr': '<f8, 'fortran_order': False, 'shape': (1,)}"), /malformed: expected '}' at character 17, found 'f' \(header: /],
      ['a shape that is not a tuple', npyBytes(header('<f8', '(3)')), /malformed: shape is not a tuple of non-negative integers/],
      ['a negative dimension', npyBytes(header('<f8', '(-1, 2)')), /malformed: shape is not a tuple of non-negative integers/],
      ['fortran_order that is not a bool', npyBytes(header('<f8', '(1,)', '0')), /malformed: fortran_order is not True or False/],
      ['a header cut short', npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,"), /malformed: it ends where a value should be/],
      ['text after the dict', npyBytes(header('<f8', '(1,)') + 'x'), /malformed: unexpected 'x' at character \d+ after the dict/],
      ['a 3.0 header that is not UTF-8', npyBytes('\xff', [], [3, 0]), /^b\.npy: the \.npy header is malformed: not valid UTF-8$/],
      ['big-endian float64', npyBytes(header('>f8', '(1,)'), Array(8).fill(0)), /^b\.npy: the array is big-endian \('>f8'\); save a little-endian copy: numpy\.save\(path, x\.astype\(x\.dtype\.newbyteorder\('<'\)\)\)$/],
      ['big-endian uint16', npyBytes(header('>u2', '(1,)'), [0, 1]), /big-endian \('>u2'\)/],
      ['big-endian and Fortran order: the byte order first', npyBytes(header('>f4', '(1, 1)', 'True'), Array(4).fill(0)), /big-endian/],
      ['a native byte order that is not said', npyBytes(header('=f4', '(1,)'), Array(4).fill(0)), /^b\.npy: dtype '=f4' does not say its byte order; numpy\.save writes '<f4' for a little-endian array$/],
      ['an object array', npyBytes(header('|O', '(1,)'), Array(8).fill(0)), /^b\.npy: an object array \('\|O': pickled Python objects\) is not supported, and is never unpickled; save a numeric array of float16/],
      ['a structured array', npyBytes("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }"), /^b\.npy: a structured array \(a dtype with fields\) is not supported/],
      ['int32', npyBytes(header('<i4', '(1,)'), Array(4).fill(0)), /^b\.npy: dtype '<i4' \(int32\) is not supported; allowed: float16, float32, float64 \(real values\) and uint8, uint16, uint32 \(bit patterns\); integers meant as values: numpy\.save\(path, x\.astype\(numpy\.float64\)\)$/],
      ['uint64', npyBytes(header('<u8', '(1,)'), Array(8).fill(0)), /dtype '<u8' \(uint64\) is not supported; allowed: float16, float32, float64 \(real values\) and uint8, uint16, uint32 \(bit patterns\)$/],
      ['bool', npyBytes(header('|b1', '(1,)'), [1]), /dtype '\|b1' \(bool\) is not supported/],
      ['complex128', npyBytes(header('<c16', '(1,)'), Array(16).fill(0)), /dtype '<c16' \(complex128\) is not supported/],
      ['a string array', npyBytes(header('<U3', '(1,)'), Array(12).fill(0)), /dtype '<U3' \(str\) is not supported/],
      ['truncated data', npyBytes(header('<f4', '(2, 3)'), Array(20).fill(0)), /^b\.npy: the \.npy file is truncated: shape \(2, 3\) of '<f4' needs 24 bytes of data, the file has 20$/],
      ['data after the array', npyBytes(header('|u1', '(2,)'), [1, 2, 3]), /^b\.npy: 1 byte after the array's data; a \.npy file holds one array$/],
    ];
    for (const [name, bytes, message] of cases) {
      it(name, () => {
        expect(() => parseNpy(bytes, 'b.npy'))
          .to.throw(message)
          .with.property('name', 'LbamacError');
      });
    }
  });
});
