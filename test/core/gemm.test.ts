import { expect } from 'chai';
import { fromFloat64, RNE, toFloat64 } from '../../core/arith.js';
import { coreGemm } from '../../core/gemm.js';
import { resolveConfig } from '../../config/resolve.js';

function job(cfgRaw: object, A: number[][], B: number[][]) {
  const cfg = resolveConfig(cfgRaw);
  const qa = A.map((r) => r.map((x) => fromFloat64(x, cfg.a, RNE)));
  const qb = B.map((r) => r.map((x) => fromFloat64(x, cfg.w, RNE)));
  return { cfg, qa, qb };
}

describe('core/gemm (docs/arithmetic.md §3)', () => {
  const base = { a: 'fp16', w: 'fp16', product: 'fp16', acc: 'e4m3_ieee', rounding: { acc: 'rtz' } };

  it('accumulates in ascending k with one rounding per add, and counts swamping', () => {
    // e4m3 (ieee) has 3 mantissa bits: 8 + 0.5 truncates back to 8, so every later 0.5 is swamped.
    const { cfg, qa, qb } = job(base, [[8, 0.5, 0.5, 0.5]], [[1], [1], [1], [1]]);
    const r = coreGemm(cfg, qa, qb);
    expect(toFloat64(r.D[0]![0]!, cfg.acc)).to.equal(8);
    expect(r.events.swamping).to.equal(3);
    // The other order keeps the small terms: 0.5 + 0.5 + 0.5 = 1.5, + 8 = 9.5 -> 9 under rtz.
    const rev = job(base, [[0.5, 0.5, 0.5, 8]], [[1], [1], [1], [1]]);
    expect(toFloat64(coreGemm(rev.cfg, rev.qa, rev.qb).D[0]![0]!, rev.cfg.acc)).to.equal(9);
  });

  it('chunks: sums of chunk size n go into the chunk-total format', () => {
    const { cfg, qa, qb } = job({ ...base, chunk: 2, total: 'fp16' }, [[8, 0.5, 0.5, 0.5]], [[1], [1], [1], [1]]);
    const r = coreGemm(cfg, qa, qb);
    // chunk 0: 8 + 0.5 -> 8 (rtz in e4m3); chunk 1: 0.5 + 0.5 = 1; total 8 + 1 = 9 in fp16.
    expect(toFloat64(r.D[0]![0]!, cfg.total)).to.equal(9);
  });

  it('starts from C and keeps exact zero-sum signs', () => {
    const { cfg, qa, qb } = job(base, [[1, -1]], [[1], [1]]);
    const minusZero = 0x80;
    expect(coreGemm(cfg, qa, qb, [[minusZero]]).D[0]![0]).to.equal(0); // -0 + 1 - 1 = +0
    const z = job(base, [[0]], [[-1]]);
    expect(coreGemm(z.cfg, z.qa, z.qb, [[minusZero]]).D[0]![0]).to.equal(minusZero); // -0 + (-0) = -0
  });

  it('rdn: exact zero sums are -0, in the accumulator, the fused cell and the chunk total', () => {
    const minusZero = 0x80;
    for (const product of ['fp16', 'exact']) {
      const { cfg, qa, qb } = job({ ...base, product, rounding: { acc: 'rdn' } }, [[1, -1], [0, 0]], [[1], [1]]);
      expect(coreGemm(cfg, qa, qb).D, product).to.deep.equal([[minusZero], [0]]); // 1 - 1 = -0; +0 + (+0) = +0
      expect(coreGemm(cfg, qa, qb, [[0], [minusZero]]).D, product).to.deep.equal([[minusZero], [minusZero]]);
      const neg = job({ ...base, product, rounding: { acc: 'rdn' } }, [[0]], [[-1]]);
      expect(coreGemm(neg.cfg, neg.qa, neg.qb).D, product).to.deep.equal([[minusZero]]); // +0 + (-0) = -0
    }
    // Two chunks 1 + 1 and -1 - 1 (exact in e4m3_ieee): the total 2 + (-2) is -0 under rdn, +0 otherwise.
    for (const [mode, want] of [['rdn', minusZero], ['rup', 0]] as const) {
      const { cfg, qa, qb } = job({ ...base, chunk: 2, rounding: { acc: 'rne', total: mode } }, [[1, 1, -1, -1]], [[1], [1], [1], [1]]);
      expect(coreGemm(cfg, qa, qb).D[0]![0], mode).to.equal(want);
    }
  });

  it('counts product overflow, underflow and NaN', () => {
    const { cfg, qa, qb } = job({ ...base, product: 'e4m3', acc: 'fp16' }, [[1000, 2 ** -12, Infinity]], [[1000], [2 ** -12], [0]]);
    const r = coreGemm(cfg, qa, qb);
    expect(r.events).to.include({ productOverflow: 1, productUnderflow: 1, nan: 1 });
    expect(Number.isNaN(toFloat64(r.D[0]![0]!, cfg.acc))).to.equal(true);
  });

  it('2:4 mode gives the dense result when B is 2:4 and the terms are exact', () => {
    const A = [[1, 2, 3, 4, 5, 6, 7, 8, 9]];
    const B = [[0], [2], [0], [1], [3], [0], [0], [-1], [4]];
    const dense = job({ ...base, acc: 'fp16' }, A, B);
    const sparse = job({ ...base, acc: 'fp16', sparsity: '2:4' }, A, B);
    const d = coreGemm(dense.cfg, dense.qa, dense.qb).D[0]![0]!;
    expect(coreGemm(sparse.cfg, sparse.qa, sparse.qb).D[0]![0]).to.equal(d);
    expect(toFloat64(d, dense.cfg.acc)).to.equal(2 * 2 + 4 + 5 * 3 - 8 + 9 * 4);
  });
});
