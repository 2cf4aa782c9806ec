// The fixed-point accumulator's output (docs/arithmetic.md §3, "Fixed-point accumulation";
// core/fixed-acc.ts finish): D is the special state's code, or the register rounded once into
// `out` by round.ts, or a zero of the register's zero sign.
import type { FixedAccumulator } from '../../core/fixed.js';
import type { Format, RoundingMode } from '../../core/format.js';
import { Body, makeModule, type VModule } from '../back/module.js';
import { hex, lit, signedBits, slit } from '../back/verilog.js';
import { describeFixed, emitStateFields, fixedNameParts, fixedStateWidth, stateLayout } from './fixed-add.js';
import { describeFormat, MODE_TEXT } from './operand.js';
import { roundModule } from './round.js';
import { emitMux, specialCodes } from './specials.js';

/**
 * lbamac_fixround_m<msb>_l<lsb>_to_<out>_<mode>: the state `acc` -> `code` (D, a code of out) and
 * `flags` (round.ts's, for a finite nonzero register; 0 for a special or a zero register).
 * Overflow and wrap do not matter here, so one module serves both.
 */
export function fixedRoundModule(fx: FixedAccumulator, out: Format, mode: RoundingMode): VModule {
  const W = fx.width;
  const b = new Body();
  const deps: VModule[] = [];
  emitStateFields(b, 'acc', fx);

  b.blank().comment('The register as sign and magnitude (units of 2^lsb); -2^(W-1) negates to 2^(W-1), still W bits.');
  b.wire(1, 'acc_sign', `acc_value[${W - 1}]`);
  b.wire(W, 'acc_mag', `acc_sign ? ~acc_value + ${lit(W, 1)} : acc_value`);
  b.wire(1, 'acc_is_zero', `(acc_value == ${lit(W, 0)})`);

  // acc_mag[W-1] weighs 2^(lsb + W - 1) = 2^(msb + 1): its exponent in out's bias is a constant.
  const top = fx.msb + 1 + out.bias;
  const XE = signedBits(Math.min(top, 0), Math.max(top, 0));
  const round = roundModule(out, mode, W, XE);
  deps.push(round);
  b.blank().comment(`Round once into ${out.name}: acc_mag[${W - 1}] weighs 2^${fx.msb + 1}, exponent ${top} in ${out.name}'s bias.`);
  b.swire(XE, 'exp_top', top >= 0 ? slit(XE, top) : `-${slit(XE, -top)}`);
  b.wire(out.width, 'round_code');
  b.wire(5, 'round_flags');
  b.instance(round.name, 'rounder', [
    ['sign', 'acc_sign'],
    ['sig', 'acc_mag'],
    ['sticky', "1'b0"],
    ['exp_top', 'exp_top'],
    ['code', 'round_code'],
    ['flags', 'round_flags'],
  ]);

  // The special state becomes out's code as any rounding of it does (arithmetic.md §2, "Special
  // operands"): the same codes as core/arith.ts fromFloat64 gives for NaN and +-inf.
  const S = specialCodes(out);
  const OW = out.width;
  b.blank().comment(
    'D: the special seen (NaN, or inf of its sign; the largest finite value where out has no such code),',
    'else a zero of the zero sign, else the rounded register. Only the rounding raises flags.',
  );
  b.wire(1, 'is_nan', "acc_special == 2'b11");
  b.wire(1, 'is_inf', "acc_special[0] ^ acc_special[1]", '01 +inf, 10 -inf: bit 1 is the sign');
  emitMux(b, 'code', [
    ['is_nan', hex(OW, S.nan)],
    ['is_inf', `{acc_special[1], ${hex(OW - 1, S.infMag)}}`],
    ['acc_is_zero', `{acc_zero_sign, ${lit(OW - 1, 0)}}`],
  ], 'round_code');
  b.line(`assign flags = (acc_special != 2'b00) | acc_is_zero ? ${lit(5, 0)} : round_flags;`);

  return makeModule({
    kind: 'fixround',
    nameParts: [...fixedNameParts(fx, false), 'to', out.name, mode],
    summary: [
      'D of a fixed-point accumulator (docs/arithmetic.md section 3; core/fixed-acc.ts finish): the special',
      'seen, or the register rounded once into the output format, or a zero of the register\'s zero sign.',
      'flags: bit 0 inexact, 1 overflow (accOverflow), 2 tiny, 3 zero (a nonzero register became a zero: accUnderflow),',
      '4 invalid (always 0); all 0 for a special or a zero register.',
      '',
      ...stateLayout(fx),
    ],
    config: [
      ['register', describeFixed(fx, false)],
      ['code', describeFormat(out)],
      ['rounding', MODE_TEXT[mode]],
    ],
    source: 'rtl-gen/lib/fixed-round.ts',
    ports: [
      { dir: 'input', name: 'acc', width: fixedStateWidth(fx), comment: 'state: {special, zero sign, reg}' },
      { dir: 'output', name: 'code', width: OW },
      { dir: 'output', name: 'flags', width: 5, comment: 'invalid, zero, tiny, overflow, inexact' },
    ],
    body: b,
    deps,
  });
}
