// One real Yosys run per target on a small registered design with known structure.
import { expect } from 'chai';
import { synthesize } from '../../synth/synthesize.js';
import { TARGETS } from '../../synth/targets.js';
import { acc8 } from './fixtures.js';

describe('synth/synthesize: a real synthesis per target', function () {
  this.timeout(120_000);

  for (const target of TARGETS) {
    it(`${target}: an 8-bit accumulator has 8 flip-flops, logic, and a finite depth through its register loop`, async () => {
      const r = await synthesize(acc8(), target, null);
      expect(r.cached).to.equal(false);
      expect(r.resources.counts.ff).to.equal(8);
      expect(r.resources.other, JSON.stringify(r.resources.byType)).to.deep.equal({});
      // The adder: an 8-bit add needs at least a few cells on any target.
      const logic = r.resources.counts.lut + r.resources.counts.gate + r.resources.counts.carry;
      expect(logic).to.be.greaterThan(3);
      expect(r.area).to.be.greaterThan(0);
      // s -> adder -> s is a loop unless the depth stops at the flip-flops: it must, and give a length.
      expect(r.depth).to.be.a('number');
      expect(r.depth!).to.be.within(1, 40);
      expect(r.warnings).to.deep.equal([]);
      expect(r.yosys).to.match(/^0\.\d+/);
    });
  }

  it('gates: enables and synchronous resets become logic, so only plain flip-flops remain', async () => {
    const r = await synthesize(acc8(), 'gates', null);
    const ffTypes = Object.keys(r.resources.byType).filter((t) => /DFF/.test(t));
    expect(ffTypes).to.deep.equal(['$_DFF_P_']);
    expect(r.area).to.equal(r.resources.counts.gate + r.resources.counts.ff);
  });
});
