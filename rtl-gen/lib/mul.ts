// Multiplier: a * b rounded once into the product format (core/arith.ts `mul`).
import type { Format, RoundingMode } from '../../core/format.js';
import { Body, makeModule, type VModule } from '../back/module.js';
import { hex, joinTerms, lit, plusConst, signedBits, zext } from '../back/verilog.js';
import { describeFormat, MODE_TEXT, unpackOperand } from './operand.js';
import { roundModule } from './round.js';
import { emitFlagsMux, emitMux, specialCodes } from './specials.js';

/** lbamac_mul_<a>_<b>_to_<product>_<mode>[_r<R>]: ports a, b (and rsr's draw rnd) -> product, flags[4:0]. */
export function mulModule(fa: Format, fb: Format, fp: Format, mode: RoundingMode, invalidNaN: number | null = null, randomBits = 0): VModule {
  const b = new Body();
  const deps: VModule[] = [];
  const A = unpackOperand(b, 'a', fa);
  b.blank();
  const B = unpackOperand(b, 'b', fb);

  // Exact product of the significands: (Ma+1) x (Mb+1) bits.
  const WP = A.sigWidth + B.sigWidth;
  // prod_sig[WP-1] weighs 2^(ea - bias_a + eb - bias_b + 1): its exponent in the product's bias is
  // ea + eb + K with K = bias_p - bias_a - bias_b + 1.
  const K = fp.bias - fa.bias - fb.bias + 1;
  const lo = K; // exponents (fields) are >= 0
  const hi = 2 ** fa.exp - 1 + 2 ** fb.exp - 1 + K;
  const XW = Math.max(signedBits(lo, hi), signedBits(-Math.abs(K), Math.abs(K)), fa.exp + 1, fb.exp + 1);
  b.blank().comment(`Exact product of the significands; prod_sig[${WP - 1}] has exponent a_exp + b_exp ${K < 0 ? '-' : '+'} ${Math.abs(K)}`,
    `(= bias_p - bias_a - bias_b + 1 = ${fp.bias} - ${fa.bias} - ${fb.bias} + 1) in the product format's bias.`);
  b.wire(1, 'prod_sign', `${A.sign} ^ ${B.sign}`);
  b.wire(WP, 'prod_sig', `${zext(A.sig, A.sigWidth, WP)} * ${zext(B.sig, B.sigWidth, WP)}`);
  b.swire(XW, 'prod_exp', plusConst(`$signed(${zext(A.exp, A.expWidth, XW)}) + $signed(${zext(B.exp, B.expWidth, XW)})`, K, XW));

  const round = roundModule(fp, mode, WP, XW, randomBits);
  deps.push(round);
  b.blank().comment('Round the exact product once (a zero product takes the special path below).');
  b.wire(fp.width, 'round_code');
  b.wire(5, 'round_flags');
  b.instance(round.name, 'rounder', [
    ['sign', 'prod_sign'],
    ['sig', 'prod_sig'],
    ['sticky', "1'b0"],
    ['exp_top', 'prod_exp'],
    ...(mode === 'rsr' ? [['rnd', 'rnd'] as [string, string]] : []),
    ['code', 'round_code'],
    ['flags', 'round_flags'],
  ]);

  // Specials, in the order of core/arith.ts: NaN operand, inf * 0 (invalid), inf, zero.
  const S = specialCodes(fp);
  const invalidTerms = [A.isInf && `${A.isInf} & ${B.isZero}`, B.isInf && `${A.isZero} & ${B.isInf}`];
  const hasInvalid = invalidTerms.some(Boolean);
  const nanTerms = [A.isNaN, B.isNaN, hasInvalid && 'invalid'];
  const hasNaN = nanTerms.some(Boolean);
  const hasInf = Boolean(A.isInf || B.isInf);
  b.blank().comment('Specials: a NaN operand or inf * 0 gives NaN, an inf operand inf, a zero operand a signed zero.');
  if (hasInvalid) b.wire(1, 'invalid', joinTerms(invalidTerms, '|', "1'b0"), 'inf * 0');
  if (hasNaN) b.wire(1, 'is_nan', joinTerms(nanTerms, '|', "1'b0"));
  if (hasInf) b.wire(1, 'is_inf', joinTerms([A.isInf, B.isInf], '|', "1'b0"));
  b.wire(1, 'is_zero', `${A.isZero} | ${B.isZero}`);
  const W = fp.width;
  const arms: [string, string][] = [];
  if (invalidNaN !== null && hasInvalid) arms.push(['invalid', `${hex(W, invalidNaN)}`]);
  if (hasNaN) arms.push(['is_nan', `${hex(W, S.nan)}`]);
  if (hasInf) arms.push(['is_inf', `{prod_sign, ${hex(W - 1, S.infMag)}}`]);
  arms.push(['is_zero', `{prod_sign, ${lit(W - 1, 0)}}`]);
  emitMux(b, 'product', arms, 'round_code');
  emitFlagsMux(b, { hasNaN, hasInf, hasInvalid }, ['is_zero']);

  return makeModule({
    kind: 'mul',
    nameParts: [fa.name, fb.name, 'to', fp.name, mode, ...(mode === 'rsr' ? [`r${randomBits}`] : []), ...(invalidNaN !== null ? ['markinv'] : [])],
    summary: [
      'a * b rounded once into the product format (docs/arithmetic.md section 2; core/arith.ts mul).',
      'flags: bit 0 inexact, 1 overflow, 2 tiny, 3 zero, 4 invalid (core/arith.ts EV_*).',
      ...(invalidNaN !== null ? [`inf * 0 gives the marked NaN ${hex(W, invalidNaN)} (core/exact-product.ts invalidProductCode).`] : []),
    ],
    config: [
      ['a', describeFormat(fa)],
      ['b', describeFormat(fb)],
      ['product', describeFormat(fp)],
      ['rounding', MODE_TEXT[mode]],
    ],
    source: 'rtl-gen/lib/mul.ts',
    ports: [
      { dir: 'input', name: 'a', width: fa.width },
      { dir: 'input', name: 'b', width: fb.width },
      ...(mode === 'rsr' ? [{ dir: 'input' as const, name: 'rnd', width: randomBits, comment: 'the draw (rsr)' }] : []),
      { dir: 'output', name: 'product', width: fp.width },
      { dir: 'output', name: 'flags', width: 5 },
    ],
    body: b,
    deps,
  });
}
