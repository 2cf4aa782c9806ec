// Hand-worked fixed-point accumulations (docs/arithmetic.md §3, "Fixed-point accumulation"): each
// case through the golden model and the core, which must agree, with the values worked out here.
import { expect } from 'chai';
import { type ArrayConfig, resolveConfig } from '../../config/resolve.js';
import { coreGemm } from '../../core/gemm.js';
import type { DeterministicMode, RoundingMode } from '../../core/format.js';
import { decode, quantize, toFloat64 } from '../../golden/exact.js';
import { type EventCounts, goldenGemm, zeroEvents } from '../../golden/gemm.js';

type Value = number | 'nan' | 'inf' | '-inf';

const real = (v: Value) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

/** A register of multiples of 1/4 in [-16, 15.75] (msb 3, lsb -2: 7 bits), fp16 inputs and out. */
function config(over: { overflow?: 'saturate' | 'wrap'; acc?: RoundingMode; input?: RoundingMode; product?: string; out?: string; msb?: number; lsb?: number } = {}): ArrayConfig {
  return resolveConfig({
    a: 'fp16',
    w: 'fp16',
    product: over.product ?? 'exact',
    acc: { fixed: { msb: over.msb ?? 3, lsb: over.lsb ?? -2 }, overflow: over.overflow ?? 'saturate', out: over.out ?? 'fp16' },
    rounding: { acc: over.acc ?? 'rne', input: over.input ?? 'rne' },
  });
}

/** One output: Σ a[k]·1 (+ C), through both engines; its value (-0 kept), code and events. */
function dot(cfg: ArrayConfig, a: Value[], c?: Value) {
  const A = [a.map((x) => quantize(real(x), cfg.a, 'rne').code)];
  const B = a.map(() => [quantize(1, cfg.w, 'rne').code]);
  const C = c === undefined ? undefined : [[quantize(real(c), cfg.acc, 'rne').code]];
  const golden = goldenGemm(cfg, A, B, C);
  const core = coreGemm(cfg, A, B, C);
  expect(core.D, 'core D').to.deep.equal(golden.D);
  expect(core.events, 'core events').to.deep.equal(golden.events);
  const code = golden.D[0]![0]!;
  return { value: toFloat64(decode(code, cfg.acc)), code, events: golden.events };
}

const events = (e: Partial<EventCounts>): EventCounts => ({ ...zeroEvents(), ...e });

describe('golden/fixed: hand-worked fixed-point accumulations (and the core agrees)', () => {
  it('adds exactly on the grid: no float rounding between terms', () => {
    // 1024 + 0.25 + ... : an fp16 accumulator would lose every 0.25 (its grid at 1024 is 1).
    const r = dot(config({ msb: 11 }), [1024, 0.25, 0.25, 0.25, 0.25, -1024]);
    expect(r.value).to.equal(1);
    expect(r.events).to.deep.equal(zeroEvents());
  });

  it('saturates at both ends, counting overflow (and swamping when the register stays put)', () => {
    // 8 + 8 = 16 > 15.75: saturates to 15.75; + 4 saturates again, unchanged: swamping too; - 2 leaves 13.75.
    const top = dot(config(), [8, 8, 4, -2]);
    expect(top.value).to.equal(13.75);
    expect(top.events).to.deep.equal(events({ accOverflow: 2, swamping: 1 }));
    // -8 - 8 = -16 fits (the two's-complement end is one step further out than +15.75); - 8 more saturates there.
    const bottom = dot(config(), [-8, -8, -8]);
    expect(bottom.value).to.equal(-16);
    expect(bottom.events).to.deep.equal(events({ accOverflow: 1, swamping: 1 }));
    // A product far beyond the register saturates in one step.
    expect(dot(config(), [60000]).value).to.equal(15.75);
  });

  it('wraps modulo 2^(msb+2-lsb) units, i.e. modulo 32', () => {
    const cfg = config({ overflow: 'wrap' });
    // 15.75 + 0.25 = 16 ≡ -16; -16 - 0.25 = -16.25 ≡ 15.75.
    expect(dot(cfg, [15.75, 0.25]).value).to.equal(-16);
    expect(dot(cfg, [-16, -0.25]).value).to.equal(15.75);
    // 8 + 8 = 16 ≡ -16 (one wrap), then -16 + 8 = -8.
    const r = dot(cfg, [8, 8, 8]);
    expect(r.value).to.equal(-8);
    expect(r.events).to.deep.equal(events({ accOverflow: 1 }));
    // 64 is two whole turns: the register does not move (overflow and swamping).
    expect(dot(cfg, [1, 64]).events).to.deep.equal(events({ accOverflow: 1, swamping: 1 }));
    expect(dot(cfg, [1, 64]).value).to.equal(1);
  });

  it('rounds each product onto the grid with the accumulator mode, like a float step 2', () => {
    // 0.375 = 1.5 units of 1/4.
    const expected: Record<DeterministicMode, [number, number]> = {
      rne: [0.5, -0.5], // 1.5 → 2 (even)
      rna: [0.5, -0.5],
      rtz: [0.25, -0.25],
      rdn: [0.25, -0.5], // floor
      rup: [0.5, -0.25], // ceiling
      rod: [0.25, -0.25], // 1 is odd already
    };
    for (const [mode, [pos, neg]] of Object.entries(expected) as [DeterministicMode, [number, number]][]) {
      expect(dot(config({ acc: mode }), [0.375]).value, `${mode} +0.375`).to.equal(pos);
      expect(dot(config({ acc: mode }), [-0.375]).value, `${mode} -0.375`).to.equal(neg);
    }
    // rod: 0.625 = 2.5 units → 3 (the last bit set because bits were dropped).
    expect(dot(config({ acc: 'rod' }), [0.625]).value).to.equal(0.75);
    // C takes the input mode instead: 0.375 + 0 under rtz input, rne acc.
    expect(dot(config({ input: 'rtz' }), [], 0.375).value).to.equal(0.25);
    expect(dot(config({ input: 'rtz' }), [0.375]).value).to.equal(0.5);
  });

  it('a nonzero product that rounds to 0 on the grid is an underflow and is swamped', () => {
    const r = dot(config(), [1, 0.0625, 0.0625]); // 1/4 unit each: rounds to 0 under rne
    expect(r.value).to.equal(1);
    expect(r.events).to.deep.equal(events({ accUnderflow: 2, swamping: 2 }));
    // C rounded to 0 underflows too, but C is no term: no swamping.
    expect(dot(config(), [], 0.0625).events).to.deep.equal(events({ accUnderflow: 1 }));
  });

  it('zero signs follow the float rules: -0 only from -0 C and -0 terms, or under rdn', () => {
    // No C is +0, and +0 + -0 = +0.
    expect(Object.is(dot(config(), [-0, -0]).value, 0)).to.equal(true);
    // C = -0 and -0 terms: -0 + -0 = -0.
    expect(Object.is(dot(config(), [-0, -0], -0).value, -0)).to.equal(true);
    expect(Object.is(dot(config(), [], -0).value, -0)).to.equal(true);
    // An exact cancellation is +0, but -0 toward -inf.
    expect(Object.is(dot(config(), [1, -1], -0).value, 0)).to.equal(true);
    expect(Object.is(dot(config({ acc: 'rdn' }), [1, -1]).value, -0)).to.equal(true);
    // A negative product rounded to zero on the grid is a -0 addend: C = -0 stays -0, no C gives +0.
    expect(Object.is(dot(config({ acc: 'rtz' }), [-0.0625], -0).value, -0)).to.equal(true);
    expect(Object.is(dot(config({ acc: 'rtz' }), [-0.0625]).value, 0)).to.equal(true);
    // Under rdn the same product floors to -1/4: not a zero at all.
    expect(dot(config({ acc: 'rdn' }), [-0.0625]).value).to.equal(-0.25);
    // A wrap onto exactly zero is a zero sum of nonzero operands: +0.
    expect(Object.is(dot(config({ overflow: 'wrap' }), [-16, -16], -0).value, 0)).to.equal(true);
  });

  it('keeps infinities and NaN in a sticky special state, by IEEE addition', () => {
    expect(dot(config(), [1, 'inf', 2]).value).to.equal(Infinity);
    expect(dot(config(), ['-inf', 60000]).value).to.equal(-Infinity);
    const invalid = dot(config(), ['inf', 3, '-inf']);
    expect(invalid.value).to.be.NaN;
    expect(invalid.events).to.deep.equal(events({ nan: 1 }));
    // NaN stays, whatever follows, and a NaN operand is no invalid operation.
    const sticky = dot(config(), ['nan', 'inf', '-inf', 1]);
    expect(sticky.value).to.be.NaN;
    expect(sticky.events).to.deep.equal(zeroEvents());
    // C is where the special state may start.
    expect(dot(config(), [1], '-inf').value).to.equal(-Infinity);
    expect(dot(config(), ['inf'], '-inf').events).to.deep.equal(events({ nan: 1 }));
    // After a special, finite terms count no register events: D is the special anyway.
    expect(dot(config(), ['inf', 8, 8, 0.0625]).events).to.deep.equal(zeroEvents());
  });

  it('counts inf × 0 as NaN once, exact or rounded products', () => {
    for (const product of ['exact', 'fp16']) {
      const cfg = config({ product });
      const A = [[quantize(Infinity, cfg.a, 'rne').code, quantize(1, cfg.a, 'rne').code]];
      const B = [[0], [quantize(1, cfg.w, 'rne').code]];
      const golden = goldenGemm(cfg, A, B);
      expect(coreGemm(cfg, A, B)).to.deep.equal(golden);
      expect(golden.events, product).to.deep.equal(events({ nan: 1 }));
      expect(Number.isNaN(toFloat64(decode(golden.D[0]![0]!, cfg.acc))), product).to.equal(true);
    }
  });

  it('rounds the register once into out at the end, counting its overflow and underflow', () => {
    // 100 + 100 + 100 = 300 is exact in the register; e4m3 (largest 448, 3 mantissa bits) makes it 288.
    const r = dot(config({ msb: 10, out: 'e4m3' }), [100, 100, 100]);
    expect(r.value).to.equal(288);
    expect(r.events).to.deep.equal(zeroEvents());
    // 1000 > 448: e4m3 saturates, an accumulator overflow.
    expect(dot(config({ msb: 10, out: 'e4m3' }), [500, 500]).events).to.deep.equal(events({ accOverflow: 1 }));
    // 2^-20 is on a register of lsb -24 but below half of e4m3's smallest subnormal 2^-9: zero.
    const tiny = dot(config({ lsb: -24, out: 'e4m3' }), [2 ** -20]);
    expect(tiny.value).to.equal(0);
    expect(tiny.events).to.deep.equal(events({ accUnderflow: 1 }));
  });

  it('rounds a product into the product format first, then onto the grid', () => {
    // 17 into e4m3 is 16 (rne); on a grid of 4 (lsb 2) 16 stays and 17 would round to 16 too; 19 → e4m3 20 → 20.
    const cfg = config({ product: 'e4m3', msb: 8, lsb: 2 });
    expect(dot(cfg, [19]).value).to.equal(20);
    // e4m3 rounds 0.3 to 0.3125; on a grid of 1/4 that is 1.25 units → 1: 0.25.
    expect(dot(config({ product: 'e4m3' }), [0.3]).value).to.equal(0.25);
  });

  it('returns C rounded onto the grid when K = 0', () => {
    expect(dot(config(), [], 3.3).value).to.equal(3.25);
    expect(dot(config(), [], 100).value).to.equal(15.75);
    expect(dot(config(), [], 100).events).to.deep.equal(events({ accOverflow: 1 }));
  });
});
