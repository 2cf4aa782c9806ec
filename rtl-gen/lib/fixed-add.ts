// The fixed-point (Kulisch-style) accumulator's adder (docs/arithmetic.md §3, "Fixed-point
// accumulation"; core/fixed-acc.ts FixedKernel): a code rounded onto the register's grid, added,
// saturated or wrapped; infinities and NaN into the sticky special state; the sign of a zero
// register. Two modules share the body: the adder of a product into the state (`addProduct`), and
// the load of C, which puts a code of `out` into an empty register with the input mode (`start`).
//
// The state bus (stateLayout below) is what a PE keeps per output and what a weight-stationary
// column passes down: the register itself, so no rounding happens between PEs.
//
// Rounding onto the grid. A finite code is sig * 2^k units of 2^lsb, k = e - bias - M - lsb
// (e: the biased exponent, subnormals at 1). One left shift places sig into a bus whose bit G
// weighs one unit:
//
//     bit BW-1 ... G+W     G+W-1 ... G     G-1        G-2 ... 0
//     [ beyond 2^W: big ]  [ units_low ]  [ round ]  [ sticky ]
//
// with k clamped to [-G, W] where codes reach past it: below -G = -(M+2) the whole significand
// lies under the round bit (round 0, sticky 1) as at -G; from W up every addend is a whole
// number of turns of the register, which saturates at the same end and wraps onto the same low
// bits as k = W does (low bits 0, big set). G shrinks to the bits codes can have below the grid,
// none for a register whose lsb is at or below the code's smallest bit.
//
// The addition. The rounded magnitude is units + round_up (round_up is the mode's increment,
// ROUND_UP of round.ts); its low W bits go into a (W+2)-bit two's-complement sum with round_up
// as the carry (subtracting: the complement and carry 1 - round_up), which holds acc +- (up to
// 2^W) exactly. The sum overflows when it leaves the register's range or the magnitude reached
// 2^W (big).
import { NAN_SEEN, NEG_INF, NO_SPECIAL, POS_INF } from '../../core/fixed-acc.js';
import type { FixedAccumulator } from '../../core/fixed.js';
import type { Format, RoundingMode } from '../../core/format.js';
import { Body, makeModule, type Port, type VModule } from '../back/module.js';
import { bit, bitsFor, joinTerms, lit, padLow, plusConst, signedBits, slice, slit, zext } from '../back/verilog.js';
import { describeFormat, MODE_TEXT, unpackOperand } from './operand.js';
import { ROUND_UP } from './round.js';
import { zeroSumText } from './specials.js';

/** Bits of the state bus of a W-bit register: reg, zero sign, special. */
export function fixedStateWidth(fx: FixedAccumulator): number {
  return fx.width + 3;
}

/** The state bus layout, for the module headers. */
export function stateLayout(fx: FixedAccumulator): string[] {
  const W = fx.width;
  return [
    `State bus, ${W + 3} bits:`,
    `  [${W - 1}:0]  reg, ${W}-bit two's complement in units of 2^${fx.lsb}: -2^${fx.msb + 1} .. 2^${fx.msb + 1} - 2^${fx.lsb}`,
    `  [${W}]  zero sign of a zero reg (1: -0); meaningful only when reg = 0 and special = 00`,
    `  [${W + 2}:${W + 1}]  special: ${NO_SPECIAL} none, ${POS_INF} +inf, ${NEG_INF} -inf, ${NAN_SEEN} NaN (core/fixed-acc.ts);`,
    '      the IEEE sum of two special states is their OR (+inf and -inf give NaN)',
  ];
}

/** "m29_ln18_sat": the register's parameters in a module name (n for minus). */
export function fixedNameParts(fx: FixedAccumulator, withOverflow = true): string[] {
  const num = (v: number) => (v < 0 ? `n${-v}` : String(v));
  return [`m${num(fx.msb)}`, `l${num(fx.lsb)}`, ...(withOverflow ? [fx.overflow === 'saturate' ? 'sat' : 'wrap'] : [])];
}

/** A register as one header line (without the overflow rule for modules that do not depend on it). */
export function describeFixed(fx: FixedAccumulator, withOverflow = true): string {
  return `msb ${fx.msb}, lsb ${fx.lsb}: ${fx.width}-bit two's complement${withOverflow ? `, overflow ${fx.overflow}` : ''}`;
}

/** Declares acc_value, acc_zero_sign and acc_special, the fields of the state bus `bus`. */
export function emitStateFields(b: Body, bus: string, fx: FixedAccumulator): void {
  const W = fx.width;
  b.wire(W, 'acc_value', slice(bus, W + 3, W - 1, 0), 'the register');
  b.wire(1, 'acc_zero_sign', `${bus}[${W}]`, 'sign of a zero register');
  b.wire(2, 'acc_special', slice(bus, W + 3, W + 2, W + 1), '00 none, 01 +inf, 10 -inf, 11 NaN');
}

/** Where codes of fp land on the grid of fx, and the bus that holds them (file comment). */
interface GridShape {
  /** The grid position of sig[0] is e - K. */
  K: number;
  /** Positions codes reach (e from 1 to 2^E - 1), and the clamped range the bus spans. */
  kmin: number;
  kmax: number;
  kLo: number;
  kHi: number;
  /** Bits below the grid, bits at and above it, the bus. */
  G: number;
  IW: number;
  BW: number;
}

function gridShape(fp: Format, fx: FixedAccumulator): GridShape {
  const M = fp.man;
  const W = fx.width;
  const K = fp.bias + M + fx.lsb;
  const kmin = 1 - K;
  const kmax = 2 ** fp.exp - 1 - K;
  const G = kmin >= 0 ? 0 : Math.min(M + 2, -kmin);
  let kLo = Math.max(kmin, -G);
  let kHi = Math.min(kmax, W);
  // Every code beyond one end: all of them take that end's position.
  if (kmin > W) kLo = kHi = W;
  else if (kmax < -G) kHi = kLo;
  const IW = Math.max(1, kHi + M + 1);
  return { K, kmin, kmax, kLo, kHi, G, IW, BW: G + IW };
}

interface AddBody {
  /** The code's port and format. */
  port: string;
  f: Format;
  fx: FixedAccumulator;
  mode: RoundingMode;
  /** The mode whose sign an exact zero sum takes (the accumulator's). */
  zeroMode: RoundingMode;
  /** The load of C: the register starts empty (zero of C's sign, no special), no swamping. */
  load: boolean;
}

/** The shared body; returns the header rows that describe the grid window. */
function emitAdd(b: Body, o: AddBody): [string, string][] {
  const { f, fx, mode } = o;
  const W = fx.width;
  const M = f.man;
  const s = gridShape(f, fx);
  const S = s.kHi - s.kLo;
  // Codes all beyond one end of the grid land at one clamped position: the exponent is not read.
  const expUnread = S === 0 && f.subnormals && M > 0;
  if (expUnread) b.comment('Every code lands at the same place on the grid: its exponent is not read.').line('/* verilator lint_off UNUSEDSIGNAL */');
  const P = unpackOperand(b, o.port, f);
  if (expUnread) b.line('/* verilator lint_on UNUSEDSIGNAL */');
  const sign = P.sign;

  b.blank();
  if (o.load) {
    b.comment('C starts the register: a zero of its own sign, no special (constants that fold away).');
    b.wire(W, 'acc_value', lit(W, 0));
    b.wire(1, 'acc_zero_sign', sign);
  } else {
    emitStateFields(b, 'acc', fx);
  }

  // 1. Onto the grid.
  const pre = s.kLo + s.G;
  const Kp = s.K + s.kLo;
  b.blank().comment(
    `1. Onto the grid: ${o.port}_sig[0] lies at unit position k = e - ${s.K} (codes: ${s.kmin} .. ${s.kmax}), placed at bus bit`,
    `   k + ${s.G}; grid_bus[${s.G}] weighs 2^${fx.lsb}.${s.kmin < s.kLo || s.kmax > s.kHi ? ` k is clamped to ${s.kLo} .. ${s.kHi} (file comment).` : ''}`,
  );
  const placed = zext(padLow(P.sig, pre), M + 1 + pre, s.BW);
  const E = P.expWidth;
  if (S > 0 && s.kmin === s.kLo && s.kmax === s.kHi) {
    // No clamp: the shift is e - 1, from 0 to 2^E - 2, in E bits.
    b.wire(E, 'grid_shift', `${P.exp} - ${lit(E, 1)}`, 'k - kmin');
    b.wire(s.BW, 'grid_bus', `${placed} << grid_shift`);
  } else if (S > 0) {
    const SW = bitsFor(S);
    const XW = signedBits(Math.min(-Kp, -Math.abs(Kp), 0), Math.max(2 ** E - 1 - Kp, Math.abs(Kp), 2 ** E - 1));
    b.swire(XW, 'grid_pos', plusConst(`$signed(${zext(P.exp, E, XW)})`, -Kp, XW), s.kLo === 0 ? 'k' : `k ${s.kLo < 0 ? '+' : '-'} ${Math.abs(s.kLo)}`);
    let shift = slice('grid_pos', XW, SW - 1, 0);
    if (s.kmax > s.kHi) shift = `(grid_pos > ${slit(XW, S)}) ? ${lit(SW, S)} : ${shift}`;
    if (s.kmin < s.kLo) shift = `(grid_pos < ${slit(XW, 0)}) ? ${lit(SW, 0)} : ${shift}`;
    b.wire(SW, 'grid_shift', shift);
    b.wire(s.BW, 'grid_bus', `${placed} << grid_shift`);
  } else {
    b.wire(s.BW, 'grid_bus', placed, 'every code lands at the same clamped position');
  }
  b.wire(s.IW, 'grid_int', slice('grid_bus', s.BW, s.BW - 1, s.G), 'the magnitude, truncated to whole units');

  let units = 'grid_int';
  let roundUp: string | null = null;
  if (s.G > 0) {
    b.wire(1, 'round_bit', `grid_bus[${s.G - 1}]`);
    b.wire(1, 'sticky_all', s.G > 1 ? `|${slice('grid_bus', s.BW, s.G - 2, 0)}` : "1'b0", s.G > 1 ? undefined : 'no code has a bit below the round bit');
    b.wire(1, 'inexact', 'round_bit | sticky_all', 'the code is not a whole number of units');
    if (mode === 'rod') {
      b.wire(s.IW, 'units', s.IW > 1 ? `{${slice('grid_int', s.IW, s.IW - 1, 1)}, grid_int[0] | inexact}` : 'grid_int | inexact', 'rod: the last unit set when anything was dropped');
      units = 'units';
    } else if (mode !== 'rtz') {
      const up = ROUND_UP[mode];
      b.wire(1, 'round_up', up.rule(bit('grid_int', s.IW, 0), sign), up.why);
      roundUp = 'round_up';
    }
  }
  const canLose = s.G > 0 && mode !== 'rod';
  const live = joinTerms([!o.load && "acc_special == 2'b00", P.isNaN && `~${P.isNaN}`, P.isInf && `~${P.isInf}`], '&', "1'b1");
  b.blank().comment('The register takes the code when it is finite and no special has been seen.');
  b.wire(1, 'live', live);
  if (canLose) {
    b.wire(1, 'lost', joinTerms(['live', `~${P.isZero}`, `${units} == ${lit(s.IW, 0)}`, roundUp && `~${roundUp}`], '&', ''), 'a nonzero code rounded to zero on the grid');
  }

  // 2. The sum.
  b.blank().comment(
    `2. Add: acc +- ${roundUp ? `(${units} + round_up)` : units} in ${W + 2} bits, exact for magnitudes up to 2^${W}; subtracting adds the`,
    `   complement${roundUp ? ' with carry 1 - round_up' : ' plus one'}.${s.IW > W ? ` Magnitudes of 2^${W} and more (big) overflow whatever acc is.` : ''}`,
  );
  const lowWidth = Math.min(s.IW, W);
  const low = zext(slice(units, s.IW, lowWidth - 1, 0), lowWidth, W + 2);
  b.wire(W + 2, 'addend', `${sign} ? ~${low} : ${low}`);
  b.wire(1, 'carry_in', roundUp ? `${roundUp} ^ ${sign}` : sign);
  b.wire(W + 2, 'sum', `{{2{acc_value[${W - 1}]}}, acc_value} + addend + ${zext('carry_in', 1, W + 2)}`);
  if (s.IW > W) b.wire(1, 'big', `|${slice(units, s.IW, s.IW - 1, W)}`);
  const top = slice('sum', W + 2, W + 1, W - 1);
  b.wire(1, 'out_of_range', `(${top} != 3'b000) & (${top} != 3'b111)`, `outside -2^${W - 1} .. 2^${W - 1} - 1 units`);
  b.wire(1, 'overflow', joinTerms(['live', joinTerms([s.IW > W && 'big', 'out_of_range'], '|', '')], '&', ''));
  if (fx.overflow === 'saturate') {
    b.wire(W, 'sum_reg', `overflow ? {${sign}, {${W - 1}{~${sign}}}} : ${slice('sum', W + 2, W - 1, 0)}`, 'saturate at the end the addend points to');
  } else {
    b.wire(W, 'sum_reg', slice('sum', W + 2, W - 1, 0), 'wrap: the low W bits, as a W-bit register keeps them');
  }

  // 3. The next state.
  const cancel = o.zeroMode === 'rdn' ? 1 : 0;
  b.blank().comment(
    '3. Next state. A zero register follows IEEE zero sums: a zero addend (a zero code, or one lost to',
    'the grid, with its sign) keeps a zero register\'s sign when they agree; otherwise, and for a register',
    `that a nonzero addend made zero, ${zeroSumText(o.zeroMode)}. Specials join by OR.`,
  );
  b.wire(W, 'reg_next', 'live ? sum_reg : acc_value');
  const zeroAddend = canLose ? `(${P.isZero} | lost)` : P.isZero;
  b.wire(1, 'zero_cancel', `live & (reg_next == ${lit(W, 0)}) & (~${zeroAddend} | (acc_zero_sign ^ ${sign}))`);
  b.wire(1, 'zero_sign_next', cancel ? 'zero_cancel | acc_zero_sign' : '~zero_cancel & acc_zero_sign');
  const hasSpecial = Boolean(P.isNaN || P.isInf);
  if (hasSpecial) {
    const nan = P.isNaN ?? "1'b0";
    const inf = P.isInf;
    b.wire(2, `${o.port}_special`, inf ? `{${nan} | (${inf} & ${sign}), ${nan} | (${inf} & ~${sign})}` : `{2{${nan}}}`);
  }
  const specialNext = o.load ? (hasSpecial ? `${o.port}_special` : "2'b00") : hasSpecial ? `acc_special | ${o.port}_special` : 'acc_special';
  const outBus = o.load ? 'acc' : 'acc_next';
  b.line(`assign ${outBus} = {${specialNext}, zero_sign_next, reg_next};`);

  // 4. Flags.
  const invalid = !o.load && P.isInf !== null;
  b.blank().comment(
    `4. Flags: inexact (rounded onto the grid, or overflowed), overflow (saturated or wrapped: accOverflow),`,
    'tiny and zero (lost to the grid: accUnderflow)' + (invalid ? ', invalid (+inf meets -inf: nan).' : '.'),
  );
  if (invalid) b.wire(1, 'invalid', `((acc_special == 2'b01) & (${o.port}_special == 2'b10)) | ((acc_special == 2'b10) & (${o.port}_special == 2'b01))`);
  const lostBit = canLose ? 'lost' : "1'b0";
  const inexactFlag = s.G > 0 ? '(live & inexact) | overflow' : 'overflow';
  b.line(`assign flags = {${invalid ? 'invalid' : "1'b0"}, ${lostBit}, ${lostBit}, overflow, ${inexactFlag}};  // invalid, zero, tiny, overflow, inexact`);
  if (!o.load) {
    b.comment('Swamping: a nonzero finite product left the register as it was (lost, saturated at its end, whole turns).');
    b.line(`assign swamp = ${canLose ? 'lost | (overflow & (sum_reg == acc_value))' : 'overflow & (sum_reg == acc_value)'};`);
  }

  return [
    ['grid window', `${s.G} bit${s.G === 1 ? '' : 's'} below 2^${fx.lsb} (round, sticky), ${s.IW} at and above; codes at unit positions ${s.kmin} .. ${s.kmax}, clamped to ${s.kLo} .. ${s.kHi}`],
  ];
}

const FLAGS_PORT: Port = { dir: 'output', name: 'flags', width: 5, comment: 'invalid, zero, tiny, overflow, inexact' };

/**
 * lbamac_fixadd_<p>_m<msb>_l<lsb>_<sat|wrap>_<mode>: the state `acc` plus the product code `p`
 * (a code of fp: the product format, or the exact-product format) -> `acc_next`, `flags`, `swamp`.
 * The product rounds onto the grid with `mode`, the accumulator's, whose sign exact zero sums take.
 */
export function fixedAddModule(fp: Format, fx: FixedAccumulator, mode: RoundingMode): VModule {
  const b = new Body();
  const window = emitAdd(b, { port: 'p', f: fp, fx, mode, zeroMode: mode, load: false });
  const SW = fixedStateWidth(fx);
  return makeModule({
    kind: 'fixadd',
    nameParts: [fp.name, ...fixedNameParts(fx), mode],
    summary: [
      'A product into a fixed-point accumulator (docs/arithmetic.md section 3; core/fixed-acc.ts addProduct):',
      'p rounded onto the register\'s grid, added, saturated or wrapped; inf and NaN into the special state.',
      'flags: bit 0 inexact, 1 overflow (accOverflow), 2 tiny and 3 zero (p lost to the grid: accUnderflow),',
      '4 invalid (+inf and -inf: nan). swamp: a nonzero finite p left the register unchanged (swamping).',
      'An inf * 0 product counts its nan at the multiplier (its invalid flag); here it is a NaN.',
      '',
      ...stateLayout(fx),
    ],
    config: [
      ['p', describeFormat(fp)],
      ['register', describeFixed(fx)],
      ['rounding', `${MODE_TEXT[mode]}, onto the grid; exact zero sums: ${zeroSumText(mode)}`],
      ...window,
    ],
    source: 'rtl-gen/lib/fixed-add.ts',
    ports: [
      { dir: 'input', name: 'acc', width: SW, comment: 'state: {special, zero sign, reg}' },
      { dir: 'input', name: 'p', width: fp.width },
      { dir: 'output', name: 'acc_next', width: SW },
      FLAGS_PORT,
      { dir: 'output', name: 'swamp', width: 1 },
    ],
    body: b,
  });
}

/**
 * lbamac_fixload_<out>_m<msb>_l<lsb>_<sat|wrap>_<inputMode>[_zero_<accMode>]: C (a code of out)
 * -> the state `acc` that starts an output, and `flags` as fixedAddModule's (no invalid: the
 * register is empty). C rounds onto the grid with the input mode; a register that C wraps onto
 * zero is the accumulator mode's exact zero sum.
 */
export function fixedLoadModule(out: Format, fx: FixedAccumulator, inputMode: RoundingMode, accMode: RoundingMode): VModule {
  const b = new Body();
  const window = emitAdd(b, { port: 'c', f: out, fx, mode: inputMode, zeroMode: accMode, load: true });
  return makeModule({
    kind: 'fixload',
    nameParts: [out.name, ...fixedNameParts(fx), inputMode, ...(accMode !== inputMode ? ['zero', accMode] : [])],
    summary: [
      'C into an empty fixed-point accumulator (docs/arithmetic.md section 3; core/fixed-acc.ts start): the',
      'register starts as a zero of C\'s sign and takes C rounded onto the grid with the input mode.',
      'flags: bit 0 inexact, 1 overflow (accOverflow), 2 tiny and 3 zero (C lost to the grid: accUnderflow),',
      '4 invalid (always 0). C never counts swamping.',
      '',
      ...stateLayout(fx),
    ],
    config: [
      ['c', describeFormat(out)],
      ['register', describeFixed(fx)],
      ['rounding', `${MODE_TEXT[inputMode]}, onto the grid (the input mode)`],
      ['exact zero sums', `${zeroSumText(accMode)} (the accumulator mode, ${accMode})`],
      ...window,
    ],
    source: 'rtl-gen/lib/fixed-add.ts',
    ports: [
      { dir: 'input', name: 'c', width: out.width },
      { dir: 'output', name: 'acc', width: fixedStateWidth(fx), comment: 'state: {special, zero sign, reg}' },
      FLAGS_PORT,
    ],
    body: b,
  });
}
