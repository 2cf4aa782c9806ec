import { expect } from 'chai';
import { RNE } from '../../core/arith.js';
import { ConversionTally } from '../../core/conversions.js';
import { parseFormatName } from '../../core/format.js';
import { toMatrix, transposed } from '../../engine/matrix.js';
import { NpyArray, type NpyDtype } from '../../engine/npy.js';

const e4m3 = () => new ConversionTally(parseFormatName('e4m3'), RNE);
const npy = (dtype: NpyDtype, shape: number[], data: number[]) => new NpyArray(dtype, shape, Float64Array.from(data));

describe('engine/matrix', () => {
  it('takes float elements of a .npy array as real values, converted and counted as JSON numbers are', () => {
    const values = [1.0625, -0, 1000, 2 ** -11];
    const json = e4m3();
    const expected = toMatrix([values], 'a.json', json).codes;
    for (const dtype of ['float16', 'float32', 'float64'] as const) {
      const tally = e4m3();
      expect(toMatrix(npy(dtype, [1, 4], values), 'a.npy', tally).codes, dtype).to.deep.equal(expected);
      expect(tally.counts, dtype).to.deep.equal(json.counts);
    }
  });

  it('takes infinities and NaN of a float array as such (in JSON a huge literal is a typo; here it is a value)', () => {
    expect(toMatrix(npy('float64', [1, 3], [Infinity, -Infinity, NaN]), 'a.npy', e4m3()).codes).to.deep.equal([[0x7e, 0xfe, 0x7f]]); // e4m3 saturates
  });

  it('takes uint elements as bit patterns, counted as no conversion, and shows them in hex', () => {
    const tally = e4m3();
    for (const dtype of ['uint8', 'uint16', 'uint32'] as const) {
      const m = toMatrix(npy(dtype, [2, 2], [0x38, 0x80, 0x7f, 0xff]), 'a.npy', tally);
      expect(m.codes).to.deep.equal([
        [0x38, 0x80],
        [0x7f, 0xff],
      ]);
      expect(m.written(1, 0)).to.equal('0x7f');
    }
    expect(tally.counts.values).to.equal(0);
  });

  it('keeps elements in C order: [i][j] is element i * cols + j', () => {
    const m = toMatrix(npy('uint8', [2, 3], [1, 2, 3, 4, 5, 6]), 'a.npy', e4m3());
    expect(m.codes).to.deep.equal([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const t = transposed(m);
    expect(t.codes).to.deep.equal([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(t.written(2, 1)).to.equal(m.written(1, 2));
  });

  const errors: [string, NpyArray, RegExp][] = [
    [
      'a bit pattern too wide for the format',
      npy('uint16', [2, 2], [1, 2, 3, 0x100]),
      /^a\.npy at \[1\]\[1\]: bit pattern 256 \(0x100\) does not fit e4m3 \(8 bits\); allowed 0 to 255 \(0x0 to 0xff\)\. A uint16 array holds bit patterns; save real values as float16, float32 or float64$/,
    ],
    ['a vector', npy('float32', [3], [1, 2, 3]), /^a\.npy: expected a 2-D array \(a matrix\); got shape \(3,\) \(a vector: save it as one row, x\[None, :\], or one column, x\[:, None\]\)$/],
    ['a 3-D array', npy('float32', [1, 1, 1], [1]), /^a\.npy: expected a 2-D array \(a matrix\); got shape \(1, 1, 1\)$/],
    ['a scalar', npy('float32', [], [1]), /^a\.npy: expected a 2-D array \(a matrix\); got shape \(\)$/],
    ['no rows', npy('float32', [0, 3], []), /^a\.npy: the array has shape \(0, 3\); a matrix needs at least one row and one column$/],
    ['no columns', npy('uint8', [2, 0], []), /shape \(2, 0\); a matrix needs at least one row and one column/],
  ];
  for (const [name, array, message] of errors) {
    it(`rejects ${name}`, () => {
      expect(() => toMatrix(array, 'a.npy', e4m3()))
        .to.throw(message)
        .with.property('name', 'LbamacError');
    });
  }
});
