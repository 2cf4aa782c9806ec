// The alignment adder shared by add.ts and fma.ts: two normalized operands, ordered by magnitude,
// the smaller one shifted into a window with guard bits and a sticky bit, added or subtracted, and
// the sum handed to the round stage.
//
// Window (WW bits, F = fraction bits of the normalized significands, G = WW - 2 - F guard bits):
//
//     bit WW-1        WW-2 ... G          G-1 ... 0        below the window
//     [carry ]  [ big: 1.ffff...f ]  [ guard bits ]   -> folded into sticky
//                  [ small >> d ...................... ]
//
// Exactness argument (the same as core/arith.ts addFinite, with a narrower window):
//  - d <= G: small fits the window whole, the sum is exact (any cancellation is exact).
//  - d >= 2: |sum| > 2^(WW-3), so the sum's leading one is at bit WW-3 or above and, with
//    WW >= M+3+g, the g bits below the output's last one (the round bit, or rsr's R bits) lie at
//    bit 0 or above; the dropped bits only decide the sticky bit. Subtracting small plus a dropped
//    fraction borrows one unit and keeps the fraction's complement (nonzero) as sticky, so sum_sig
//    is the floor of the exact magnitude (which is all rsr looks at below its R bits).
//  G >= 1 makes the two cases overlap, so every d is covered.
import type { Format, RoundingMode } from '../../core/format.js';
import type { Body, VModule } from '../back/module.js';
import { bitsFor, lit, signedBits, slice, slit, zeros, zext } from '../back/verilog.js';
import { roundModule } from './round.js';

/** An operand of the alignment adder, already normalized. */
export interface AlignOperand {
  /** Signal prefix, for the names of the ordering wires (x, prod). */
  name: string;
  sign: string;
  isZero: string;
  /** F+1 bits, the leading one at bit F (zero for a zero operand). */
  m: string;
  /** Signed exponent wire: the exponent of m[F], biased like the output. */
  scale: string;
}

export interface AlignShape {
  /** Fraction bits of the significands. */
  F: number;
  /** Window width and guard bits. */
  WW: number;
  G: number;
  /** Exponent wire width (signed). */
  XW: number;
}

/**
 * The window for significands with F fraction bits rounding into a format with M mantissa bits,
 * looking g bits below the last kept one (round.ts bitsBelow), and an exponent width for
 * operand scales in [lo, hi] and the rebiasing constants.
 */
export function alignShape(F: number, M: number, lo: number, hi: number, constants: readonly number[], g = 1): AlignShape {
  const WW = Math.max(F + 3, M + 3 + g);
  const G = WW - 2 - F;
  const big = Math.max(0, ...constants.map(Math.abs));
  const XW = Math.max(signedBits(Math.min(lo, lo - hi), Math.max(hi + 1, hi - lo)), signedBits(-big, big), bitsFor(WW) + 1);
  return { F, WW, G, XW };
}

/**
 * Emits the ordering, alignment, addition and the round stage instance. Declares `round_code`,
 * `round_flags` and `cancel` (an exact zero sum of nonzero operands).
 */
export function emitAlignAdd(b: Body, x: AlignOperand, y: AlignOperand, shape: AlignShape, o: Format, mode: RoundingMode, deps: VModule[], randomBits: number): void {
  const { F, WW, G, XW } = shape;
  const SW = bitsFor(WW);
  b.blank().comment(
    'Order by magnitude (exponent, then significand; both are normalized): big >= small.',
    'A zero operand is always the small one; its significand is zero, so it adds nothing.',
  );
  const xBig = `${x.name}_is_big`;
  b.wire(1, xBig, `${y.isZero} | (~${x.isZero} & ((${x.scale} > ${y.scale}) | ((${x.scale} == ${y.scale}) & (${x.m} >= ${y.m}))))`);
  b.wire(1, 'big_sign', `${xBig} ? ${x.sign} : ${y.sign}`);
  b.swire(XW, 'big_exp', `${xBig} ? ${x.scale} : ${y.scale}`);
  b.swire(XW, 'small_exp', `${xBig} ? ${y.scale} : ${x.scale}`);
  b.wire(F + 1, 'big_m', `${xBig} ? ${x.m} : ${y.m}`);
  b.wire(F + 1, 'small_m', `${xBig} ? ${y.m} : ${x.m}`);
  b.wire(1, 'subtract', `${x.sign} ^ ${y.sign}`);

  b.blank().comment(
    `Align in a ${WW}-bit window: carry bit, big's ${F + 1}-bit significand, ${G} guard bit${G === 1 ? '' : 's'}.`,
    `small shifts right by the exponent difference; bits leaving the window fold into sticky.`,
    `A shift of ${WW} or more leaves nothing in the window, so it saturates there (a zero small`,
    'operand may give any difference: its bits are all zero).',
  );
  b.swire(XW, 'exp_diff', 'big_exp - small_exp');
  b.wire(SW, 'align_shift', `(exp_diff > ${slit(XW, WW)}) ? ${lit(SW, WW)} : ${slice('exp_diff', XW, SW - 1, 0)}`);
  const pad = G > 0 ? `, ${zeros(G)}` : '';
  b.wire(WW, 'big_win', `{1'b0, big_m${pad}}`);
  b.wire(2 * WW, 'small_shifted', `{1'b0, small_m${pad}, ${zeros(WW)}} >> align_shift`);
  b.wire(WW, 'small_win', `small_shifted[${2 * WW - 1}:${WW}]`);
  b.wire(1, 'small_sticky', `|small_shifted[${WW - 1}:0]`);

  b.blank().comment(
    'Add or subtract. Subtracting small plus a dropped fraction: borrow one unit, and the',
    "fraction's complement (nonzero) stays in sticky. big >= small, so the difference is >= 0.",
  );
  b.wire(WW, 'sum_sig', `subtract ? big_win - small_win - ${zext('small_sticky', 1, WW)} : big_win + small_win`);
  b.swire(XW, 'sum_exp', `big_exp + ${slit(XW, 1)}`, `exponent of sum_sig[${WW - 1}]`);
  b.wire(1, 'cancel', `(sum_sig == ${lit(WW, 0)})`, 'exact cancellation (a dropped fraction implies d >= 2, far from zero)');

  const round = roundModule(o, mode, WW, XW, randomBits);
  deps.push(round);
  b.blank().comment('Round the sum once.');
  b.wire(o.width, 'round_code');
  b.wire(5, 'round_flags');
  b.instance(round.name, 'rounder', [
    ['sign', 'big_sign'],
    ['sig', 'sum_sig'],
    ['sticky', 'small_sticky'],
    ['exp_top', 'sum_exp'],
    ...(mode === 'rsr' ? [['rnd', 'rnd'] as [string, string]] : []),
    ['code', 'round_code'],
    ['flags', 'round_flags'],
  ]);
}
