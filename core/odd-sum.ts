// The format of the register inside a pipelined accumulator adder (the "inside-add" cut, docs/rtl.md):
// the exact sum acc + term rounded to odd with two more mantissa bits than the accumulator, then
// rounded once more into the accumulator by the next stage. Round-to-odd keeps, in its last bit,
// whether anything was cut off, so the second rounding (any mode) gives the bits of the one
// rounding of the exact sum (Boldo and Melquiond's double-rounding property), provided the
// register's grid is at least two bits finer than the accumulator's everywhere a rounding can
// still move the result:
//   - mantissa: acc.man + 2;
//   - smallest normal one binade below the accumulator's, so that a value just below the
//     accumulator's smallest normal (which may round up to it when subnormals are off) keeps
//     every bit; below that the accumulator's grid is fixed (subnormals) or the value flushes;
//   - largest exponent above both operands' sums, so that the register itself never overflows
//     and an overflow is decided by the second rounding alone.
import { type Format, INTERNAL_LIMITS, makeFormat } from './format.js';

export function oddSumFormat(acc: Format, term: Format): Format {
  const man = acc.man + 2;
  const bias = acc.bias + 1;
  const emax = Math.max(acc.emax, term.emax) + 1;
  let exp = 2;
  // IEEE specials keep the all-ones field: the largest finite field is 2^exp - 2.
  while (2 ** exp - 2 - bias < emax) exp++;
  return makeFormat({ exp, man, bias, subnormals: true, specials: 'ieee', overflow: 'inf' }, 'the rounded-to-odd sum format', INTERNAL_LIMITS);
}
