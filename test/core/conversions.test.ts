// core/conversions.ts: each real value converted into a format counts once, as what happened to it.
import { expect } from 'chai';
import { RNE, RTZ } from '../../core/arith.js';
import { ConversionTally } from '../../core/conversions.js';
import { toFormat } from '../../core/format.js';

const e4m3 = toFormat('e4m3');
const fp16 = toFormat('fp16');

describe('core/conversions ConversionTally', () => {
  it('e4m3 (no inf): 1e6 and inf overflow to 448, the largest by magnitude is remembered', () => {
    const t = new ConversionTally(e4m3, RNE);
    expect([1e6, Infinity, -500].map((x) => t.convert(x))).to.deep.equal([0x7e, 0x7e, 0xfe]);
    expect(t.counts).to.deep.equal({ values: 3, overflow: 3, underflow: 0, inexact: 0 });
    expect(t.largestOverflow).to.deep.equal({ value: Infinity, code: 0x7e });
  });

  it('an infinity into a format that has one is no event; a finite value beyond its range is, even under rtz', () => {
    const t = new ConversionTally(fp16, RTZ);
    t.convert(Infinity);
    t.convert(-Infinity);
    expect(t.counts.overflow).to.equal(0);
    expect(t.convert(70000)).to.equal(0x7bff);
    expect(t.counts.overflow).to.equal(1);
  });

  it('underflow (to zero or a subnormal, exact or not) and rounding count separately; exact values and NaN not at all', () => {
    const t = new ConversionTally(e4m3, RNE);
    for (const x of [2 ** -11, 2 ** -9, 1.1, 1, 0, -0, NaN]) t.convert(x);
    expect(t.counts).to.deep.equal({ values: 7, overflow: 0, underflow: 2, inexact: 1 });
    expect(t.largestOverflow).to.equal(null);
  });
});
