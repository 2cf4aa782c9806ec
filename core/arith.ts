// The bit-exact arithmetic core (docs/arithmetic.md §1-§2): multiply, add, fused multiply-add and
// conversions, each rounded once into a target format, on codes (unsigned bit patterns).
//
// It works the way the hardware does: operands are unpacked into sign, significand and exponent;
// sums are aligned in a bounded window with a sticky bit; one rounding step packs the result.
// Significands are integers carried in float64s, exact up to 2^53: with man <= 23 a product of two
// significands has at most 48 bits, so nothing here needs BigInt, and nothing allocates.
import type { Format, RoundingMode } from './format.js';

/** A RoundingMode (core/format.ts) as a small integer for the hot path; roundingCode converts. */
export type RoundingCode = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export const RNE: RoundingCode = 0;
export const RNA: RoundingCode = 1;
export const RTZ: RoundingCode = 2;
export const RDN: RoundingCode = 3;
export const RUP: RoundingCode = 4;
export const ROD: RoundingCode = 5;
/** Stochastic rounding: the operations take the draw as the fraction u = r / 2^R in [0, 1)
 *  (core/random-stream.ts drawFraction), their last argument. */
export const RSR: RoundingCode = 6;

const CODES: Record<RoundingMode, RoundingCode> = { rne: RNE, rna: RNA, rtz: RTZ, rdn: RDN, rup: RUP, rod: ROD, rsr: RSR };

export function roundingCode(mode: RoundingMode): RoundingCode {
  return CODES[mode];
}

/**
 * Whether the truncated significand n (sign `sign`) goes up by one unit (docs/arithmetic.md §2,
 * step 2), for the deterministic modes (roundPack decides rsr itself). `half` compares the dropped part with half a unit: -1 below, 0 exactly half, 1 above;
 * `inexact` says the dropped part is nonzero; `odd` is n's parity. Directed modes look at the sign:
 * toward -inf increments the magnitude of negative values only, toward +inf of positive ones.
 * Round to odd sets the last bit, i.e. increments an even n; an odd n never carries out.
 */
export function roundsUp(mode: RoundingCode, sign: number, odd: boolean, half: number, inexact: boolean): boolean {
  switch (mode) {
    case RNE:
      return half > 0 || (half === 0 && odd);
    case RNA:
      return half >= 0;
    case RTZ:
      return false;
    case RDN:
      return inexact && sign === 1;
    case RUP:
      return inexact && sign === 0;
    default:
      return inexact && !odd;
  }
}

/** Whether a result above the largest finite value becomes an infinity (with overflow = inf):
 *  under the nearest modes and stochastic rounding, and under a directed mode that points away
 *  from zero (step 6). */
export function overflowsToInf(mode: RoundingCode, sign: number): boolean {
  return mode === RNE || mode === RNA || mode === RSR || (mode === RDN && sign === 1) || (mode === RUP && sign === 0);
}

/** Event flags of one operation (docs/arithmetic.md §5); the golden model uses the same bits. */
export const EV_INEXACT = 1; // the result differs from the exact finite result
export const EV_OVERFLOW = 2; // exact finite result above the largest finite after rounding
export const EV_TINY = 4; // exact nonzero finite result became a subnormal or a zero
export const EV_ZERO = 8; // exact nonzero finite result became a zero
export const EV_INVALID = 16; // a NaN made from non-NaN operands (inf*0, inf-inf)

/** Flags of the most recent operation; each operation overwrites them. */
export const status = { flags: 0 };

const ZERO = 0;
const FINITE = 1;
const INF = 2;
const NAN = 3;

// 2^0 .. 2^64 for shifts expressed as multiplications and divisions.
const P2 = new Float64Array(65).map((_, i) => 2 ** i);
const TWO32 = 4294967296;
const TWO31 = 2147483648;

function bitLength(x: number): number {
  return x < TWO32 ? 32 - Math.clz32(x) : 64 - Math.clz32(Math.floor(x / TWO32));
}

// Unpacked operand: class, sign, integer significand, exponent of its least significant bit.
let uCls = 0;
let uSign = 0;
let uSig = 0;
let uQ = 0;

function unpack(f: Format, code: number): void {
  uSign = code >= f.signBit ? 1 : 0;
  const mag = uSign === 1 ? code - f.signBit : code;
  if (f.infCode >= 0 && mag >= f.infCode) {
    uCls = mag === f.infCode ? INF : NAN;
    return;
  }
  if (mag === f.nanCode) {
    uCls = NAN;
    return;
  }
  // Codes of the wide internal formats (core/odd-sum.ts) pass 2^32: no 32-bit shift for those.
  const field = mag < TWO32 ? mag >>> f.man : Math.floor(mag / f.hidden);
  const m = mag - field * f.hidden;
  if (field === 0) {
    if (m === 0 || !f.subnormals) {
      uCls = ZERO;
      return;
    }
    uCls = FINITE;
    uSig = m;
    uQ = f.emin - f.man;
    return;
  }
  uCls = FINITE;
  uSig = m + f.hidden;
  uQ = field - f.bias - f.man;
}

function signed(f: Format, sign: number, mag: number): number {
  return sign === 1 ? f.signBit + mag : mag;
}

function nanResult(f: Format): number {
  return f.nanCode >= 0 ? f.nanCode : f.maxFiniteMag;
}

function infResult(f: Format, sign: number): number {
  return signed(f, sign, f.infCode >= 0 ? f.infCode : f.maxFiniteMag);
}

/** An exact zero sum of operands of opposite signs (x + (-x), +0 + -0): +0, but -0 toward -inf. */
function exactZeroSum(f: Format, mode: RoundingCode): number {
  return mode === RDN ? f.signBit : 0;
}

/**
 * Rounds (-1)^sign * (sig + sticky) * 2^q into f (docs/arithmetic.md §2, steps 1-6), where
 * sig > 0 is an integer below 2^53 and `sticky` says a nonzero fraction below sig's last bit
 * was dropped. `u` is rsr's draw as a fraction (ignored by the other modes).
 * Callers guarantee that with sticky set, sig has at least man + 2 bits, so the rounding
 * position lies inside sig and the half bit is explicit; under rsr, R bits below the position.
 */
export function roundPack(f: Format, mode: RoundingCode, sign: number, sig: number, q: number, sticky: boolean, u = 0): number {
  const M = f.man;
  let e = bitLength(sig) - 1 + q;
  if (f.subnormals && e < f.emin) e = f.emin;
  const shift = e - M - q;
  let n: number;
  let inexact: boolean;
  if (shift <= 0) {
    n = sig * P2[-shift]!;
    inexact = sticky;
  } else if (shift > 54) {
    // The whole value lies below half a unit of the rounding position: zero, or the smallest unit
    // for the modes that round a nonzero remainder away from zero (rsr: when the draw carries it).
    n = (mode === RSR ? sig >= (1 - u) * 2 ** shift : roundsUp(mode, sign, false, -1, true)) ? 1 : 0;
    inexact = true;
  } else {
    let rem: number;
    let half: number;
    if (sig < TWO31 && shift < 32) {
      // Small significands (every format up to fp16 products): plain 32-bit shifts and masks.
      n = sig >>> shift;
      rem = sig & ((1 << shift) - 1);
      half = 1 << (shift - 1);
    } else {
      const unit = P2[shift]!;
      n = Math.floor(sig / unit);
      rem = sig - n * unit;
      half = unit * 0.5;
    }
    inexact = rem !== 0 || sticky;
    let up: boolean;
    if (mode === RSR) up = rem >= rsrThreshold(shift, sticky, u);
    else {
      // sticky lies below rem's last bit: it turns an exact half into "above".
      const vsHalf = rem > half || (rem === half && sticky) ? 1 : rem === half ? 0 : -1;
      up = roundsUp(mode, sign, n < TWO31 ? (n & 1) === 1 : n % 2 === 1, vsHalf, inexact);
    }
    if (up) {
      n += 1;
      if (n === 2 * f.hidden) {
        n = f.hidden;
        e += 1;
      }
    }
  }
  let flags = inexact ? EV_INEXACT : 0;
  if (n === 0 || e < f.emin) {
    // Rounded to zero, or (subnormals off) below the smallest normal after rounding: flush.
    status.flags = flags | EV_INEXACT | EV_TINY | EV_ZERO;
    return signed(f, sign, 0);
  }
  if (n < f.hidden) {
    status.flags = flags | EV_TINY;
    return signed(f, sign, n);
  }
  if (e > f.emax || (e === f.emax && n > f.maxSig)) {
    status.flags = flags | EV_OVERFLOW | EV_INEXACT;
    const toInf = f.overflow === 'inf' && overflowsToInf(mode, sign);
    return signed(f, sign, toInf ? f.infCode : f.maxFiniteMag);
  }
  status.flags = flags;
  return signed(f, sign, (e + f.bias) * f.hidden + (n - f.hidden));
}

/**
 * rsr (docs/arithmetic.md §2): n = ⌊(⌊x·2^R⌋ + r) / 2^R⌋ goes up by one exactly when the dropped
 * fraction of x plus u = r / 2^R reaches 1 (2^R − r is an integer, so the floor changes nothing),
 * i.e. when the dropped bits, in units of sig's last bit, reach T = (1 − u)·2^shift. A dropped
 * fraction below sig's last bit (sticky) changes that only when T is not an integer: then the
 * caller kept too few bits.
 */
function rsrThreshold(shift: number, sticky: boolean, u: number): number {
  const T = (1 - u) * P2[shift]!;
  if (sticky && T !== Math.floor(T)) throw new Error(`internal: rsr needs the bits of the draw below sig (shift ${shift}, u ${u})`);
  return T;
}

/** Whether the window path's sum (sig S at exponent W, sticky below) keeps the bits rsr compares
 *  with its draw: roundPack's shift, and the draw's fraction bits above the window. */
function rsrFitsWindow(f: Format, S: number, W: number, u: number): boolean {
  let e = bitLength(S) - 1 + W;
  if (f.subnormals && e < f.emin) e = f.emin;
  const shift = e - f.man - W;
  return shift >= 32 || Number.isInteger(u * P2[shift]!);
}

/**
 * Adds two finite nonzero operands exactly where the aligned sum fits 53 bits, else in a window
 * whose low end W sits 51 bits below the larger operand's leading bit: the larger operand fits
 * whole (significands have at most 48 bits), the smaller one's bits below W fold into sticky.
 * In that case the leading bits are at least 2 apart, so even a subtraction keeps 50 bits above W.
 */
function addFinite(f: Format, mode: RoundingCode, sx: number, sigx: number, qx: number, sy: number, sigy: number, qy: number, u: number): number {
  let lx = bitLength(sigx) - 1 + qx;
  const ly = bitLength(sigy) - 1 + qy;
  if (ly > lx) {
    const s = sx, g = sigx, q = qx;
    sx = sy; sigx = sigy; qx = qy; lx = ly;
    sy = s; sigy = g; qy = q;
  }
  const qmin = qx < qy ? qx : qy;
  if (lx - qmin <= 51) {
    const X = sigx * P2[qx - qmin]!;
    const Y = sigy * P2[qy - qmin]!;
    let S = sx === sy ? X + Y : X - Y;
    let sign = sx;
    if (S === 0) {
      status.flags = 0;
      return exactZeroSum(f, mode);
    }
    if (S < 0) {
      S = -S;
      sign = sy;
    }
    return roundPack(f, mode, sign, S, qmin, false, u);
  }
  const W = lx - 51;
  const X = sigx * P2[qx - W]!;
  const dy = W - qy;
  let Y: number;
  let sticky: boolean;
  if (dy <= 0) {
    Y = sigy * P2[-dy]!;
    sticky = false;
  } else if (dy > 53) {
    Y = 0;
    sticky = true;
  } else {
    Y = Math.floor(sigy / P2[dy]!);
    sticky = sigy !== Y * P2[dy]!;
  }
  // Subtracting y + a fraction: borrow one unit and keep the fraction's complement as sticky.
  const S = sx === sy ? X + Y : X - Y - (sticky ? 1 : 0);
  // A wide accumulator under rsr with many random bits (man + R > 50) can need bits below W.
  if (mode === RSR && sticky && !rsrFitsWindow(f, S, W, u)) return addWideRsr(f, sx, sigx, qx, lx, sy, sigy, qy, u);
  return roundPack(f, mode, sx, S, W, sticky, u);
}

/**
 * addFinite's window case under rsr when the window is too narrow for the draw: the same sum in
 * BigInt, its window 33 bits below the lowest rounding position the sum can have (its leading bit
 * is lx - 1 or above), which covers any R ≤ 32. The smaller operand's bits below the window fold
 * into sticky as in addFinite; rsr only looks at the floor at the draw's last bit, which is above.
 */
function addWideRsr(f: Format, sx: number, sigx: number, qx: number, lx: number, sy: number, sigy: number, qy: number, u: number): number {
  const M = f.man;
  const G = Math.min(qx, lx - 1 - M - 33);
  const X = BigInt(sigx) << BigInt(qx - G);
  const dy = G - qy;
  const Y = dy <= 0 ? BigInt(sigy) << BigInt(-dy) : BigInt(sigy) >> BigInt(dy);
  const sticky = dy > 0 && (dy > 53 || Y << BigInt(dy) !== BigInt(sigy));
  const S = sx === sy ? X + Y : X - Y - (sticky ? 1n : 0n);
  let e = S.toString(2).length - 1 + G;
  if (f.subnormals && e < f.emin) e = f.emin;
  const k = BigInt(e - M - G);
  let n = S >> k;
  const rem = S - (n << k);
  // rem ≥ (1 − u)·2^k, with u·2^32 an integer and k ≥ 33.
  if (rem >= BigInt(2 ** 32 - u * 2 ** 32) << (k - 32n)) n += 1n;
  const inexact = rem !== 0n || sticky;
  if (n === 0n) {
    status.flags = EV_INEXACT | EV_TINY | EV_ZERO;
    return signed(f, sx, 0);
  }
  // n·2^(e-M) is a value of f's grid (or one unit above it): packing it rounds nothing.
  const code = roundPack(f, RSR, sx, Number(n), e - M, false);
  if (inexact) status.flags |= EV_INEXACT;
  return code;
}

function addUnpacked(
  f: Format, mode: RoundingCode,
  cx: number, sx: number, sigx: number, qx: number,
  cy: number, sy: number, sigy: number, qy: number,
  u: number,
): number {
  if (cx === NAN || cy === NAN) {
    status.flags = 0;
    return nanResult(f);
  }
  if (cx === INF || cy === INF) {
    if (cx === INF && cy === INF && sx !== sy) {
      status.flags = EV_INVALID;
      return nanResult(f);
    }
    status.flags = 0;
    return infResult(f, cx === INF ? sx : sy);
  }
  if (cx === ZERO && cy === ZERO) {
    status.flags = 0;
    return sx === sy ? signed(f, sx, 0) : exactZeroSum(f, mode);
  }
  if (cx === ZERO) return roundPack(f, mode, sy, sigy, qy, false, u);
  if (cy === ZERO) return roundPack(f, mode, sx, sigx, qx, false, u);
  return addFinite(f, mode, sx, sigx, qx, sy, sigy, qy, u);
}

/** x + y rounded once into fo; `u`: rsr's draw as a fraction (the other modes ignore it). */
export function add(fx: Format, x: number, fy: Format, y: number, fo: Format, mode: RoundingCode, u = 0): number {
  unpack(fx, x);
  const cx = uCls, sx = uSign, sigx = uSig, qx = uQ;
  unpack(fy, y);
  return addUnpacked(fo, mode, cx, sx, sigx, qx, uCls, uSign, uSig, uQ, u);
}

/** a * b rounded once into fo; `u` as for add. */
export function mul(fa: Format, a: number, fb: Format, b: number, fo: Format, mode: RoundingCode, u = 0): number {
  unpack(fa, a);
  const ca = uCls, sa = uSign, siga = uSig, qa = uQ;
  unpack(fb, b);
  const sign = sa ^ uSign;
  if (ca === NAN || uCls === NAN) {
    status.flags = 0;
    return nanResult(fo);
  }
  if (ca === INF || uCls === INF) {
    if (ca === ZERO || uCls === ZERO) {
      status.flags = EV_INVALID;
      return nanResult(fo);
    }
    status.flags = 0;
    return infResult(fo, sign);
  }
  if (ca === ZERO || uCls === ZERO) {
    status.flags = 0;
    return signed(fo, sign, 0);
  }
  return roundPack(fo, mode, sign, siga * uSig, qa + uQ, false, u);
}

/** a * b + c with the product kept exact and one rounding into fo (a fused multiply-add); `u` as
 *  for add. */
export function fma(fa: Format, a: number, fb: Format, b: number, fc: Format, c: number, fo: Format, mode: RoundingCode, u = 0): number {
  unpack(fa, a);
  const ca = uCls, sa = uSign, siga = uSig, qa = uQ;
  unpack(fb, b);
  const cb = uCls;
  const ps = sa ^ uSign;
  const psig = siga * uSig;
  const pq = qa + uQ;
  unpack(fc, c);
  if (ca === NAN || cb === NAN || uCls === NAN) {
    status.flags = 0;
    return nanResult(fo);
  }
  let pc: number;
  if (ca === INF || cb === INF) {
    if (ca === ZERO || cb === ZERO) {
      status.flags = EV_INVALID;
      return nanResult(fo);
    }
    pc = INF;
  } else {
    pc = ca === ZERO || cb === ZERO ? ZERO : FINITE;
  }
  return addUnpacked(fo, mode, pc, ps, psig, pq, uCls, uSign, uSig, uQ, u);
}

/** A code of fx rounded into fo; `u` as for add. */
export function convert(fx: Format, x: number, fo: Format, mode: RoundingCode, u = 0): number {
  unpack(fx, x);
  status.flags = 0;
  if (uCls === NAN) return nanResult(fo);
  if (uCls === INF) return infResult(fo, uSign);
  if (uCls === ZERO) return signed(fo, uSign, 0);
  return roundPack(fo, mode, uSign, uSig, uQ, false, u);
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('lbamac core assumes a little-endian host');

/** A float64 rounded into fo (docs/arithmetic.md §2, "Inputs from real numbers"). */
export function fromFloat64(x: number, fo: Format, mode: RoundingCode): number {
  F64[0] = x;
  const hi = U32[1]!;
  const lo = U32[0]!;
  const sign = hi >>> 31;
  const bexp = (hi >>> 20) & 0x7ff;
  const frac = (hi & 0xfffff) * TWO32 + lo;
  status.flags = 0;
  if (bexp === 0x7ff) return frac === 0 ? infResult(fo, sign) : nanResult(fo);
  if (bexp === 0) {
    if (frac === 0) return signed(fo, sign, 0);
    return roundPack(fo, mode, sign, frac, -1074, false);
  }
  return roundPack(fo, mode, sign, frac + 2 ** 52, bexp - 1075, false);
}

/** The value of a code as a float64 (exact for every format with exp <= 8 and man <= 23). */
export function toFloat64(code: number, f: Format): number {
  unpack(f, code);
  if (uCls === NAN) return NaN;
  if (uCls === INF) return uSign === 1 ? -Infinity : Infinity;
  if (uCls === ZERO) return uSign === 1 ? -0 : 0;
  // Two steps so that an extreme bias cannot underflow 2^q before the multiply.
  const half = Math.trunc(uQ / 2);
  const v = uSig * 2 ** half * 2 ** (uQ - half);
  return uSign === 1 ? -v : v;
}

export function isNaNCode(code: number, f: Format): boolean {
  unpack(f, code);
  return uCls === NAN;
}

export function isInfCode(code: number, f: Format): boolean {
  unpack(f, code);
  return uCls === INF;
}

export function isZeroCode(code: number, f: Format): boolean {
  unpack(f, code);
  return uCls === ZERO;
}

/** True for a finite code (zeros included). */
export function isFiniteCode(code: number, f: Format): boolean {
  unpack(f, code);
  return uCls === FINITE || uCls === ZERO;
}

/** True for a finite nonzero code. */
export function isFiniteNonzeroCode(code: number, f: Format): boolean {
  unpack(f, code);
  return uCls === FINITE;
}

/** A code as the core sees it: its class (ZERO_CLASS ... NAN_CLASS), sign, integer significand
 *  and the exponent of the significand's last bit (sig and q only for a finite nonzero code).
 *  For kernels that align operands themselves (core/dot.ts) and round with roundPack. */
export interface Unpacked {
  cls: number;
  sign: number;
  sig: number;
  q: number;
}
export const ZERO_CLASS = ZERO;
export const FINITE_CLASS = FINITE;
export const INF_CLASS = INF;
export const NAN_CLASS = NAN;

export function unpackCode(f: Format, code: number, out: Unpacked): void {
  unpack(f, code);
  out.cls = uCls;
  out.sign = uSign;
  out.sig = uSig;
  out.q = uQ;
}

/** A code as its class and exact value (-1)^sign * sig * 2^q (sig and q only for 'finite'). */
export interface UnpackedValue {
  kind: 'zero' | 'finite' | 'inf' | 'nan';
  sign: number;
  sig: number;
  q: number;
}

const KINDS = ['zero', 'finite', 'inf', 'nan'] as const;

/** unpackCode for callers off the hot path (core/fixed-acc.ts's wide register): allocates. */
export function unpackValue(f: Format, code: number): UnpackedValue {
  unpack(f, code);
  return { kind: KINDS[uCls]!, sign: uSign, sig: uSig, q: uQ };
}
