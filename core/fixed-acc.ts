// The fixed-point (Kulisch-style) accumulator of docs/arithmetic.md §3 ("Fixed-point
// accumulation") in the core: a kernel compiled once per configuration, like MacKernel
// (core/mac.ts), whose step works on a FixedState that the caller holds, and the per-output loop
// coreGemm runs.
//
// The register is an integer: the accumulated value in units of 2^lsb. Up to 53 bits wide it is a
// float64 (the `float64` kernel): a product's value times 2^-lsb is then an exact double, its
// rounding to an integer takes a floor and one comparison, and the register plus a product
// reduced modulo 2^width stays below 2^53, so every sum is exact. Wider registers, and formats
// whose values leave float64's range, take the `bigint` kernel, which reads codes as integer
// significand and exponent and holds the register in a BigInt. Both share the special state, the
// sign of a zero register and the event rules (FixedKernel below); test/core/fixed-acc.test.ts
// holds them to golden/fixed.ts.
import { EV_OVERFLOW, EV_ZERO, fromFloat64, RDN, roundingCode, roundPack, roundsUp, type RoundingCode, status, type UnpackedValue, unpackValue } from './arith.js';
import type { FixedAccumulator } from './fixed.js';
import type { Format } from './format.js';
import type { GemmArithmetic, Terms } from './gemm.js';
import { bitSpan, EVI, MacKernel, valueDecoder } from './mac.js';

/** The special state: the IEEE sum of the infinities and NaNs seen so far. */
export const NO_SPECIAL = 0;
export const POS_INF = 1;
export const NEG_INF = 2;
export const NAN_SEEN = 3;

/** One accumulator's state: what a PE holds for one output. */
export interface FixedState {
  /** The register in units of 2^lsb: a number in the float64 kernel, a bigint in the bigint one. */
  reg: number | bigint;
  /** NO_SPECIAL, POS_INF, NEG_INF or NAN_SEEN. */
  special: number;
  /** The sign of the register when it is zero (1: -0); meaningless otherwise. */
  zeroSign: number;
}

export interface FixedKernelSpec {
  a: Format;
  w: Format;
  /** null: products are exact. */
  product: Format | null;
  fixed: FixedAccumulator;
  /** The format D and C are in. */
  out: Format;
  modeProduct: RoundingCode;
  /** Products onto the grid, and the final rounding into out. */
  modeAcc: RoundingCode;
  /** C onto the grid. */
  modeInput: RoundingCode;
}

export type FixedPath = 'float64' | 'bigint';

const TWO52 = 2 ** 52;
const F64_LSB = -1022;
const F64_MSB = 1023;

/** The integer a nonnegative exact double x becomes on the grid (docs/arithmetic.md §2, step 2). */
function unitsOf(mode: RoundingCode, sign: number, x: number): number {
  if (x >= TWO52) return x; // no fraction bits left
  const floor = Math.floor(x);
  const frac = x - floor;
  if (frac === 0) return floor;
  return roundsUp(mode, sign, floor % 2 === 1, frac > 0.5 ? 1 : frac === 0.5 ? 0 : -1, true) ? floor + 1 : floor;
}

/** What decides the path: the formats and the register. */
type PathSpec = Pick<FixedKernelSpec, 'a' | 'w' | 'product' | 'out' | 'fixed'>;

/** Whether every value the float64 kernel meets is an exact double before and after scaling by 2^-lsb. */
function fitsFloat64(spec: PathSpec): boolean {
  const { a, w, product, out, fixed } = spec;
  const pa = bitSpan(a), pw = bitSpan(w);
  const prod = product === null ? { lsb: pa.lsb + pw.lsb, msb: pa.msb + pw.msb + 1 } : bitSpan(product);
  const lsb = fixed.lsb;
  const fits = (s: { lsb: number; msb: number }) => s.lsb >= F64_LSB && s.msb <= F64_MSB && s.lsb - lsb >= -1074 && s.msb + 1 - lsb <= F64_MSB;
  return fixed.width <= 53 && lsb >= F64_LSB && lsb <= F64_MSB && fits(prod) && fits(bitSpan(out));
}

/** The path a configuration's kernel takes. */
export function fixedPath(spec: PathSpec): FixedPath {
  return fitsFloat64(spec) ? 'float64' : 'bigint';
}

/**
 * One fixed-point accumulator, compiled for one configuration. For one output:
 * `start(s, c)`, then `step(s, a, w)` per term in order (or `addProduct(s, mulCode(a, w))` where
 * the multiplier and the register are apart), then `finish(s)` gives D. Events of every call
 * count into `events` (EVI order, as MacKernel's); the caller reads and resets them.
 */
export abstract class FixedKernel {
  readonly events: Float64Array = new Float64Array(6);
  abstract readonly path: FixedPath;
  /** The multiplier of a rounded-product configuration (its product events count into ours). */
  protected readonly mac: MacKernel | null;
  /** The sign of a register that cancels to zero: +0, but -0 when rounding toward -inf. */
  protected readonly cancelSign: number;
  protected readonly saturate: boolean;

  constructor(readonly spec: FixedKernelSpec) {
    const { a, w, product, out, modeProduct, modeAcc } = spec;
    this.mac = product === null ? null : new MacKernel({ a, w, product, acc: out, modeProduct, modeAcc, events: this.events });
    this.cancelSign = modeAcc === RDN ? 1 : 0;
    this.saturate = spec.fixed.overflow === 'saturate';
  }

  /** A fresh state (each kernel makes its own, so that V8 keeps a float64 register unboxed). */
  abstract newState(): FixedState;

  /** The register starts at zero with C's sign and takes C (a code of out; +0 without C), rounded
   *  onto the grid with the input mode; C counts overflow and underflow, never swamping. */
  abstract start(s: FixedState, c: number): void;

  /** One term a·w: rounded into the product format (or exact), onto the grid, into the register. */
  abstract step(s: FixedState, a: number, w: number): void;

  /** The product p (a code of the product format) onto the grid and into the register. */
  abstract addProduct(s: FixedState, p: number): void;

  /** The multiplier alone (rounded-product configurations): a·w as a product code; counts its events. */
  mulCode(a: number, w: number): number {
    return this.mac!.mulCode(a, w);
  }

  /** D: the special seen, or the register rounded once into out (counting that rounding's
   *  overflow and underflow), or a zero of the register's zero sign. */
  finish(s: FixedState): number {
    const out = this.spec.out;
    if (s.special !== NO_SPECIAL) return fromFloat64(s.special === NAN_SEEN ? NaN : s.special === POS_INF ? Infinity : -Infinity, out, this.spec.modeAcc);
    if (this.isZero(s.reg)) return s.zeroSign === 1 ? out.signBit : 0;
    const code = this.roundOut(s.reg);
    if (status.flags & EV_OVERFLOW) this.events[EVI.accOverflow]!++;
    if (status.flags & EV_ZERO) this.events[EVI.accUnderflow]!++;
    return code;
  }

  protected abstract isZero(reg: number | bigint): boolean;
  /** The nonzero register value rounded into out; status.flags holds the rounding's flags. */
  protected abstract roundOut(reg: number | bigint): number;

  /** POS_INF, NEG_INF or NAN_SEEN joins the special state; inf + -inf is NaN, an invalid operation. */
  protected special(s: FixedState, incoming: number): void {
    if (s.special === NAN_SEEN || incoming === NAN_SEEN) s.special = NAN_SEEN;
    else if (s.special === NO_SPECIAL || s.special === incoming) s.special = incoming;
    else {
      s.special = NAN_SEEN;
      this.events[EVI.nan]!++;
    }
  }

  /** A zero addend (a zero product, or a value that rounded to zero on the grid) with that sign:
   *  a zero register follows IEEE's zero sums (equal signs stay, else the cancellation sign). */
  protected addZero(s: FixedState, sign: number): void {
    if (this.isZero(s.reg) && s.zeroSign !== sign) s.zeroSign = this.cancelSign;
  }

  /** A nonzero value that rounded to zero on the grid: underflow, and (a term) swamping. */
  protected lost(s: FixedState, sign: number, term: boolean): void {
    this.events[EVI.accUnderflow]!++;
    if (term) this.events[EVI.swamping]!++;
    this.addZero(s, sign);
  }

  /** The register after a nonzero addend moved it from its old value to `reg`. */
  protected settle(s: FixedState, reg: number | bigint, overflow: boolean, term: boolean): void {
    if (overflow) this.events[EVI.accOverflow]!++;
    if (term && reg === s.reg) this.events[EVI.swamping]!++;
    if (this.isZero(reg)) s.zeroSign = this.cancelSign;
    s.reg = reg;
  }
}

/** Registers of at most 53 bits, values inside float64's range: everything in doubles. */
class Float64FixedKernel extends FixedKernel {
  readonly path = 'float64' as const;
  private readonly scale: number;
  private readonly lo: number;
  private readonly hi: number;
  private readonly modulus: number;
  private readonly decA: (code: number) => number;
  private readonly decW: (code: number) => number;
  private readonly decP: (code: number) => number;
  private readonly decOut: (code: number) => number;

  constructor(spec: FixedKernelSpec) {
    super(spec);
    const { width, lsb } = spec.fixed;
    this.scale = 2 ** -lsb;
    this.modulus = 2 ** width;
    this.lo = -(2 ** (width - 1));
    this.hi = 2 ** (width - 1) - 1;
    this.decA = valueDecoder(spec.a);
    this.decW = valueDecoder(spec.w);
    this.decOut = valueDecoder(spec.out);
    this.decP = spec.product === null ? this.decOut : valueDecoder(spec.product);
  }

  start(s: FixedState, c: number): void {
    const v = this.decOut(c);
    s.reg = 0;
    s.special = NO_SPECIAL;
    s.zeroSign = v < 0 || Object.is(v, -0) ? 1 : 0;
    this.add(s, v, this.spec.modeInput, false);
  }

  step(s: FixedState, a: number, w: number): void {
    if (this.mac !== null) {
      this.add(s, this.decP(this.mac.mulCode(a, w)), this.spec.modeAcc, true);
      return;
    }
    const va = this.decA(a);
    const vw = this.decW(w);
    const p = va * vw; // exact: at most 48 significant bits inside float64's range (fitsFloat64)
    if (p !== p && va === va && vw === vw) this.events[EVI.nan]!++; // inf · 0
    this.add(s, p, this.spec.modeAcc, true);
  }

  addProduct(s: FixedState, p: number): void {
    this.add(s, this.decP(p), this.spec.modeAcc, true);
  }

  newState(): FixedState {
    return { reg: 0, special: NO_SPECIAL, zeroSign: 0 };
  }

  protected isZero(reg: number | bigint): boolean {
    return reg === 0;
  }

  protected roundOut(reg: number | bigint): number {
    const r = reg as number;
    return roundPack(this.spec.out, this.spec.modeAcc, r < 0 ? 1 : 0, Math.abs(r), this.spec.fixed.lsb, false);
  }

  /** The value v (a double, exact) onto the grid with `mode` and into the register. */
  private add(s: FixedState, v: number, mode: RoundingCode, term: boolean): void {
    if (v - v !== 0) return this.special(s, v !== v ? NAN_SEEN : v > 0 ? POS_INF : NEG_INF); // NaN or ±inf
    if (s.special !== NO_SPECIAL) return;
    if (v === 0) return this.addZero(s, Object.is(v, -0) ? 1 : 0);
    const sign = v < 0 ? 1 : 0;
    const x = (sign === 1 ? -v : v) * this.scale;
    // On the grid already (every product, in a Kulisch register): no rounding to decide.
    const n = Math.floor(x) === x ? x : unitsOf(mode, sign, x);
    if (n === 0) return this.lost(s, sign, term);
    const r = s.reg as number;
    // Exact while |r ± n| <= 2^53; beyond, far outside the register, the sign is still right.
    const t = sign === 1 ? r - n : r + n;
    if (t >= this.lo && t <= this.hi) {
      // The common case, settle() without what cannot happen: n != 0 moved the register.
      if (t === 0) s.zeroSign = this.cancelSign;
      s.reg = t;
      return;
    }
    if (this.saturate) return this.settle(s, t > this.hi ? this.hi : this.lo, true, term);
    // Wrap: n modulo 2^width (fmod is exact), centred, so that r ± m stays within ±2^width.
    let m = n % this.modulus;
    if (m > this.hi) m -= this.modulus;
    let u = sign === 1 ? r - m : r + m;
    if (u > this.hi) u -= this.modulus;
    else if (u < this.lo) u += this.modulus;
    this.settle(s, u, true, term);
  }
}

/** Any register width and any formats: codes read as integer significand and exponent, the
 *  register a BigInt. */
class BigIntFixedKernel extends FixedKernel {
  readonly path = 'bigint' as const;
  private readonly lo: bigint;
  private readonly hi: bigint;
  private readonly width: number;
  private readonly lsb: number;

  constructor(spec: FixedKernelSpec) {
    super(spec);
    this.width = spec.fixed.width;
    this.lsb = spec.fixed.lsb;
    this.lo = -(1n << BigInt(this.width - 1));
    this.hi = (1n << BigInt(this.width - 1)) - 1n;
  }

  start(s: FixedState, c: number): void {
    const u = unpackValue(this.spec.out, c);
    s.reg = 0n;
    s.special = NO_SPECIAL;
    s.zeroSign = u.sign;
    this.add(s, u.kind, u.sign, u.sig, u.q, this.spec.modeInput, false);
  }

  step(s: FixedState, a: number, w: number): void {
    if (this.mac !== null) return this.addProduct(s, this.mac.mulCode(a, w));
    const x = unpackValue(this.spec.a, a);
    const y = unpackValue(this.spec.w, w);
    const sign = x.sign ^ y.sign;
    if (x.kind === 'nan' || y.kind === 'nan') return this.special(s, NAN_SEEN);
    if (x.kind === 'inf' || y.kind === 'inf') {
      if (x.kind === 'zero' || y.kind === 'zero') {
        this.events[EVI.nan]!++; // inf · 0
        return this.special(s, NAN_SEEN);
      }
      return this.special(s, sign === 1 ? NEG_INF : POS_INF);
    }
    if (x.kind === 'zero' || y.kind === 'zero') return this.add(s, 'zero', sign, 0, 0, this.spec.modeAcc, true);
    this.add(s, 'finite', sign, x.sig * y.sig, x.q + y.q, this.spec.modeAcc, true);
  }

  addProduct(s: FixedState, p: number): void {
    const u = unpackValue(this.spec.product!, p);
    this.add(s, u.kind, u.sign, u.sig, u.q, this.spec.modeAcc, true);
  }

  newState(): FixedState {
    return { reg: 0n, special: NO_SPECIAL, zeroSign: 0 };
  }

  protected isZero(reg: number | bigint): boolean {
    return reg === 0n;
  }

  protected roundOut(reg: number | bigint): number {
    const r = reg as bigint;
    const mag = r < 0n ? -r : r;
    const bits = mag.toString(2).length;
    // The top 53 bits and a sticky bit for the rest round exactly as the whole (roundPack).
    const drop = Math.max(0, bits - 53);
    const sig = Number(mag >> BigInt(drop));
    const sticky = drop > 0 && (mag & ((1n << BigInt(drop)) - 1n)) !== 0n;
    return roundPack(this.spec.out, this.spec.modeAcc, r < 0n ? 1 : 0, sig, this.lsb + drop, sticky);
  }

  /** (-1)^sign · sig · 2^q (or a special or zero of that sign) onto the grid and into the register. */
  private add(s: FixedState, kind: UnpackedValue['kind'], sign: number, sig: number, q: number, mode: RoundingCode, term: boolean): void {
    if (kind === 'nan') return this.special(s, NAN_SEEN);
    if (kind === 'inf') return this.special(s, sign === 1 ? NEG_INF : POS_INF);
    if (s.special !== NO_SPECIAL) return;
    if (kind === 'zero') return this.addZero(s, sign);
    const n = this.units(sign, sig, q, mode);
    if (n === 0n) return this.lost(s, sign, term);
    const r = s.reg as bigint;
    const t = sign === 1 ? r - n : r + n;
    if (t >= this.lo && t <= this.hi) return this.settle(s, t, false, term);
    this.settle(s, this.saturate ? (t > this.hi ? this.hi : this.lo) : BigInt.asIntN(this.width, t), true, term);
  }

  /** |sig · 2^q| / 2^lsb made an integer by the mode. A shift of width bits or more leaves a
   *  multiple of 2^width beyond the register's range, which saturates and wraps like the true one. */
  private units(sign: number, sig: number, q: number, mode: RoundingCode): bigint {
    const k = q - this.lsb;
    if (k >= 0) return BigInt(sig) << BigInt(Math.min(k, this.width));
    // sig < 2^53: beyond 60 dropped bits the value is below 2^-7 units, under half of one.
    if (k < -60) return roundsUp(mode, sign, false, -1, true) ? 1n : 0n;
    return BigInt(unitsOf(mode, sign, sig / 2 ** -k));
  }
}

/** The kernel for a configuration: by default the float64 one where it applies (fixedPath);
 *  the bigint one computes every configuration (the tests hold both to the golden model). */
export function fixedKernel(spec: FixedKernelSpec, path: FixedPath = fixedPath(spec)): FixedKernel {
  if (path === 'bigint') return new BigIntFixedKernel(spec);
  if (!fitsFloat64(spec)) throw new Error('internal: this fixed-point configuration does not fit the float64 kernel');
  return new Float64FixedKernel(spec);
}

/** coreGemm's accumulator for a fixed-point configuration: one output at a time. */
export class FixedAccumulation {
  readonly kernel: FixedKernel;
  readonly events: Float64Array;
  private readonly state: FixedState;

  constructor(cfg: GemmArithmetic, fixed: FixedAccumulator) {
    this.kernel = fixedKernel({
      a: cfg.a,
      w: cfg.w,
      product: cfg.product,
      fixed,
      out: cfg.acc,
      modeProduct: roundingCode(cfg.rounding.product),
      modeAcc: roundingCode(cfg.rounding.acc),
      modeInput: roundingCode(cfg.rounding.input ?? 'rne'),
    });
    this.events = this.kernel.events;
    this.state = this.kernel.newState();
  }

  /** One output: C (or +0), then every term in order; events land in `events`. */
  dot(aRow: readonly number[], t: Terms, c: number): number {
    const k = this.kernel;
    const s = this.state;
    k.start(s, c);
    const n = t.aIndex.length;
    for (let i = 0; i < n; i++) {
      const j = t.aIndex[i]!;
      k.step(s, j < 0 ? 0 : aRow[j]!, t.weight[i]!);
    }
    return k.finish(s);
  }
}
