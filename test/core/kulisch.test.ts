// The Kulisch register (core/kulisch.ts): worked choices, and on random formats that its sums are
// exact (golden/fixed.ts gives the exact sum rounded once, with no register event) and that it is
// no wider than it must be.
import { expect } from 'chai';
import fc from 'fast-check';
import type { ArrayConfig } from '../../config/resolve.js';
import { exactValue } from '../../core/describe.js';
import { makeFixed } from '../../core/fixed.js';
import { type Format, makeFormat, parseFormatName, DETERMINISTIC_MODES, type RoundingMode } from '../../core/format.js';
import { kulisch } from '../../core/kulisch.js';
import { cancellationSign, decode, EV_OVERFLOW, EV_ZERO, type Exact, exactAdd, exactMul, mul, round } from '../../golden/exact.js';
import { goldenGemm } from '../../golden/gemm.js';
import { arbCode, arbFormatSpec } from '../support/arbitraries.js';

const f = parseFormatName;

describe('core/kulisch: the exact fixed-point register for two formats and K', () => {
  it('e4m3 × e4m3, exact products, K = 4096: lsb -18, msb 29, 49 bits', () => {
    const c = kulisch({ a: f('e4m3'), w: f('e4m3'), product: null, k: 4096 });
    expect(c).to.include({ lsb: -18, msb: 29, width: 49, lsbFrom: 'exact-product', configurable: true });
    expect(c.largestProduct.decimal).to.equal('200704'); // 448²
    expect(c.bound.decimal).to.equal('822083584'); // 4096 · 448² < 2^30
  });

  it('fp32 × fp32, K = 4096: 567 bits, from 2^-298 to 2^267', () => {
    expect(kulisch({ a: f('fp32'), w: f('fp32'), product: null, k: 4096 })).to.include({ lsb: -298, msb: 267, width: 567 });
  });

  it('rounded products: the product format\'s grid where coarser, its largest value where that is coarser still', () => {
    // fp16 holds every e4m3 product: the exact products' last bit still decides.
    expect(kulisch({ a: f('e4m3'), w: f('e4m3'), product: f('fp16'), k: 16 })).to.include({ lsb: -18, lsbFrom: 'exact-product' });
    // e4m7_b10's last bit is 2^-16; its largest value 31.875 bounds every product (448² overflows it).
    const narrow = kulisch({ a: f('e4m3'), w: f('e4m3'), product: f('e4m7_b10'), k: 256 });
    expect(narrow).to.include({ lsb: -16, lsbFrom: 'product-format', msb: 12 });
    expect(narrow.largestProduct.decimal).to.equal('31.875');
    // Products of e8m23 with bias -200 all exceed a saturating fp16: they are its largest value, 65504 = 2047 · 2^5.
    const huge = kulisch({ a: f('e8m23_bn200'), w: f('e8m23_bn200'), product: f('e5m10_sat'), k: 2 });
    expect(huge).to.include({ lsb: 5, lsbFrom: 'product-max', msb: 16 });
  });

  it('with C: its last bit and its largest value join the products\'', () => {
    const c = kulisch({ a: f('e4m3'), w: f('e4m3'), product: null, k: 4096, c: f('fp16') });
    expect(c).to.include({ lsb: -24, lsbFrom: 'c', msb: 29 });
    expect(c.bound.decimal).to.equal(String(4096 * 448 * 448 + 65504));
  });

  it('says when no config can hold the register', () => {
    const c = kulisch({ a: f('fp32'), w: f('e8m23_bn5000'), product: null, k: 2, c: f('fp32') });
    expect(c.width).to.be.greaterThan(4096);
    expect(c.configurable).to.equal(false);
  });

  /** Random formats and inputs; the register covers C when there is one. */
  const problem = fc
    .record({
      a: arbFormatSpec,
      w: arbFormatSpec,
      product: fc.option(arbFormatSpec, { freq: 2 }),
      out: arbFormatSpec,
      mode: fc.constantFrom(...DETERMINISTIC_MODES),
      K: fc.integer({ min: 1, max: 8 }),
      withC: fc.boolean(),
    })
    .map((r) => ({ ...r, a: makeFormat(r.a), w: makeFormat(r.w), product: r.product === null ? null : makeFormat(r.product), out: makeFormat(r.out) }))
    .filter((r) => kulisch({ ...r, k: r.K, ...(r.withC ? { c: r.out } : {}) }).configurable)
    .chain((r) =>
      fc.record({
        p: fc.constant(r),
        A: fc.array(arbCode(r.a), { minLength: r.K, maxLength: r.K }),
        B: fc.array(arbCode(r.w), { minLength: r.K, maxLength: r.K }),
        C: r.withC ? arbCode(r.out) : fc.constant(undefined),
      }),
    );

  function config(p: { a: Format; w: Format; product: Format | null; out: Format; mode: RoundingMode }, msb: number, lsb: number): ArrayConfig {
    const fixed = makeFixed({ msb, lsb, overflow: 'saturate' });
    return { rows: 1, cols: 1, dataflow: 'os', a: p.a, w: p.w, product: p.product, acc: p.out, fixed, total: p.out, chunk: null, sparsity: 'dense', rounding: { input: p.mode, product: p.mode, acc: p.mode, total: p.mode } };
  }

  it('makes every sum exact: D is C + Σ p_k rounded once into out, with no register event', () => {
    fc.assert(
      fc.property(problem, ({ p, A, B, C }) => {
        const choice = kulisch({ a: p.a, w: p.w, product: p.product, k: p.K, ...(p.withC ? { c: p.out } : {}) });
        const cfg = config(p, choice.msb, choice.lsb);
        const r = goldenGemm(cfg, [A], B.map((b) => [b]), C === undefined ? undefined : [[C]]);
        // The exact sum of the products as the register receives them (rounded into P first).
        let sum: Exact = C === undefined ? decode(0, p.out) : decode(C, p.out);
        A.forEach((a, k) => {
          const product = p.product === null ? exactMul(decode(a, p.a), decode(B[k]!, p.w)) : decode(mul(p.a, a, p.w, B[k]!, p.product, p.mode).code, p.product);
          sum = exactAdd(sum, product, cancellationSign(p.mode));
        });
        const once = round(sum, p.out, p.mode);
        expect(r.D[0]![0]).to.equal(once.code);
        expect(r.events.accOverflow).to.equal(once.flags & EV_OVERFLOW ? 1 : 0);
        expect(r.events.accUnderflow).to.equal(once.flags & EV_ZERO ? 1 : 0);
        expect(r.events.swamping).to.equal(0);
      }),
      { numRuns: 400 },
    );
  });

  it('is no wider than needed: K largest products overflow a register one bit shorter, the smallest product needs lsb', () => {
    fc.assert(
      fc.property(problem, ({ p }) => {
        const choice = kulisch({ a: p.a, w: p.w, product: p.product, k: p.K });
        // The largest inputs' product, rounded up, is pmax unless pmax comes from elsewhere (an
        // inf product rounds to none, a special one in a format without it becomes its largest);
        // the output format is wide enough that only the register can overflow.
        const top = p.product === null ? null : decode(mul(p.a, p.a.maxFiniteMag, p.w, p.w.maxFiniteMag, p.product, 'rup').code, p.product);
        const reached = top === null || (top.kind === 'finite' && exactValue(top.sig, top.exp).decimal === choice.largestProduct.decimal);
        const out = makeFormat({ exp: 8, man: 23, bias: 254 - (choice.msb + 8) });
        const at = (msb: number) =>
          goldenGemm(
            { ...config({ ...p, out }, msb, choice.lsb), rounding: { input: 'rne', product: 'rup', acc: 'rne', total: 'rne' } },
            [Array.from({ length: p.K }, () => p.a.maxFiniteMag)],
            Array.from({ length: p.K }, () => [p.w.maxFiniteMag]),
          ).events.accOverflow;
        expect(at(choice.msb)).to.equal(0);
        if (reached && choice.msb > choice.lsb + 1) expect(at(choice.msb - 1)).to.be.greaterThan(0);
        if (choice.lsbFrom === 'exact-product') {
          // The values with the lowest last bits of a and w: their product's last bit is 2^lsb.
          const low = (g: Format) => (g.man === 0 || g.subnormals ? 1 : g.hidden + 1);
          const q = exactMul(decode(low(p.a), p.a), decode(low(p.w), p.w));
          expect(q.kind === 'finite' && q.exp).to.equal(choice.lsb);
        }
      }),
      { numRuns: 300 },
    );
  });
});
