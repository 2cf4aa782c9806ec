import { expect } from 'chai';
import fc from 'fast-check';
import { type DeterministicMode, DETERMINISTIC_MODES, type Format, makeFormat, type RoundingMode, toFormat } from '../../core/format.js';
import {
  add,
  cancellationSign,
  convert,
  decode,
  EV_INEXACT,
  EV_INVALID,
  EV_OVERFLOW,
  EV_TINY,
  EV_ZERO,
  type Exact,
  exactAdd,
  exactMul,
  finite,
  type Finite,
  fma,
  fromFloat64,
  ilog2,
  infCode,
  maxFiniteCode,
  mul,
  nanCode,
  negate,
  quantize,
  round,
  type Rounded,
  roundSignificand,
  toFloat64,
  zero,
} from '../../golden/exact.js';
import { loadTestFloat, TF_INEXACT, TF_INVALID, TF_OVERFLOW, TF_UNDERFLOW, type TestFloatOp } from '../../golden/testfloat.js';

const fp16 = toFormat('fp16');
const fp32 = toFormat('fp32');
const e4m3 = toFormat('e4m3');
const e5m2 = toFormat('e5m2');

/** Flags as readable names, so failures say which flag differs. */
function flagNames(flags: number): string[] {
  const names: [number, string][] = [
    [EV_INEXACT, 'inexact'],
    [EV_OVERFLOW, 'overflow'],
    [EV_TINY, 'tiny'],
    [EV_ZERO, 'zero'],
    [EV_INVALID, 'invalid'],
  ];
  return names.filter(([bit]) => flags & bit).map(([, name]) => name);
}

function expectRounded(r: Rounded, code: number, flags: number): void {
  expect({ code: r.code.toString(16), flags: flagNames(r.flags) }).to.deep.equal({ code: code.toString(16), flags: flagNames(flags) });
}

function value(code: number, f: Format): number {
  return toFloat64(decode(code, f));
}

describe('golden/exact: decode', () => {
  it('reads e4m3 (OCP E4M3FN): 448 at 0x7e, NaN at both all-ones codes, subnormals, -0', () => {
    expect(value(0x7e, e4m3)).to.equal(448);
    expect(value(0xfe, e4m3)).to.equal(-448);
    expect(decode(0x7f, e4m3).kind).to.equal('nan');
    expect(decode(0xff, e4m3).kind).to.equal('nan');
    expect(value(0x78, e4m3)).to.equal(256); // exponent field all ones is finite in fn
    expect(value(0x08, e4m3)).to.equal(2 ** -6);
    expect(value(0x01, e4m3)).to.equal(2 ** -9);
    expect(decode(0x80, e4m3)).to.deep.equal(zero(1));
  });

  it('reads ieee specials of fp16', () => {
    expect(value(0x3c00, fp16)).to.equal(1);
    expect(value(0x7bff, fp16)).to.equal(65504);
    expect(value(0x7c00, fp16)).to.equal(Infinity);
    expect(value(0xfc00, fp16)).to.equal(-Infinity);
    expect(decode(0x7c01, fp16).kind).to.equal('nan');
    expect(decode(0xfe00, fp16).kind).to.equal('nan');
    expect(value(0x0001, fp16)).to.equal(2 ** -24);
  });

  it('reads exponent field 0 as a signed zero whatever the mantissa when subnormals are off', () => {
    const ftz = toFormat('e4m3_ftz');
    expect(decode(0x07, ftz)).to.deep.equal(zero(0));
    expect(decode(0x81, ftz)).to.deep.equal(zero(1));
    expect(value(0x08, ftz)).to.equal(2 ** -6);
  });

  it('reads every code of a specials = none format as finite', () => {
    const none = toFormat('e4m3_none');
    expect(value(0x7f, none)).to.equal(480);
    expect(value(0xff, none)).to.equal(-480);
    expect(value(0x78, none)).to.equal(256);
  });

  it('reads fn with man = 0: only the all-ones magnitude is NaN', () => {
    const f = makeFormat({ exp: 4, man: 0, specials: 'fn' });
    expect(decode(0x0f, f).kind).to.equal('nan');
    expect(decode(0x1f, f).kind).to.equal('nan');
    expect(value(0x0e, f)).to.equal(128);
    expect(value(0x01, f)).to.equal(2 ** -6);
    expect(value(0x10, f)).to.equal(-0);
  });

  it('applies a non-default bias', () => {
    expect(value(0x38, makeFormat({ exp: 4, man: 3, bias: 3, specials: 'fn' }))).to.equal(16);
    expect(value(0x04, makeFormat({ exp: 5, man: 2, bias: -5 }))).to.equal(2 ** 6);
    expect(value(0x01, makeFormat({ exp: 5, man: 2, bias: -5 }))).to.equal(2 ** 4);
  });

  it('rejects a code outside the format', () => {
    expect(() => decode(0x100, e4m3)).to.throw(/not a code of e4m3/);
    expect(() => decode(1.5, e4m3)).to.throw(/not a code/);
  });

  it("agrees with format.ts's derived constants", () => {
    const names = ['fp32', 'fp16', 'bf16', 'e5m2', 'e4m3', 'e4m3_ieee', 'e4m3_none', 'e2m1', 'e2m0_fn', 'e3m0_none', 'e8m23_fn', 'e5m2_b3_ftz_sat'];
    for (const f of names.map((n) => toFormat(n))) {
      expect([maxFiniteCode(f), infCode(f) ?? -1, nanCode(f) ?? -1], f.name).to.deep.equal([f.maxFiniteMag, f.infCode, f.nanCode]);
    }
  });
});

describe('golden/exact: float64', () => {
  it('round-trips every double, including -0, infinities and NaN', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(Object.is(toFloat64(fromFloat64(x)), x)).to.equal(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('exactMul and exactAdd then toFloat64 equal JS double arithmetic (one rne rounding)', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), (x, y) => {
        expect(Object.is(toFloat64(exactMul(fromFloat64(x), fromFloat64(y))), x * y), `${x} * ${y}`).to.equal(true);
        expect(Object.is(toFloat64(exactAdd(fromFloat64(x), fromFloat64(y))), x + y), `${x} + ${y}`).to.equal(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('rounds to double at ties to even, into the subnormals and to infinity', () => {
    expect(toFloat64(finite(0, (1n << 53n) + 1n, 0))).to.equal(2 ** 53);
    expect(toFloat64(finite(0, (1n << 53n) + 3n, 0))).to.equal(2 ** 53 + 4);
    expect(toFloat64(finite(1, 3n, -1076))).to.equal(-(2 ** -1074)); // 0.75 · 2^-1074
    expect(toFloat64(finite(0, 1n, -1076))).to.equal(0);
    expect(toFloat64(finite(0, 1n, 1024))).to.equal(Infinity);
    expect(toFloat64(finite(0, 1n, -5_000_000))).to.equal(0);
  });

  it('quantize into fp32 under rne equals Math.fround', () => {
    const bits = new Uint32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.double({ min: -1e-37, max: 1e-37 }), fc.double({ min: 3e38, max: 4e38 })), (x) => {
        asFloat[0] = x;
        const expected = Number.isNaN(x) ? 0x7fc00000 : bits[0]!;
        expect(quantize(x, fp32, 'rne').code).to.equal(expected);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('golden/exact: rounding, hand-computed', () => {
  it('fp16: 1 + 2^-11 is a tie: rne keeps 1.0, rna goes away, rtz truncates', () => {
    expectRounded(quantize(1 + 2 ** -11, fp16, 'rne'), 0x3c00, EV_INEXACT);
    expectRounded(quantize(1 + 2 ** -11, fp16, 'rna'), 0x3c01, EV_INEXACT);
    expectRounded(quantize(1 + 2 ** -11, fp16, 'rtz'), 0x3c00, EV_INEXACT);
    expectRounded(quantize(1 + 3 * 2 ** -11, fp16, 'rne'), 0x3c02, EV_INEXACT);
    expectRounded(quantize(-(1 + 2 ** -11), fp16, 'rna'), 0xbc01, EV_INEXACT);
  });

  it('fp16 overflow: inf under rne/rna, largest finite under rtz; 65520 is the tie that overflows', () => {
    expectRounded(quantize(70000, fp16, 'rne'), 0x7c00, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(70000, fp16, 'rtz'), 0x7bff, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(-70000, fp16, 'rtz'), 0xfbff, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(65520, fp16, 'rne'), 0x7c00, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(65519, fp16, 'rne'), 0x7bff, EV_INEXACT);
    expectRounded(quantize(65535, fp16, 'rtz'), 0x7bff, EV_INEXACT);
    expectRounded(quantize(65536, fp16, 'rtz'), 0x7bff, EV_OVERFLOW | EV_INEXACT);
  });

  it('e4m3 saturates: 464 is the tie between 448 and 480, an overflow only under rna', () => {
    expectRounded(quantize(1000, e4m3, 'rne'), 0x7e, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(464, e4m3, 'rne'), 0x7e, EV_INEXACT);
    expectRounded(quantize(464, e4m3, 'rna'), 0x7e, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(-464, e4m3, 'rna'), 0xfe, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(479, e4m3, 'rtz'), 0x7e, EV_INEXACT);
    expectRounded(quantize(480, e4m3, 'rtz'), 0x7e, EV_OVERFLOW | EV_INEXACT);
  });

  it('fp16 directed modes and round to odd: the sign picks the direction, rod sets the last bit', () => {
    const above = 1 + 2 ** -11; // half a unit above 1.0
    expectRounded(quantize(above, fp16, 'rup'), 0x3c01, EV_INEXACT);
    expectRounded(quantize(above, fp16, 'rdn'), 0x3c00, EV_INEXACT);
    expectRounded(quantize(-above, fp16, 'rup'), 0xbc00, EV_INEXACT);
    expectRounded(quantize(-above, fp16, 'rdn'), 0xbc01, EV_INEXACT);
    expectRounded(quantize(above, fp16, 'rod'), 0x3c01, EV_INEXACT); // 1.0 is even: set the bit
    expectRounded(quantize(-(1 + 3 * 2 ** -11), fp16, 'rod'), 0xbc01, EV_INEXACT); // 1.5 units: 1 is odd, kept
    expectRounded(quantize(1 + 2 ** -10, fp16, 'rod'), 0x3c01, 0); // exact stays
    expectRounded(quantize(2, fp16, 'rod'), 0x4000, 0); // exact and even stays even
    // Carry into the next binade, and below the subnormals: the smallest unit, not zero.
    expectRounded(quantize(2 - 2 ** -20, fp16, 'rup'), 0x4000, EV_INEXACT);
    expectRounded(quantize(-(2 - 2 ** -20), fp16, 'rup'), 0xbfff, EV_INEXACT);
    expectRounded(quantize(2 ** -30, fp16, 'rup'), 0x0001, EV_INEXACT | EV_TINY);
    expectRounded(quantize(2 ** -30, fp16, 'rod'), 0x0001, EV_INEXACT | EV_TINY);
    expectRounded(quantize(-(2 ** -30), fp16, 'rdn'), 0x8001, EV_INEXACT | EV_TINY);
    expectRounded(quantize(2 ** -30, fp16, 'rdn'), 0x0000, EV_INEXACT | EV_TINY | EV_ZERO);
    expectRounded(quantize(-(2 ** -30), fp16, 'rup'), 0x8000, EV_INEXACT | EV_TINY | EV_ZERO);
  });

  it('fp16 overflow under the directed modes: inf only toward its own side; rod never inf', () => {
    expectRounded(quantize(70000, fp16, 'rup'), 0x7c00, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(-70000, fp16, 'rup'), 0xfbff, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(70000, fp16, 'rdn'), 0x7bff, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(-70000, fp16, 'rdn'), 0xfc00, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(70000, fp16, 'rod'), 0x7bff, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(-70000, fp16, 'rod'), 0xfbff, EV_OVERFLOW | EV_INEXACT);
    // Just above the largest finite (65504): rounding up overflows, rounding down does not.
    expectRounded(quantize(65505, fp16, 'rup'), 0x7c00, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(65505, fp16, 'rdn'), 0x7bff, EV_INEXACT);
    expectRounded(quantize(65505, fp16, 'rod'), 0x7bff, EV_INEXACT); // 65504's significand is odd
  });

  it('e4m3 round to odd: the largest finite (448 = 14 units) is even, so anything above overflows', () => {
    expectRounded(quantize(449, e4m3, 'rod'), 0x7e, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(447, e4m3, 'rod'), 0x7d, EV_INEXACT); // 13.97 units: 13
    expectRounded(quantize(449, e4m3, 'rdn'), 0x7e, EV_INEXACT);
    expectRounded(quantize(-449, e4m3, 'rdn'), 0xfe, EV_OVERFLOW | EV_INEXACT);
  });

  it('subnormals off, directed modes: round within the binade below, then flush', () => {
    const ftz = toFormat('e4m3_ftz');
    const below = 2 ** -6 - 2 ** -11; // 15.5 units of 2^-10 at e = -7
    expectRounded(quantize(below, ftz, 'rup'), 0x08, EV_INEXACT);
    expectRounded(quantize(-below, ftz, 'rdn'), 0x88, EV_INEXACT);
    expectRounded(quantize(below, ftz, 'rdn'), 0x00, EV_INEXACT | EV_TINY | EV_ZERO);
    expectRounded(quantize(below, ftz, 'rod'), 0x00, EV_INEXACT | EV_TINY | EV_ZERO); // 15 is odd: stays below
    expectRounded(quantize(2 ** -20, ftz, 'rup'), 0x00, EV_INEXACT | EV_TINY | EV_ZERO);
  });

  it('e4m3 specials: NaN to 0x7f, infinities saturate without flags', () => {
    expectRounded(quantize(NaN, e4m3, 'rne'), 0x7f, 0);
    expectRounded(quantize(Infinity, e4m3, 'rne'), 0x7e, 0);
    expectRounded(quantize(-Infinity, e4m3, 'rtz'), 0xfe, 0);
    expectRounded(convert(fp16, 0xfc00, e4m3, 'rne'), 0xfe, 0);
    expectRounded(mul(fp16, 0x7c00, fp16, 0x4000, e4m3, 'rne'), 0x7e, 0);
  });

  it('specials = none: NaN and inf become the largest positive finite / saturate', () => {
    const none = toFormat('e4m3_none');
    expectRounded(quantize(NaN, none, 'rne'), 0x7f, 0);
    expectRounded(quantize(Infinity, none, 'rne'), 0x7f, 0);
    expectRounded(quantize(-Infinity, none, 'rne'), 0xff, 0);
    expectRounded(quantize(-1000, none, 'rne'), 0xff, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(496, none, 'rne'), 0x7f, EV_OVERFLOW | EV_INEXACT); // tie 480|512 → 512
    expectRounded(mul(fp16, 0x7c00, fp16, 0, none, 'rne'), 0x7f, EV_INVALID);
  });

  it('fn with man = 0: powers of two only, ties to even n carry upward', () => {
    const f = makeFormat({ exp: 4, man: 0, specials: 'fn' });
    expectRounded(quantize(200, f, 'rne'), 0x0e, EV_OVERFLOW | EV_INEXACT);
    expectRounded(quantize(200, f, 'rtz'), 0x0e, EV_INEXACT);
    expectRounded(quantize(3, f, 'rne'), 0x09, EV_INEXACT); // 3 = 1.5·2: n = 2 → 4
    expectRounded(quantize(3, f, 'rtz'), 0x08, EV_INEXACT);
    expectRounded(quantize(2 ** -7, f, 'rne'), 0x00, EV_INEXACT | EV_TINY | EV_ZERO); // half the subnormal 2^-6: n = 0
    expectRounded(quantize(2 ** -7, f, 'rna'), 0x01, EV_INEXACT); // 2^-6 is the smallest normal: man = 0 has no subnormals
    expectRounded(quantize(NaN, f, 'rne'), 0x0f, 0);
  });

  it('subnormals off flush after rounding: just below the smallest normal can round up to it', () => {
    const ftz = toFormat('e4m3_ftz');
    const below = 2 ** -6 - 2 ** -11; // 15.5 units of 2^-10 at e = -7: rounds to 16 → 2^-6
    expectRounded(quantize(below, ftz, 'rne'), 0x08, EV_INEXACT);
    expectRounded(quantize(below, ftz, 'rna'), 0x08, EV_INEXACT);
    expectRounded(quantize(-below, ftz, 'rtz'), 0x80, EV_INEXACT | EV_TINY | EV_ZERO);
    expectRounded(quantize(2 ** -6 - 2 ** -10, ftz, 'rna'), 0x00, EV_INEXACT | EV_TINY | EV_ZERO); // 15 exactly: stays at e = -7
    expectRounded(quantize(2 ** -7, ftz, 'rne'), 0x00, EV_INEXACT | EV_TINY | EV_ZERO);
    // With subnormals the same value has the coarser grid of e = -6: 7.75 → 8.
    expectRounded(quantize(below, e4m3, 'rne'), 0x08, EV_INEXACT);
    expectRounded(quantize(below, e4m3, 'rtz'), 0x07, EV_INEXACT | EV_TINY);
  });

  it('a non-default bias shifts the whole range', () => {
    const f = makeFormat({ exp: 4, man: 3, bias: 3, specials: 'fn' });
    expectRounded(quantize(16, f, 'rne'), 0x38, 0);
    expectRounded(quantize(7000, f, 'rne'), 0x7e, EV_INEXACT); // largest 1.75·2^12 = 7168
    expectRounded(quantize(7700, f, 'rne'), 0x7e, EV_OVERFLOW | EV_INEXACT); // 15·2^9
    expectRounded(quantize(7168, f, 'rne'), 0x7e, 0);
    expectRounded(quantize(2 ** -5, f, 'rne'), 0x01, EV_TINY);
    const negative = makeFormat({ exp: 5, man: 2, bias: -5 });
    expectRounded(quantize(2 ** 6, negative, 'rne'), 0x04, 0);
    expectRounded(quantize(1, negative, 'rne'), 0x00, EV_INEXACT | EV_TINY | EV_ZERO);
  });

  it('keeps signed zeros per docs/arithmetic.md §2: sums, products, underflow', () => {
    for (const mode of DETERMINISTIC_MODES) {
      // Zeros of opposite signs, and x + (-x): +0, but -0 toward -inf.
      const cancel = mode === 'rdn' ? 0x8000 : 0x0000;
      expectRounded(add(fp16, 0x0000, fp16, 0x8000, fp16, mode), cancel, 0);
      expectRounded(add(fp16, 0x8000, fp16, 0x8000, fp16, mode), 0x8000, 0);
      expectRounded(add(fp16, 0x0000, fp16, 0x0000, fp16, mode), 0x0000, 0);
      expectRounded(add(fp16, 0x3c00, fp16, 0xbc00, fp16, mode), cancel, 0);
      expectRounded(add(fp16, 0xbc00, fp16, 0x3c00, fp16, mode), cancel, 0);
      expectRounded(mul(fp16, 0xbc00, fp16, 0x0000, fp16, mode), 0x8000, 0);
      expectRounded(mul(fp16, 0x8000, fp16, 0xc000, fp16, mode), 0x0000, 0);
      expectRounded(fma(fp16, 0x8000, fp16, 0x3c00, fp16, 0x8000, fp16, mode), 0x8000, 0);
      expectRounded(fma(fp16, 0x8000, fp16, 0x3c00, fp16, 0x0000, fp16, mode), cancel, 0);
      expectRounded(fma(fp16, 0x3c00, fp16, 0x3c00, fp16, 0xbc00, fp16, mode), cancel, 0);
    }
    expectRounded(quantize(-(2 ** -30), fp16, 'rne'), 0x8000, EV_INEXACT | EV_TINY | EV_ZERO);
    expectRounded(mul(fp16, 0x8400, fp16, 0x0400, fp16, 'rne'), 0x8000, EV_INEXACT | EV_TINY | EV_ZERO); // -2^-28
  });

  it('inf × 0 and inf − inf are invalid; NaN operands give NaN without flags', () => {
    expectRounded(mul(fp16, 0x7c00, fp16, 0x0000, fp16, 'rne'), 0x7e00, EV_INVALID);
    expectRounded(mul(fp16, 0x8000, fp16, 0xfc00, e4m3, 'rne'), 0x7f, EV_INVALID);
    expectRounded(add(fp16, 0x7c00, fp16, 0xfc00, fp16, 'rne'), 0x7e00, EV_INVALID);
    expectRounded(add(fp16, 0x7c00, fp16, 0x7c00, fp16, 'rne'), 0x7c00, 0);
    expectRounded(fma(fp16, 0x7c00, fp16, 0x0000, fp16, 0x3c00, fp16, 'rne'), 0x7e00, EV_INVALID);
    expectRounded(fma(fp16, 0x7c00, fp16, 0x3c00, fp16, 0xfc00, fp16, 'rne'), 0x7e00, EV_INVALID);
    expectRounded(fma(fp16, 0x7c00, fp16, 0x0000, fp16, 0x7e00, fp16, 'rne'), 0x7e00, 0);
    expectRounded(mul(fp16, 0x7e01, fp16, 0x3c00, fp16, 'rne'), 0x7e00, 0);
    expectRounded(add(e4m3, 0x7f, e4m3, 0x01, fp16, 'rne'), 0x7e00, 0);
  });

  it('raises each flag on its own where it can', () => {
    expectRounded(quantize(1.1, e4m3, 'rne'), 0x39, EV_INEXACT); // 1.125
    expectRounded(quantize(2 ** -9, e4m3, 'rne'), 0x01, EV_TINY); // exact subnormal: tiny, not inexact
    expectRounded(quantize(3 * 2 ** -10, e4m3, 'rne'), 0x02, EV_INEXACT | EV_TINY);
    expectRounded(quantize(2 ** -11, e4m3, 'rne'), 0x00, EV_INEXACT | EV_TINY | EV_ZERO);
    expectRounded(quantize(-(2 ** -11), e4m3, 'rne'), 0x80, EV_INEXACT | EV_TINY | EV_ZERO);
    expectRounded(mul(e5m2, 0x7b, e5m2, 0x7b, e5m2, 'rne'), 0x7c, EV_OVERFLOW | EV_INEXACT);
    expectRounded(convert(e5m2, 0x7b, e4m3, 'rne'), 0x7e, EV_OVERFLOW | EV_INEXACT);
    expectRounded(convert(e4m3, 0x7e, fp16, 'rne'), 0x5f00, 0);
  });

  it('adds operands ~2^21 binades apart quickly and exactly as the unreduced sum rounds', () => {
    const huge = makeFormat({ exp: 8, man: 7, bias: -(2 ** 20) });
    const tiny = makeFormat({ exp: 8, man: 7, bias: 2 ** 20 });
    const start = Date.now();
    for (const mode of DETERMINISTIC_MODES) {
      for (const [x, y] of [[0x3f81, 0x0001], [0x3f80, 0x8001], [0xbf80, 0x0001]] as const) {
        const fast = add(huge, x, tiny, y, huge, mode);
        expect(fast).to.deep.equal(round(exactAdd(decode(x, huge), decode(y, tiny)), huge, mode));
      }
    }
    expectRounded(add(huge, 0x3f80, tiny, 0x8001, huge, 'rtz'), 0x3f7f, EV_INEXACT);
    expect(Date.now() - start).to.be.below(5000);
  });
});

/** Any valid format, with biases wide enough to put operands hundreds of binades apart. */
const anyFormat = fc
  .record({
    exp: fc.integer({ min: 2, max: 8 }),
    man: fc.integer({ min: 0, max: 23 }),
    bias: fc.integer({ min: -300, max: 300 }),
    subnormals: fc.boolean(),
    specials: fc.constantFrom<'ieee' | 'fn' | 'none'>('ieee', 'fn', 'none'),
    saturate: fc.boolean(),
  })
  .map(({ saturate, ...spec }) => {
    const specials = spec.specials === 'ieee' && spec.man === 0 ? 'fn' : spec.specials;
    return makeFormat({ ...spec, specials, overflow: saturate || specials !== 'ieee' ? 'saturate' : 'inf' });
  });

const codeOf = (f: Format) => fc.integer({ min: 0, max: 2 ** f.width - 1 });

describe('golden/exact: the far-operand reduction of add and fma', () => {
  it('add and fma equal rounding the unreduced exact value, codes and flags', () => {
    const operands = fc.tuple(anyFormat, anyFormat, anyFormat, anyFormat).chain((fs) =>
      fc.tuple(fc.constant(fs), codeOf(fs[0]), codeOf(fs[1]), codeOf(fs[2]), fc.constantFrom(...DETERMINISTIC_MODES)),
    );
    fc.assert(
      fc.property(operands, ([[fa, fb, fc_, fo], a, b, c, mode]) => {
        const [x, y, z] = [decode(a, fa), decode(b, fb), decode(c, fc_)];
        const expected = (v: Exact, ops: Exact[]): Rounded => {
          const r = round(v, fo, mode);
          return v.kind === 'nan' && ops.every((o) => o.kind !== 'nan') ? { ...r, flags: r.flags | EV_INVALID } : r;
        };
        const zeroSign = cancellationSign(mode);
        expect(add(fa, a, fc_, c, fo, mode)).to.deep.equal(expected(exactAdd(x, z, zeroSign), [x, z]));
        expect(fma(fa, a, fb, b, fc_, c, fo, mode)).to.deep.equal(expected(exactAdd(exactMul(x, y), z, zeroSign), [x, y, z]));
      }),
      { numRuns: 4000 },
    );
  });
});

describe('golden/exact: rounding against a brute-force nearest-value search', () => {
  /** A rounding candidate: a value of the format (or of the binade below emin when flushing later). */
  interface Candidate {
    value: Exact;
    code: number | 'virtual';
    even: boolean;
  }

  function compare(a: Exact, b: Exact): number {
    const d = exactAdd(a, negate(b));
    return d.kind === 'zero' ? 0 : d.kind === 'finite' ? (d.sign ? -1 : 1) : NaN;
  }

  /**
   * Ascending magnitudes: every finite code, then the virtual value one step above the largest
   * (the target of an overflow). Without subnormals, the binade below emin on the unbounded grid
   * replaces exponent field 0 (rounding happens before the flush).
   */
  function candidates(f: Format): Candidate[] {
    const list: Candidate[] = [];
    if (!f.subnormals) {
      list.push({ value: zero(0), code: 0, even: true });
      for (let n = 2 ** f.man; n < 2 ** (f.man + 1); n++) list.push({ value: finite(0, BigInt(n), -f.bias - f.man), code: 0, even: n % 2 === 0 });
    }
    for (let code = f.subnormals ? 0 : 2 ** f.man; code <= maxFiniteCode(f); code++) list.push({ value: decode(code, f), code, even: code % 2 === 0 });
    const largest = decode(maxFiniteCode(f), f) as Finite;
    const step = finite(0, 1n, ilog2(largest) - f.man);
    list.push({ value: exactAdd(largest, step), code: 'virtual', even: (maxFiniteCode(f) + 1) % 2 === 0 });
    return list;
  }

  function brute(v: Finite, f: Format, mode: DeterministicMode, list: Candidate[]): Rounded {
    const mag = { ...v, sign: 0 as const };
    let lo = list.length - 1;
    while (compare(list[lo]!.value, mag) > 0) lo--;
    const hi = compare(list[lo]!.value, mag) === 0 ? lo : Math.min(lo + 1, list.length - 1);
    let pick = lo;
    if (hi !== lo) {
      const toHi = compare(exactAdd(list[hi]!.value, negate(mag)), exactAdd(mag, negate(list[lo]!.value)));
      const nearestUp = toHi < 0 || (toHi === 0 && (mode === 'rna' || list[hi]!.even));
      // Toward -inf is away from zero for negative values, toward +inf for positive ones; round to
      // odd takes the odd one of the two neighbours.
      const up = { rne: nearestUp, rna: nearestUp, rtz: false, rdn: v.sign === 1, rup: v.sign === 0, rod: list[lo]!.even }[mode];
      if (up) pick = hi;
    }
    const chosen = list[pick]!;
    const signBit = v.sign * 2 ** (f.exp + f.man);
    if (chosen.code === 'virtual') {
      const toInf = f.overflow === 'inf' && (mode === 'rne' || mode === 'rna' || (mode === 'rdn' && v.sign === 1) || (mode === 'rup' && v.sign === 0));
      return { code: signBit + (toInf ? infCode(f)! : maxFiniteCode(f)), flags: EV_OVERFLOW | EV_INEXACT };
    }
    const result = decode(signBit + chosen.code, f);
    let flags = compare(chosen.value, mag) === 0 ? 0 : EV_INEXACT;
    if (result.kind === 'zero') flags |= EV_TINY | EV_ZERO | EV_INEXACT;
    else if (ilog2(result as Finite) < 1 - f.bias) flags |= EV_TINY;
    return { code: signBit + chosen.code, flags };
  }

  const formats = ['e4m3', 'e5m2', 'e4m3_ieee', 'e3m2_none', 'e2m1', 'e2m1_fn', 'e2m3_none', 'e3m4_fn', 'e5m2_sat', 'e4m3_ftz', 'e5m2_ftz', 'e3m2_ftz_none', 'e4m3_b3_fn', 'e3m2_bn4'];
  for (const name of formats) {
    it(`${name}: every mode`, () => {
      const f = toFormat(name);
      const list = candidates(f);
      // Binades from below the smallest subnormal to above the overflow threshold, equally likely;
      // significands of man + 2 bits land on ties and quarter points, man + 22 bits in between.
      const binade = fc.integer({ min: -f.bias - 2 * f.man - 3, max: ilog2(list[list.length - 1]!.value as Finite) + 2 });
      const value = fc
        .tuple(binade, fc.constantFrom(f.man + 2, f.man + 22), fc.bigInt({ min: 0n, max: (1n << 45n) - 1n }), fc.constantFrom<0 | 1>(0, 1))
        .map(([e, bits, r, sign]) => finite(sign, (1n << BigInt(bits)) + (r % (1n << BigInt(bits))), e - bits));
      fc.assert(
        fc.property(value, fc.constantFrom(...DETERMINISTIC_MODES), (v, mode) => {
          expect(round(v, f, mode), `${toFloat64(v)} ${mode}`).to.deep.equal(brute(v, f, mode, list));
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('every code converts to itself (canonical NaN, signed zero for flushed codes), only subnormals tiny', () => {
    for (const name of ['e4m3', 'e5m2', 'e4m3_ftz', 'e2m1_fn', 'e3m0_none', 'e4m0_fn', 'e5m2_b3_ftz_sat']) {
      const f = toFormat(name);
      for (let code = 0; code < 2 ** f.width; code++) {
        const v = decode(code, f);
        const expected = v.kind === 'nan' ? nanCode(f)! : v.kind === 'zero' ? (v.sign ? 2 ** (f.exp + f.man) : 0) : code;
        const flags = v.kind === 'finite' && ilog2(v) < 1 - f.bias ? EV_TINY : 0;
        for (const mode of DETERMINISTIC_MODES) expect(convert(f, code, f, mode), `${name} ${code}`).to.deep.equal({ code: expected, flags });
      }
    }
  });
});

describe('golden/exact: Berkeley TestFloat vectors', () => {
  const ops: TestFloatOp[] = ['add', 'mul', 'mulAdd'];

  /** IEEE tininess after rounding: the result rounded with an unbounded exponent is below 2^emin. */
  function tinyAfterRounding(v: Exact, f: Format, mode: DeterministicMode): boolean {
    return v.kind === 'finite' && roundSignificand(v, ilog2(v), f.man, mode, null).e < 1 - f.bias;
  }

  function run(f: Format, op: TestFloatOp, x: number[], mode: RoundingMode): { rounded: Rounded; exact: Exact } {
    const [a, b, c] = x.map((code) => decode(code, f));
    if (op === 'add') return { rounded: add(f, x[0]!, f, x[1]!, f, mode), exact: exactAdd(a!, b!) };
    if (op === 'mul') return { rounded: mul(f, x[0]!, f, x[1]!, f, mode), exact: exactMul(a!, b!) };
    return { rounded: fma(f, x[0]!, f, x[1]!, f, x[2]!, f, mode), exact: exactAdd(exactMul(a!, b!), c!) };
  }

  for (const type of ['f16', 'f32'] as const) {
    const f = type === 'f16' ? fp16 : fp32;
    for (const op of ops) {
      for (const mode of DETERMINISTIC_MODES) {
        it(`${type}_${op} ${mode}: every vector, results and flags`, () => {
          const { arity, cases, count } = loadTestFloat(type, op, mode);
          expect(count).to.be.above(40000);
          const failures: string[] = [];
          for (let i = 0; i < count; i++) {
            const row = Array.from(cases.subarray(i * (arity + 2), (i + 1) * (arity + 2)));
            const operands = row.slice(0, arity);
            const [expected, tf] = [row[arity]!, row[arity + 1]!];
            const { rounded, exact } = run(f, op, operands, mode);
            const nanIn = operands.some((code) => decode(code, f).kind === 'nan');
            const sameResult = decode(expected, f).kind === 'nan' ? decode(rounded.code, f).kind === 'nan' : rounded.code === expected;
            const ev = rounded.flags;
            // NaN operands: TestFloat raises invalid for signaling NaNs; the contract raises nothing.
            const sameFlags = nanIn
              ? ev === 0
              : !!(tf & TF_INEXACT) === !!(ev & EV_INEXACT) &&
                !!(tf & TF_OVERFLOW) === !!(ev & EV_OVERFLOW) &&
                !!(tf & TF_INVALID) === !!(ev & EV_INVALID) &&
                !!(tf & TF_UNDERFLOW) === (!!(ev & EV_INEXACT) && tinyAfterRounding(exact, f, mode));
            if (!sameResult || !sameFlags) {
              failures.push(`${operands.map((o) => o.toString(16)).join(' ')} → ${rounded.code.toString(16)} [${flagNames(ev)}], expected ${expected.toString(16)} tf=${tf.toString(16)}`);
            }
          }
          expect(failures.slice(0, 10)).to.deep.equal([]);
        });
      }
    }
  }
});
