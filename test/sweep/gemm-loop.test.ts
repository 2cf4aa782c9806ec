// The generated loops (sweep/gemm-loop.ts) against coreGemm: D's codes and every event count,
// on random configurations of every kind of loop (eight or four outputs at once on values, one at
// a time on values, one at a time on codes).
import { expect } from 'chai';
import { fromFloat64, RNE, toFloat64 } from '../../core/arith.js';
import { DETERMINISTIC_MODES } from '../../core/format.js';
import { Accumulation, coreGemm } from '../../core/gemm.js';
import { type ArrayConfig, outputFormat, resolveConfig } from '../../config/resolve.js';
import { prepareB, sweepGemm } from '../../sweep/gemm.js';
import { type LoopKind, loopKind } from '../../sweep/gemm-loop.js';
import { type CodeMat, toRows } from '../../workloads/matrix.js';
import { Rng } from '../../workloads/rng.js';

/** Codes with a share `zeros` of zeros (either sign), the rest from `value`; 2:4 pruned along the rows when asked. */
function codes(rng: Rng, rows: number, cols: number, fmt: ArrayConfig['a'], zeros: number, value: () => number, sparse24 = false): CodeMat {
  const data = new Uint32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = fromFloat64(rng.uniform() < zeros ? (rng.uniform() < 0.5 ? 0 : -0) : value(), fmt, RNE);
  if (sparse24) for (let g = 0; g < rows; g += 4) for (let j = 0; j < cols; j++) for (let r = 0; r < 4 && g + r < rows; r++) if ((r + j + g) % 4 < 2) data[(g + r) * cols + j] = 0;
  return { rows, cols, data, format: fmt };
}

/** sweepGemm equals coreGemm on A·B; returns coreGemm's D values and the kind of loop that ran. */
function same(cfg: ArrayConfig, A: CodeMat, B: CodeMat, label: string): { D: number[]; kind: LoopKind } {
  const sparse = cfg.sparsity === '2:4';
  const prepared = prepareB(B, sparse);
  const mine = sweepGemm(cfg, A, prepared);
  const core = coreGemm(cfg, toRows(A), toRows(B));
  const D = core.D.flat().map((c) => toFloat64(c, outputFormat(cfg)));
  // Same codes, so the same values down to the sign of zero (deep.equal tells -0 from +0).
  expect(Array.from(mine.D), label).to.deep.equal(D);
  expect(mine.events, label).to.deep.equal(core.events);
  // Terms: the steps whose factors are both nonzero.
  let terms = 0;
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < B.cols; j++)
      for (let k = 0; k < A.cols; k++) if (toFloat64(A.data[i * A.cols + k]!, A.format) !== 0 && toFloat64(B.data[k * B.cols + j]!, B.format) !== 0) terms++;
  expect(mine.terms, label).to.equal(terms);
  const kind = loopKind(new Accumulation(cfg).mac, { chunk: cfg.chunk ?? 0, sparse, rdn: cfg.rounding.acc === 'rdn' }, prepared.wT instanceof Float64Array);
  return { D, kind };
}

describe('sweep/gemm-loop: the generated loops equal coreGemm', function () {
  this.timeout(300_000);

  it('random configurations: every mode, chunks, 2:4, subnormals on and off, fused and rounded products, sums leaving the fast range', () => {
    const rng = new Rng(2026);
    const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
    // Narrow ranges (sums saturate, overflow to inf, flush or fall into subnormals) and wide ones.
    const accs = ['e4m7_b10_ftz_none', 'e4m3_b10_ftz_none', 'e5m3', 'e5m6', 'fp16', 'e3m2_none', 'e5m1_ftz_sat', 'e4m7_b2_ftz_none', 'e3m4', 'fp32'];
    const products = ['exact', 'exact', 'e4m7_b12_ftz_none', 'fp16'];
    const inputs = ['e4m3', 'e5m2', 'fp16'];
    const kinds = new Map<LoopKind, number>();
    for (let trial = 0; trial < 80; trial++) {
      const [a, w] = [pick(inputs), pick(inputs)];
      const acc = pick(accs);
      const product = pick(products);
      const mode = pick(DETERMINISTIC_MODES);
      const chunk = pick([null, null, null, 1, 4, 16]);
      const sparsity = rng.uniform() < 0.3 ? '2:4' : 'dense';
      const cfg = resolveConfig({ a, w, product, acc, rounding: { product: mode, acc: mode }, ...(chunk ? { chunk } : {}), sparsity });
      const [M, K, N] = [1 + rng.int(5), 1 + rng.int(70), 1 + rng.int(13)];
      // Magnitudes from tiny to large, so that some sums leave the accumulator's normal range.
      const scale = 2 ** (rng.int(20) - 10);
      const value = () => rng.normal() * scale * 2 ** (rng.int(6) - 3);
      const A = codes(rng, M, K, cfg.a, rng.uniform() * 0.4, value);
      const B = codes(rng, K, N, cfg.w, rng.uniform() * 0.3, value, sparsity === '2:4');
      const { kind } = same(cfg, A, B, `trial ${trial}: ${a}/${w} → ${product} → ${acc}, ${mode}, chunk ${chunk}, ${sparsity}, ${M}×${K}×${N}`);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    // Every kind of loop ran several times.
    expect([...kinds.keys()].sort()).to.deep.equal(['codes', 'grouped', 'values']);
    for (const [kind, count] of kinds) expect(count, kind).to.be.greaterThan(5);
  });

  it('rounding sees the bits of the sum beyond its high word (sticky), one output or several at a time', () => {
    // e4m5 inputs, exact products, fp16 accumulator (the exact-sum path): 1 + (41/32·2^-6)(50/32·2^-6)
    // is 1 + 2^-11 + 2^-21, a tie in the high word's dropped bits but above it; 1024 + 2^-6·2^-5 is
    // 1024 + 2^-11, exact in the high word's bits and inexact beyond them.
    // And the same negated: [sticky, beyond] for each sign.
    const want: Record<string, [number, number][]> = {
      rne: [[1 + 2 ** -10, 1024], [-(1 + 2 ** -10), -1024]],
      rna: [[1 + 2 ** -10, 1024], [-(1 + 2 ** -10), -1024]],
      rtz: [[1, 1024], [-1, -1024]],
      rdn: [[1, 1024], [-(1 + 2 ** -10), -1025]],
      rup: [[1 + 2 ** -10, 1025], [-1, -1024]],
      rod: [[1 + 2 ** -10, 1025], [-(1 + 2 ** -10), -1025]],
    };
    for (const mode of DETERMINISTIC_MODES) {
      for (const [N, sign] of [[1, 1], [4, 1], [12, 1], [1, -1], [4, -1], [12, -1]] as const) {
        const cfg = resolveConfig({ a: 'e4m5', w: 'e4m5', product: 'exact', acc: 'fp16', rounding: { acc: mode } });
        const row = (xs: number[], f: ArrayConfig['a']) => Uint32Array.from(xs, (x) => fromFloat64(x, f, RNE));
        const A: CodeMat = { rows: 2, cols: 2, data: row([1, (41 / 32) * 2 ** -6, 32, 2 ** -6].map((x) => sign * x), cfg.a), format: cfg.a };
        const B: CodeMat = { rows: 2, cols: N, data: row([...Array<number>(N).fill(1), ...Array<number>(N).fill((50 / 32) * 2 ** -6)], cfg.w), format: cfg.w };
        // The second case: 32 · 32 = 1024, then 2^-6 · 2^-5.
        const B2: CodeMat = { rows: 2, cols: N, data: row([...Array<number>(N).fill(32), ...Array<number>(N).fill(2 ** -5)], cfg.w), format: cfg.w };
        const label = `${mode}, ${N} columns, sign ${sign}`;
        const first = same(cfg, { ...A, rows: 1, data: A.data.slice(0, 2) }, B, `${label}, sticky`);
        const second = same(cfg, { ...A, rows: 1, data: A.data.slice(2) }, B2, `${label}, beyond`);
        expect(first.kind).to.equal(mode === 'rdn' ? 'values' : 'grouped');
        const [sticky, beyond] = want[mode]![sign === 1 ? 0 : 1]!;
        expect(first.D, `${label}, sticky`).to.deep.equal(Array<number>(N).fill(sticky));
        expect(second.D, `${label}, beyond`).to.deep.equal(Array<number>(N).fill(beyond));
      }
    }
  });

  it('several outputs at once: lanes that flush to -0 before zero terms, or meet zero weights, chunks, as one output at a time would', () => {
    // e4m3_b2_ftz_none's smallest normal is 0.5: sums of the values below cancel to magnitudes that
    // flush, to -0 when negative; zero activations (gaps in a row) and zero weights follow. A lane
    // at -0 before a gap sends its group back to the one-output loop; at -0 before a zero weight
    // (no gap) the lane steps that zero term itself. The test counts -0 outputs so that it would
    // notice if none were made.
    const rng = new Rng(77);
    const near = [0.5, -0.5, 0.75, -0.75, 1, -1, -(2 ** -7)];
    let negativeZeros = 0;
    for (let trial = 0; trial < 80; trial++) {
      const mode = DETERMINISTIC_MODES.filter((m) => m !== 'rdn')[trial % 5]!;
      const sparsity = trial % 6 === 5 ? '2:4' : 'dense';
      // Chunks too (dense): totals that flush to -0 send the group to the one-output loop.
      const chunk = sparsity === 'dense' ? [null, 2, 4, 5][trial % 4]! : null;
      const cfg = resolveConfig({ a: 'e4m3', w: 'e4m3', product: trial % 3 === 2 ? 'e4m7_b12_ftz_none' : 'exact', acc: 'e4m3_b2_ftz_none', rounding: { acc: mode }, ...(chunk ? { chunk } : {}), sparsity });
      const K = 24;
      const A = codes(rng, 3, K, cfg.a, trial % 2 === 0 ? 0.4 : 0.05, () => near[rng.int(near.length)]!);
      const B = codes(rng, K, 13, cfg.w, 0.2, () => (rng.uniform() < 0.5 ? 1 : -1), sparsity === '2:4');
      const { D, kind } = same(cfg, A, B, `trial ${trial}`);
      expect(kind, `trial ${trial}`).to.equal('grouped');
      negativeZeros += D.filter((v) => Object.is(v, -0)).length;
    }
    expect(negativeZeros).to.be.greaterThan(0);
  });
});
