// The fast core against the exact model (golden/exact.ts) on random formats, operands and modes:
// at least 100,000 cases per run, including the zero-sign, NaN and overflow rules.
import { expect } from 'chai';
import fc from 'fast-check';
import * as core from '../../core/arith.js';
import { type Format, makeFormat } from '../../core/format.js';
import * as exact from '../../golden/exact.js';
import { arbCode, arbFormat, arbMode } from '../support/arbitraries.js';

const RUNS = Number(process.env.LBAMAC_PROPERTY_RUNS ?? 25_000);

function same(got: number, gotFlags: number, want: { code: number; flags: number }): boolean {
  return got === want.code && gotFlags === want.flags;
}

function show(f: Format, code: number): string {
  return `0x${code.toString(16)} (${core.toFloat64(code, f)})`;
}

describe(`core vs exact model: random formats (${RUNS} runs per operation)`, () => {
  it('multiply', () => {
    fc.assert(
      fc.property(
        fc.tuple(arbFormat, arbFormat, arbFormat, arbMode).chain(([fa, fb, fo, mode]) => fc.tuple(fc.constant({ fa, fb, fo, mode }), arbCode(fa), arbCode(fb))),
        ([{ fa, fb, fo, mode }, a, b]) => {
          const got = core.mul(fa, a, fb, b, fo, core.roundingCode(mode));
          const want = exact.mul(fa, a, fb, b, fo, mode);
          if (!same(got, core.status.flags, want)) {
            throw new Error(`${fa.name} ${show(fa, a)} * ${fb.name} ${show(fb, b)} -> ${fo.name} ${mode}: core ${show(fo, got)} flags ${core.status.flags}, exact ${show(fo, want.code)} flags ${want.flags}`);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('add (operands and result in different formats)', () => {
    fc.assert(
      fc.property(
        fc.tuple(arbFormat, arbFormat, arbFormat, arbMode).chain(([fx, fy, fo, mode]) => fc.tuple(fc.constant({ fx, fy, fo, mode }), arbCode(fx), arbCode(fy))),
        ([{ fx, fy, fo, mode }, x, y]) => {
          const got = core.add(fx, x, fy, y, fo, core.roundingCode(mode));
          const want = exact.add(fx, x, fy, y, fo, mode);
          if (!same(got, core.status.flags, want)) {
            throw new Error(`${fx.name} ${show(fx, x)} + ${fy.name} ${show(fy, y)} -> ${fo.name} ${mode}: core ${show(fo, got)} flags ${core.status.flags}, exact ${show(fo, want.code)} flags ${want.flags}`);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('fused multiply-add', () => {
    fc.assert(
      fc.property(
        fc.tuple(arbFormat, arbFormat, arbFormat, arbMode).chain(([fa, fc_, fo, mode]) =>
          fc.tuple(fc.constant({ fa, fc: fc_, fo, mode }), arbCode(fa), arbCode(fa), arbCode(fc_)),
        ),
        ([{ fa, fc: fcc, fo, mode }, a, b, c]) => {
          const got = core.fma(fa, a, fa, b, fcc, c, fo, core.roundingCode(mode));
          const want = exact.fma(fa, a, fa, b, fcc, c, fo, mode);
          if (!same(got, core.status.flags, want)) {
            throw new Error(`${fa.name} ${show(fa, a)} * ${show(fa, b)} + ${fcc.name} ${show(fcc, c)} -> ${fo.name} ${mode}: core ${show(fo, got)} flags ${core.status.flags}, exact ${show(fo, want.code)} flags ${want.flags}`);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('conversion of float64 inputs, including values near format boundaries', () => {
    const arbDouble = fc.oneof(
      fc.double(),
      fc.tuple(fc.double({ min: 1, max: 2, noNaN: true }), fc.integer({ min: -160, max: 160 })).map(([m, e]) => m * 2 ** e),
    );
    fc.assert(
      fc.property(arbFormat, arbMode, arbDouble, (fo, mode, x) => {
        const got = core.fromFloat64(x, fo, core.roundingCode(mode));
        const want = exact.quantize(x, fo, mode);
        if (!same(got, core.status.flags, want)) {
          throw new Error(`${x} -> ${fo.name} ${mode}: core ${show(fo, got)} flags ${core.status.flags}, exact ${show(fo, want.code)} flags ${want.flags}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('finds a planted bug (the harness can fail)', () => {
    const wrong = (fo: Format, x: number) => core.fromFloat64(x, fo, core.RTZ);
    expect(() =>
      fc.assert(
        fc.property(arbFormat, fc.double({ min: 1, max: 100, noNaN: true }), (fo, x) => {
          if (wrong(fo, x) !== exact.quantize(x, fo, 'rne').code) throw new Error('mismatch');
        }),
        { numRuns: 2000 },
      ),
    ).to.throw(/Property failed/);
  });
});

describe(`core vs exact model: rsr on random formats, R and draws (${RUNS} runs per operation)`, () => {
  // R from the spec's ends and inside it; draws at their ends (0 never rounds up, 2^R - 1 rounds up
  // anything at least 2^-R above the grid) and anywhere. Wide formats with R near 32 reach the
  // core's BigInt path for sums spanning more than 51 bits (core/arith.ts addWideRsr).
  const arbDraw = fc
    .oneof(fc.constantFrom(1, 3, 8, 32), fc.integer({ min: 1, max: 32 }))
    .chain((bits) => fc.record({ bits: fc.constant(bits), r: fc.oneof(fc.constantFrom(0, 2 ** bits - 1, 2 ** (bits - 1)), fc.integer({ min: 0, max: 2 ** bits - 1 })) }));
  const u = (d: exact.Draw) => d.r / 2 ** d.bits;

  function check(what: string, fo: Format, got: number, want: { code: number; flags: number }, d: exact.Draw): void {
    if (!same(got, core.status.flags, want)) {
      throw new Error(`${what} -> ${fo.name} rsr R=${d.bits} r=${d.r}: core ${show(fo, got)} flags ${core.status.flags}, exact ${show(fo, want.code)} flags ${want.flags}`);
    }
  }

  it('multiply', () => {
    fc.assert(
      fc.property(
        fc.tuple(arbFormat, arbFormat, arbFormat, arbDraw).chain(([fa, fb, fo, d]) => fc.tuple(fc.constant({ fa, fb, fo, d }), arbCode(fa), arbCode(fb))),
        ([{ fa, fb, fo, d }, a, b]) => check(`${show(fa, a)} * ${show(fb, b)}`, fo, core.mul(fa, a, fb, b, fo, core.RSR, u(d)), exact.mul(fa, a, fb, b, fo, 'rsr', d), d),
      ),
      { numRuns: RUNS },
    );
  });

  it('add', () => {
    fc.assert(
      fc.property(
        fc.tuple(arbFormat, arbFormat, arbFormat, arbDraw).chain(([fx, fy, fo, d]) => fc.tuple(fc.constant({ fx, fy, fo, d }), arbCode(fx), arbCode(fy))),
        ([{ fx, fy, fo, d }, x, y]) => check(`${show(fx, x)} + ${show(fy, y)}`, fo, core.add(fx, x, fy, y, fo, core.RSR, u(d)), exact.add(fx, x, fy, y, fo, 'rsr', d), d),
      ),
      { numRuns: RUNS },
    );
  });

  it('fused multiply-add, wide products against narrow addends', () => {
    fc.assert(
      fc.property(
        fc.tuple(arbFormat, arbFormat, arbFormat, arbDraw).chain(([fa, fc_, fo, d]) => fc.tuple(fc.constant({ fa, fc: fc_, fo, d }), arbCode(fa), arbCode(fa), arbCode(fc_))),
        ([{ fa, fc: fcc, fo, d }, a, b, c]) =>
          check(`${show(fa, a)} * ${show(fa, b)} + ${show(fcc, c)}`, fo, core.fma(fa, a, fa, b, fcc, c, fo, core.RSR, u(d)), exact.fma(fa, a, fa, b, fcc, c, fo, 'rsr', d), d),
      ),
      { numRuns: RUNS },
    );
  });

  it('conversion between formats', () => {
    fc.assert(
      fc.property(
        fc.tuple(arbFormat, arbFormat, arbDraw).chain(([fx, fo, d]) => fc.tuple(fc.constant({ fx, fo, d }), arbCode(fx))),
        ([{ fx, fo, d }, x]) => check(show(fx, x), fo, core.convert(fx, x, fo, core.RSR, u(d)), exact.convert(fx, x, fo, 'rsr', d), d),
      ),
      { numRuns: RUNS },
    );
  });

  it('reaches the wide path: fp32 sums spanning more than 51 bits with R = 32', () => {
    const fp32 = makeFormat({ exp: 8, man: 23 });
    // 1 + 2^-40 (1 + 2^-23): the window path with sticky, shift 28 < 32 keeps too few bits in float64.
    const x = core.fromFloat64(1, fp32, core.RNE);
    const y = core.fromFloat64(2 ** -40 * (1 + 2 ** -23), fp32, core.RNE);
    for (const r of [0, 1, 2 ** 15, 2 ** 15 - 1, 2 ** 15 + 1, 2 ** 31, 2 ** 32 - 1]) {
      const d = { bits: 32, r };
      check(`1 + 2^-40(1 + 2^-23)`, fp32, core.add(fp32, x, fp32, y, fp32, core.RSR, u(d)), exact.add(fp32, x, fp32, y, fp32, 'rsr', d), d);
      check(`1 - 2^-40(1 + 2^-23)`, fp32, core.add(fp32, x, fp32, y + fp32.signBit, fp32, core.RSR, u(d)), exact.add(fp32, x, fp32, y + fp32.signBit, fp32, 'rsr', d), d);
    }
  });
});
