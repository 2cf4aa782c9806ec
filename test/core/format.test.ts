import { expect } from 'chai';
import { fromFloat64, RNE, toFloat64 } from '../../core/arith.js';
import { makeFormat, NAMED_FORMATS, parseFormatName, toFormat } from '../../core/format.js';

describe('core/format', () => {
  it('resolves the named formats of docs/arithmetic.md §1', () => {
    const e4m3 = parseFormatName('e4m3');
    expect([e4m3.specials, e4m3.overflow, e4m3.bias]).to.deep.equal(['fn', 'saturate', 7]);
    expect(toFloat64(e4m3.maxFiniteMag, e4m3)).to.equal(448);
    expect(e4m3.nanCode).to.equal(0x7f);
    const e5m2 = parseFormatName('e5m2');
    expect(toFloat64(e5m2.maxFiniteMag, e5m2)).to.equal(57344);
    expect(e5m2.infCode).to.equal(0x7c);
    expect(parseFormatName('fp32').width).to.equal(32);
    expect(toFloat64(parseFormatName('bf16').maxFiniteMag, parseFormatName('bf16'))).to.equal(3.3895313892515355e38);
    expect(toFloat64(parseFormatName('fp16').maxFiniteMag, parseFormatName('fp16'))).to.equal(65504);
  });

  it('gives every format a canonical name that parses back to the same format', () => {
    const specs = [
      { exp: 4, man: 7, bias: 10 },
      { exp: 4, man: 3 },
      { exp: 3, man: 0, specials: 'fn' as const },
      { exp: 5, man: 10, subnormals: false, overflow: 'saturate' as const },
      { exp: 2, man: 5, bias: -3, specials: 'none' as const },
    ];
    for (const s of specs) {
      const f = makeFormat(s);
      expect(parseFormatName(f.name)).to.deep.equal(f);
    }
    expect(makeFormat({ exp: 4, man: 3 }).name).to.equal('e4m3_ieee');
    for (const n of NAMED_FORMATS) expect(parseFormatName(n).name).to.equal(n);
    expect(parseFormatName('e5m10').name).to.equal('fp16');
  });

  it('derives the largest finite value for each specials mode', () => {
    // fn with man 0: the all-ones code is NaN, so the top field holds no finite number.
    const fn0 = makeFormat({ exp: 3, man: 0, specials: 'fn' });
    expect(toFloat64(fn0.maxFiniteMag, fn0)).to.equal(2 ** (6 - 3));
    const none = makeFormat({ exp: 4, man: 3, specials: 'none' });
    expect(toFloat64(none.maxFiniteMag, none)).to.equal(1.875 * 2 ** 8);
    const ftz = makeFormat({ exp: 4, man: 3, subnormals: false });
    expect(toFloat64(1, ftz)).to.equal(0); // exponent field 0 reads as zero
  });

  it('rejects bad formats naming the field, the value and the allowed range', () => {
    const cases: [unknown, RegExp][] = [
      [{ exp: 9, man: 3 }, /exp = 9 .*from 2 to 8/],
      [{ exp: 4, man: 24 }, /man = 24 .*from 0 to 23/],
      [{ exp: 4, man: 3, bias: 1.5 }, /bias = 1.5 .*integer/],
      [{ exp: 4, man: 0 }, /specials = "ieee" needs man >= 1/],
      [{ exp: 4, man: 3, specials: 'fn', overflow: 'inf' }, /overflow = "inf" needs specials = "ieee"/],
      [{ exp: 4, man: 3, specials: 'weird' }, /specials = "weird"/],
      [{ exp: 4, man: 3, colour: 1 }, /unknown field "colour"/],
      [{ exp: 4 }, /^cfg\.acc: man is missing; expected an integer from 0 to 23$/],
    ];
    for (const [spec, re] of cases) expect(() => makeFormat(spec as never, 'cfg.acc')).to.throw(re);
    expect(() => toFormat('e4x3')).to.throw(/"e4x3" is not a format/);
    expect(() => toFormat('e4m3_q')).to.throw(/unknown suffix "_q"/);
    // Suffixes once each, in order: no name where a later one silently wins.
    expect(() => toFormat('e4m7_fn_b10')).to.throw(/"_b10" comes after "_fn" in "e4m7_fn_b10"; suffixes go once each, in this order/);
    expect(() => toFormat('e4m3_fn_none')).to.throw(/"_fn" and "_none" say the same property/);
    expect(() => toFormat('e4m7_b10_b12')).to.throw(/"_b10" and "_b12" say the same property/);
    expect(() => toFormat('e4m3_b-3')).to.throw(/"e4m3_b-3" is not a format; .*; a negative bias is written _bn3$/);
    expect(toFormat('e4m7_b10_ftz_none_sat').name).to.equal(toFormat({ exp: 4, man: 7, bias: 10, subnormals: false, specials: 'none', overflow: 'saturate' }).name);
  });

  it('converts float64 into a format: fp16 ties, overflow, subnormals', () => {
    const h = parseFormatName('fp16');
    expect(fromFloat64(1 + 2 ** -11, h, RNE)).to.equal(0x3c00);
    expect(fromFloat64(65520, h, RNE)).to.equal(0x7c00); // half-way above max rounds to inf
    expect(fromFloat64(2 ** -24, h, RNE)).to.equal(0x0001);
    expect(fromFloat64(2 ** -25, h, RNE)).to.equal(0x0000); // tie to even: zero
    expect(fromFloat64(-0, h, RNE)).to.equal(0x8000);
  });
});
