// Adder: x + y rounded once into the output format (core/arith.ts `add`). x and y may have
// different formats (accumulator + product).
import type { Format, RoundingMode } from '../../core/format.js';
import { Body, makeModule, type VModule } from '../back/module.js';
import { hex, joinTerms, padLow, plusConst } from '../back/verilog.js';
import { alignShape, emitAlignAdd } from './align.js';
import { describeFormat, leadExpr, MODE_TEXT, type NormOperand, normExpRange, unpackNormalized } from './operand.js';
import { bitsBelow } from './round.js';
import { emitFlagsMux, emitMux, specialCodes, zeroSumArms, zeroSumText } from './specials.js';

/** Declares `<p>_scale` (signed: exponent of the leading one, biased like fo) and `<p>_m` (F+1 bits). */
export function emitScale(b: Body, op: NormOperand, fo: Format, F: number, XW: number): { scale: string; m: string } {
  const p = op.prefix;
  const k = fo.bias - op.f.bias;
  b.swire(XW, `${p}_scale`, plusConst(leadExpr(op, XW), k, XW), `exponent of ${p}'s leading one, in ${fo.name}'s bias`);
  b.wire(F + 1, `${p}_m`, padLow(op.norm, F - op.f.man), `${F} fraction bits`);
  return { scale: `${p}_scale`, m: `${p}_m` };
}

/**
 * lbamac_add_<x>_<y>_to_<out>_<mode>[_r<R>]: ports x, y (and rsr's draw rnd) -> sum, flags[4:0].
 * `zeroSign`: the mode whose sign rule an exact zero sum follows (the first half of a cut
 * accumulator adder rounds to odd but gives the accumulator mode's zero).
 */
export function addModule(fx: Format, fy: Format, fo: Format, mode: RoundingMode, zeroSign: RoundingMode = mode, randomBits = 0): VModule {
  const b = new Body();
  const deps: VModule[] = [];
  const X = unpackNormalized(b, 'x', fx, deps);
  b.blank();
  const Y = unpackNormalized(b, 'y', fy, deps);

  const F = Math.max(fx.man, fy.man);
  const [xlo, xhi] = normExpRange(fx).map((e) => e + fo.bias - fx.bias) as [number, number];
  const [ylo, yhi] = normExpRange(fy).map((e) => e + fo.bias - fy.bias) as [number, number];
  const shape = alignShape(F, fo.man, Math.min(xlo, ylo), Math.max(xhi, yhi), [fo.bias - fx.bias, fo.bias - fy.bias], bitsBelow(mode, randomBits));
  b.blank().comment(`Both operands as ${F + 1}-bit significands with the leading one on top, and its exponent.`);
  const xs = emitScale(b, X, fo, F, shape.XW);
  const ys = emitScale(b, Y, fo, F, shape.XW);
  emitAlignAdd(b, { name: 'x', sign: X.sign, isZero: X.isZero, ...xs }, { name: 'y', sign: Y.sign, isZero: Y.isZero, ...ys }, shape, fo, mode, deps, randomBits);

  // Specials, in the order of core/arith.ts: NaN operand, inf - inf (invalid), inf, two zeros,
  // an exact zero sum of nonzero operands.
  const S = specialCodes(fo);
  const W = fo.width;
  const hasInvalid = Boolean(X.isInf && Y.isInf);
  const nanTerms = [X.isNaN, Y.isNaN, hasInvalid && 'invalid'];
  const hasNaN = nanTerms.some(Boolean);
  const hasInf = Boolean(X.isInf || Y.isInf);
  b.blank().comment(
    'Specials: a NaN operand or inf - inf gives NaN, an inf operand inf; two zeros keep their sign',
    `only when they agree; otherwise, and for an exact zero sum of nonzero operands, ${zeroSumText(zeroSign)}.`,
  );
  if (hasInvalid) b.wire(1, 'invalid', `${X.isInf} & ${Y.isInf} & subtract`, 'inf - inf');
  if (hasNaN) b.wire(1, 'is_nan', joinTerms(nanTerms, '|', "1'b0"));
  if (hasInf) {
    b.wire(1, 'is_inf', joinTerms([X.isInf, Y.isInf], '|', "1'b0"));
    b.wire(1, 'inf_sign', X.isInf && Y.isInf ? `${X.isInf} ? ${X.sign} : ${Y.sign}` : X.isInf ? X.sign : Y.sign);
  }
  b.wire(1, 'both_zero', `${X.isZero} & ${Y.isZero}`);
  const arms: [string, string][] = [];
  if (hasNaN) arms.push(['is_nan', hex(W, S.nan)]);
  if (hasInf) arms.push(['is_inf', `{inf_sign, ${hex(W - 1, S.infMag)}}`]);
  arms.push(...zeroSumArms(zeroSign, X.sign, Y.sign, W));
  emitMux(b, 'sum', arms, 'round_code');
  emitFlagsMux(b, { hasNaN, hasInf, hasInvalid }, ['both_zero', 'cancel']);

  return makeModule({
    kind: 'add',
    nameParts: [fx.name, fy.name, 'to', fo.name, mode, ...(mode === 'rsr' ? [`r${randomBits}`] : []), ...(zeroSign !== mode ? ['zero', zeroSign] : [])],
    summary: [
      'x + y rounded once into the output format (docs/arithmetic.md section 2; core/arith.ts add).',
      'flags: bit 0 inexact, 1 overflow, 2 tiny, 3 zero, 4 invalid (core/arith.ts EV_*).',
    ],
    config: [
      ['x', describeFormat(fx)],
      ['y', describeFormat(fy)],
      ['sum', describeFormat(fo)],
      ['rounding', MODE_TEXT[mode]],
      ...(zeroSign !== mode ? [['exact zero sums', `the sign of ${zeroSign}`] as [string, string]] : []),
      ['window', `${shape.WW} bits (${F + 1}-bit significands, ${shape.G} guard bit${shape.G === 1 ? '' : 's'}, sticky)`],
    ],
    source: 'rtl-gen/lib/add.ts',
    ports: [
      { dir: 'input', name: 'x', width: fx.width },
      { dir: 'input', name: 'y', width: fy.width },
      ...(mode === 'rsr' ? [{ dir: 'input' as const, name: 'rnd', width: randomBits, comment: 'the draw (rsr)' }] : []),
      { dir: 'output', name: 'sum', width: fo.width },
      { dir: 'output', name: 'flags', width: 5 },
    ],
    body: b,
    deps,
  });
}
