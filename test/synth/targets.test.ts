import { expect } from 'chai';
import { LbamacError } from '../../core/errors.js';
import { parseTarget, TARGETS, targetSpec } from '../../synth/targets.js';

describe('synth/targets', () => {
  it('accepts every listed target', () => {
    for (const t of TARGETS) expect(parseTarget(t)).to.equal(t);
  });

  it('rejects anything else, naming the allowed values', () => {
    for (const bad of ['', 'ICE40', 'ice', 'asic', 'gates ']) {
      expect(() => parseTarget(bad)).to.throw(LbamacError, `unknown synthesis target "${bad}"; allowed: ice40, ecp5, xilinx, gates`);
    }
  });

  it('every target has a synthesis script for its top and counts its headline area from its own categories', () => {
    for (const t of TARGETS) {
      const spec = targetSpec(t);
      expect(spec.synth('my_top').join('; ')).to.include('-top my_top');
      const categories = spec.categories.map(([c]) => c);
      for (const c of Object.keys(spec.area.weights)) expect(categories, t).to.include(c);
      expect(categories, t).to.include('ff');
    }
  });
});
