// cosim/random-job.ts: the jobs verify and the co-simulation tests run reach the cases where
// hardware goes wrong, here the ones the core counts as events: sums that round to zero
// (accumulator underflow) and sums that cancel exactly.
import { expect } from 'chai';
import { coreGemm } from '../../core/gemm.js';
import { resolveConfig } from '../../config/resolve.js';
import { randomJobs } from '../../cosim/random-job.js';

describe('cosim/random-job', () => {
  const cfg = resolveConfig({ rows: 2, cols: 2, a: 'e4m3', w: 'e4m3', product: 'e5m10', acc: 'e4m7_b10', rounding: { product: 'rtz', acc: 'rtz' } });
  const jobs = randomJobs(cfg, 20, 1);

  it('20 jobs of an e4m7_b10 array: the accumulator underflows in some', () => {
    const underflows = jobs.filter((j) => coreGemm(cfg, j.A, j.B, j.C).events.accUnderflow > 0).length;
    expect(underflows).to.be.at.least(1);
  });

  it('every fourth job cancels in pairs: the odd term is the even one with the weight negated', () => {
    const cancelling = jobs.filter((_, i) => i % 4 === 3);
    expect(cancelling).to.have.length(5);
    for (const { A, B } of cancelling) {
      for (let k = 0; k + 1 < B.length; k += 2) {
        for (const row of A) expect(row[k + 1]).to.equal(row[k]);
        B[k]!.forEach((w, n) => expect(B[k + 1]![n]).to.equal(w ^ cfg.w.signBit));
      }
    }
    // Some of their outputs are exactly zero although their terms are not.
    const zeros = cancelling.filter(({ A, B }) => B.length >= 2 && coreGemm(cfg, A, B).D.flat().some((d, i) => (d & ~cfg.acc.signBit) === 0 && A[Math.floor(i / B[0]!.length)]![0] !== 0));
    expect(zeros.length).to.be.at.least(1);
  });
});
