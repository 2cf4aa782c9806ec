// Fused multiply-add: a * b + c with the product kept exact and one rounding into the output
// format (core/arith.ts `fma`); the cell used when the product format is "exact".
import type { Format, RoundingMode } from '../../core/format.js';
import { Body, makeModule, type VModule } from '../back/module.js';
import { hex, joinTerms, padLow, plusConst, zext } from '../back/verilog.js';
import { emitScale } from './add.js';
import { alignShape, emitAlignAdd } from './align.js';
import { describeFormat, leadExpr, MODE_TEXT, type NormOperand, normExpRange, unpackNormalized } from './operand.js';
import { bitsBelow } from './round.js';
import { emitFlagsMux, emitMux, specialCodes, zeroSumArms, zeroSumText } from './specials.js';

/**
 * The exact product of two normalized operands, normalized: declares `<p>_sign`, `<p>_is_zero`,
 * `<p>_raw`, `<p>_top`, `<p>_norm` (A.sigWidth + B.sigWidth bits, the leading one on top unless
 * zero), `<a>_lead`, `<b>_lead` and `<p>_scale` (the exponent of <p>_norm's top bit, biased like fo;
 * K = fo.bias - A.bias - B.bias). The exponents must fit XW signed bits.
 */
export function emitExactProduct(b: Body, p: string, A: NormOperand, B: NormOperand, K: number, XW: number, fo: Format): void {
  const WP = A.sigWidth + B.sigWidth;
  b.wire(1, `${p}_sign`, `${A.sign} ^ ${B.sign}`);
  b.wire(1, `${p}_is_zero`, `${A.isZero} | ${B.isZero}`);
  b.wire(WP, `${p}_raw`, `${zext(A.norm, A.sigWidth, WP)} * ${zext(B.norm, B.sigWidth, WP)}`);
  b.wire(1, `${p}_top`, `${p}_raw[${WP - 1}]`);
  b.wire(WP, `${p}_norm`, `${p}_top ? ${p}_raw : {${p}_raw[${WP - 2}:0], 1'b0}`);
  const lead = (op: NormOperand): string => {
    const name = `${op.prefix}_lead`;
    b.swire(XW, name, leadExpr(op, XW), `biased exponent of ${op.prefix}'s leading one`);
    return name;
  };
  const aLead = lead(A);
  const bLead = lead(B);
  b.swire(
    XW,
    `${p}_scale`,
    plusConst(`${aLead} + ${bLead} + $signed(${zext(`${p}_top`, 1, XW)})`, K, XW),
    `exponent of ${p}_norm[${WP - 1}], biased like ${fo.name}: K = ${fo.bias} - ${A.f.bias} - ${B.f.bias}`,
  );
}

/** lbamac_fma_<a>_<b>_<c>_to_<out>_<mode>[_r<R>]: ports a, b, c (and rsr's draw rnd) -> result, flags[4:0]. */
export function fmaModule(fa: Format, fb: Format, fc: Format, fo: Format, mode: RoundingMode, randomBits = 0): VModule {
  const b = new Body();
  const deps: VModule[] = [];
  const A = unpackNormalized(b, 'a', fa, deps);
  b.blank();
  const B = unpackNormalized(b, 'b', fb, deps);
  b.blank();
  const C = unpackNormalized(b, 'c', fc, deps);

  // The exact product of the normalized significands has WP bits, its leading one at the top or
  // one below; one conditional shift normalizes it, leaving FP = WP - 1 fraction bits.
  const WP = A.sigWidth + B.sigWidth;
  const FP = WP - 1;
  const F = Math.max(FP, fc.man);
  const K = fo.bias - fa.bias - fb.bias; // product exponent, unbiased sum rebiased to the output
  const [alo, ahi] = normExpRange(fa);
  const [blo, bhi] = normExpRange(fb);
  const [clo, chi] = normExpRange(fc).map((e) => e + fo.bias - fc.bias) as [number, number];
  const plo = alo + blo + K;
  const phi = ahi + bhi + 1 + K;
  const shape = alignShape(F, fo.man, Math.min(plo, clo), Math.max(phi, chi), [K, fo.bias - fc.bias], bitsBelow(mode, randomBits));
  const XW = shape.XW;

  b.blank().comment(
    `Exact product of the normalized significands (${A.sigWidth} x ${B.sigWidth} bits): 1.x * 1.y is in [1, 4), so the`,
    'leading one is prod_raw\'s top bit or the one below; shift once to put it on top.',
  );
  emitExactProduct(b, 'prod', A, B, K, XW, fo);

  b.blank().comment(`Both addends as ${F + 1}-bit significands with the leading one on top, and its exponent.`);
  b.wire(F + 1, 'prod_m', padLow('prod_norm', F - FP), `${F} fraction bits`);
  const cs = emitScale(b, C, fo, F, XW);
  emitAlignAdd(b, { name: 'prod', sign: 'prod_sign', isZero: 'prod_is_zero', m: 'prod_m', scale: 'prod_scale' }, { name: 'c', sign: C.sign, isZero: C.isZero, ...cs }, shape, fo, mode, deps, randomBits);

  // Specials, in the order of core/arith.ts: a NaN operand (no invalid flag, even with inf * 0),
  // inf * 0, inf - inf, inf, two zeros, an exact zero sum of nonzero operands.
  const S = specialCodes(fo);
  const W = fo.width;
  const prodInf = joinTerms([A.isInf, B.isInf], '|', '');
  const prodInvalid = joinTerms([A.isInf && `${A.isInf} & ${B.isZero}`, B.isInf && `${A.isZero} & ${B.isInf}`], '|', '');
  const clash = prodInf && C.isInf ? `prod_is_inf & ${C.isInf} & (prod_sign ^ ${C.sign})` : '';
  const anyNaN = joinTerms([A.isNaN, B.isNaN, C.isNaN], '|', '');
  const hasInvalid = Boolean(prodInvalid || clash);
  const hasInf = Boolean(prodInf || C.isInf);
  b.blank().comment(
    'Specials: a NaN operand gives NaN; inf * 0 and inf - inf give NaN and raise invalid; an inf',
    'operand or product gives inf; two zeros keep their sign only when they agree; otherwise, and',
    `for an exact zero sum of nonzero operands, ${zeroSumText(mode)}.`,
  );
  if (anyNaN) b.wire(1, 'any_nan', anyNaN);
  if (prodInf) b.wire(1, 'prod_is_inf', prodInf);
  if (prodInvalid) b.wire(1, 'prod_invalid', prodInvalid, 'inf * 0');
  if (clash) b.wire(1, 'inf_clash', clash, 'inf - inf');
  const invalidTerms = joinTerms([prodInvalid && 'prod_invalid', clash && 'inf_clash'], '|', '');
  if (hasInvalid) b.wire(1, 'invalid', anyNaN ? `~any_nan & (${invalidTerms})` : invalidTerms, 'a NaN operand takes precedence');
  const nanTerms = [anyNaN && 'any_nan', prodInvalid && 'prod_invalid', clash && 'inf_clash'];
  const hasNaN = nanTerms.some(Boolean);
  if (hasNaN) b.wire(1, 'is_nan', joinTerms(nanTerms, '|', "1'b0"));
  if (hasInf) {
    b.wire(1, 'is_inf', joinTerms([prodInf && 'prod_is_inf', C.isInf], '|', "1'b0"));
    b.wire(1, 'inf_sign', prodInf && C.isInf ? `prod_is_inf ? prod_sign : ${C.sign}` : prodInf ? 'prod_sign' : C.sign);
  }
  b.wire(1, 'both_zero', `prod_is_zero & ${C.isZero}`);
  const arms: [string, string][] = [];
  if (hasNaN) arms.push(['is_nan', hex(W, S.nan)]);
  if (hasInf) arms.push(['is_inf', `{inf_sign, ${hex(W - 1, S.infMag)}}`]);
  arms.push(...zeroSumArms(mode, 'prod_sign', C.sign, W));
  emitMux(b, 'result', arms, 'round_code');
  emitFlagsMux(b, { hasNaN, hasInf, hasInvalid }, ['both_zero', 'cancel']);

  return makeModule({
    kind: 'fma',
    nameParts: [fa.name, fb.name, fc.name, 'to', fo.name, mode, ...(mode === 'rsr' ? [`r${randomBits}`] : [])],
    summary: [
      'a * b + c with the product kept exact and one rounding into the output format',
      '(docs/arithmetic.md section 2; core/arith.ts fma): the fused cell of product = "exact".',
      'flags: bit 0 inexact, 1 overflow, 2 tiny, 3 zero, 4 invalid (core/arith.ts EV_*).',
    ],
    config: [
      ['a', describeFormat(fa)],
      ['b', describeFormat(fb)],
      ['c', describeFormat(fc)],
      ['result', describeFormat(fo)],
      ['rounding', MODE_TEXT[mode]],
      ['window', `${shape.WW} bits (${F + 1}-bit significands, ${shape.G} guard bit${shape.G === 1 ? '' : 's'}, sticky)`],
    ],
    source: 'rtl-gen/lib/fma.ts',
    ports: [
      { dir: 'input', name: 'a', width: fa.width },
      { dir: 'input', name: 'b', width: fb.width },
      { dir: 'input', name: 'c', width: fc.width },
      ...(mode === 'rsr' ? [{ dir: 'input' as const, name: 'rnd', width: randomBits, comment: 'the draw (rsr)' }] : []),
      { dir: 'output', name: 'result', width: fo.width },
      { dir: 'output', name: 'flags', width: 5 },
    ],
    body: b,
    deps,
  });
}
