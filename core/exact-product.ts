// The format that holds every product of two formats exactly: what a pipelined PE registers
// between the multiplier's significand product and its rounding (and, fused, between the
// multiplier and the adder). Rounding such a product once into the product format, or adding it
// to the accumulator with one rounding, gives the bits of the unpipelined multiplier or FMA.
import { type Format, makeFormat, parseFormatName } from './format.js';

/** Exponent of the smallest nonzero magnitude of f. */
function lowestExponent(f: Format): number {
  return f.subnormals ? f.emin - f.man : f.emin;
}

/**
 * e<E>m<Ma+Mb+1> with the bias that makes the smallest nonzero product its smallest normal
 * number and enough exponent bits for the largest; IEEE specials (an inf·0 or NaN operand gives
 * NaN, an infinite operand infinity), so that no product rounds, overflows or becomes subnormal.
 */
export function exactProductFormat(fa: Format, fb: Format): Format {
  const man = fa.man + fb.man + 1;
  const emin = lowestExponent(fa) + lowestExponent(fb);
  const emax = fa.emax + fb.emax + 1;
  const bias = 1 - emin;
  let exp = 1;
  // IEEE specials keep the all-ones field: the largest finite field is 2^exp - 2.
  while (2 ** exp - 2 - bias < emax) exp++;
  return makeFormat({ exp, man, bias, subnormals: true, specials: 'ieee', overflow: 'inf' }, 'exact product format');
}

/** A format in which 1.0 is a code: the constant operand that rounds an exact product. */
export const UNIT_FORMAT: Format = parseFormatName('e5m2');

/**
 * The NaN a fused cell's exact-product stage gives for inf·0: the sign bit set on the canonical NaN,
 * so that the adder of the next stage can tell the invalid product from a NaN operand. The
 * unpipelined FMA counts an invalid operation for inf·0 only when the addend is not a NaN; the
 * adder counts it then, when it sees this code.
 */
export function invalidProductCode(fx: Format): number {
  return fx.signBit + fx.nanCode;
}
