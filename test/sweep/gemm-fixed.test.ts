import { expect } from 'chai';
import { fromFloat64, RNE, toFloat64 } from '../../core/arith.js';
import { DETERMINISTIC_MODES } from '../../core/format.js';
import { coreGemm } from '../../core/gemm.js';
import { type ArrayConfig, outputFormat, resolveConfig } from '../../config/resolve.js';
import { prepareB, sweepGemm } from '../../sweep/gemm.js';
import { type CodeMat, toRows } from '../../workloads/matrix.js';
import { Rng } from '../../workloads/rng.js';

/** Codes with `zeros` of them zeros of either sign, the rest over several binades; 2:4 pruned along the rows when asked. */
function codes(rng: Rng, rows: number, cols: number, fmt: ArrayConfig['a'], zeros: number, sparse24 = false): CodeMat {
  const data = new Uint32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const x = rng.uniform() < zeros ? (rng.uniform() < 0.5 ? 0 : -0) : rng.normal() * 2 ** (rng.int(12) - 6);
    data[i] = fromFloat64(x, fmt, RNE);
  }
  if (sparse24) for (let g = 0; g < rows; g += 4) for (let j = 0; j < cols; j++) for (let r = 0; r < 4 && g + r < rows; r++) if ((r + j + g) % 4 < 2) data[(g + r) * cols + j] = 0;
  return { rows, cols, data, format: fmt };
}

describe('sweep/gemm-fixed: fixed-point accumulators in the sweep loop equal coreGemm', function () {
  this.timeout(120_000);
  // Registers that are exact (Kulisch), narrow ones that round products away and saturate or
  // wrap, and one wider than 53 bits (the bigint kernel).
  const registers = [
    { msb: 29, lsb: -18 },
    { msb: 3, lsb: -2 },
    { msb: 8, lsb: -6 },
    { msb: 40, lsb: -30 },
  ];
  let n = 0;
  for (const fixed of registers)
    for (const product of ['exact', 'fp16', 'e4m7_b12_ftz_none']) {
      n++;
      it(`fixed msb ${fixed.msb} lsb ${fixed.lsb}, product ${product}: same D (signed zeros too) and events`, () => {
        const rng = new Rng(n * 7919);
        for (let trial = 0; trial < 8; trial++) {
          const mode = DETERMINISTIC_MODES[rng.int(DETERMINISTIC_MODES.length)]!;
          const sparsity = trial % 2 === 0 ? 'dense' : '2:4';
          const overflow = trial % 3 === 0 ? 'wrap' : 'saturate';
          const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product, acc: { fixed, overflow, out: 'fp32' }, rounding: { product: mode, acc: mode }, sparsity });
          const K = 1 + rng.int(60);
          const zeros = [0.2, 0.6, 0.95][trial % 3]!;
          const A = codes(rng, 3, K, cfg.a, zeros);
          const B = codes(rng, K, 4, cfg.w, zeros, sparsity === '2:4');
          const mine = sweepGemm(cfg, A, prepareB(B, sparsity === '2:4'));
          const core = coreGemm(cfg, toRows(A), toRows(B));
          const label = `${mode}, ${overflow}, ${sparsity}, K ${K}, zeros ${zeros}`;
          expect(Array.from(mine.D), label).to.deep.equal(core.D.flat().map((c) => toFloat64(c, outputFormat(cfg))));
          expect(mine.events, label).to.deep.equal(core.events);
        }
      });
    }
});
