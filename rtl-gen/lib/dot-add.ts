// The dot-product cell's multi-operand adder (docs/arithmetic.md §3, "Dot-product cells";
// core/dot.ts DotKernel): the accumulator and G products in one addition, every term first
// truncated toward zero to the grid of a W-bit window below the largest term's leading bit, then
// one rounding into the accumulator format. dotAddModule takes rounded product codes (the cell with
// a product register); dotFmaModule multiplies G pairs exactly inside (the fused cell).
//
// Datapath; every width follows from G, W and the formats:
//
//   unpack    each term: sign, significand m normalized (leading one on top), lead = the exponent
//             of that leading one, floor(log2 |t|), in the accumulator's bias
//   max tree  emax = the largest lead of a nonzero term (G+1 keys, depth ceil(log2(G+1)))
//   align     m placed with its leading one at window bit W-1, shifted right by emax - lead: the
//             term's magnitude in units of q = 2^(emax - W + 1), floor taken. Bits below q drop:
//             truncation toward zero, no sticky, as the contract says
//   add       negative terms enter as ones' complements and the count of negative terms as one
//             more operand (the +1s of their two's complements, without G+1 incrementers); a
//             carry-save tree of 3:2 compressors takes the G+2 operands to two, then one adder
//   round     the sum is exact; its magnitude goes to round.ts (clz, normalize, round once, pack)
//   specials  NaN, inf and exact zero sums are muxed around the rounder, as IEEE addition over
//             the G+1 terms (a fused lane's inf * 0 is an invalid operation)
//
// alignBits "exact": the window spans every bit a term can have (the highest finite leading bit
// down to the lowest last bit of the formats), so nothing is ever cut. A finite W at least that
// wide computes the same, so the adder is built with the narrower of the two. A window wider than
// DOT_WINDOW_LIMIT bits is refused.
import { LbamacError } from '../../core/errors.js';
import type { Format, RoundingMode } from '../../core/format.js';
import type { DotCell } from '../../core/lanes.js';
import { Body, makeModule, type Port, type VModule } from '../back/module.js';
import { bitsFor, hex, joinTerms, lit, plusConst, signedBits, slice, slit, zeros, zext } from '../back/verilog.js';
import { emitExactProduct } from './fma.js';
import { describeFormat, leadExpr, MODE_TEXT, normExpRange, type NormOperand, unpackNormalized } from './operand.js';
import { popcountModule } from './popcount.js';
import { FLAGS_WIDTH, roundModule } from './round.js';
import { emitFlagsMux, emitMux, specialCodes, zeroSumText } from './specials.js';

/** The widest alignment window the generator builds. "exact" with an accumulator of 8 exponent
 *  bits (fp32, e8m13) and rounded products or narrow fused inputs needs 267..277 bits; exact
 *  products of two 8-exponent-bit inputs span twice that range (522 bits for bf16, 554 for fp32,
 *  into fp32), for G+1 shifters and a carry-save tree that wide: refused, as are biases far apart. */
export const DOT_WINDOW_LIMIT = 320;

/** Exponents one kind of term can have (a code of a format, or an exact product), biased like the
 *  accumulator unless said otherwise. */
interface TermRange {
  /** Its lead wire's range; a zero's and an infinity's values included. */
  lo: number;
  hi: number;
  /** The same before rebiasing (the wires that form the lead). */
  rawLo: number;
  rawHi: number;
  /** The rebiasing constant added to the raw lead. */
  k: number;
  /** The highest lead of a finite value, and the lowest exponent of a last bit. */
  finiteLead: number;
  lsb: number;
  /** Mantissa widths of the formats (their clz counts must fit the exponent wires). */
  mans: number[];
}

function maxField(f: Format): number {
  return Math.floor(f.maxFiniteMag / f.hidden);
}

/** A code of format f: lead = exp - lz (own bias) + k. */
function codeRange(f: Format, acc: Format): TermRange {
  const k = acc.bias - f.bias;
  const [lo, hi] = normExpRange(f);
  // The last bit of a subnormal (or of the smallest normal) weighs 2^(1 - bias - man).
  return { lo: lo + k, hi: hi + k, rawLo: lo, rawHi: hi, k, finiteLead: maxField(f) + k, lsb: 1 - f.man + k, mans: [f.man] };
}

/** An exact product of formats a and w: lead = a_lead + w_lead + top + K. */
function productRange(a: Format, w: Format, acc: Format): TermRange {
  const K = acc.bias - a.bias - w.bias;
  const [alo, ahi] = normExpRange(a);
  const [wlo, whi] = normExpRange(w);
  const rawLo = alo + wlo;
  const rawHi = ahi + whi + 1;
  return {
    lo: rawLo + K,
    hi: rawHi + K,
    rawLo,
    rawHi,
    k: K,
    finiteLead: maxField(a) + maxField(w) + 1 + K,
    lsb: 1 - a.man + (1 - w.man) + K,
    mans: [a.man, w.man],
  };
}

/** The adder's widths. */
interface DotShape {
  G: number;
  /** The window built, and the one that keeps every bit. */
  W: number;
  exactW: number;
  /** A zero term's key: below every nonzero lead, so that it never sets emax. */
  low: number;
  /** Carry bits of a sum of G+1 W-bit magnitudes: |sum| < (G+1) 2^W <= 2^(W+LG). */
  LG: number;
  /** The signed sum (W + LG + 1 bits) and the shift amount inside the window. */
  SW: number;
  SB: number;
  /** Signed exponent wires. */
  XW: number;
}

function dotShape(ranges: TermRange[], cell: DotCell, acc: Format, what: string): DotShape {
  const G = cell.lanes;
  if (!Number.isInteger(G) || G < 1) throw new Error(`${what}: lanes must be a positive integer, not ${G}`);
  const topLead = Math.max(...ranges.map((r) => r.finiteLead));
  const bottom = Math.min(...ranges.map((r) => r.lsb));
  const exactW = topLead - bottom + 1;
  if (cell.alignBits !== 'exact' && !(Number.isInteger(cell.alignBits) && cell.alignBits >= 1)) throw new Error(`${what}: alignBits must be a positive integer or "exact"`);
  const W = cell.alignBits === 'exact' ? exactW : Math.min(cell.alignBits, exactW);
  if (W > DOT_WINDOW_LIMIT) {
    throw new LbamacError(
      `${what}: alignBits = ${JSON.stringify(cell.alignBits)} needs a ${W}-bit alignment window ` +
        `(the terms' bits span ${exactW} positions, 2^${bottom - acc.bias} to 2^${topLead - acc.bias}), wider than the ` +
        `generator's limit of ${DOT_WINDOW_LIMIT} bits (DOT_WINDOW_LIMIT, rtl-gen/lib/dot-add.ts); use alignBits <= ${DOT_WINDOW_LIMIT}`,
    );
  }
  const low = Math.min(...ranges.map((r) => r.lo));
  const hi = Math.max(...ranges.map((r) => r.hi));
  const LG = bitsFor(G);
  const big = Math.max(...ranges.map((r) => Math.abs(r.k)));
  const XW = Math.max(
    // leads and their raw parts, emax + LG (the rounder's exp_top), distances emax - key
    signedBits(Math.min(low, ...ranges.map((r) => r.rawLo)), Math.max(hi + LG, hi - low, ...ranges.map((r) => r.rawHi))),
    signedBits(-big, big),
    bitsFor(W) + 1,
    ...ranges.flatMap((r) => r.mans.map((m) => bitsFor(m + 1) + 1)),
  );
  return { G, W, exactW, low, LG, SW: W + LG + 1, SB: bitsFor(W - 1), XW };
}

/** One addend of the adder. Every name is a wire of the module body. */
interface Term {
  name: string;
  sign: string;
  isZero: string;
  isInf: string | null;
  isNaN: string | null;
  /** A fused lane's inf * 0. */
  infZero: string | null;
  /** F+1 bits, the leading one on top (zero for a zero term). */
  m: string;
  F: number;
  /** Signed XW bits: the exponent of m[F], biased like the accumulator. */
  lead: string;
}

function signedConst(width: number, v: number): string {
  return v >= 0 ? slit(width, v) : `-${slit(width, -v)}`;
}

/** `wire [n-1:0] name = {bits[0], ..., bits[n-1]};` a few bits a line (bits given MSB first). */
function emitVector(b: Body, name: string, bits: string[], comment: string): void {
  if (bits.length === 1) {
    b.wire(1, name, bits[0], comment);
    return;
  }
  const rows: string[] = [];
  for (let i = 0; i < bits.length; i += 8) rows.push(bits.slice(i, i + 8).join(', '));
  if (rows.length === 1) {
    b.wire(bits.length, name, `{${rows[0]}}`, comment);
    return;
  }
  b.line(`wire [${bits.length - 1}:0] ${name} = {  // ${comment}`);
  rows.forEach((r, i) => b.line(`  ${r}${i < rows.length - 1 ? ',' : ''}`));
  b.line('};');
}

/** A code term (the accumulator, or a rounded product): its lead in the accumulator's bias. */
function codeTerm(b: Body, op: NormOperand, acc: Format, XW: number): Term {
  const p = op.prefix;
  b.swire(XW, `${p}_lead`, plusConst(leadExpr(op, XW), acc.bias - op.f.bias, XW), `exponent of ${p}'s leading one, in ${acc.name}'s bias`);
  return { name: p, sign: op.sign, isZero: op.isZero, isInf: op.isInf, isNaN: op.isNaN, infZero: null, m: op.norm, F: op.sigWidth - 1, lead: `${p}_lead` };
}

/** The lanes' codes: lane j of port `port` is bits [j*w +: w]. */
function laneWire(b: Body, port: string, f: Format, G: number, j: number): string {
  const name = `${port}${j}`;
  b.wire(f.width, name, slice(port, G * f.width, (j + 1) * f.width - 1, j * f.width), `lane ${j}`);
  return name;
}

/**
 * Emits max tree, alignment, carry-save tree, rounder, specials and outputs `sum`, `flags` and
 * `swamped` over the terms (terms[0] the accumulator, terms[1 + j] lane j's product).
 */
function emitAdder(b: Body, terms: Term[], s: DotShape, acc: Format, mode: RoundingMode, deps: VModule[]): { csaLevels: number } {
  const { G, W, XW, SW, SB, LG } = s;
  const MW = SW - 1;
  const products = terms.slice(1);

  b.blank().comment(
    `emax: the largest lead of a nonzero term, over a tree of comparisons. A zero term's key is ${s.low},`,
    "below every nonzero lead, so that it never wins (its significand is zero: it adds nothing).",
  );
  let keys = terms.map((t) => {
    b.swire(XW, `${t.name}_key`, `${t.isZero} ? ${signedConst(XW, s.low)} : ${t.lead}`);
    return `${t.name}_key`;
  });
  for (let level = 1; keys.length > 1; level++) {
    const next: string[] = [];
    for (let i = 0; i + 1 < keys.length; i += 2) {
      const name = keys.length === 2 ? 'emax' : `emax_l${level}_${i / 2}`;
      b.swire(XW, name, `(${keys[i]} > ${keys[i + 1]}) ? ${keys[i]} : ${keys[i + 1]}`);
      next.push(name);
    }
    if (keys.length % 2 === 1) next.push(keys[keys.length - 1]!);
    keys = next;
  }

  const cut = terms.filter((t) => t.F + 1 > W);
  b.blank().comment(
    `Align: each term's leading one goes to bit ${W - 1} of the ${W}-bit window, then the term shifts right`,
    `by emax - lead. The result is floor(|t| / q), q = 2^(emax - ${W - 1}): bits below q drop (truncation`,
    `toward zero, no sticky). A term ${W} or more binades below emax keeps nothing ("far").`,
    ...(cut.length > 0
      ? [`A significand wider than the window keeps only its top ${W} bits whatever the shift: the bits below`, 'are never read (waived for lint).']
      : []),
  );
  for (const t of terms) {
    let placed: string;
    if (t.F + 1 > W) {
      b.line('/* verilator lint_off UNUSEDSIGNAL */');
      b.wire(t.F + 1, `${t.name}_m`, t.m);
      b.line('/* verilator lint_on UNUSEDSIGNAL */');
      placed = slice(`${t.name}_m`, t.F + 1, t.F, t.F + 1 - W);
    } else {
      placed = t.F + 1 === W ? t.m : `{${t.m}, ${zeros(W - t.F - 1)}}`;
    }
    b.swire(XW, `${t.name}_dist`, `emax - ${t.name}_key`, '>= 0');
    b.wire(1, `${t.name}_far`, `(${t.name}_dist >= ${slit(XW, W)})`);
    const shifted = W === 1 ? placed : `(${placed} >> ${slice(`${t.name}_dist`, XW, SB - 1, 0)})`;
    b.wire(W, `${t.name}_al`, `${t.name}_far ? ${lit(W, 0)} : ${shifted}`);
  }

  b.blank().comment(
    `Add the G+1 = ${G + 1} aligned terms as ${SW}-bit two's complement numbers: |sum| < ${G + 1} * 2^${W} <= 2^${W + LG}.`,
    'A negative term enters as its ones\' complement (~x = -x - 1); neg_count adds the missing ones.',
  );
  emitVector(b, 'term_sign', terms.map((t) => t.sign).reverse(), 'bit 0 the accumulator, bit 1+j lane j');
  const negPop = popcountModule(G + 1);
  deps.push(negPop);
  const NC = bitsFor(G + 1);
  b.wire(NC, 'neg_count');
  b.instance(negPop.name, 'count_negative', [['value', 'term_sign'], ['count', 'neg_count']]);
  for (const t of terms) b.wire(SW, `${t.name}_x`, `{${SW}{${t.sign}}} ^ ${zext(`${t.name}_al`, W, SW)}`);

  b.blank().comment(
    '3:2 carry-save compressors take three operands to a sum and a carry vector until two are left:',
    `no carry propagates before the last adder. Arithmetic is modulo 2^${SW}; the true sum fits, so the`,
    'carries out of the top bit are dropped.',
  );
  let ops = [...terms.map((t) => `${t.name}_x`), zext('neg_count', NC, SW)];
  let csaLevels = 0;
  while (ops.length > 2) {
    csaLevels++;
    const next: string[] = [];
    let i = 0;
    for (; i + 3 <= ops.length; i += 3) {
      const [x, y, z] = ops.slice(i, i + 3) as [string, string, string];
      const n = `csa${csaLevels}_${i / 3}`;
      b.wire(SW, `${n}_s`, `${x} ^ ${y} ^ ${z}`);
      b.wire(SW, `${n}_c`, `((${x} & ${y}) | (${x} & ${z}) | (${y} & ${z})) << 1`);
      next.push(`${n}_s`, `${n}_c`);
    }
    next.push(...ops.slice(i));
    ops = next;
  }
  b.wire(SW, 'total', `${ops[0]} + ${ops[1]}`, 'the exact sum of the aligned terms, in units of q');
  b.wire(1, 'total_sign', `total[${SW - 1}]`);
  b.wire(MW, 'total_mag', `total_sign ? -${slice('total', SW, MW - 1, 0)} : ${slice('total', SW, MW - 1, 0)}`, '|total| < 2^' + MW);
  b.wire(1, 'cancel', `(total == ${lit(SW, 0)})`, 'the aligned terms cancel (or are all zeros)');

  const round = roundModule(acc, mode, MW, XW);
  deps.push(round);
  b.blank().comment(`Round the exact sum once: total_mag[${MW - 1}] weighs 2^(emax + ${LG}) (q = 2^(emax - ${W - 1})).`);
  b.swire(XW, 'sum_exp', plusConst('emax', LG, XW));
  b.wire(acc.width, 'round_code');
  b.wire(FLAGS_WIDTH, 'round_flags');
  b.instance(round.name, 'rounder', [
    ['sign', 'total_sign'],
    ['sig', 'total_mag'],
    ['sticky', "1'b0"],
    ['exp_top', 'sum_exp'],
    ['code', 'round_code'],
    ['flags', 'round_flags'],
  ]);

  const { hasNaN, hasInf } = emitSpecials(b, terms, acc, mode);

  b.blank().comment(
    'swamped: the nonzero products the alignment cut to nothing (their leading one fell below the',
    "window), counted in steps whose terms are all finite: DotKernel's swamping events for G >= 2.",
  );
  for (const t of products) b.wire(1, `${t.name}_lost`, `~${t.isZero} & ${t.name}_far`);
  emitVector(b, 'lost', products.map((t) => `${t.name}_lost`).reverse(), 'bit j lane j');
  const lostPop = popcountModule(G);
  deps.push(lostPop);
  const special = joinTerms([hasNaN && 'is_nan', hasInf && 'is_inf'], '|', '');
  if (special) {
    b.wire(bitsFor(G), 'lost_count');
    b.instance(lostPop.name, 'count_lost', [['value', 'lost'], ['count', 'lost_count']]);
    b.line(`assign swamped = (${special}) ? ${lit(bitsFor(G), 0)} : lost_count;`);
  } else {
    b.instance(lostPop.name, 'count_lost', [['value', 'lost'], ['count', 'swamped']]);
  }
  return { csaLevels };
}

/** NaN, inf and exact zero results around the rounder; the `sum` and `flags` outputs. */
function emitSpecials(b: Body, terms: Term[], acc: Format, mode: RoundingMode): { hasNaN: boolean; hasInf: boolean } {
  const nans = terms.filter((t) => t.isNaN).map((t) => t.isNaN!);
  const infs = terms.filter((t) => t.isInf);
  const infZeros = terms.filter((t) => t.infZero).map((t) => t.infZero!);
  const hasClash = infs.length >= 2;
  const hasInvalid = hasClash || infZeros.length > 0;
  const hasNaN = nans.length > 0 || hasInvalid;
  const hasInf = infs.length > 0;
  b.blank().comment(
    'Specials, as IEEE addition over the terms: a NaN term, or +inf with -inf, gives NaN; else an inf',
    'term gives that inf. inf * 0 in a lane and inf - inf are invalid operations unless a NaN operand',
    'came in (DotKernel counts a nan event). Zero sums: zeros only keep a sign they all share; any',
    `other exact zero sum is a cancellation: ${zeroSumText(mode)}.`,
  );
  const anyOf = (name: string, vector: string, bits: string[], comment: string): void => {
    if (bits.length === 1) {
      b.wire(1, name, bits[0], comment);
      return;
    }
    emitVector(b, vector, [...bits].reverse(), comment);
    b.wire(1, name, `|${vector}`);
  };
  if (nans.length > 0) anyOf('any_nan', 'nan_terms', nans, 'the terms that are NaN');
  if (infZeros.length > 0) anyOf('inf_zero', 'inf_zero_lanes', infZeros, 'the lanes that multiply inf by 0');
  if (infs.length === 1) {
    b.wire(1, 'pos_inf', `${infs[0]!.isInf} & ~${infs[0]!.sign}`);
    b.wire(1, 'neg_inf', `${infs[0]!.isInf} & ${infs[0]!.sign}`);
  } else if (hasInf) {
    emitVector(b, 'inf_terms', infs.map((t) => t.isInf!).reverse(), 'the terms that are infinite');
    emitVector(b, 'inf_signs', infs.map((t) => t.sign).reverse(), 'and their signs');
    b.wire(1, 'pos_inf', '|(inf_terms & ~inf_signs)');
    b.wire(1, 'neg_inf', '|(inf_terms & inf_signs)');
  }
  if (hasInf) b.wire(1, 'is_inf', 'pos_inf | neg_inf');
  if (hasInvalid) {
    const made = joinTerms([infZeros.length > 0 && 'inf_zero', hasClash && 'pos_inf & neg_inf'], '|', '');
    b.wire(1, 'invalid', nans.length > 0 ? `~any_nan & (${made})` : made, 'a NaN operand takes precedence');
  }
  if (hasNaN) b.wire(1, 'is_nan', joinTerms([nans.length > 0 && 'any_nan', hasInvalid && 'invalid'], '|', ''));
  const zeroVec = terms.map((t) => t.isZero).reverse();
  emitVector(b, 'term_zero', zeroVec, 'bit 0 the accumulator, bit 1+j lane j');
  b.wire(1, 'all_zero', '&term_zero');
  b.wire(1, 'zero_sign', mode === 'rdn' ? '|term_sign' : '&term_sign', mode === 'rdn' ? 'rdn: -0 unless all are +0' : '-0 only when all are -0');

  const S = specialCodes(acc);
  const Wd = acc.width;
  const arms: [string, string][] = [];
  if (hasNaN) arms.push(['is_nan', hex(Wd, S.nan)]);
  if (hasInf) arms.push(['is_inf', `{neg_inf, ${hex(Wd - 1, S.infMag)}}`]);
  arms.push(['all_zero', `{zero_sign, ${lit(Wd - 1, 0)}}`]);
  arms.push(['cancel', mode === 'rdn' ? `{1'b1, ${lit(Wd - 1, 0)}}` : lit(Wd, 0)]);
  b.blank();
  emitMux(b, 'sum', arms, 'round_code');
  emitFlagsMux(b, { hasNaN, hasInf, hasInvalid }, ['all_zero', 'cancel']);
  return { hasNaN, hasInf };
}

function windowText(cell: DotCell, s: DotShape): string {
  if (cell.alignBits === 'exact') return `${s.W} bits: exact, every bit any term can have`;
  if (s.W < cell.alignBits) return `${s.W} bits: alignBits ${cell.alignBits} is at least the ${s.exactW} bits the terms span, so nothing is cut (as "exact")`;
  return `${s.W} bits: each term truncated toward zero to a multiple of 2^(emax - ${s.W - 1})`;
}

/** The header rows both modules share: the window, the adder's shape and the rounding. */
function stepRows(cell: DotCell, s: DotShape, G: number, csaLevels: number, mode: RoundingMode): [string, string][] {
  return [
    ['window', windowText(cell, s)],
    ['adder', `${G + 2} operands of ${s.SW} bits, ${csaLevels} carry-save level${csaLevels === 1 ? '' : 's'}, one ${s.SW}-bit adder`],
    ['rounding', MODE_TEXT[mode]],
  ];
}

function alignName(cell: DotCell): string {
  return cell.alignBits === 'exact' ? 'wexact' : `w${cell.alignBits}`;
}

const FLAGS_TEXT = [
  'flags: bit 0 inexact, 1 overflow, 2 tiny, 3 zero (core/arith.ts EV_*, of the one rounding of the aligned',
  'sum; the alignment\'s cuts are not inexact), 4 invalid (a NaN made from non-NaN operands: DotKernel counts',
  'a nan event). swamped: the nonzero products aligned to zero, 0 in a step with an inf or NaN term',
  '(DotKernel\'s swamping count for G >= 2; with one lane the PE applies section 5\'s rule instead).',
];

/** The outputs of both modules. */
function outputPorts(acc: Format, G: number): Port[] {
  return [
    { dir: 'output', name: 'sum', width: acc.width, comment: 'the new accumulator' },
    { dir: 'output', name: 'flags', width: FLAGS_WIDTH, comment: 'invalid, zero, tiny, overflow, inexact' },
    { dir: 'output', name: 'swamped', width: bitsFor(G), comment: 'products aligned to zero' },
  ];
}

function uniqueDeps(deps: VModule[]): VModule[] {
  return [...new Map(deps.map((d) => [d.name, d])).values()];
}

/**
 * lbamac_dotadd_<acc>_<product>_g<G>_w<W>_<mode>: one step of a dot-product cell with rounded
 * products. Ports acc, p (G codes of the product format, lane j at bits [j*w +: w]) -> sum, flags,
 * swamped.
 */
export function dotAddModule(acc: Format, product: Format, cell: DotCell, mode: RoundingMode): VModule {
  const what = `dot-product adder (${acc.name} + ${cell.lanes} x ${product.name})`;
  const s = dotShape([codeRange(acc, acc), codeRange(product, acc)], cell, acc, what);
  const G = s.G;
  const b = new Body();
  const deps: VModule[] = [];
  const terms = [codeTerm(b, unpackNormalized(b, 'acc', acc, deps), acc, s.XW)];
  for (let j = 0; j < G; j++) {
    b.blank();
    const lane = laneWire(b, 'p', product, G, j);
    terms.push(codeTerm(b, unpackNormalized(b, lane, product, deps), acc, s.XW));
  }
  const { csaLevels } = emitAdder(b, terms, s, acc, mode, deps);
  return makeModule({
    kind: 'dotadd',
    nameParts: [acc.name, product.name, `g${G}`, alignName(cell), mode],
    summary: [
      'One step of a dot-product cell with rounded products (docs/arithmetic.md section 3, "Dot-product',
      'cells"; core/dot.ts DotKernel.addProducts): sum = acc + p_0 + ... + p_(G-1), every term first truncated',
      'toward zero to the grid of a W-bit window below the largest term\'s leading bit, then rounded once.',
      ...FLAGS_TEXT,
    ],
    config: [
      ['acc, sum', describeFormat(acc)],
      ['products', describeFormat(product)],
      ['lanes', `${G}: port p holds lane j at bits [j*${product.width} +: ${product.width}]`],
      ...stepRows(cell, s, G, csaLevels, mode),
    ],
    source: 'rtl-gen/lib/dot-add.ts',
    ports: [
      { dir: 'input', name: 'acc', width: acc.width },
      { dir: 'input', name: 'p', width: G * product.width, comment: `lane j at bits [j*${product.width} +: ${product.width}]` },
      ...outputPorts(acc, G),
    ],
    body: b,
    deps: uniqueDeps(deps),
  });
}

/**
 * lbamac_dotfma_<a>_<w>_<acc>_g<G>_w<W>_<mode>: one step of a fused dot-product cell: G exact
 * products a_j * w_j and the accumulator. Ports acc, a, w (G codes each, lane j at bits
 * [j*width +: width]) -> sum, flags, swamped.
 */
export function dotFmaModule(fa: Format, fw: Format, acc: Format, cell: DotCell, mode: RoundingMode): VModule {
  const what = `fused dot-product cell (${acc.name} + ${cell.lanes} x ${fa.name} * ${fw.name})`;
  const s = dotShape([codeRange(acc, acc), productRange(fa, fw, acc)], cell, acc, what);
  const G = s.G;
  const K = acc.bias - fa.bias - fw.bias;
  const b = new Body();
  const deps: VModule[] = [];
  const terms = [codeTerm(b, unpackNormalized(b, 'acc', acc, deps), acc, s.XW)];
  for (let j = 0; j < G; j++) {
    b.blank();
    const A = unpackNormalized(b, laneWire(b, 'a', fa, G, j), fa, deps);
    const B = unpackNormalized(b, laneWire(b, 'w', fw, G, j), fw, deps);
    const p = `prod${j}`;
    if (j === 0) {
      b.comment(
        `Exact product of the normalized significands (${A.sigWidth} x ${B.sigWidth} bits): 1.x * 1.y is in [1, 4), so the`,
        'leading one is the top bit of <prod>_raw or the one below; shift once to put it on top.',
      );
    }
    emitExactProduct(b, p, A, B, K, s.XW, acc);
    const nan = joinTerms([A.isNaN, B.isNaN], '|', '');
    const inf = joinTerms([A.isInf, B.isInf], '|', '');
    const infZero = joinTerms([A.isInf && `${A.isInf} & ${B.isZero}`, B.isInf && `${A.isZero} & ${B.isInf}`], '|', '');
    if (nan) b.wire(1, `${p}_is_nan`, nan);
    if (inf) b.wire(1, `${p}_is_inf`, inf);
    if (infZero) b.wire(1, `${p}_inf_zero`, infZero, 'inf * 0: invalid');
    terms.push({
      name: p,
      sign: `${p}_sign`,
      isZero: `${p}_is_zero`,
      isInf: inf ? `${p}_is_inf` : null,
      isNaN: nan ? `${p}_is_nan` : null,
      infZero: infZero ? `${p}_inf_zero` : null,
      m: `${p}_norm`,
      F: A.sigWidth + B.sigWidth - 1,
      lead: `${p}_scale`,
    });
  }
  const { csaLevels } = emitAdder(b, terms, s, acc, mode, deps);
  return makeModule({
    kind: 'dotfma',
    nameParts: [fa.name, fw.name, acc.name, `g${G}`, alignName(cell), mode],
    summary: [
      'One step of a fused dot-product cell (docs/arithmetic.md section 3, "Dot-product cells"; core/dot.ts',
      'DotKernel.step with exact products): sum = acc + a_0 * w_0 + ... + a_(G-1) * w_(G-1), the products exact,',
      'every term first truncated toward zero to the grid of a W-bit window below the largest term\'s leading',
      'bit, then rounded once. A lane\'s inf * 0 is NaN; the step raises invalid once unless a NaN came in.',
      ...FLAGS_TEXT,
    ],
    config: [
      ['a', describeFormat(fa)],
      ['w', describeFormat(fw)],
      ['acc, sum', describeFormat(acc)],
      ['lanes', `${G}: ports a and w hold lane j at bits [j*width +: width]`],
      ...stepRows(cell, s, G, csaLevels, mode),
    ],
    source: 'rtl-gen/lib/dot-add.ts',
    ports: [
      { dir: 'input', name: 'acc', width: acc.width },
      { dir: 'input', name: 'a', width: G * fa.width, comment: `lane j at bits [j*${fa.width} +: ${fa.width}]` },
      { dir: 'input', name: 'w', width: G * fw.width, comment: `lane j at bits [j*${fw.width} +: ${fw.width}]` },
      ...outputPorts(acc, G),
    ],
    body: b,
    deps: uniqueDeps(deps),
  });
}
