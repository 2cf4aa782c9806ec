import { expect } from 'chai';
import { fromFloat64, RNE } from '../../core/arith.js';
import { makeFormat, parseFormatName } from '../../core/format.js';
import { compress24 } from '../../core/sparse.js';

const w = parseFormatName('e4m3');
const q = (x: number) => fromFloat64(x, w, RNE);
const col = (xs: number[]) => xs.map((x) => [q(x)]);

describe('core/sparse compress24', () => {
  it('keeps the nonzeros with their indices and fills free slots with +0 at the lowest unused index', () => {
    const s = compress24(col([0, 2, 0, -3, /* group 1 */ 0, 0, 0, 1.5, /* group 2: padded */ 0]), w, 1);
    expect(s.groups).to.equal(3);
    expect(Array.from(s.index)).to.deep.equal([1, 3, 0, 3, 0, 1]);
    expect(Array.from(s.values)).to.deep.equal([q(2), q(-3), 0, q(1.5), 0, 0]);
  });

  it('treats -0 and (with subnormals off) exponent-field-0 codes as zeros, stored as +0', () => {
    const ftz = makeFormat({ exp: 4, man: 3, subnormals: false });
    const B = [[0x80], [0x01], [0x38], [0x00]]; // -0, a field-0 code (zero under ftz), 1.0, +0
    const s = compress24(B, ftz, 1);
    expect(Array.from(s.index)).to.deep.equal([0, 2]);
    expect(Array.from(s.values)).to.deep.equal([0, 0x38]);
  });

  it('names the first group that breaks 2:4, in K then column order', () => {
    const B = [
      [q(1), q(1)],
      [q(1), q(1)],
      [q(0), q(1)],
      [q(0), q(0)],
      [q(1), q(0)],
      [q(1), q(0)],
      [q(1), q(0)],
      [q(0), q(0)],
    ];
    expect(() => compress24(B, w, 2)).to.throw('group 0 (rows 0-3), column 1 has 3 nonzeros (rows 0, 1, 2)');
  });

  it('counts NaN and inf as nonzeros', () => {
    const e5m2 = parseFormatName('e5m2');
    expect(() => compress24([[0x7c], [0x7e], [0x3c], [0]], e5m2, 1)).to.throw(/3 nonzeros/);
  });
});
