// fast-check generators shared by the tests: random formats over the whole range of
// docs/arithmetic.md §1 and codes biased toward the corners where rounding goes wrong.
import fc from 'fast-check';
import { type Format, type FormatSpec, makeFormat, DETERMINISTIC_MODES, type RoundingMode } from '../../core/format.js';

export const arbMode: fc.Arbitrary<RoundingMode> = fc.constantFrom(...DETERMINISTIC_MODES);

export const arbFormatSpec: fc.Arbitrary<FormatSpec> = fc
  .record({
    exp: fc.integer({ min: 2, max: 8 }),
    man: fc.integer({ min: 0, max: 23 }),
    biasShift: fc.oneof(fc.constant(0), fc.integer({ min: -20, max: 20 }), fc.integer({ min: -300, max: 300 })),
    subnormals: fc.boolean(),
    specials: fc.constantFrom('ieee' as const, 'fn' as const, 'none' as const),
    saturate: fc.boolean(),
  })
  .map(({ exp, man, biasShift, subnormals, specials, saturate }) => {
    const sp = specials === 'ieee' && man === 0 ? 'fn' : specials;
    return {
      exp,
      man,
      bias: 2 ** (exp - 1) - 1 + biasShift,
      subnormals,
      specials: sp,
      overflow: sp === 'ieee' && !saturate ? ('inf' as const) : ('saturate' as const),
    };
  });

export const arbFormat: fc.Arbitrary<Format> = arbFormatSpec.map((s) => makeFormat(s));

/** Codes of f: the corners (zeros, smallest subnormal and normal, largest finite, specials, all-ones
 *  mantissas) and uniformly random codes. */
export function arbCode(f: Format): fc.Arbitrary<number> {
  const mag = f.signBit - 1;
  const corners = [0, 1, f.hidden - 1, f.hidden, f.hidden + 1, f.maxFiniteMag, f.maxFiniteMag - 1, mag, mag - 1, (f.emin <= 0 ? f.bias : 1) * f.hidden];
  const withSign = fc.tuple(fc.constantFrom(...corners.filter((c) => c >= 0 && c <= mag)), fc.boolean()).map(([c, s]) => (s ? c + f.signBit : c));
  return fc.oneof({ arbitrary: fc.integer({ min: 0, max: 2 * f.signBit - 1 }), weight: 4 }, { arbitrary: withSign, weight: 1 });
}
