// The PE's arithmetic units (arch pe.units) on codes, with SPEC section 5's events counted per PE
// and per output. Every result comes from the core: one term (multiplier + accumulator adder, or
// the fused multiply-add) is core/mac.ts's MacKernel step — the same kernel coreGemm runs, with
// its table and exact-float64 fast paths — and the chunk close is core/arith.ts's add, counted by
// the rule core/gemm.ts uses.
import { add, EV_INVALID, EV_OVERFLOW, EV_ZERO, mul, type Rounding, roundingCode, status } from '../core/arith.js';
import type { Format } from '../core/format.js';
import { MacKernel } from '../core/mac.js';
import { formatOf } from '../arch/build.js';
import type { Arch } from '../arch/types.js';
import { Classifier, CLS_FINITE, CLS_SPECIAL, type ProductLut, productLut } from './lut.js';

/** Event slots, in core/events.ts EVENT_NAMES order (= core/mac.ts EVI). */
export const EV_ACC_OVERFLOW = 2;
export const EV_ACC_UNDERFLOW = 3;
export const EV_SWAMPING = 4;
export const EV_NAN = 5;
export const N_EVENTS = 6;

const ACC_EVENTS = EV_OVERFLOW | EV_ZERO | EV_INVALID;

export class PeArith {
  readonly fa: Format;
  readonly fw: Format;
  readonly fp: Format | null;
  readonly facc: Format;
  readonly ftot: Format;
  private readonly modeP: Rounding;
  private readonly modeTot: Rounding;
  private readonly mac: MacKernel;
  private readonly ev: Float64Array;
  private readonly lut: ProductLut | null;
  private readonly clsAcc: Classifier;
  private readonly clsTot: Classifier;
  /** Events per PE at q*6 + slot and per output at o*6 + slot. */
  readonly peEv: Int32Array;
  readonly outEv: Int32Array;

  constructor(arch: Arch, outputs: number) {
    this.fa = formatOf(arch.formats.a);
    this.fw = formatOf(arch.formats.w);
    this.fp = arch.formats.product === null ? null : formatOf(arch.formats.product);
    this.facc = formatOf(arch.formats.acc);
    this.ftot = arch.formats.total === null ? this.facc : formatOf(arch.formats.total);
    this.modeP = roundingCode(arch.rounding.product);
    this.modeTot = roundingCode(arch.rounding.total);
    this.mac = new MacKernel({ a: this.fa, w: this.fw, product: this.fp, acc: this.facc, modeProduct: this.modeP, modeAcc: roundingCode(arch.rounding.acc) });
    this.ev = this.mac.events;
    // The product register's value (pipelined arrays): a table for small operands.
    this.lut = this.fp !== null && arch.pipeline.multiplier === 1 ? productLut(this.fa, this.fw, this.fp, this.modeP) : null;
    this.clsAcc = new Classifier(this.facc);
    this.clsTot = new Classifier(this.ftot);
    this.peEv = new Int32Array(arch.rows * arch.cols * N_EVENTS);
    this.outEv = new Int32Array(outputs * N_EVENTS);
  }

  /** True when the kernel takes core/mac.ts's table/float64 path for this configuration. */
  get fast(): boolean {
    return this.mac.fast;
  }

  /**
   * One term: acc + a·w with the product rounded into the product format (or exact, fused) and
   * the sum rounded into the accumulator format, at PE q for output o; counts product and
   * accumulation events.
   */
  term(acc: number, a: number, w: number, q: number, o: number): number {
    const out = this.mac.step(acc, a, w);
    const ev = this.ev;
    if (ev[0]! + ev[1]! + ev[2]! + ev[3]! + ev[4]! + ev[5]! !== 0) {
      for (let s = 0; s < N_EVENTS; s++) {
        const n = ev[s]!;
        if (n !== 0) {
          this.peEv[q * N_EVENTS + s]! += n;
          this.outEv[o * N_EVENTS + s]! += n;
          ev[s] = 0;
        }
      }
    }
    return out;
  }

  /** The code the multiplier's pipeline register holds: a·w rounded into the product format. */
  product(a: number, w: number): number {
    if (this.lut !== null) return this.lut.code[(a << this.lut.wShift) | w]!;
    return mul(this.fa, a, this.fw, w, this.fp!, this.modeP);
  }

  /** total + s (a closed chunk) rounded into the chunk-total format (the total adder). */
  close(total: number, s: number, q: number, o: number): number {
    const out = add(this.ftot, total, this.facc, s, this.ftot, this.modeTot);
    const f = status.flags;
    if (f & ACC_EVENTS) {
      if (f & EV_OVERFLOW) this.count(q, o, EV_ACC_OVERFLOW);
      if (f & EV_ZERO) this.count(q, o, EV_ACC_UNDERFLOW);
      if (f & EV_INVALID) this.count(q, o, EV_NAN);
    }
    // Swamping (core/gemm.ts): a finite nonzero chunk left a finite total unchanged.
    if (out === total && this.clsAcc.of(s) === CLS_FINITE && this.clsTot.of(total) !== CLS_SPECIAL) this.count(q, o, EV_SWAMPING);
    return out;
  }

  private count(q: number, o: number, slot: number): void {
    this.peEv[q * N_EVENTS + slot]!++;
    this.outEv[o * N_EVENTS + slot]!++;
  }
}
