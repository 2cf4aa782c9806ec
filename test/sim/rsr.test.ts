// Stochastic rounding in the array: the draws are a function of (i, j, t) alone
// (docs/arithmetic.md §2), so one job gives the golden model's D on every array shape, dataflow,
// sparsity and stage count; and the PEs' index registers hold the indices of the term they hold.
import { expect } from 'chai';
import { buildArch } from '../../arch/build.js';
import { fromFloat64, RNE } from '../../core/arith.js';
import { resolveConfig } from '../../config/resolve.js';
import { goldenGemm } from '../../golden/gemm.js';
import { simulate } from '../../sim/simulate.js';

const M = 5;
const K = 9;
const N = 4;

function job(seedShift: number) {
  const base = { a: 'e4m3', w: 'e4m3', product: 'e4m4', acc: 'e5m5', total: 'e5m7', chunk: 4, rounding: { product: 'rsr', acc: 'rsr', total: 'rsr', randomBits: 6, seed: 99 + seedShift } };
  const cfg0 = resolveConfig(base);
  const A = Array.from({ length: M }, (_, i) => Array.from({ length: K }, (_, k) => fromFloat64(Math.sin(3 * i + k) * 4, cfg0.a, RNE)));
  const B = Array.from({ length: K }, (_, k) => Array.from({ length: N }, (_, j) => (k % 4 < 2 ? fromFloat64(Math.cos(k + 5 * j), cfg0.w, RNE) : 0)));
  return { base, A, B };
}

describe('sim: rsr draws follow the term, not the array', function () {
  this.timeout(120_000);

  it('the same D as the golden model on 1x1, 3x2 and 4x4 arrays, OS and WS, dense and 2:4, at every stage count that takes an rsr accumulator', () => {
    const { base, A, B } = job(0);
    const want = goldenGemm(resolveConfig(base), A, B).D;
    let runs = 0;
    for (const [rows, cols] of [[1, 1], [3, 2], [4, 4]]) {
      for (const dataflow of ['os', 'ws']) {
        for (const sparsity of ['dense', '2:4']) {
          for (const stages of [0, 1, 2]) {
            const cfg = resolveConfig({ ...base, rows, cols, dataflow, sparsity, pipeline: { stages } });
            const golden = sparsity === 'dense' ? want : goldenGemm(cfg, A, B).D;
            expect(simulate(buildArch(cfg), { A, B }).D, `${rows}x${cols} ${dataflow} ${sparsity} ${stages} stages`).to.deep.equal(golden);
            runs++;
          }
        }
      }
    }
    expect(runs).to.equal(36);
    // The draws are in D: another seed changes it.
    const other = job(1);
    expect(goldenGemm(resolveConfig(other.base), other.A, other.B).D).not.to.deep.equal(want);
  });

  it('while PE(r, j) adds a term, its index registers hold that term\'s output row, column and index', () => {
    const { base, A, B } = job(0);
    for (const dataflow of ['os', 'ws'] as const) {
      const arch = buildArch(resolveConfig({ ...base, rows: 3, cols: 2, dataflow }));
      const [t, jReg] = dataflow === 'os' ? ['at', 'bj'] : ['wt', 'wj'];
      let checked = 0;
      simulate(arch, { A, B }, {
        onCycle: (_x, _ports, reg) => {
          for (let r = 0; r < 3; r++) {
            for (let j = 0; j < 2; j++) {
              // A term is present when both sides carry one (arch/dataflow/context.ts add_en).
              const present = reg('av', r, j) === 1 && reg(dataflow === 'os' ? 'bv' : 'wv', r, j) === 1;
              if (!present) continue;
              const i = reg('ai', r, j);
              const term = reg(t, r, j);
              const col = reg(jReg, r, j);
              // The operands are A[i][k] and the term's weight: the index registers name them.
              expect(reg('a', r, j), `${dataflow} PE(${r}, ${j})`).to.equal(A[i]![term]!);
              expect(reg(dataflow === 'os' ? 'b' : 'w', r, j)).to.equal(B[term]![col]!);
              checked++;
            }
          }
        },
      });
      expect(checked, dataflow).to.equal(M * N * K);
    }
  });
});
