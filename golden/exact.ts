// The golden reference arithmetic of docs/arithmetic.md §1-§2: values are exact dyadic rationals
// held in BigInt, and rounding follows docs/arithmetic.md §2 step by step. Written apart from
// core/arith.ts (it uses only the base fields of a Format, never the core's derived constants) so
// that the two can catch each other's mistakes; clarity matters more here than speed.
import { LbamacError } from '../core/errors.js';
import type { Format, RoundingMode } from '../core/format.js';

export type Sign = 0 | 1;

export type Exact =
  | { kind: 'zero'; sign: Sign }
  | { kind: 'inf'; sign: Sign }
  | { kind: 'nan' }
  /** (-1)^sign · sig · 2^exp with sig > 0. */
  | { kind: 'finite'; sign: Sign; sig: bigint; exp: number };

export type Finite = Extract<Exact, { kind: 'finite' }>;

/** What rsr adds below the rounding position: the R-bit integer r its rounding unit drew
 *  (core/random-stream.ts says which). The other modes take none. */
export interface Draw {
  r: number;
  bits: number;
}

/** A rounded result: a code of the target format and the EV_* flags the rounding raised. */
export interface Rounded {
  code: number;
  flags: number;
}

/** The rounded result differs from the exact finite result. */
export const EV_INEXACT = 1;
/** The exact result is finite and step 6 (overflow) applied. */
export const EV_OVERFLOW = 2;
/** The exact result is finite and nonzero and the result is a subnormal or a zero. */
export const EV_TINY = 4;
/** The exact result is finite and nonzero and the result is a zero (implies EV_TINY). */
export const EV_ZERO = 8;
/** A NaN came out of operands none of which is NaN (inf × 0, inf − inf). */
export const EV_INVALID = 16;

export const NAN: Exact = { kind: 'nan' };

export function zero(sign: Sign): Exact {
  return { kind: 'zero', sign };
}

export function inf(sign: Sign): Exact {
  return { kind: 'inf', sign };
}

/** ±sig·2^exp with sig > 0, trailing zero bits moved into exp so that long chains stay small. */
export function finite(sign: Sign, sig: bigint, exp: number): Finite {
  if (sig <= 0n) throw new RangeError(`finite() needs sig > 0, got ${sig}`);
  const trailing = bitLength(sig & -sig) - 1;
  return { kind: 'finite', sign, sig: sig >> BigInt(trailing), exp: exp + trailing };
}

/** Number of bits of x > 0. Hex keeps the string four times shorter than binary for huge x. */
export function bitLength(x: bigint): number {
  const hex = x.toString(16);
  return 4 * (hex.length - 1) + parseInt(hex[0]!, 16).toString(2).length;
}

/** floor(log2 |v|). */
export function ilog2(v: Finite): number {
  return bitLength(v.sig) - 1 + v.exp;
}

export function negate(v: Exact): Exact {
  return v.kind === 'nan' ? v : { ...v, sign: v.sign === 0 ? 1 : 0 };
}

// ---- Format geometry, from docs/arithmetic.md §1 ----

function allOnesField(f: Format): number {
  return 2 ** f.exp - 1;
}

/** The sign bit's weight: codes of f are the integers below twice this. */
function signWeight(f: Format): number {
  return 2 ** (f.exp + f.man);
}

function withSign(f: Format, sign: Sign, magnitude: number): number {
  return sign * signWeight(f) + magnitude;
}

/** Magnitude code of the largest finite value: just below the first special code, or all ones. */
export function maxFiniteCode(f: Format): number {
  if (f.specials === 'ieee') return allOnesField(f) * 2 ** f.man - 1;
  return f.specials === 'fn' ? signWeight(f) - 2 : signWeight(f) - 1;
}

/** Code of +inf, or null without inf. */
export function infCode(f: Format): number | null {
  return f.specials === 'ieee' ? allOnesField(f) * 2 ** f.man : null;
}

/** Code of the canonical NaN, or null without NaN. */
export function nanCode(f: Format): number | null {
  if (f.specials === 'ieee') return allOnesField(f) * 2 ** f.man + 2 ** (f.man - 1);
  return f.specials === 'fn' ? signWeight(f) - 1 : null;
}

export function decode(code: number, f: Format): Exact {
  if (!Number.isInteger(code) || code < 0 || code >= 2 * signWeight(f)) {
    throw new LbamacError(`${code} is not a code of ${f.name}; expected an integer from 0 to ${2 * signWeight(f) - 1}`);
  }
  const sign: Sign = code >= signWeight(f) ? 1 : 0;
  const magnitude = code - sign * signWeight(f);
  const field = Math.floor(magnitude / 2 ** f.man);
  const mantissa = magnitude % 2 ** f.man;
  if (f.specials === 'ieee' && field === allOnesField(f)) return mantissa === 0 ? inf(sign) : NAN;
  if (f.specials === 'fn' && magnitude === signWeight(f) - 1) return NAN;
  if (field === 0) {
    return f.subnormals && mantissa !== 0 ? finite(sign, BigInt(mantissa), 1 - f.bias - f.man) : zero(sign);
  }
  return finite(sign, BigInt(2 ** f.man + mantissa), field - f.bias - f.man);
}

// ---- float64 ----

export function fromFloat64(x: number): Exact {
  if (Number.isNaN(x)) return NAN;
  const sign: Sign = x < 0 || Object.is(x, -0) ? 1 : 0;
  if (x === 0) return zero(sign);
  if (!Number.isFinite(x)) return inf(sign);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const field = Number((bits >> 52n) & 0x7ffn);
  const mantissa = bits & ((1n << 52n) - 1n);
  return field === 0 ? finite(sign, mantissa, -1074) : finite(sign, mantissa | (1n << 52n), field - 1075);
}

/** The nearest double, ties to even (binary64: 52 mantissa bits, emin -1022, emax 1023). */
export function toFloat64(v: Exact): number {
  switch (v.kind) {
    case 'nan':
      return NaN;
    case 'zero':
      return v.sign ? -0 : 0;
    case 'inf':
      return v.sign ? -Infinity : Infinity;
    case 'finite': {
      const { n, e } = roundSignificand(v, Math.max(ilog2(v), -1022), 52, 'rne', null);
      const magnitude = e > 1023 ? Infinity : Number(n) * 2 ** (e - 52);
      return v.sign ? -magnitude : magnitude;
    }
  }
}

// ---- exact operations ----

export function exactMul(a: Exact, b: Exact): Exact {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  const sign: Sign = a.sign === b.sign ? 0 : 1;
  if (a.kind === 'inf' || b.kind === 'inf') return a.kind === 'zero' || b.kind === 'zero' ? NAN : inf(sign);
  if (a.kind === 'zero' || b.kind === 'zero') return zero(sign);
  return finite(sign, a.sig * b.sig, a.exp + b.exp);
}

/**
 * a + b. A zero sum of operands of opposite signs (x + (-x), +0 + -0) has no sign of its own: it
 * takes `zeroSign`, which the rounding mode decides (cancellationSign).
 */
export function exactAdd(a: Exact, b: Exact, zeroSign: Sign = 0): Exact {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind === 'inf' && b.kind === 'inf') return a.sign === b.sign ? a : NAN;
  if (a.kind === 'inf') return a;
  if (b.kind === 'inf') return b;
  if (a.kind === 'zero' && b.kind === 'zero') return zero(a.sign === b.sign ? a.sign : zeroSign);
  if (a.kind === 'zero') return b;
  if (b.kind === 'zero') return a;
  const exp = Math.min(a.exp, b.exp);
  const sum = signedSig(a) * (1n << BigInt(a.exp - exp)) + signedSig(b) * (1n << BigInt(b.exp - exp));
  if (sum === 0n) return zero(zeroSign);
  return sum < 0n ? finite(1, -sum, exp) : finite(0, sum, exp);
}

/** The sign of an exact zero sum of operands of opposite signs (docs/arithmetic.md §2): +0,
 *  but -0 when rounding toward -inf. */
export function cancellationSign(mode: RoundingMode): Sign {
  return mode === 'rdn' ? 1 : 0;
}

function signedSig(v: Finite): bigint {
  return v.sign ? -v.sig : v.sig;
}

/** Compares |a| and |b|: -1, 0 or 1. */
export function compareMagnitude(a: Finite, b: Finite): number {
  const la = ilog2(a);
  const lb = ilog2(b);
  if (la !== lb) return la < lb ? -1 : 1;
  // Same binade: the exponents differ by less than the significand lengths, so the shift is small.
  const exp = Math.min(a.exp, b.exp);
  const x = a.sig << BigInt(a.exp - exp);
  const y = b.sig << BigInt(b.exp - exp);
  return x === y ? 0 : x < y ? -1 : 1;
}

// ---- rounding (docs/arithmetic.md §2) ----

/**
 * Steps 2-3 for a given step-1 exponent e: n = round(|v| / 2^(e - man)) by the mode (which, for
 * the directed modes, looks at v's sign, and for rsr at the draw), and when n carries to
 * 2^(man+1), n = 2^man and e + 1. The result is n · 2^(e - man) in magnitude.
 */
export function roundSignificand(v: Finite, e: number, man: number, mode: RoundingMode, draw: Draw | null): { n: bigint; e: number } {
  const shift = v.exp - (e - man);
  const n = shift >= 0 ? v.sig << BigInt(shift) : roundShiftRight(v.sig, -shift, mode, v.sign, draw);
  return n === 1n << BigInt(man + 1) ? { n: 1n << BigInt(man), e: e + 1 } : { n, e };
}

/** round(x) for x = sig / 2^k with k > 0, of a value with sign `sign`: step 2's rules. */
function roundShiftRight(sig: bigint, k: number, mode: RoundingMode, sign: Sign, draw: Draw | null): bigint {
  if (mode === 'rsr') {
    if (draw === null) throw new Error('internal: rsr rounding without a draw');
    // n = floor((floor(x · 2^R) + r) / 2^R), literally.
    const R = BigInt(draw.bits);
    const scaled = BigInt(k) >= R ? sig >> (BigInt(k) - R) : sig << (R - BigInt(k));
    return (scaled + BigInt(draw.r)) >> R;
  }
  // sig < 2^bitLength(sig) ≤ 2^(k-1): x is below one half and not an integer. Deciding that case
  // first avoids building 2^k for values far below a format's range (k can be ~2^21).
  const belowHalf = bitLength(sig) <= k - 1;
  const K = BigInt(k);
  const floor = belowHalf ? 0n : sig >> K;
  const r = belowHalf ? sig : sig - (floor << K);
  const half = belowHalf ? null : 1n << (K - 1n);
  const exact = r === 0n;
  const ceil = exact ? floor : floor + 1n;
  switch (mode) {
    case 'rtz':
      return floor;
    case 'rdn':
      return sign ? ceil : floor;
    case 'rup':
      return sign ? floor : ceil;
    case 'rod':
      return exact ? floor : floor | 1n;
    case 'rna':
      return half !== null && r >= half ? floor + 1n : floor;
    case 'rne':
      if (half === null || r < half) return floor;
      if (r > half) return floor + 1n;
      return floor % 2n === 0n ? floor : floor + 1n;
  }
}

/** Step 6: whether a value above the largest finite one becomes an infinity (given overflow =
 *  inf): to nearest and stochastically, or rounding toward the infinity on the value's side. */
function overflowToInf(mode: RoundingMode, sign: Sign): boolean {
  return mode === 'rne' || mode === 'rna' || mode === 'rsr' || (mode === 'rdn' && sign === 1) || (mode === 'rup' && sign === 0);
}

/** Rounds an exact value into f (docs/arithmetic.md §2 and its specials); flags are EV_* bits.
 *  `draw`: rsr's (a finite value under rsr needs one). */
export function round(v: Exact, f: Format, mode: RoundingMode, draw: Draw | null = null): Rounded {
  switch (v.kind) {
    case 'nan':
      return { code: nanCode(f) ?? maxFiniteCode(f), flags: 0 };
    case 'inf':
      return { code: withSign(f, v.sign, infCode(f) ?? maxFiniteCode(f)), flags: 0 };
    case 'zero':
      return { code: withSign(f, v.sign, 0), flags: 0 };
    case 'finite':
      return roundFinite(v, f, mode, draw);
  }
}

function roundFinite(v: Finite, f: Format, mode: RoundingMode, draw: Draw | null): Rounded {
  const { magnitude, overflow } = roundMagnitude(v, f, mode, draw);
  const code = withSign(f, v.sign, magnitude);
  // The remaining flags are read off the result itself, which keeps them independent of the
  // path roundMagnitude took.
  const result = decode(code, f);
  let flags = overflow ? EV_OVERFLOW : 0;
  if (result.kind !== 'finite' || compareMagnitude(result, v) !== 0) flags |= EV_INEXACT;
  if (result.kind === 'zero') flags |= EV_TINY | EV_ZERO;
  if (result.kind === 'finite' && ilog2(result) < 1 - f.bias) flags |= EV_TINY;
  return { code, flags };
}

/** Steps 1-6 on |v|: the magnitude code, and whether step 6 applied. */
function roundMagnitude(v: Finite, f: Format, mode: RoundingMode, draw: Draw | null): { magnitude: number; overflow: boolean } {
  const emin = 1 - f.bias;
  const e1 = f.subnormals ? Math.max(ilog2(v), emin) : ilog2(v);
  const { n, e } = roundSignificand(v, e1, f.man, mode, draw);
  if (n === 0n) return { magnitude: 0, overflow: false };
  if (!f.subnormals && e < emin) return { magnitude: 0, overflow: false };
  const largest = decode(maxFiniteCode(f), f) as Finite;
  if (compareMagnitude(finite(0, n, e - f.man), largest) > 0) {
    const toInf = f.overflow === 'inf' && overflowToInf(mode, v.sign);
    return { magnitude: toInf ? infCode(f)! : maxFiniteCode(f), overflow: true };
  }
  const hidden = 2 ** f.man;
  // n < 2^man only happens at e = emin with subnormals on: exponent field 0.
  const magnitude = Number(n) < hidden ? Number(n) : (e + f.bias) * hidden + Number(n) - hidden;
  return { magnitude, overflow: false };
}

// ---- rounded operations on codes ----

/** Rounds an operation's exact result; EV_INVALID when it is a NaN made from non-NaN operands. */
function finish(result: Exact, operands: Exact[], fo: Format, mode: RoundingMode, draw: Draw | null): Rounded {
  const rounded = round(result, fo, mode, draw);
  const invalid = result.kind === 'nan' && operands.every((o) => o.kind !== 'nan');
  return invalid ? { code: rounded.code, flags: rounded.flags | EV_INVALID } : rounded;
}

/**
 * x + y, or a value that rounds to `man` bits exactly like it (same code, same flags). Under rsr,
 * pass man + R - 1: its rounding looks R bits below the last kept one where the others look one.
 *
 * Formats with extreme biases put operands ~2^21 binades apart, and the exact sum would then be a
 * million-bit BigInt. When |small| < 2^L with L = min(big.exp, ilog2(big) - man - 2) - 1:
 * big is a nonzero multiple of 2^(L+1), so |big + small| > 2^L and big + small lies strictly
 * inside one interval between consecutive multiples of 2^L, as does big + small' for any small'
 * of the same sign with |small'| < 2^L. Every boundary rounding looks at is a multiple of 2^L:
 * the powers of two above 2^L that fix step 1's e, and the grid and midpoints of step 2, which
 * are multiples of 2^(e - man - 1) with e ≥ ilog2(big) - 1, i.e. of 2^(L+1). Every mode decides
 * by that interval and the sign, which the two sums share, so both give the same e and n and both
 * are inexact; small' = ±2^(L-1) is then exact enough.
 */
function sumForRounding(x: Exact, y: Exact, man: number, mode: RoundingMode): Exact {
  const zeroSign = cancellationSign(mode);
  if (x.kind !== 'finite' || y.kind !== 'finite') return exactAdd(x, y, zeroSign);
  const [big, small] = ilog2(x) >= ilog2(y) ? [x, y] : [y, x];
  const L = Math.min(big.exp, ilog2(big) - man - 2) - 1;
  if (ilog2(small) >= L) return exactAdd(x, y, zeroSign);
  return exactAdd(big, finite(small.sign, 1n, L - 1));
}

/** The bits below the last kept one a rounding looks at, for sumForRounding: R under rsr. */
function lookBelow(mode: RoundingMode, draw: Draw | null): number {
  return mode === 'rsr' && draw !== null ? draw.bits : 1;
}

/** a·b rounded once; `draw` as for round. */
export function mul(fa: Format, a: number, fb: Format, b: number, fo: Format, mode: RoundingMode, draw: Draw | null = null): Rounded {
  const x = decode(a, fa);
  const y = decode(b, fb);
  return finish(exactMul(x, y), [x, y], fo, mode, draw);
}

/** x + y rounded once; `draw` as for round. */
export function add(fx: Format, x: number, fy: Format, y: number, fo: Format, mode: RoundingMode, draw: Draw | null = null): Rounded {
  const u = decode(x, fx);
  const v = decode(y, fy);
  return finish(sumForRounding(u, v, fo.man + lookBelow(mode, draw) - 1, mode), [u, v], fo, mode, draw);
}

/** a·b + c with one rounding; `draw` as for round. */
export function fma(fa: Format, a: number, fb: Format, b: number, fc: Format, c: number, fo: Format, mode: RoundingMode, draw: Draw | null = null): Rounded {
  const x = decode(a, fa);
  const y = decode(b, fb);
  const z = decode(c, fc);
  return finish(sumForRounding(exactMul(x, y), z, fo.man + lookBelow(mode, draw) - 1, mode), [x, y, z], fo, mode, draw);
}

export function convert(fx: Format, x: number, fo: Format, mode: RoundingMode, draw: Draw | null = null): Rounded {
  return round(decode(x, fx), fo, mode, draw);
}

/** A float64 input into a format (docs/arithmetic.md §2, "Inputs from real numbers"). */
export function quantize(x: number, fo: Format, mode: RoundingMode): Rounded {
  return round(fromFloat64(x), fo, mode);
}
