// Unpacking an operand code into sign, class and significand, shared by every operator.
import type { Format, RoundingMode } from '../../core/format.js';
import type { Body, VModule } from '../back/module.js';
import { bitsFor, hex, lit, slice, zext } from '../back/verilog.js';
import { clzModule } from './clz.js';

/** A format as one header line: "fp16: exp 5, man 10, bias 15, subnormals on, specials ieee, overflow inf". */
export function describeFormat(f: Format): string {
  return `${f.name}: exp ${f.exp}, man ${f.man}, bias ${f.bias}, subnormals ${f.subnormals ? 'on' : 'off (flush to zero)'}, specials ${f.specials}, overflow ${f.overflow}`;
}

export const MODE_TEXT: Record<RoundingMode, string> = {
  rne: 'rne (to nearest, ties to even)',
  rna: 'rna (to nearest, ties away from zero)',
  rtz: 'rtz (toward zero)',
  rdn: 'rdn (toward -inf)',
  rup: 'rup (toward +inf)',
  rod: 'rod (to odd: truncate, set the last kept bit when anything was dropped)',
  rsr: 'rsr (stochastic: the draw on port rnd is added below the last kept bit, then truncate)',
};

/** Signals of an unpacked operand. Every name is a wire of the module body. */
export interface Operand {
  readonly prefix: string;
  readonly f: Format;
  readonly sign: string;
  readonly isZero: string;
  /** Absent when the format has no infinity / no NaN. */
  readonly isInf: string | null;
  readonly isNaN: string | null;
  /** M+1 bits: hidden bit and mantissa; zero exactly when the operand is a zero. */
  readonly sig: string;
  readonly sigWidth: number;
  /** E bits: the biased exponent that `sig` scales (subnormals read at exponent 1). */
  readonly exp: string;
  readonly expWidth: number;
}

/** A normalized operand: `norm` has its leading one at the top (unless zero), `lz` shifts were spent. */
export interface NormOperand extends Operand {
  readonly norm: string;
  /** Null when the format has no subnormals: the significand is already normalized. */
  readonly lz: string | null;
  readonly lzWidth: number;
}

/**
 * Declares `<p>_sign`, `<p>_is_zero`, `<p>_is_inf`, `<p>_is_nan`, `<p>_sig`, `<p>_exp` for the
 * input port `<p>` of format f (only the signals the format needs).
 */
export function unpackOperand(body: Body, p: string, f: Format): Operand {
  const E = f.exp;
  const M = f.man;
  const W = f.width;
  const field = `${p}_field`;
  const frac = `${p}_frac`;
  body.comment(`${p}: ${f.name} = sign | ${E}-bit exponent field | ${M}-bit mantissa`);
  body.wire(1, `${p}_sign`, `${p}[${W - 1}]`);
  body.wire(E, field, slice(p, W, W - 2, M));
  if (M > 0) body.wire(M, frac, slice(p, W, M - 1, 0));

  let isInf: string | null = null;
  let isNaN: string | null = null;
  if (f.specials === 'ieee') {
    body.wire(1, `${p}_field_max`, `(${field} == ${hex(E, 2 ** E - 1)})`, 'exponent field all ones: inf or NaN');
    body.wire(1, `${p}_is_inf`, `${p}_field_max & (${frac} == ${lit(M, 0)})`);
    body.wire(1, `${p}_is_nan`, `${p}_field_max & (${frac} != ${lit(M, 0)})`);
    isInf = `${p}_is_inf`;
    isNaN = `${p}_is_nan`;
  } else if (f.specials === 'fn') {
    body.wire(1, `${p}_is_nan`, `&${slice(p, W, W - 2, 0)}`, 'fn: only the all-ones magnitude is NaN, no inf');
    isNaN = `${p}_is_nan`;
  }
  const subnormals = f.subnormals && M > 0;
  if (subnormals) {
    body.wire(1, `${p}_is_zero`, `(${slice(p, W, W - 2, 0)} == ${lit(W - 1, 0)})`);
  } else {
    body.wire(1, `${p}_is_zero`, `(${field} == ${lit(E, 0)})`, f.subnormals ? 'no mantissa: field 0 is zero' : 'subnormals off: field 0 reads as zero');
  }

  // The significand with its hidden bit, zero exactly for a zero.
  if (M === 0) {
    body.wire(1, `${p}_sig`, `~${p}_is_zero`, 'the hidden bit alone');
  } else if (subnormals) {
    body.wire(M + 1, `${p}_sig`, `{${field} != ${lit(E, 0)}, ${frac}}`, 'hidden bit clear for subnormals');
  } else {
    body.wire(M + 1, `${p}_sig`, `${p}_is_zero ? ${lit(M + 1, 0)} : {1'b1, ${frac}}`);
  }
  let exp = field;
  if (subnormals) {
    body.wire(E, `${p}_exp`, `(${field} == ${lit(E, 0)}) ? ${lit(E, 1)} : ${field}`, 'subnormals scale like exponent field 1');
    exp = `${p}_exp`;
  }
  return { prefix: p, f, sign: `${p}_sign`, isZero: `${p}_is_zero`, isInf, isNaN, sig: `${p}_sig`, sigWidth: M + 1, exp, expWidth: E };
}

/** Unpacks and normalizes: a subnormal's leading one moves up to the hidden bit position. */
export function unpackNormalized(body: Body, p: string, f: Format, deps: VModule[]): NormOperand {
  const op = unpackOperand(body, p, f);
  if (!(f.subnormals && f.man > 0)) return { ...op, norm: op.sig, lz: null, lzWidth: 0 };
  const w = op.sigWidth;
  const clz = clzModule(w);
  deps.push(clz);
  const lzWidth = bitsFor(w);
  body.comment(`Normalize a subnormal ${p}: its leading one moves up to the hidden bit, its exponent below 1.`);
  body.wire(lzWidth, `${p}_lz`);
  body.instance(clz.name, `${p}_clz`, [['value', op.sig], ['count', `${p}_lz`]]);
  body.wire(w, `${p}_norm`, `${op.sig} << ${p}_lz`);
  return { ...op, norm: `${p}_norm`, lz: `${p}_lz`, lzWidth };
}

/** `exp - lz` of a normalized operand as a signed XW-bit expression: the exponent of its leading
 *  one, in its own bias. */
export function leadExpr(op: NormOperand, XW: number): string {
  const exp = `$signed(${zext(op.exp, op.expWidth, XW)})`;
  return op.lz ? `${exp} - $signed(${zext(op.lz, op.lzWidth, XW)})` : exp;
}

/**
 * Range [lo, hi] of `exp - lz` of a normalized operand, in its own biased terms: from a subnormal's
 * 1 - M (a zero gives -M, included so that no exponent wire can wrap) to the all-ones field.
 */
export function normExpRange(f: Format): [number, number] {
  return [-f.man, 2 ** f.exp - 1];
}
