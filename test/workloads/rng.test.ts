import { expect } from 'chai';
import { Rng } from '../../workloads/rng.js';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

describe('workloads/rng', () => {
  it('the same seed gives the same stream, another seed another one', () => {
    const a = new Rng(17);
    const b = new Rng(17);
    const c = new Rng(18);
    const xs = Array.from({ length: 50 }, () => a.nextU32());
    expect(Array.from({ length: 50 }, () => b.nextU32())).to.deep.equal(xs);
    expect(Array.from({ length: 50 }, () => c.nextU32())).to.not.deep.equal(xs);
  });

  it('uniform stays inside (0, 1); normal, Laplace and Student-t have their moments', () => {
    const r = new Rng(5);
    const n = 40_000;
    const u = Array.from({ length: n }, () => r.uniform());
    expect(Math.min(...u)).to.be.greaterThan(0);
    expect(Math.max(...u)).to.be.lessThan(1);
    const normal = moments(() => r.normal(), n);
    expect(normal.mean).to.be.closeTo(0, 0.03);
    expect(normal.variance).to.be.closeTo(1, 0.04);
    const laplace = moments(() => r.laplace(), n);
    expect(laplace.mean).to.be.closeTo(0, 0.04);
    expect(laplace.variance).to.be.closeTo(2, 0.1); // Laplace(1): variance 2
    const t = moments(() => r.studentT(5), n);
    expect(t.variance).to.be.closeTo(5 / 3, 0.15); // nu / (nu - 2)
  });

  it('shuffle permutes', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = new Rng(1).shuffle([...items]);
    expect(shuffled).to.not.deep.equal(items);
    expect([...shuffled].sort((x, y) => x - y)).to.deep.equal(items);
  });
});
