import { expect } from 'chai';
import { fromFloat64, RNE, toFloat64 } from '../../core/arith.js';
import { coreGemm } from '../../core/gemm.js';
import { outputFormat, resolveConfig } from '../../config/resolve.js';
import { prepareB, sweepGemm } from '../../sweep/gemm.js';
import { type CodeMat, toRows } from '../../workloads/matrix.js';
import { Rng } from '../../workloads/rng.js';

/** Random codes with many zeros (both signs), and values spread over several binades. */
function codes(rng: Rng, rows: number, cols: number, fmt: ReturnType<typeof resolveConfig>['a'], sparse24 = false): CodeMat {
  const data = new Uint32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const u = rng.uniform();
    const x = u < 0.3 ? (rng.uniform() < 0.5 ? 0 : -0) : rng.normal() * 2 ** (rng.int(12) - 6);
    data[i] = fromFloat64(x, fmt, RNE);
  }
  if (sparse24) {
    // Zero two of every aligned group of 4 along the rows (K), per column.
    for (let g = 0; g < rows; g += 4) for (let j = 0; j < cols; j++) for (let r = 0; r < 4 && g + r < rows; r++) if ((r + j + g) % 4 < 2) data[(g + r) * cols + j] = 0;
  }
  return { rows, cols, data, format: fmt };
}

describe('sweep/gemm: the skipping loop equals coreGemm', function () {
  this.timeout(60000);
  const accs = ['e4m7_b10_ftz_none', 'e5m3', 'e3m2_none', 'fp16', 'fp32', 'e5m1_ftz_sat'];
  const products = ['exact', 'e4m7_b12_ftz_none', 'fp16', 'e5m2'];
  const inputs: [string, string][] = [['e4m3', 'e4m3'], ['e5m2', 'e4m3'], ['fp16', 'bf16']];
  const modes = ['rne', 'rna', 'rtz'] as const;
  const chunks = [null, 1, 3, 16];
  let n = 0;
  for (const acc of accs)
    for (const product of products) {
      n++;
      it(`acc ${acc}, product ${product}: same D values and events (random inputs, modes, chunks, sparsity)`, () => {
        const rng = new Rng(n * 7919);
        for (let trial = 0; trial < 6; trial++) {
                const [a, w] = inputs[rng.int(inputs.length)]!;
                const mode = modes[rng.int(modes.length)]!;
                const chunk = chunks[trial % chunks.length]!;
                const sparsity = trial % 2 === 0 ? 'dense' : '2:4';
                const cfg = resolveConfig({ a, w, product, acc, rounding: { product: mode, acc: mode }, ...(chunk ? { chunk, total: mode === 'rtz' ? 'fp16' : acc } : {}), sparsity });
                const A = codes(rng, 3, 37, cfg.a);
                const B = codes(rng, 37, 5, cfg.w, sparsity === '2:4');
                const mine = sweepGemm(cfg, A, prepareB(B, sparsity === '2:4'));
                const core = coreGemm(cfg, toRows(A), toRows(B));
                const out = outputFormat(cfg);
                const coreD = core.D.flat().map((c) => toFloat64(c, out));
                const label = `${a}/${w} ${mode} chunk ${chunk} ${sparsity}`;
                // Same codes, so the same values down to the sign of zero (deep.equal tells -0 from +0).
                expect(Array.from(mine.D), label).to.deep.equal(coreD);
                expect(mine.events, label).to.deep.equal(core.events);
              }
      });
    }

  it('falls back to coreGemm (no skipping) when an input is inf or NaN', () => {
    const cfg = resolveConfig({ a: 'fp16', w: 'fp16', product: 'exact', acc: 'fp16' });
    const inf = fromFloat64(Infinity, cfg.a, RNE);
    const A: CodeMat = { rows: 1, cols: 2, data: Uint32Array.from([inf, fromFloat64(1, cfg.a, RNE)]), format: cfg.a };
    const B: CodeMat = { rows: 2, cols: 1, data: Uint32Array.from([0, fromFloat64(1, cfg.w, RNE)]), format: cfg.w };
    const r = sweepGemm(cfg, A, prepareB(B, false));
    expect(r.D[0]).to.be.NaN; // inf × 0 is NaN (skipping the zero weight would have hidden it)
    expect(r.events.nan).to.equal(1);
  });
});
