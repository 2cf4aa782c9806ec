import { expect } from 'chai';
import { describeFormat, exactValue, parseFormatArg, powerForm } from '../../core/describe.js';

describe('core/describe (behind `lbamac formats`)', () => {
  it('gives exact decimals and powers of two', () => {
    expect(exactValue(7, 6)).to.deep.equal({ decimal: '448', significand: '1.75', exp2: 8 });
    expect(powerForm(exactValue(1, -9))).to.equal('2^-9');
    expect(exactValue(1, -24).decimal).to.equal('5.9604644775390625e-8');
    expect(exactValue(1, 100).decimal).to.equal('≈1.2676506e+30'); // 31 digits: rounded
    expect(exactValue(999999999, 0).decimal).to.equal('999999999');
    expect(exactValue(2 ** 24 - 1, 104).decimal).to.equal('≈3.4028235e+38');
  });

  it('reaches extreme biases without overflowing float64', () => {
    const d = describeFormat(parseFormatArg('e8m23_bn1048576'));
    expect(d.largestFinite.exp2).to.equal(1048830);
    expect(d.largestFinite.decimal).to.match(/^≈\d\.\d+e\+315729$/);
  });

  it('describes the codes of each specials mode', () => {
    const e4m3 = describeFormat(parseFormatArg('e4m3'));
    expect(e4m3.codes).to.deep.include({ largestFinite: '0x7e', inf: null, nan: '0x7f', nanCodes: ['0x7f', '0xff'] });
    const bf16 = describeFormat(parseFormatArg('bf16'));
    expect(bf16.codes).to.deep.include({ inf: '0x7f80', negInf: '0xff80', nan: '0x7fc0', nanCodes: ['0x7f81-0x7fff', '0xff81-0xffff'] });
    const none = describeFormat(parseFormatArg('{"exp":2,"man":1,"specials":"none"}'));
    expect(none.largestFinite.decimal).to.equal('6');
    expect(none.codes).to.deep.include({ inf: null, nan: null, nanCodes: [] });
  });

  it('has no subnormals when they are off or man = 0', () => {
    expect(describeFormat(parseFormatArg('e4m3_ftz_fn')).smallestSubnormal).to.equal(null);
    expect(describeFormat(parseFormatArg('e8m0_fn')).smallestSubnormal).to.equal(null);
  });
});
