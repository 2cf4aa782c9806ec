// One multiply-accumulate step, compiled for one configuration: the hot loop of the GEMM engine,
// the cycle simulator and the sweeps.
//
// For small formats (the case the project exists for: fp8 inputs, 16-bit products, 12-bit
// accumulators) the step avoids the generic unpack/round path:
//   - products come from a table indexed by the pair of input codes (code and flags), or, when
//     the product is exact, from the product of two decoded float64 values (exact: <= 48 bits);
//   - acc + product is formed in float64, which is exact whenever the configuration's exponent
//     span fits 53 bits (checked once, here);
//   - that exact sum is rounded into the accumulator format with integer operations on its bit
//     pattern, when it lies in the accumulator's normal range away from overflow.
// Wide exponent spans (an fp32 or bf16 accumulator) do not fit 53 bits, but the exact sum still
// does as an unevaluated pair s + err (Knuth's TwoSum, exact barring overflow). Rounding s to odd
// in its last bit, in the direction of err, gives a float64 whose rounding to any precision of at
// most 51 bits, in every mode, equals the rounding of s + err: the exact value lies strictly
// between two adjacent doubles, one of them odd, and no narrower number or midpoint lies between.
// Everything else (zeros, subnormals, overflow, inf, NaN, formats beyond float64's normal range)
// takes the generic core, so the result and events are the core's, bit for bit;
// test/core/mac.test.ts checks that. Stochastic rounding (rsr) takes the generic core always: its
// roundings depend on draws that the tables and the float64 roundings know nothing of.
import { add, EV_INVALID, EV_OVERFLOW, EV_TINY, EV_ZERO, fma, fromFloat64, isFiniteCode, isFiniteNonzeroCode, mul, RDN, RNA, RNE, ROD, roundsUp, RSR, RTZ, RUP, type RoundingCode, status, toFloat64 } from './arith.js';
import type { Format } from './format.js';

/** Indices of the event counters in MacKernel.events (the order of core/events.ts). */
export const EVI = { productOverflow: 0, productUnderflow: 1, accOverflow: 2, accUnderflow: 3, swamping: 4, nan: 5 } as const;

/** Slot after the six counters: events since the simulator last attributed them (one load to
 *  test for "anything new" instead of six). countEvent keeps it; whoever drains the counters zeroes it. */
export const EV_SINCE = 6;

/** What MacKernel.inlineConstants gives: the exact-sum step's constants. */
export interface InlineConstants {
  eLo: number;
  eHi: number;
  bias: number;
  hidden: number;
  signBit: number;
  drop: number;
  oddTie: boolean;
  mode: RoundingCode;
  wShift: number;
}

/** Length of an events array: the six counters and EV_SINCE. */
export const EVENT_SLOTS = 7;

/** Counts one event of the given slot. */
export function countEvent(ev: Float64Array, slot: number): void {
  ev[slot]!++;
  ev[EV_SINCE]!++;
}

export interface MacSpec {
  a: Format;
  w: Format;
  /** null: the product is exact (fused multiply-add). */
  product: Format | null;
  acc: Format;
  modeProduct: RoundingCode;
  modeAcc: RoundingCode;
  /** Count events into this array (EVI order) instead of a fresh one: kernels that share it
   *  count into one place (a pipelined PE's exact-product adder beside the PE's kernel). */
  events?: Float64Array;
}

const TABLE_WIDTH = 16; // decode tables up to 64K entries
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const F32 = new Float32Array(1);
const U32F = new Uint32Array(F32.buffer);

/** IEEE binary32 exactly: the host's float32 conversions decode it and round into it (rne). */
function isBinary32(f: Format): boolean {
  return f.exp === 8 && f.man === 23 && f.bias === 127 && f.subnormals && f.specials === 'ieee' && f.overflow === 'inf';
}

function valueTable(f: Format): Float64Array | null {
  if (f.width > TABLE_WIDTH) return null;
  const t = new Float64Array(2 ** f.width);
  for (let c = 0; c < t.length; c++) t[c] = toFloat64(c, f);
  return t;
}

/** code -> float64 value: f's valueTable when it has one, else per-exponent scaling. */
function decoder(f: Format, table: Float64Array | null): (code: number) => number {
  if (table !== null) return (code) => table[code]!;
  if (isBinary32(f)) {
    return (code) => {
      U32F[0] = code;
      return F32[0]!;
    };
  }
  const top = 2 ** f.exp - 1;
  const scale = new Float64Array(top + 1);
  for (let e = 1; e < top; e++) scale[e] = 2 ** (e - f.bias - f.man);
  const { man, hidden, signBit } = f;
  const manMask = hidden - 1;
  // The lowest and highest exponent fields hold zeros, subnormals and specials in some formats:
  // the generic decode says what they mean.
  return (code) => {
    const field = (code >>> man) & top;
    if (field === 0 || field === top) return toFloat64(code, f);
    const v = ((code & manMask) + hidden) * scale[field]!;
    return code >= signBit ? -v : v;
  };
}

/** code -> float64 value of f (exact when f's values are float64 normals or zeros): a table up
 *  to 16-bit codes. */
export function valueDecoder(f: Format): (code: number) => number {
  return decoder(f, valueTable(f));
}

/** Lowest and highest bit positions any finite value of f can occupy. */
export function bitSpan(f: Format): { lsb: number; msb: number } {
  return { lsb: f.emin - f.man, msb: f.emax };
}

/** How a kernel computes a term: see the file comment. */
export type MacPath = 'exact-sum' | 'two-sum' | 'generic';

/** Bit positions of float64's normal range: the spans of the fast paths must stay inside. */
const F64_LSB = -1022;
const F64_MSB = 1023;

export class MacKernel {
  /** Event counters, indexed by EVI; the caller reads and resets them. */
  readonly events: Float64Array;
  private readonly aVal: Float64Array | null;
  private readonly wVal: Float64Array | null;
  private readonly accVal: Float64Array | null;
  private readonly prodVal: Float64Array | null;
  private readonly decA: (code: number) => number;
  private readonly decW: (code: number) => number;
  private readonly decAcc: (code: number) => number;
  private readonly decProd: (code: number) => number;
  /** Rounded product code and flags per (a, w) pair: code | flags << 24. */
  private readonly prodTable: Uint32Array | null;
  private readonly wShift: number;
  /** True when acc + product, both finite, is always exact in float64. */
  private readonly exactSum: boolean;
  /** Accumulator constants for rounding a float64 bit pattern. */
  private readonly dropHi: number;
  private readonly eLo: number;
  private readonly eHi: number;
  /** roundWide's constants: the dropped low-word bits, the high word's weight. */
  private readonly loDrop: number;
  private readonly loMask: number;
  private readonly loHalf: number;
  private readonly hiScale: number;
  private readonly accBias: number;
  private readonly accHidden: number;
  private readonly accSignBit: number;
  /** The accumulator is IEEE binary32 and rounds to nearest even: Math.fround's rounding. */
  private readonly binary32Rne: boolean;
  /** docs/arithmetic.md §2 rounds the significand n = 2^M + mantissa to even (rne) or to odd
   *  (rod): with M = 0, n is 1, always odd. */
  private readonly oddTie: boolean;

  constructor(readonly spec: MacSpec) {
    const { a, w, product, acc } = spec;
    this.events = spec.events ?? new Float64Array(EVENT_SLOTS);
    this.aVal = valueTable(a);
    this.wVal = valueTable(w);
    this.accVal = valueTable(acc);
    this.prodVal = product === null ? null : valueTable(product);
    this.wShift = w.width;
    // The table holds deterministic roundings only.
    this.prodTable = product !== null && spec.modeProduct !== RSR && a.width + w.width <= TABLE_WIDTH && product.width <= TABLE_WIDTH ? this.buildProductTable(product) : null;
    const pa = bitSpan(a), pw = bitSpan(w), pacc = bitSpan(acc);
    const prodSpan = product === null ? { lsb: pa.lsb + pw.lsb, msb: pa.msb + pw.msb + 1 } : bitSpan(product);
    const lsb = Math.min(prodSpan.lsb, pacc.lsb);
    const msb = Math.max(prodSpan.msb, pacc.msb) + 1;
    const inF64 = lsb >= F64_LSB && msb <= F64_MSB;
    // Exact in float64: the span fits 53 bits and every bit position is a normal double's.
    this.exactSum = msb - lsb <= 52 && inF64;
    this.dropHi = 20 - acc.man;
    this.eLo = acc.emin;
    this.eHi = acc.emax; // exclusive: a carry out of emax - 1 still lands on a finite value
    this.oddTie = acc.man === 0;
    this.binary32Rne = isBinary32(acc) && spec.modeAcc === RNE;
    this.loDrop = Math.min(31, 52 - acc.man);
    this.loMask = 2 ** this.loDrop - 1;
    this.loHalf = 2 ** (this.loDrop - 1);
    this.hiScale = 2 ** Math.max(0, acc.man - 20);
    this.accBias = acc.bias;
    this.accHidden = acc.hidden;
    this.accSignBit = acc.signBit;
    this.decA = decoder(a, this.aVal);
    this.decW = decoder(w, this.wVal);
    this.decAcc = decoder(acc, this.accVal);
    this.decProd = product === null ? this.decAcc : decoder(product, this.prodVal);
    const tables = this.accVal !== null && this.aVal !== null && this.wVal !== null && (product === null || (this.prodTable !== null && this.prodVal !== null));
    // TwoSum needs exact products (two significands within 53 bits) and rounding to odd needs two
    // spare bits below the accumulator's mantissa.
    const productExact = product !== null || a.man + w.man + 2 <= 53;
    const stochastic = spec.modeProduct === RSR || spec.modeAcc === RSR;
    this.path = stochastic ? 'generic' : this.exactSum && tables && acc.man <= 20 ? 'exact-sum' : inF64 && productExact && acc.man <= 23 ? 'two-sum' : 'generic';
    this.fast = this.path !== 'generic';
    const fused = product === null;
    this.step =
      this.path === 'exact-sum'
        ? fused ? this.stepFusedFast : this.stepRoundedFast
        : this.path === 'two-sum'
          ? fused ? this.stepFusedTwoSum : this.stepRoundedTwoSum
          : fused ? this.stepFusedGeneric : this.stepRoundedGeneric;
  }

  readonly path: MacPath;
  /** True when this configuration takes one of the float64 paths. */
  readonly fast: boolean;

  /** acc ← acc + a·w in the accumulator format (docs/arithmetic.md §3, one term); counts
   *  events. Under rsr, uProduct and uAcc are the draws of the term's product and accumulator
   *  roundings as fractions (core/random-stream.ts drawFraction); the other modes ignore them. */
  readonly step: (acc: number, a: number, w: number, uProduct?: number, uAcc?: number) => number;

  /** The multiplier alone: a·w rounded into the product format (rounded kernels only); counts
   *  the product's events. step(acc, a, w) = addProduct(acc, mulCode(a, w)), split in two for an
   *  array whose product register sits between the multiplier and the adder. `u` as for step. */
  mulCode(a: number, w: number, u = 0): number {
    if (this.prodTable !== null) {
      const t = this.prodTable[(a << this.wShift) | w]!;
      if (t >>> 24 !== 0) this.countProduct(t >>> 24);
      return t & 0xffffff;
    }
    const { a: fa, w: fw, product, modeProduct } = this.spec;
    const p = mul(fa, a, fw, w, product!, modeProduct, u);
    if (status.flags !== 0) this.countProduct(status.flags);
    return p;
  }

  /** The accumulator adder alone: acc + p (a product code) in the accumulator format; counts
   *  events. `u` as for step. */
  addProduct(acc: number, p: number, u = 0): number {
    if (this.path === 'generic') return this.addGeneric(acc, p, u);
    const pv = this.decProd(p);
    const out = this.path === 'exact-sum' ? this.roundFast(this.accVal![acc]! + pv) : this.roundPair(this.decAcc(acc), pv);
    if (out < 0) return this.addGeneric(acc, p);
    if (out === acc && pv !== 0) countEvent(this.events, EVI.swamping);
    return out;
  }

  /**
   * The rounded exact-sum step (stepRoundedFast, `name(acc, a, w)`) and the adder alone
   * (addProduct, `name(acc, p)` with a product code) as JavaScript for the simulator compiler,
   * their constants pasted in as literals so that the generated code needs no property loads.
   * They read the tables of `inlineParts()` bound to the names `${p}T` (products), `${p}V`
   * (product values), `${p}A` (accumulator values), `${p}E` (events), `${p}F`/`${p}U` (a float64
   * and its words), `${p}slow` and `${p}count`. Null on the other paths.
   */
  inlineSource(name: string, p: string, what: 'step' | 'add'): string | null {
    if (this.inlineConstants() === null) return null;
    const { acc, modeAcc } = this.spec;
    const drop = this.dropHi;
    const odd = this.oddTie ? 'true' : '(mag & 1) === 1';
    const up: Record<number, string> = {
      [RNE]: `vsHalf > 0 || (vsHalf === 0 && ${odd})`,
      [RNA]: 'vsHalf >= 0',
      [RDN]: 'inexact && hi >>> 31 === 1',
      [RUP]: 'inexact && hi >>> 31 === 0',
      [ROD]: `inexact && !(${odd})`,
    };
    const half = 2 ** (drop - 1);
    const rounding =
      modeAcc === RTZ
        ? []
        : [
            `  const lo = ${p}U[0];`,
            ...(drop === 0
              ? ['  const vsHalf = lo > 0x80000000 ? 1 : lo === 0x80000000 ? 0 : -1;', '  const inexact = lo !== 0;']
              : [
                  `  const rem = mant & ${2 ** drop - 1};`,
                  `  const vsHalf = rem > ${half} || (rem === ${half} && lo !== 0) ? 1 : rem === ${half} ? 0 : -1;`,
                  '  const inexact = rem !== 0 || lo !== 0;',
                ]),
            `  if (${up[modeAcc]}) mag += 1;`,
          ];
    const product =
      what === 'step'
        ? [`  const t = ${p}T[(a << ${this.wShift}) | w];`, `  if (t >>> 24 !== 0) ${p}count(t >>> 24);`, '  const code = t & 0xffffff;']
        : [];
    return [
      `function ${name}(${what === 'step' ? 'acc, a, w' : 'acc, code'}) {`,
      ...product,
      `  const pv = ${p}V[code];`,
      `  ${p}F[0] = ${p}A[acc] + pv;`,
      `  const hi = ${p}U[1];`,
      '  const e = ((hi >>> 20) & 0x7ff) - 1023;',
      `  if (e < ${this.eLo} || e >= ${this.eHi}) return ${p}slow(acc, code);`,
      '  const mant = hi & 0xfffff;',
      `  let mag = (e + ${acc.bias}) * ${acc.hidden} + ${drop === 0 ? 'mant' : `(mant >>> ${drop})`};`,
      ...rounding,
      `  const out = hi >>> 31 === 1 ? ${acc.signBit} + mag : mag;`,
      `  if (out === acc && pv !== 0) { ${p}E[${EVI.swamping}]++; ${p}E[${EV_SINCE}]++; }`,
      '  return out;',
      '}',
    ].join('\n');
  }

  /** The constants inlineSource pastes in (the simulator's WebAssembly step uses them too), or
   *  null off the rounded exact-sum path. The fast range is eLo <= e < eHi (unbiased exponents of
   *  the float64 sum), whose high word keeps the mantissa's top bits above `drop`. */
  inlineConstants(): InlineConstants | null {
    if (this.path !== 'exact-sum' || this.spec.product === null || this.dropHi < 0 || this.prodTable === null) return null;
    const { acc, modeAcc } = this.spec;
    return { eLo: this.eLo, eHi: this.eHi, bias: acc.bias, hidden: acc.hidden, signBit: acc.signBit, drop: this.dropHi, oddTie: this.oddTie, mode: modeAcc, wShift: this.wShift };
  }

  /** The tables and slow paths inlineSource's code reads. */
  inlineParts(): { T: Uint32Array; V: Float64Array; A: Float64Array; E: Float64Array; slow: (acc: number, p: number) => number; count: (flags: number) => void } {
    return { T: this.prodTable!, V: this.prodVal!, A: this.accVal!, E: this.events, slow: (acc, p) => this.addGeneric(acc, p), count: (f) => this.countProduct(f) };
  }

  /**
   * The exact-sum step on accumulator values instead of codes, for the sweep's generated loop
   * (sweep/gemm-loop.ts). A value names its code (finite nonzero codes have one value each; the
   * core's zeros are ±0), so the step of stepFusedFast/stepRoundedFast can round the exact sum's
   * bit pattern in place: in the fast range (biased exponent in valueParts' lo..hi-1), its high
   * word `hi` (a uint32) rounded as this expression says, with the low word (readable as `lo`)
   * cleared, is the rounded sum. The mode's increment of the last kept bit is added without
   * branches (the dropped bits decide whether the addition carries into it), and a carry out of
   * the mantissa moves into the exponent as the code's mag + 1 does. Names are read as `${p}NAME`
   * for valueParts()' fields. Null off the exact-sum path or when the rounding position lies in
   * the low word (drop < 1: no accumulator of 16 bits or fewer).
   */
  valueRoundHigh(hi: string, lo: string, p: string): string | null {
    if (this.path !== 'exact-sum' || this.dropHi < 1) return null;
    // 1 when the low word is nonzero (x | -x has its sign bit set exactly when x is not 0).
    const sticky = `(((${lo} | 0) | -(${lo} | 0)) >>> 31)`;
    // Adding `inc` to the dropped bits carries into the last kept one when the mode rounds up.
    const odd = this.oddTie ? '1' : `((${hi} >>> ${p}drop) & 1)`;
    const negative = `((${hi} | 0) >> 31)`;
    const inexact = `((${hi} & ${p}rem) | ${sticky})`;
    const rounded: Record<number, string> = {
      [RTZ]: hi,
      // rem > half, or rem = half and (odd or sticky): rem + half - 1 + (odd | sticky) carries.
      [RNE]: `(${hi} + ${p}half - 1 + (${odd} | ${sticky}))`,
      [RNA]: `(${hi} + ${p}half)`,
      // Any dropped bit, on the side the mode rounds away from zero.
      [RDN]: `(${hi} + ((${p}rem + ${sticky}) & ${negative}))`,
      [RUP]: `(${hi} + ((${p}rem + ${sticky}) & ~${negative}))`,
      // Inexact: the last kept bit set (an odd one stays, an even one goes up by one).
      [ROD]: this.oddTie ? hi : `(${hi} | (((${inexact} | -${inexact}) >>> 31) << ${p}drop))`,
    };
    return `(${rounded[this.spec.modeAcc]!} & ${p}keep)`;
  }

  /**
   * What valueRoundHigh's step needs: biased exponents lo..hi-1 take the fast path; drop: the
   * dropped bits of the high word, rem: their mask, half: their top one, keep: the bits kept; ws,
   * T and V: the product table (rounded kernels; null when fused) and its values; Va: A's values by
   * code; E the events. The rest is methods (one call target for every kernel, so that a loop
   * compiled once serves them all): countProduct(t >>> 24) for a table entry's flags, and out of
   * the fast range the generic core on codes, fmaValue (fused) or addValue (rounded).
   */
  valueParts(): {
    lo: number;
    hi: number;
    drop: number;
    rem: number;
    half: number;
    keep: number;
    ws: number;
    T: Uint32Array | null;
    V: Float64Array | null;
    Va: Float64Array;
    E: Float64Array;
  } {
    const drop = this.dropHi;
    return {
      lo: this.eLo + 1023,
      hi: this.eHi + 1023,
      drop,
      rem: 2 ** drop - 1,
      half: 2 ** (drop - 1),
      keep: 2 ** 32 - 2 ** drop,
      ws: this.wShift,
      T: this.prodTable,
      V: this.prodVal,
      Va: this.aVal!,
      E: this.events,
    };
  }

  /** The accumulator code of a value it holds (the inverse of decoding; ±0 are the two zeros). */
  accCode(v: number): number {
    return fromFloat64(v, this.spec.acc, RNE);
  }

  /** The accumulator value of a code (exact on the exact-sum and two-sum paths). */
  accValue(code: number): number {
    return this.decAcc(code);
  }

  /** step on codes, as a method: one call target for every kernel. */
  stepCode(acc: number, a: number, w: number): number {
    return this.step(acc, a, w);
  }

  /** step on an accumulator value (codes of a and w). */
  stepValue(v: number, a: number, w: number): number {
    return this.decAcc(this.step(this.accCode(v), a, w));
  }

  /** The generic fused step on an accumulator value. */
  fmaValue(v: number, a: number, w: number): number {
    return this.decAcc(this.fmaGeneric(this.accCode(v), a, w));
  }

  /** The generic adder on an accumulator value and a product code (its flags already counted). */
  addValue(v: number, p: number): number {
    return this.decAcc(this.addGeneric(this.accCode(v), p));
  }

  /** Counts a product table entry's flags (t >>> 24). */
  countProduct(flags: number): void {
    if (flags & EV_OVERFLOW) countEvent(this.events, EVI.productOverflow);
    if (flags & EV_TINY) countEvent(this.events, EVI.productUnderflow);
    if (flags & EV_INVALID) countEvent(this.events, EVI.nan);
  }

  private buildProductTable(product: Format): Uint32Array {
    const { a, w, modeProduct } = this.spec;
    const t = new Uint32Array(2 ** (a.width + w.width));
    for (let x = 0; x < 2 ** a.width; x++) {
      for (let y = 0; y < 2 ** w.width; y++) {
        const code = mul(a, x, w, y, product, modeProduct);
        t[(x << w.width) | y] = code | (status.flags << 24);
      }
    }
    return t;
  }

  private countAcc(flags: number): void {
    if (flags & EV_OVERFLOW) countEvent(this.events, EVI.accOverflow);
    if (flags & EV_ZERO) countEvent(this.events, EVI.accUnderflow);
    if (flags & EV_INVALID) countEvent(this.events, EVI.nan);
  }

  /**
   * Rounds an exact finite float64 sum into the accumulator format when it is a normal number
   * below the top binade; returns -1 when the generic path must decide.
   */
  private roundFast(s: number): number {
    F64[0] = s;
    return this.roundBits();
  }

  /** roundFast of the float64 whose bit pattern is in U32. */
  private roundBits(): number {
    const hi = U32[1]!;
    const e = ((hi >>> 20) & 0x7ff) - 1023;
    if (e < this.eLo || e >= this.eHi) return -1;
    const acc = this.spec.acc;
    const drop = this.dropHi;
    const mant = hi & 0xfffff;
    if (drop < 0) return this.roundWide(hi, e, mant);
    let mag = (e + acc.bias) * acc.hidden + (mant >>> drop);
    const mode = this.spec.modeAcc;
    if (mode !== RTZ) {
      // The dropped part: the low `drop` bits of the high word, then the whole low word.
      const lo = U32[0]!;
      let vsHalf: number;
      let inexact: boolean;
      if (drop === 0) {
        vsHalf = lo > 0x80000000 ? 1 : lo === 0x80000000 ? 0 : -1;
        inexact = lo !== 0;
      } else {
        const rem = mant & ((1 << drop) - 1);
        const half = 1 << (drop - 1);
        vsHalf = rem > half || (rem === half && lo !== 0) ? 1 : rem === half ? 0 : -1;
        inexact = rem !== 0 || lo !== 0;
      }
      // A carry out of the mantissa moves into the exponent field: still the right code.
      if (roundsUp(mode, hi >>> 31, this.oddTie || (mag & 1) === 1, vsHalf, inexact)) mag += 1;
    }
    return hi >>> 31 === 1 ? acc.signBit + mag : mag;
  }

  /** roundBits for accumulator mantissas of 21 to 23 bits: the kept bits reach the low word. */
  private roundWide(hi: number, e: number, mant: number): number {
    const lo = U32[0]!;
    // 29 to 31 dropped bits: int32 masks and shifts still hold them.
    const kept = lo >>> this.loDrop;
    const rem = lo & this.loMask;
    let mag = (e + this.accBias) * this.accHidden + mant * this.hiScale + kept;
    const mode = this.spec.modeAcc;
    if (mode !== RTZ) {
      const half = this.loHalf;
      const vsHalf = rem > half ? 1 : rem === half ? 0 : -1;
      if (roundsUp(mode, hi >>> 31, (kept & 1) === 1, vsHalf, rem !== 0)) mag += 1;
    }
    return hi >>> 31 === 1 ? this.accSignBit + mag : mag;
  }

  /**
   * Rounds x + y (finite, exact in float64 only as a pair) into the accumulator format: TwoSum,
   * then s rounded to odd toward the error term; -1 when the generic path must decide.
   */
  private roundPair(x: number, y: number): number {
    const s = x + y;
    F64[0] = s;
    const hi = U32[1]!;
    const e = ((hi >>> 20) & 0x7ff) - 1023;
    if (e < this.eLo || e >= this.eHi) return -1; // also zero, inf and NaN
    const lo = U32[0]!;
    if ((lo & 1) === 0) {
      const bb = s - x;
      const err = x - (s - bb) + (y - bb);
      if (err !== 0) {
        // One step away from zero (same signs) or toward it: the odd neighbour on err's side.
        if (err > 0 === s > 0) U32[0] = lo + 1;
        else if (lo === 0) {
          U32[1] = hi - 1;
          U32[0] = 0xffffffff;
        } else U32[0] = lo - 1;
      }
    }
    if (this.binary32Rne) {
      // In the normal range below the top binade (checked above), the host's float32 rounding
      // of the rounded-to-odd sum is the rne of docs/arithmetic.md §2.
      F32[0] = F64[0]!;
      const code = U32F[0]!;
      return (code & 0x7f800000) === 0 ? this.roundBits() : code;
    }
    return this.roundBits();
  }

  private stepRoundedFast = (acc: number, a: number, w: number): number => {
    const t = this.prodTable![(a << this.wShift) | w]!;
    const p = t & 0xffffff;
    const pflags = t >>> 24;
    if (pflags !== 0) this.countProduct(pflags);
    const pv = this.prodVal![p]!;
    const out = this.roundFast(this.accVal![acc]! + pv);
    if (out < 0) return this.addGeneric(acc, p);
    if (out === acc && pv !== 0) countEvent(this.events, EVI.swamping);
    return out;
  };

  private stepFusedFast = (acc: number, a: number, w: number): number => {
    const pv = this.aVal![a]! * this.wVal![w]!;
    const out = this.roundFast(this.accVal![acc]! + pv);
    if (out < 0) return this.fmaGeneric(acc, a, w);
    if (out === acc && pv !== 0) countEvent(this.events, EVI.swamping);
    return out;
  };

  private stepRoundedTwoSum = (acc: number, a: number, w: number): number => this.addProduct(acc, this.mulCode(a, w));

  private stepFusedTwoSum = (acc: number, a: number, w: number): number => {
    const pv = this.decA(a) * this.decW(w);
    const out = this.roundPair(this.decAcc(acc), pv);
    if (out < 0) return this.fmaGeneric(acc, a, w);
    if (out === acc && pv !== 0) countEvent(this.events, EVI.swamping);
    return out;
  };

  private stepRoundedGeneric = (acc: number, a: number, w: number, uProduct = 0, uAcc = 0): number => this.addGeneric(acc, this.mulCode(a, w, uProduct), uAcc);

  private stepFusedGeneric = (acc: number, a: number, w: number, _uProduct = 0, uAcc = 0): number => this.fmaGeneric(acc, a, w, uAcc);

  private addGeneric(acc: number, p: number, u = 0): number {
    const { acc: fa, product, modeAcc } = this.spec;
    const out = add(fa, acc, product!, p, fa, modeAcc, u);
    this.countAcc(status.flags);
    if (out === acc && isFiniteNonzeroCode(p, product!) && isFiniteCode(acc, fa)) countEvent(this.events, EVI.swamping);
    return out;
  }

  private fmaGeneric(acc: number, a: number, w: number, u = 0): number {
    const { a: fa, w: fw, acc: facc, modeAcc } = this.spec;
    const out = fma(fa, a, fw, w, facc, acc, facc, modeAcc, u);
    this.countAcc(status.flags);
    // A fused term is nonzero exactly when both factors are finite and nonzero.
    if (out === acc && isFiniteNonzeroCode(a, fa) && isFiniteNonzeroCode(w, fw) && isFiniteCode(acc, facc)) countEvent(this.events, EVI.swamping);
    return out;
  }
}
