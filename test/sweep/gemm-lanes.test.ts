import { expect } from 'chai';
import { fromFloat64, RNE, toFloat64 } from '../../core/arith.js';
import { DETERMINISTIC_MODES } from '../../core/format.js';
import { coreGemm } from '../../core/gemm.js';
import { type ArrayConfig, outputFormat, resolveConfig } from '../../config/resolve.js';
import { prepareB, sweepGemm } from '../../sweep/gemm.js';
import { type CodeMat, toRows } from '../../workloads/matrix.js';
import { Rng } from '../../workloads/rng.js';

/** Codes with `zeros` of them zeros of either sign, the rest spread over several binades; 2:4 pruned along the rows when asked. */
function codes(rng: Rng, rows: number, cols: number, fmt: ArrayConfig['a'], zeros: number, sparse24 = false, near?: number[]): CodeMat {
  const data = new Uint32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const x = rng.uniform() < zeros ? (rng.uniform() < 0.5 ? 0 : -0) : near ? near[rng.int(near.length)]! : rng.normal() * 2 ** (rng.int(12) - 6);
    data[i] = fromFloat64(x, fmt, RNE);
  }
  if (sparse24) for (let g = 0; g < rows; g += 4) for (let j = 0; j < cols; j++) for (let r = 0; r < 4 && g + r < rows; r++) if ((r + j + g) % 4 < 2) data[(g + r) * cols + j] = 0;
  return { rows, cols, data, format: fmt };
}

function same(cfg: ArrayConfig, A: CodeMat, B: CodeMat, label: string): number[] {
  const sparse = cfg.sparsity === '2:4';
  const mine = sweepGemm(cfg, A, prepareB(B, sparse));
  const core = coreGemm(cfg, toRows(A), toRows(B));
  const coreD = core.D.flat().map((c) => toFloat64(c, outputFormat(cfg)));
  // Same codes, so the same values down to the sign of zero (deep.equal tells -0 from +0).
  expect(Array.from(mine.D), label).to.deep.equal(coreD);
  expect(mine.events, label).to.deep.equal(core.events);
  return coreD;
}

describe('sweep/gemm-lanes: dot-product cells in the sweep loop equal coreGemm', function () {
  this.timeout(120_000);
  const accs = ['e4m7_b10_ftz_none', 'e5m3', 'fp16', 'fp32', 'e3m2_ftz_none'];
  const products = ['exact', 'fp16', 'e4m7_b12_ftz_none'];
  const lanes = [1, 2, 4, 8, 16, 32];
  // Windows narrower than some accumulators' significands (a step of zeros then truncates the
  // accumulator: not skippable) and wider ones.
  const aligns = [2, 4, 8, 12, 30, 'exact'] as const;
  let n = 0;
  for (const acc of accs)
    for (const product of products) {
      n++;
      it(`acc ${acc}, product ${product}: same D and events (random lanes, windows, modes, chunks, sparsity, zeros)`, () => {
        const rng = new Rng(n * 104729);
        for (let trial = 0; trial < 8; trial++) {
          const G = lanes[rng.int(lanes.length)]!;
          const alignBits = aligns[rng.int(aligns.length)]!;
          if (G === 1 && alignBits === 'exact') continue;
          const mode = DETERMINISTIC_MODES[rng.int(DETERMINISTIC_MODES.length)]!;
          const chunk = trial % 3 === 0 ? null : G * (1 + rng.int(3));
          const sparsity = trial % 2 === 0 ? 'dense' : '2:4';
          const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product, acc, lanes: G, alignBits, rounding: { product: mode, acc: mode }, ...(chunk ? { chunk } : {}), sparsity });
          const K = 1 + rng.int(90);
          const zeros = [0.2, 0.6, 0.9][trial % 3]!;
          same(cfg, codes(rng, 3, K, cfg.a, zeros), codes(rng, K, 4, cfg.w, zeros, sparsity === '2:4'), `lanes ${G}, alignBits ${alignBits}, ${mode}, chunk ${chunk}, ${sparsity}, K ${K}, zeros ${zeros}`);
        }
      });
    }

  it('a -0 accumulator, and +0 under rdn, meet their steps of zero products as coreGemm does', () => {
    // Values near the smallest normal of e4m3_b2_ftz_none (0.5) cancel into sums that flush to ±0.
    const rng = new Rng(777);
    let negativeZeros = 0;
    for (let trial = 0; trial < 150; trial++) {
      const G = [2, 4, 8][trial % 3]!;
      const mode = (['rtz', 'rne', 'rdn', 'rup'] as const)[trial % 4]!;
      const chunk = [null, G, 2 * G][trial % 5 % 3]!;
      const alignBits = [3, 'exact'][trial % 2]!;
      const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'e4m3_b2_ftz_none', lanes: G, alignBits, rounding: { acc: mode }, ...(chunk ? { chunk } : {}) });
      const near = [0.5, -0.5, 0.75, -0.75, 1, -1, -(2 ** -7)];
      const D = same(cfg, codes(rng, 4, 24, cfg.a, 0.6, false, near), codes(rng, 24, 3, cfg.w, 0.5, false, [1, -1]), `trial ${trial}`);
      negativeZeros += D.filter((v) => Object.is(v, -0)).length;
    }
    expect(negativeZeros).to.be.greaterThan(0);
  });
});
