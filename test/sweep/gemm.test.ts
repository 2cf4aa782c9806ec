import { expect } from 'chai';
import { fromFloat64, RNE, toFloat64 } from '../../core/arith.js';
import { DETERMINISTIC_MODES } from '../../core/format.js';
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

/** Weights of ±1 and ±0 (2:4-pruned when asked). */
function signs(rng: Rng, rows: number, cols: number, fmt: ReturnType<typeof resolveConfig>['w'], sparse24: boolean): CodeMat {
  const m = codes(rng, rows, cols, fmt, sparse24);
  for (let x = 0; x < m.data.length; x++) if (toFloat64(m.data[x]!, fmt) !== 0) m.data[x] = fromFloat64(rng.uniform() < 0.5 ? 1 : -1, fmt, RNE);
  return m;
}

describe('sweep/gemm: the skipping loop equals coreGemm', function () {
  this.timeout(60000);
  const accs = ['e4m7_b10_ftz_none', 'e5m3', 'e3m2_none', 'fp16', 'fp32', 'e5m1_ftz_sat'];
  const products = ['exact', 'e4m7_b12_ftz_none', 'fp16', 'e5m2'];
  const inputs: [string, string][] = [['e4m3', 'e4m3'], ['e5m2', 'e4m3'], ['fp16', 'bf16']];
  const modes = DETERMINISTIC_MODES;
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

  it('a signed zero accumulator or total meets the skipped zero terms as coreGemm does (flush to zero, chunks of zeros, rdn)', () => {
    // Products of tiny negative values flush to -0 in an ftz accumulator; rows full of zeros then
    // decide whether it stays -0 (only -0 products) or becomes +0, within chunks and across whole
    // chunks of zeros. Under rdn it is the other way round: +0 (every output's and chunk's start)
    // becomes -0 at the first -0 term and stays -0. The test counts the -0 outputs, so it would
    // notice if none were made.
    const rng = new Rng(4242);
    const negativeZeros = [0, 0]; // [other modes, rdn]
    for (let trial = 0; trial < 120; trial++) {
      const chunk = [null, 2, 4, 5][trial % 4]!;
      const mode = DETERMINISTIC_MODES[trial % DETERMINISTIC_MODES.length]!;
      const sparsity = trial % 5 === 4 ? '2:4' : 'dense';
      const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'e4m3_b2_ftz_none', rounding: { acc: mode }, ...(chunk ? { chunk } : {}), sparsity });
      const K = 24;
      const A: CodeMat = { rows: 4, cols: K, data: new Uint32Array(4 * K), format: cfg.a };
      // Values near the smallest normal (0.5) whose sums cancel to something that flushes.
      const near = [0.5, -0.5, 0.75, -0.75, 1, -1, -(2 ** -7)];
      for (let x = 0; x < A.data.length; x++) {
        const u = rng.uniform();
        A.data[x] = fromFloat64(u < 0.45 ? (rng.uniform() < 0.5 ? 0 : -0) : near[rng.int(near.length)]!, cfg.a, RNE);
      }
      const B = trial % 2 ? codes(rng, K, 3, cfg.w, sparsity === '2:4') : signs(rng, K, 3, cfg.w, sparsity === '2:4');
      const mine = sweepGemm(cfg, A, prepareB(B, sparsity === '2:4'));
      const core = coreGemm(cfg, toRows(A), toRows(B));
      const coreD = core.D.flat().map((c) => toFloat64(c, outputFormat(cfg)));
      expect(Array.from(mine.D), `trial ${trial}`).to.deep.equal(coreD);
      expect(mine.events, `trial ${trial}`).to.deep.equal(core.events);
      negativeZeros[mode === 'rdn' ? 1 : 0] += coreD.filter((v) => Object.is(v, -0)).length;
    }
    expect(negativeZeros[0], 'other modes').to.be.greaterThan(0);
    expect(negativeZeros[1], 'rdn').to.be.greaterThan(0);
  });

  it('rdn: whole chunks of zero terms after a total that flushed to +0 turn it into -0', () => {
    // Chunks of 2: (-0.5, -0) and (0.75, -0) flush the total to +0 (0.25 is below e4m3_b2_ftz's
    // smallest normal 0.5); the -0 terms of the last two chunks then make it -0 (+0 + -0 under
    // rdn), which skipping those chunks whole would miss.
    const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'e4m3_b2_ftz_none', rounding: { acc: 'rdn' }, chunk: 2 });
    const row = [-0.5, -0, 0.75, -0, -0, -0, -0, 0].map((x) => fromFloat64(x, cfg.a, RNE));
    const A: CodeMat = { rows: 1, cols: row.length, data: Uint32Array.from(row), format: cfg.a };
    const B: CodeMat = { rows: row.length, cols: 1, data: new Uint32Array(row.length).fill(fromFloat64(1, cfg.w, RNE)), format: cfg.w };
    const mine = sweepGemm(cfg, A, prepareB(B, false));
    const core = coreGemm(cfg, toRows(A), toRows(B));
    expect(toFloat64(core.D[0]![0]!, cfg.total)).to.equal(-0);
    expect(Object.is(mine.D[0], -0), `sweepGemm gives ${mine.D[0]}`).to.equal(true);
    expect(mine.events).to.deep.equal(core.events);
  });

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
