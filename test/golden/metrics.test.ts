import { expect } from 'chai';
import fc from 'fast-check';
import { LbamacError } from '../../core/errors.js';
import { errorMetrics } from '../../golden/metrics.js';

describe('golden/metrics: errorMetrics', () => {
  it('is all zero when D equals the reference', () => {
    expect(errorMetrics([[1, -2], [0, 3]], [[1, -2], [0, 3]])).to.deep.equal({
      nrmse: 0,
      meanRelError: 0,
      maxRelError: 0,
      outputs: 4,
      nonzeroRefs: 3,
      nonFinite: 0,
    });
  });

  it('computes nrmse over all finite pairs and relative errors over ref ≠ 0', () => {
    const m = errorMetrics([[1, 2, 0.5]], [[1, 1, 0]]);
    expect(m.nrmse).to.equal(Math.sqrt((0 + 1 + 0.25) / 2));
    expect(m.meanRelError).to.equal(0.5);
    expect(m.maxRelError).to.equal(1);
    expect(m.nonzeroRefs).to.equal(2);
  });

  it('handles an all-zero reference: 0 without error, NaN with', () => {
    expect(errorMetrics([[0, -0]], [[0, 0]])).to.include({ nrmse: 0, meanRelError: 0, maxRelError: 0, nonzeroRefs: 0 });
    expect(errorMetrics([[0, 1]], [[0, 0]]).nrmse).to.be.NaN;
    expect(errorMetrics([], [])).to.include({ nrmse: 0, outputs: 0 });
  });

  it('counts non-finite pairs and leaves them out', () => {
    const m = errorMetrics([[Infinity, NaN, 2, 1]], [[1, 1, -Infinity, 1]]);
    expect(m).to.include({ nonFinite: 3, outputs: 4, nonzeroRefs: 1, nrmse: 0, maxRelError: 0 });
  });

  it('neither overflows nor underflows at the ends of the double range', () => {
    expect(errorMetrics([[1e300]], [[2e300]]).nrmse).to.equal(0.5);
    expect(errorMetrics([[3 * 2 ** -1074]], [[2 ** -1074]])).to.include({ nrmse: 2, maxRelError: 2 });
    const max = Number.MAX_VALUE;
    expect(errorMetrics([[max]], [[-max]])).to.include({ nrmse: 2, maxRelError: 2 });
    expect(errorMetrics([[1e300]], [[1e-300]]).nrmse).to.equal(Infinity);
    expect(errorMetrics([[1e300, 1]], [[1e-300, 1]]).nrmse).to.equal(1e300);
    expect(errorMetrics([[1e-10, 1e200]], [[2e-10, 1e200]]).nrmse).to.be.closeTo(1e-210, 1e-224); // Σ ref² overflows naively
  });

  it('matches the plain formula on moderate values', () => {
    const x = fc.integer({ min: -1e6, max: 1e6 }).map((i) => i / 1024);
    const pairs = fc.array(fc.tuple(x, x), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(pairs, (ps) => {
        const m = errorMetrics([ps.map(([d]) => d)], [ps.map(([, r]) => r)]);
        const se = ps.reduce((s, [d, r]) => s + (d - r) ** 2, 0);
        const sr = ps.reduce((s, [, r]) => s + r ** 2, 0);
        if (sr > 0) expect(m.nrmse).to.be.closeTo(Math.sqrt(se / sr), 1e-12 * Math.max(1, Math.sqrt(se / sr)));
        const rels = ps.filter(([, r]) => r !== 0).map(([d, r]) => Math.abs(d - r) / Math.abs(r));
        expect(m.maxRelError).to.be.closeTo(Math.max(0, ...rels), 1e-12 * Math.max(1, ...rels));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects shapes that differ', () => {
    expect(() => errorMetrics([[1, 2]], [[1]])).to.throw(LbamacError);
    expect(() => errorMetrics([[1]], [[1], [2]])).to.throw(LbamacError);
  });
});
