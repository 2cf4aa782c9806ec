// The dot-product cell of docs/arithmetic.md §3 ("Dot-product cells") in the fast core: G products
// and the accumulator added in one multi-operand step, every term first truncated to the grid of a
// W-bit window below the largest term's leading bit, one rounding per step.
//
// It computes the way such an adder is built: each term is unpacked into sign, integer significand
// sig and the exponent q of its last bit; the window's last bit is qe = max(emax - W + 1, lowest q);
// each term becomes the integer floor(sig · 2^(q - qe)) (truncation of the magnitude: toward zero),
// and the integers are summed. When the window spans at most 53 - log2(G + 1) bits (W <= 47 for
// 32 lanes, or a configuration whose values all fit the span), the integers and their sum are exact
// in float64; only wider windows (alignBits "exact" with fp32 products, biases far apart) sum in
// BigInt. The sum is rounded by the core's roundPack, so rounding and flags are those of
// core/arith.ts. golden/dot.ts computes the same from the contract on exact values;
// test/core/dot.test.ts holds the two together.
import { EV_OVERFLOW, EV_ZERO, FINITE_CLASS, INF_CLASS, NAN_CLASS, RDN, roundPack, type RoundingCode, status, type Unpacked, unpackCode, ZERO_CLASS } from './arith.js';
import type { Format } from './format.js';
import type { Terms } from './gemm.js';
import type { DotCell } from './lanes.js';
import { countEvent, EVI, type MacKernel } from './mac.js';

/** A product made NaN inside the cell by inf × 0 (fused): unlike a NaN operand, it makes the
 *  step an invalid operation (docs/arithmetic.md §5, `nan`). */
const INVALID_CLASS = 4;

const TABLE_WIDTH = 16; // unpack tables up to 64K codes
const P2 = new Float64Array(64).map((_, i) => 2 ** i);
/** 2^-i: a shift right as an exact multiplication. */
const P2INV = new Float64Array(64).map((_, i) => 2 ** -i);
const TWO32 = 4294967296;

function bitLength(x: number): number {
  return x < TWO32 ? 32 - Math.clz32(x) : 64 - Math.clz32(Math.floor(x / TWO32));
}

/** Terms in struct-of-arrays form: the slots of one step (0 the accumulator, 1..G the products),
 *  or a table of every code of a format (or of every pair of input codes). */
class TermBank {
  readonly cls: Uint8Array;
  readonly sign: Uint8Array;
  readonly sig: Float64Array;
  readonly q: Float64Array;
  /** The exponent of the leading bit, floor(log2 |t|), of a finite nonzero term. */
  readonly lead: Float64Array;
  constructor(n: number) {
    this.cls = new Uint8Array(n);
    this.sign = new Uint8Array(n);
    this.sig = new Float64Array(n);
    this.q = new Float64Array(n);
    this.lead = new Float64Array(n);
  }

  set(j: number, cls: number, sign: number, sig: number, q: number): void {
    this.cls[j] = cls;
    this.sign[j] = sign;
    this.sig[j] = sig;
    this.q[j] = q;
    this.lead[j] = cls === FINITE_CLASS ? bitLength(sig) - 1 + q : 0;
  }

  copy(i: number, to: TermBank, j: number): void {
    to.cls[j] = this.cls[i]!;
    to.sign[j] = this.sign[i]!;
    to.sig[j] = this.sig[i]!;
    to.q[j] = this.q[i]!;
    to.lead[j] = this.lead[i]!;
  }
}

/** Unpacks codes of one format into term slots: from a table of every code when the format is narrow. */
class Unpacker {
  private readonly table: TermBank | null = null;
  private readonly u: Unpacked = { cls: 0, sign: 0, sig: 0, q: 0 };

  constructor(private readonly f: Format) {
    if (f.width > TABLE_WIDTH) return;
    this.table = new TermBank(2 ** f.width);
    for (let c = 0; c < 2 ** f.width; c++) this.unpack(c, this.table, c);
  }

  into(code: number, t: TermBank, j: number): void {
    if (this.table !== null) this.table.copy(code, t, j);
    else this.unpack(code, t, j);
  }

  private unpack(code: number, t: TermBank, j: number): void {
    unpackCode(this.f, code, this.u);
    t.set(j, this.u.cls, this.u.sign, this.u.sig, this.u.q);
  }
}

/** Exact products of two codes into term slots: from a table of every pair when both are narrow. */
class Multiplier {
  private readonly table: TermBank | null = null;
  private readonly x = new TermBank(1);
  private readonly y = new TermBank(1);
  private readonly wShift: number;

  constructor(private readonly ua: Unpacker, private readonly uw: Unpacker, a: Format, w: Format) {
    this.wShift = w.width;
    if (a.width + w.width > TABLE_WIDTH) return;
    this.table = new TermBank(2 ** (a.width + w.width));
    for (let x = 0; x < 2 ** a.width; x++) for (let y = 0; y < 2 ** w.width; y++) this.multiply(x, y, this.table, (x << w.width) | y);
  }

  into(a: number, w: number, t: TermBank, j: number): void {
    if (this.table !== null) this.table.copy((a << this.wShift) | w, t, j);
    else this.multiply(a, w, t, j);
  }

  private multiply(a: number, w: number, t: TermBank, j: number): void {
    const { x, y } = this;
    this.ua.into(a, x, 0);
    this.uw.into(w, y, 0);
    const cx = x.cls[0]!;
    const cy = y.cls[0]!;
    const sign = x.sign[0]! ^ y.sign[0]!;
    if (cx === NAN_CLASS || cy === NAN_CLASS) t.set(j, NAN_CLASS, sign, 0, 0);
    else if (cx === INF_CLASS || cy === INF_CLASS) t.set(j, cx === ZERO_CLASS || cy === ZERO_CLASS ? INVALID_CLASS : INF_CLASS, sign, 0, 0);
    else if (cx === ZERO_CLASS || cy === ZERO_CLASS) t.set(j, ZERO_CLASS, sign, 0, 0);
    // Two significands of at most 24 bits: an exact integer.
    else t.set(j, FINITE_CLASS, sign, x.sig[0]! * y.sig[0]!, x.q[0]! + y.q[0]!);
  }
}

export class DotKernel {
  readonly lanes: number;
  /** The MacKernel's counters (EVI order): a step counts into the same place as the chunk totals. */
  readonly events: Float64Array;
  private readonly acc: Format;
  private readonly mode: RoundingCode;
  /** W, or Infinity for "exact". */
  private readonly alignBits: number;
  /** Widest window (emax - qe + 1) whose G + 1 integers sum exactly in float64. */
  private readonly intBits: number;
  private readonly terms: TermBank;
  private readonly unAcc: Unpacker;
  /** Product-format unpacker; null when products are exact (fused). */
  private readonly unP: Unpacker | null;
  /** The exact products of a fused cell; null with rounded products. */
  private readonly multiplier: Multiplier | null;
  private readonly aBuf: Float64Array;
  private readonly wBuf: Float64Array;
  private readonly pBuf: Float64Array;
  /** Products of the last step whose aligned value was 0 (counted as swamping for G >= 2). */
  private swamped = 0;

  /** `mac` is the configuration's multiply-add kernel: its multiplier rounds the products, its
   *  counters take the events. */
  constructor(cell: DotCell, private readonly mac: MacKernel) {
    const { a, w, product, acc, modeAcc } = mac.spec;
    this.lanes = cell.lanes;
    this.events = mac.events;
    this.acc = acc;
    this.mode = modeAcc;
    this.alignBits = cell.alignBits === 'exact' ? Infinity : cell.alignBits;
    this.intBits = 53 - Math.ceil(Math.log2(cell.lanes + 1));
    this.terms = new TermBank(cell.lanes + 1);
    this.unAcc = new Unpacker(acc);
    this.unP = product === null ? null : new Unpacker(product);
    this.multiplier = product === null ? new Multiplier(new Unpacker(a), new Unpacker(w), a, w) : null;
    this.aBuf = new Float64Array(cell.lanes);
    this.wBuf = new Float64Array(cell.lanes);
    this.pBuf = new Float64Array(cell.lanes);
  }

  /** acc ← one step over the products a[j]·w[j], j < lanes (codes of the a and w formats; a
   *  partial group is padded with code 0, +0 × +0); counts the products' and the step's events. */
  step(acc: number, a: ArrayLike<number>, w: ArrayLike<number>): number {
    if (this.unP !== null) {
      for (let j = 0; j < this.lanes; j++) this.pBuf[j] = this.mac.mulCode(a[j]!, w[j]!);
      return this.addProducts(acc, this.pBuf);
    }
    const t = this.terms;
    for (let j = 0; j < this.lanes; j++) this.multiplier!.into(a[j]!, w[j]!, t, j + 1);
    this.unAcc.into(acc, t, 0);
    return this.finish(acc, this.sum());
  }

  /** The multi-operand adder alone, for a cell with rounded products (a product register between
   *  the multipliers and the adder): acc + p[0] + ... + p[lanes-1], codes of the product format. */
  addProducts(acc: number, p: ArrayLike<number>): number {
    const t = this.terms;
    this.unAcc.into(acc, t, 0);
    for (let j = 0; j < this.lanes; j++) this.unP!.into(p[j]!, t, j + 1);
    return this.finish(acc, this.sum());
  }

  /** One output: C (or +0), then the terms G at a time in order, the last group padded with +0
   *  products; with chunk n (a multiple of G) the chunk sum goes to `addChunk` after every n terms
   *  and after the last. */
  output(aRow: readonly number[], t: Terms, c: number, chunk: number, addChunk: (total: number, part: number) => number): number {
    const G = this.lanes;
    const n = t.aIndex.length;
    let acc = chunk === 0 ? c : 0;
    let total = c;
    for (let i = 0; i < n; i += G) {
      for (let j = 0; j < G; j++) {
        const k = i + j < n ? t.aIndex[i + j]! : -1;
        this.aBuf[j] = k < 0 ? 0 : aRow[k]!;
        this.wBuf[j] = i + j < n ? t.weight[i + j]! : 0;
      }
      acc = this.step(acc, this.aBuf, this.wBuf);
      if (chunk !== 0 && ((i + G) % chunk === 0 || i + G >= n)) {
        total = addChunk(total, acc);
        acc = 0;
      }
    }
    return chunk === 0 ? acc : total;
  }

  /** Counts swamping: for G >= 2 the products aligned to 0; for one lane §5's rule (a finite
   *  nonzero product that leaves a finite accumulator's code unchanged), which makes a one-lane
   *  cell with exact alignment the multiply-add cell, events included. */
  private finish(accBefore: number, out: number): number {
    const t = this.terms;
    if (this.lanes > 1) {
      for (let s = this.swamped; s > 0; s--) countEvent(this.events, EVI.swamping);
    } else if (out === accBefore && t.cls[1] === FINITE_CLASS && (t.cls[0] === FINITE_CLASS || t.cls[0] === ZERO_CLASS)) {
      countEvent(this.events, EVI.swamping);
    }
    return out;
  }

  /** The step's result over the loaded terms; sets `swamped`; counts the adder's events. */
  private sum(): number {
    const t = this.terms;
    const n = this.lanes + 1;
    this.swamped = 0;
    let nan = false;
    let invalid = false;
    let posInf = false;
    let negInf = false;
    let emax = -Infinity;
    let qmin = Infinity;
    for (let j = 0; j < n; j++) {
      const c = t.cls[j]!;
      if (c === FINITE_CLASS) {
        if (t.lead[j]! > emax) emax = t.lead[j]!;
        if (t.q[j]! < qmin) qmin = t.q[j]!;
      } else if (c === NAN_CLASS) nan = true;
      else if (c === INVALID_CLASS) invalid = true;
      else if (c === INF_CLASS) {
        if (t.sign[j] === 1) negInf = true;
        else posInf = true;
      }
    }
    const f = this.acc;
    // Specials as IEEE addition over the terms; a NaN operand makes NaN without an event.
    if (nan || invalid || (posInf && negInf)) {
      if (!nan) countEvent(this.events, EVI.nan);
      return f.nanCode >= 0 ? f.nanCode : f.maxFiniteMag;
    }
    if (posInf || negInf) return (negInf ? f.signBit : 0) + (f.infCode >= 0 ? f.infCode : f.maxFiniteMag);
    if (emax === -Infinity) {
      // Only zeros: their sign when they share it, else the sign of an exact zero sum.
      let same = true;
      for (let j = 1; j < n; j++) if (t.sign[j] !== t.sign[0]) same = false;
      return same ? t.sign[0]! * f.signBit : this.zeroSum();
    }
    const qe = Math.max(emax - this.alignBits + 1, qmin);
    return emax - qe + 1 <= this.intBits ? this.sumNumber(qe) : this.sumBigInt(qe);
  }

  /** An exact zero sum of terms not all zeros of one sign: +0, or -0 rounding toward -inf. */
  private zeroSum(): number {
    return this.mode === RDN ? this.acc.signBit : 0;
  }

  private sumNumber(qe: number): number {
    const t = this.terms;
    let S = 0;
    for (let j = 0; j <= this.lanes; j++) {
      if (t.cls[j] !== FINITE_CLASS) continue;
      const d = qe - t.q[j]!;
      const m = d <= 0 ? t.sig[j]! * P2[-d]! : d >= 53 ? 0 : Math.floor(t.sig[j]! * P2INV[d]!);
      if (m === 0) {
        if (j > 0) this.swamped++;
      } else S += t.sign[j] === 1 ? -m : m;
    }
    if (S === 0) return this.zeroSum();
    return this.rounded(S < 0 ? 1 : 0, Math.abs(S), qe, false);
  }

  /** sumNumber for windows wider than float64's integers; the sum is cut to 53 bits and a sticky bit. */
  private sumBigInt(qe: number): number {
    const t = this.terms;
    let S = 0n;
    for (let j = 0; j <= this.lanes; j++) {
      if (t.cls[j] !== FINITE_CLASS) continue;
      const d = qe - t.q[j]!;
      const sig = BigInt(t.sig[j]!);
      const m = d <= 0 ? sig << BigInt(-d) : sig >> BigInt(d);
      if (m === 0n) {
        if (j > 0) this.swamped++;
      } else S += t.sign[j] === 1 ? -m : m;
    }
    if (S === 0n) return this.zeroSum();
    const sign = S < 0n ? 1 : 0;
    const mag = sign === 1 ? -S : S;
    const cut = Math.max(0, mag.toString(2).length - 53);
    if (cut === 0) return this.rounded(sign, Number(mag), qe, false);
    // 53 kept bits are more than the accumulator's 24 + 2 that roundPack needs with a sticky bit.
    const sticky = (mag & ((1n << BigInt(cut)) - 1n)) !== 0n;
    return this.rounded(sign, Number(mag >> BigInt(cut)), qe + cut, sticky);
  }

  private rounded(sign: number, sig: number, q: number, sticky: boolean): number {
    const out = roundPack(this.acc, this.mode, sign, sig, q, sticky);
    if (status.flags & EV_OVERFLOW) countEvent(this.events, EVI.accOverflow);
    if (status.flags & EV_ZERO) countEvent(this.events, EVI.accUnderflow);
    return out;
  }
}
