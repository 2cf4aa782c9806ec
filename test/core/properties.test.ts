// The fast core against the exact model (golden/exact.ts) on random formats, operands and modes:
// at least 100,000 cases per run, including the zero-sign, NaN and overflow rules.
import { expect } from 'chai';
import fc from 'fast-check';
import * as core from '../../core/arith.js';
import type { Format } from '../../core/format.js';
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
