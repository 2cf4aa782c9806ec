// Dot-product cells (docs/arithmetic.md §3, "Dot-product cells") on hand-worked cases: each is
// computed by goldenGemm and by coreGemm, which must agree, and checked against the value worked
// out by hand. Then the one-lane, exact-alignment step of golden/dot.ts against §3's multiply-add.
import { expect } from 'chai';
import fc from 'fast-check';
import { type ArrayConfig, outputFormat, resolveConfig } from '../../config/resolve.js';
import { type DeterministicMode, DETERMINISTIC_MODES, type RoundingMode } from '../../core/format.js';
import { coreGemm } from '../../core/gemm.js';
import { dotStep } from '../../golden/dot.js';
import { decode, quantize, toFloat64 } from '../../golden/exact.js';
import { type EventCounts, goldenGemm, zeroEvents } from '../../golden/gemm.js';
import { arbCode, arbFormat } from '../support/arbitraries.js';

type Value = number;

const codes = (values: Value[][], f: ArrayConfig['a']) => values.map((row) => row.map((x) => quantize(x, f, 'rne').code));

/** D (one output) and its events, computed by both engines, which must agree bit for bit. */
function run(raw: object, A: Value[][], B: Value[][], C?: Value[][]): { value: number; code: number; events: EventCounts } {
  const cfg = resolveConfig(raw);
  const out = outputFormat(cfg);
  const args = [codes(A, cfg.a), codes(B, cfg.w), C && codes(C, out)] as const;
  const golden = goldenGemm(cfg, ...args);
  const core = coreGemm(cfg, ...args);
  expect(core.D, 'coreGemm against goldenGemm').to.deep.equal(golden.D);
  expect(core.events, 'coreGemm against goldenGemm').to.deep.equal(golden.events);
  const code = golden.D[0]![0]!;
  return { value: toFloat64(decode(code, out)), code, events: golden.events };
}

const events = (partial: Partial<EventCounts>): EventCounts => ({ ...zeroEvents(), ...partial });
const column = (k: number) => Array.from({ length: k }, () => [1]);
const FUSED = { a: 'fp16', w: 'fp16', product: 'exact', acc: 'fp16' };

describe('golden/dot: alignment', () => {
  it('truncates a product below the window to 0 and counts it as swamped', () => {
    // Terms +0, 1, 2^-4. emax = 0; W = 4 gives q = 2^-3: 2^-4 / q = 0.5 truncates to 0.
    expect(run({ ...FUSED, lanes: 2, alignBits: 4 }, [[1, 2 ** -4]], column(2))).to.deep.equal({ value: 1, code: 0x3c00, events: events({ swamping: 1 }) });
    // W = 5 gives q = 2^-4: the product is kept, 1.0001b.
    expect(run({ ...FUSED, lanes: 2, alignBits: 5 }, [[1, 2 ** -4]], column(2)).value).to.equal(1.0625);
    // One lane, a step per term: §5's rule counts the product that left the accumulator unchanged.
    expect(run({ ...FUSED, lanes: 1, alignBits: 4 }, [[1, 2 ** -4]], column(2))).to.deep.equal({ value: 1, code: 0x3c00, events: events({ swamping: 1 }) });
    // In the other order the accumulator 2^-4 is what the window drops: lost too, but not a product.
    expect(run({ ...FUSED, lanes: 1, alignBits: 4 }, [[2 ** -4, 1]], column(2))).to.deep.equal({ value: 1, code: 0x3c00, events: zeroEvents() });
  });

  it('truncates toward zero, negative terms too', () => {
    // Terms 1, -0.40625 (-0.01101b), W = 3, q = 2^-2: -0.40625 becomes -0.25. 1 - 0.25 = 0.75.
    expect(run({ ...FUSED, lanes: 2, alignBits: 3 }, [[1, -0.40625]], column(2)).value).to.equal(0.75);
  });

  it('aligns the accumulator as well: a large product truncates it', () => {
    // acc = C = 1 + 2^-10, products 64 and +0: emax = 6, W = 8 gives q = 2^-1, so acc becomes 1.
    // No product was lost: no swamping.
    expect(run({ ...FUSED, lanes: 2, alignBits: 8 }, [[64, 0]], column(2), [[1 + 2 ** -10]])).to.deep.equal({ value: 65, code: 0x5410, events: zeroEvents() });
    expect(run({ ...FUSED, lanes: 2, alignBits: 'exact' }, [[64, 0]], column(2), [[1 + 2 ** -10]]).value).to.equal(65);
    // A step of zero products truncates the accumulator alone to its top W bits: 1.0000000001b → 1.
    expect(run({ ...FUSED, lanes: 2, alignBits: 8 }, [[0, 0]], column(2), [[1 + 2 ** -10]]).value).to.equal(1);
  });

  it('sums a window wider than float64 integers exactly (32 lanes, W = 49)', () => {
    // acc and 31 products 2 - 2^-23, and one product 2^-48 (the window's last bit: q = 2^(0 - 48)).
    // The exact sum 64 - 2^-18 + 2^-48 is just above a float32: rup rounds it up to 64, rne down.
    const A = [[...Array.from({ length: 31 }, () => 2 - 2 ** -23), 2 ** -48]];
    const cfg = { a: 'fp32', w: 'fp32', product: 'exact', acc: 'fp32', lanes: 32, alignBits: 49 };
    expect(run({ ...cfg, rounding: { acc: 'rup' } }, A, column(32), [[2 - 2 ** -23]]).value).to.equal(64);
    expect(run({ ...cfg, rounding: { acc: 'rne' } }, A, column(32), [[2 - 2 ** -23]]).value).to.equal(64 - 2 ** -18);
  });
});

describe('golden/dot: signs of zero sums', () => {
  const cell = { ...FUSED, lanes: 2, alignBits: 'exact' };
  const negZero = 0x8000;

  it('zeros of one sign keep it; mixed zeros give +0, or -0 under rdn', () => {
    // -0 + (-1)(+0) + (1)(-0): all -0.
    expect(run(cell, [[-1, 1]], [[0], [-0]], [[-0]]).code).to.equal(negZero);
    // +0 + -0 + -0: mixed.
    expect(run(cell, [[-1, 1]], [[0], [-0]]).code).to.equal(0);
    expect(run({ ...cell, rounding: { acc: 'rdn' } }, [[-1, 1]], [[0], [-0]]).code).to.equal(negZero);
  });

  it('a cancelling sum is +0 (-0 under rdn), also when a product was aligned to nothing', () => {
    // Terms +0, 1, -1, -2^-10, +0 (padding): W = 4 makes -2^-10 a zero, and 1 - 1 cancels.
    const raw = { ...FUSED, lanes: 4, alignBits: 4 };
    expect(run(raw, [[1, -1, -(2 ** -10)]], column(3))).to.deep.equal({ value: 0, code: 0, events: events({ swamping: 1 }) });
    expect(run({ ...raw, rounding: { acc: 'rdn' } }, [[1, -1, -(2 ** -10)]], column(3)).code).to.equal(negZero);
    // With every bit kept the sum is -2^-10.
    expect(run({ ...raw, alignBits: 'exact' }, [[1, -1, -(2 ** -10)]], column(3)).value).to.equal(-(2 ** -10));
  });

  it('the +0 products padding the last group take part: -0 + -0 + (+0) is +0', () => {
    expect(run(cell, [[-1]], [[0]], [[-0]]).code).to.equal(0);
    expect(run({ ...cell, rounding: { acc: 'rdn' } }, [[-1]], [[0]], [[-0]]).code).to.equal(negZero);
    // One lane has no padding: -0 + -0 stays -0.
    expect(run({ ...cell, lanes: 1, alignBits: 8 }, [[-1]], [[0]], [[-0]]).code).to.equal(negZero);
  });
});

describe('golden/dot: specials and events', () => {
  const cell = { ...FUSED, lanes: 2, alignBits: 8 };

  it('+inf with -inf is NaN, one invalid operation per step; an infinity alone wins', () => {
    expect(run(cell, [[Infinity, Infinity]], [[1], [-1]])).to.deep.include({ code: 0x7e00, events: events({ nan: 1 }) });
    expect(run(cell, [[Infinity, 1]], [[1], [1]])).to.deep.include({ value: Infinity, events: zeroEvents() });
    expect(run(cell, [[1, 1]], [[1], [1]], [[-Infinity]])).to.deep.include({ value: -Infinity, events: zeroEvents() });
  });

  it('fused inf × 0 makes the step invalid once however many lanes do it, and not at all beside a NaN', () => {
    expect(run(cell, [[Infinity, Infinity]], [[0], [0]]).events).to.deep.equal(events({ nan: 1 }));
    expect(run(cell, [[Infinity, Infinity]], [[0], [0]], [[NaN]]).events).to.deep.equal(zeroEvents());
    expect(run(cell, [[Infinity, NaN]], [[0], [1]]).events).to.deep.equal(zeroEvents());
  });

  it('rounded products count their own events, each, and pass NaN to the adder', () => {
    const rounded = { ...cell, product: 'fp16' };
    expect(run(rounded, [[Infinity, Infinity]], [[0], [0]]).events).to.deep.equal(events({ nan: 2 }));
    const narrow = { ...cell, product: 'e4m3', acc: 'fp32', alignBits: 'exact' };
    expect(run(narrow, [[1000, 2 ** -12]], [[1000], [2 ** -12]]).events).to.deep.equal(events({ productOverflow: 1, productUnderflow: 1 }));
  });

  it('overflow and underflow are counted per step', () => {
    const e5m2 = { ...cell, acc: 'e5m2' };
    expect(run(e5m2, [[57344, 57344]], column(2))).to.deep.include({ value: Infinity, events: events({ accOverflow: 1 }) });
    expect(run({ ...e5m2, rounding: { acc: 'rtz' } }, [[57344, 57344]], column(2))).to.deep.include({ value: 57344, events: events({ accOverflow: 1 }) });
    // 2^-18 + 2^-18 = 2^-17, half the smallest subnormal 2^-16: a tie, to even (0). Both products
    // are kept whole by the alignment, so nothing is swamped (a one-lane cell would count both).
    expect(run(e5m2, [[2 ** -9, 2 ** -9]], [[2 ** -9], [2 ** -9]])).to.deep.include({ code: 0, events: events({ accUnderflow: 1 }) });
    expect(run({ ...e5m2, lanes: 1 }, [[2 ** -9, 2 ** -9]], [[2 ** -9], [2 ** -9]])).to.deep.include({ code: 0, events: events({ accUnderflow: 2, swamping: 2 }) });
  });
});

describe('golden/dot: one rounding per step, in every mode', () => {
  // e5m2 keeps 2 mantissa bits. 1 + 0.375 = 1.011b lies halfway between 1.01b and 1.10b;
  // 1 + 0.3125 = 1.0101b lies below the half; 1 + 0.0625 = 1.0001b just above 1.00b.
  const want: Record<DeterministicMode, [number, number, number, number]> = {
    //     1.375  -1.375  1.3125  1.0625
    rne: [1.5, -1.5, 1.25, 1],
    rna: [1.5, -1.5, 1.25, 1],
    rtz: [1.25, -1.25, 1.25, 1],
    rdn: [1.25, -1.5, 1.25, 1],
    rup: [1.5, -1.25, 1.5, 1.25],
    rod: [1.25, -1.25, 1.25, 1.25],
  };
  for (const mode of DETERMINISTIC_MODES) {
    it(mode, () => {
      const raw = { ...FUSED, acc: 'e5m2', lanes: 2, alignBits: 8, rounding: { acc: mode } };
      const got = [[1, 0.375], [-1, -0.375], [1, 0.3125], [1, 0.0625]].map((A) => run(raw, [A], column(2)).value);
      expect(got).to.deep.equal(want[mode]);
    });
  }
});

describe('golden/dot: the worked example of docs/arithmetic.md', () => {
  it('e4m3 inputs, 4 lanes, a 6-bit window, e4m7_b10 accumulator, rtz', () => {
    const raw = { a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'e4m7_b10', lanes: 4, alignBits: 6, rounding: { acc: 'rtz' } };
    const r = run(raw, [[1.75, 0.21875, -0.375, 0.0234375]], [[2.5], [0.25], [1.25], [1]], [[3]]);
    expect(r).to.deep.equal({ value: 7, code: 0x660, events: events({ swamping: 2 }) });
    // Every bit kept: the exact sum 6.984375 truncates to 6.96875 (0x65f).
    expect(run({ ...raw, alignBits: 'exact' }, [[1.75, 0.21875, -0.375, 0.0234375]], [[2.5], [0.25], [1.25], [1]], [[3]])).to.deep.equal({ value: 6.96875, code: 0x65f, events: zeroEvents() });
  });
});

describe('golden/dot: one lane with exact alignment is §3', () => {
  const arbMode: fc.Arbitrary<RoundingMode> = fc.constantFrom(...DETERMINISTIC_MODES);

  it('dotStep equals a one-term goldenGemm from the same accumulator: code and events', () => {
    fc.assert(
      fc.property(
        fc
          .record({ a: arbFormat, w: arbFormat, product: fc.option(arbFormat, { nil: null }), acc: arbFormat, modes: fc.tuple(arbMode, arbMode) })
          .chain((f) => fc.tuple(fc.constant(f), arbCode(f.a), arbCode(f.w), arbCode(f.acc))),
        ([f, a, w, acc]) => {
          const cfg: ArrayConfig = {
            rows: 1,
            cols: 1,
            dataflow: 'os',
            a: f.a,
            w: f.w,
            product: f.product,
            acc: f.acc,
            total: f.acc,
            rounding: { input: 'rne', product: f.modes[0], acc: f.modes[1], total: f.modes[1] },
            chunk: null,
            sparsity: 'dense',
          };
          const ev = zeroEvents();
          const step = dotStep(cfg, { lanes: 1, alignBits: 'exact' }, acc, [{ a, b: w }], ev);
          const fma = goldenGemm(cfg, [[a]], [[w]], [[acc]]);
          expect(step).to.equal(fma.D[0]![0]);
          expect(ev).to.deep.equal(fma.events);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
