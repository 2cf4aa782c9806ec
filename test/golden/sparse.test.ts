import { expect } from 'chai';
import fc from 'fast-check';
import { LbamacError } from '../../core/errors.js';
import { toFormat } from '../../core/format.js';
import { decode } from '../../golden/exact.js';
import { compress24 } from '../../golden/sparse.js';

const e4m3 = toFormat('e4m3');
const ONE = 0x38; // 1.0 in e4m3
const TWO = 0x40;

/** The slots of one group and column as [index, code] pairs. */
function slots(B: number[][], g: number, j: number, f = e4m3): [number, number][] {
  const c = compress24(B, f);
  return [0, 1].map((s) => [c.index[g]![j]![s]!, c.values[g]![j]![s]!]);
}

/** A K×1 column. */
const column = (...codes: number[]) => codes.map((c) => [c]);

describe('golden/sparse: compress24', () => {
  it('keeps two nonzeros at their indices, ascending', () => {
    expect(slots(column(0, ONE, 0, TWO), 0, 0)).to.deep.equal([[1, ONE], [3, TWO]]);
    expect(slots(column(ONE, TWO, 0, 0), 0, 0)).to.deep.equal([[0, ONE], [1, TWO]]);
  });

  it('fills free slots with +0 at the lowest unused indices', () => {
    expect(slots(column(0, 0, 0, 0), 0, 0)).to.deep.equal([[0, 0], [1, 0]]);
    expect(slots(column(ONE, 0, 0, 0), 0, 0)).to.deep.equal([[0, ONE], [1, 0]]);
    expect(slots(column(0, ONE, 0, 0), 0, 0)).to.deep.equal([[0, 0], [1, ONE]]);
    expect(slots(column(0, 0, 0, TWO), 0, 0)).to.deep.equal([[0, 0], [3, TWO]]);
  });

  it('stores +0 whatever zero B holds, and -0 is not a nonzero', () => {
    expect(slots(column(0x80, 0x80, ONE, 0x80), 0, 0)).to.deep.equal([[0, 0], [2, ONE]]);
  });

  it('counts NaN and inf as nonzero', () => {
    expect(slots(column(0, 0x7f, 0, 0xff), 0, 0)).to.deep.equal([[1, 0x7f], [3, 0xff]]);
    const fp16 = toFormat('fp16');
    expect(() => compress24(column(0x7c00, 0x7e00, 0x3c00, 0), fp16)).to.throw(LbamacError, /3 nonzeros/);
  });

  it('reads exponent field 0 as zero when subnormals are off', () => {
    const ftz = toFormat('e4m3_ftz');
    expect(slots(column(0x01, ONE, 0x07, TWO), 0, 0, ftz)).to.deep.equal([[1, ONE], [3, TWO]]);
    expect(() => compress24(column(0x01, ONE, 0x07, TWO), e4m3)).to.throw(LbamacError);
  });

  it('pads K to a multiple of 4 with zeros', () => {
    const B = [[ONE, 0], [0, 0], [0, TWO], [0, 0], [TWO, ONE], [ONE, 0]];
    const c = compress24(B, e4m3);
    expect(c.groups).to.equal(2);
    expect(slots(B, 1, 0)).to.deep.equal([[0, TWO], [1, ONE]]);
    expect(slots(B, 1, 1)).to.deep.equal([[0, ONE], [1, 0]]);
    expect(compress24([], e4m3)).to.deep.equal({ groups: 0, values: [], index: [] });
  });

  it('names the first offending group in K order, then column order', () => {
    const B = Array.from({ length: 16 }, () => [0, 0, 0]);
    for (const k of [4, 5, 7]) B[k]![2] = ONE; // group 1, column 2
    for (const k of [12, 13, 15]) B[k]![0] = ONE; // group 3, column 0: later in K
    for (const k of [4, 5, 6]) B[k]![1] = 0x80; // -0 does not count
    expect(() => compress24(B, e4m3)).to.throw(
      LbamacError,
      'B breaks 2:4 sparsity: group 1 (rows 4-7), column 2 has 3 nonzeros (rows 4, 5, 7); at most 2 are allowed',
    );
    for (const k of [4, 5, 7]) B[k]![2] = 0;
    expect(() => compress24(B, e4m3)).to.throw(LbamacError, 'group 3 (rows 12-15), column 0 has 3 nonzeros (rows 12, 13, 15)');
  });

  it('rejects ragged rows', () => {
    expect(() => compress24([[0, 0], [0]], e4m3)).to.throw(LbamacError, /row 1 has 1 columns/);
  });

  it('places every nonzero of a random 2:4 matrix at its index, and nothing else', () => {
    const matrix = fc.tuple(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 4 })).chain(([K, N]) =>
      fc.array(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: N, maxLength: N }), { minLength: K, maxLength: K }),
    );
    fc.assert(
      fc.property(matrix, (raw) => {
        // Keep at most the first two nonzeros of every group and column.
        const B = raw.map((row) => [...row]);
        for (let j = 0; j < B[0]!.length; j++) {
          for (let g = 0; g * 4 < B.length; g++) {
            let kept = 0;
            for (let k = 4 * g; k < Math.min(4 * g + 4, B.length); k++) {
              if (decode(B[k]![j]!, e4m3).kind === 'zero') continue;
              if (++kept > 2) B[k]![j] = 0;
            }
          }
        }
        const c = compress24(B, e4m3);
        for (let g = 0; g < c.groups; g++) {
          for (let j = 0; j < B[0]!.length; j++) {
            const [i0, i1] = c.index[g]![j]!;
            expect(i0!).to.be.below(i1!);
            const rebuilt = [0, 0, 0, 0];
            [0, 1].forEach((s) => (rebuilt[c.index[g]![j]![s]!] = c.values[g]![j]![s]!));
            const original = [0, 1, 2, 3].map((i) => B[4 * g + i]?.[j] ?? 0).map((code) => (decode(code, e4m3).kind === 'zero' ? 0 : code));
            expect(rebuilt).to.deep.equal(original);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
