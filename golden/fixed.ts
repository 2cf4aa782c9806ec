// Golden fixed-point (Kulisch-style) accumulation, docs/arithmetic.md §3 ("Fixed-point
// accumulation"), step by step on exact values: the register is a BigInt count of 2^lsb units,
// products and C are exact dyadic rationals (golden/exact.ts) rounded onto the grid, wrap-around is
// written as the modulo it is. Written apart from core/fixed-acc.ts so that the two check each
// other.
import type { ArrayConfig } from '../config/resolve.js';
import type { FixedAccumulator } from '../core/fixed.js';
import type { RoundingMode } from '../core/format.js';
import {
  cancellationSign,
  decode,
  EV_INVALID,
  EV_OVERFLOW,
  EV_TINY,
  EV_ZERO,
  type Exact,
  exactAdd,
  exactMul,
  type Finite,
  finite,
  ilog2,
  mul,
  round,
  roundSignificand,
  type Sign,
  zero,
} from './exact.js';
import type { EventCounts, Term } from './gemm.js';

/** |v| / 2^lsb made an integer by the mode (§2 step 2 with the last kept bit at 2^lsb), signed. */
function onGrid(v: Finite, lsb: number, mode: RoundingMode): bigint {
  // A significand of `man` bits whose last bit weighs 2^lsb holds |v| whole, so no carry
  // renormalizes it: roundSignificand's n is the grid count.
  const man = Math.max(ilog2(v) - lsb, 0) + 1;
  const { n } = roundSignificand(v, lsb + man, man, mode, null);
  return v.sign ? -n : n;
}

/** The register, its zero's sign and the special state of one output, with the events it counts. */
class Register {
  private reg = 0n;
  private zeroSign: Sign = 0;
  private special: Exact | null = null;
  private readonly size: bigint;
  private readonly lowest: bigint;
  private readonly highest: bigint;
  private readonly cancel: Sign;

  constructor(
    private readonly fx: FixedAccumulator,
    mode: RoundingMode,
    private readonly ev: EventCounts,
  ) {
    this.size = 1n << BigInt(fx.width); // 2^(msb + 2 - lsb) units: the wrap-around modulus
    this.lowest = -(1n << BigInt(fx.msb + 1 - fx.lsb)); // -2^(msb+1) in units
    this.highest = -this.lowest - 1n; // 2^(msb+1) - 2^lsb in units
    this.cancel = cancellationSign(mode);
  }

  /** C: the register starts at a zero of C's sign and takes C like a term, but C never swamps. */
  start(c: Exact, mode: RoundingMode): void {
    if (c.kind !== 'nan') this.zeroSign = c.sign;
    this.add(c, mode, false);
  }

  /** v onto the grid with `mode`, into the register; `term`: a product (which can swamp). */
  add(v: Exact, mode: RoundingMode, term: boolean): void {
    if (v.kind === 'nan' || v.kind === 'inf') return this.seeSpecial(v);
    if (this.special !== null) return; // D is the special now; the register no longer matters
    if (v.kind === 'zero') return this.addZero(v.sign);
    const n = onGrid(v, this.fx.lsb, mode);
    if (n === 0n) {
      // A nonzero value rounded to zero: a zero of its sign joins the register.
      this.ev.accUnderflow++;
      if (term) this.ev.swamping++;
      return this.addZero(v.sign);
    }
    const sum = this.reg + n;
    let next = sum;
    if (sum < this.lowest || sum > this.highest) {
      this.ev.accOverflow++;
      if (this.fx.overflow === 'saturate') next = sum < this.lowest ? this.lowest : this.highest;
      else next = ((((sum - this.lowest) % this.size) + this.size) % this.size) + this.lowest;
    }
    if (term && next === this.reg) this.ev.swamping++;
    // A zero reached from a nonzero addend is an exact zero sum of nonzero operands.
    if (next === 0n) this.zeroSign = this.cancel;
    this.reg = next;
  }

  /** D: the special, or the register rounded once into out (counting that rounding's events). */
  finish(out: ArrayConfig['acc'], mode: RoundingMode): number {
    if (this.special !== null) return round(this.special, out, mode).code;
    if (this.reg === 0n) return round(zero(this.zeroSign), out, mode).code;
    const r = round(this.reg < 0n ? finite(1, -this.reg, this.fx.lsb) : finite(0, this.reg, this.fx.lsb), out, mode);
    if (r.flags & EV_OVERFLOW) this.ev.accOverflow++;
    if (r.flags & EV_ZERO) this.ev.accUnderflow++;
    return r.code;
  }

  /** A zero joins a zero register as in §2, "Signs of zeros": equal signs stay, else the cancellation sign. */
  private addZero(sign: Sign): void {
    if (this.reg === 0n && this.zeroSign !== sign) this.zeroSign = this.cancel;
  }

  /** IEEE addition over the specials seen; inf + (-inf) is an invalid operation. */
  private seeSpecial(p: Exact): void {
    if (this.special === null) {
      this.special = p;
      return;
    }
    const sum = exactAdd(this.special, p);
    if (sum.kind === 'nan' && this.special.kind !== 'nan' && p.kind !== 'nan') this.ev.nan++;
    this.special = sum;
  }
}

/** D[i][j] for a fixed-point accumulator; c is a code of cfg.acc (the output format), or none. */
export function fixedDot(cfg: ArrayConfig, fx: FixedAccumulator, terms: Term[], c: number | undefined, ev: EventCounts): number {
  const reg = new Register(fx, cfg.rounding.acc, ev);
  reg.start(c === undefined ? zero(0) : decode(c, cfg.acc), cfg.rounding.input);
  for (const t of terms) {
    const x = decode(t.a, cfg.a);
    const y = decode(t.b, cfg.w);
    let p: Exact;
    if (cfg.product === null) {
      p = exactMul(x, y);
      if (p.kind === 'nan' && x.kind !== 'nan' && y.kind !== 'nan') ev.nan++; // inf · 0
    } else {
      const r = mul(cfg.a, t.a, cfg.w, t.b, cfg.product, cfg.rounding.product);
      if (r.flags & EV_OVERFLOW) ev.productOverflow++;
      if (r.flags & EV_TINY) ev.productUnderflow++;
      if (r.flags & EV_INVALID) ev.nan++;
      p = decode(r.code, cfg.product);
    }
    reg.add(p, cfg.rounding.acc, true);
  }
  return reg.finish(cfg.acc, cfg.rounding.acc);
}
