// The shared round-and-pack stage (docs/arithmetic.md §2, steps 1-6): an exact magnitude given as a
// significand, a sticky bit and the exponent of the significand's top bit becomes a code of the
// target format, with the event flags of core/arith.ts's roundPack.
import { EV_INEXACT, EV_INVALID, EV_OVERFLOW, EV_TINY, EV_ZERO, overflowsToInf, roundingCode } from '../../core/arith.js';
import type { Format, RoundingMode } from '../../core/format.js';
import { Body, makeModule, type VModule } from '../back/module.js';
import { bit, bitsFor, hex, lit, slice, slit, zeros, zext } from '../back/verilog.js';
import { clzModule } from './clz.js';
import { describeFormat, MODE_TEXT } from './operand.js';

/** Flag bits of the `flags` outputs, the same as core/arith.ts's EV_* constants. */
export const FLAG_BITS = { inexact: EV_INEXACT, overflow: EV_OVERFLOW, tiny: EV_TINY, zero: EV_ZERO, invalid: EV_INVALID } as const;
export const FLAGS_WIDTH = 5;

/** The code an overflow of sign `sign` rounds to (magnitude): inf where the format allows it and
 *  the mode rounds to nearest or toward that sign's infinity, else the largest finite. */
export function overflowMagnitude(f: Format, mode: RoundingMode, sign: 0 | 1): number {
  return f.overflow === 'inf' && overflowsToInf(roundingCode(mode), sign) ? f.infCode : f.maxFiniteMag;
}

/**
 * Verilog of step 2's increment for the modes that add one unit to the kept bits (rtz keeps
 * them, rod ORs into the last one), over the wires `round_bit`, `sticky_all` and `inexact` and the
 * kept value's last bit and sign (the fixed-point adder rounds onto its grid with the same rules).
 */
export const ROUND_UP: Record<Exclude<RoundingMode, 'rtz' | 'rod'>, { rule: (keptLsb: string, sign: string) => string; why: string }> = {
  rne: { rule: (lsb) => `round_bit & (sticky_all | ${lsb})`, why: 'above half, or a tie with an odd kept value' },
  rna: { rule: () => 'round_bit', why: 'half or above (ties away from zero)' },
  rdn: { rule: (_lsb, sign) => `${sign} & inexact`, why: 'toward -inf: a negative value with anything dropped grows in magnitude' },
  rup: { rule: (_lsb, sign) => `~${sign} & inexact`, why: 'toward +inf: a positive value with anything dropped grows in magnitude' },
  rsr: { rule: () => 'dropped > ~rnd', why: 'rsr: dropped + rnd carries into the kept bits, i.e. dropped >= 2^R - rnd' },
};

/** Bits below the last kept one the rounding looks at: the round bit, or rsr's R (randomBits). */
export function bitsBelow(mode: RoundingMode, randomBits: number): number {
  return mode === 'rsr' ? randomBits : 1;
}

/**
 * lbamac_round_w<W>_x<X>_to_<format>_<mode>[_r<R>].
 *
 * Ports: sign; sig[W-1:0] (the magnitude's significand, nonzero, any number of leading zeros);
 * sticky (nonzero bits below sig[0] were dropped; callers set it only when the bits rounding looks
 * at, the round bit or rsr's R bits below the last kept one, lie inside sig);
 * exp_top (signed, X bits: the exponent of sig[W-1] in the target format's bias, i.e. the value is
 * sig * 2^(exp_top - bias - (W-1))); rsr only: rnd[R-1:0], the draw. Outputs code and flags[4:0]
 * (bit 4, invalid, is always 0 here).
 */
export function roundModule(o: Format, mode: RoundingMode, sigWidth: number, expWidth: number, randomBits = 0): VModule {
  const E = o.exp;
  const M = o.man;
  const W = sigWidth;
  const rsr = mode === 'rsr';
  const R = randomBits;
  // The bits below the kept ones that decide: the round bit, or under rsr the R bits the draw is added to.
  const G = bitsBelow(mode, R);
  const WI = Math.max(W, M + 1 + G); // the rounder needs M+1 result bits and those below
  const LW = bitsFor(WI);
  const XI = Math.max(expWidth, LW + 1, E + 2) + 2; // internal exponent width, never wraps
  const maxField = Math.floor(o.maxFiniteMag / o.hidden);
  const maxFrac = o.maxFiniteMag % o.hidden;
  const deps: VModule[] = [];
  const b = new Body();

  // 1. Normalize.
  let sig = 'sig';
  if (WI > W) {
    b.comment(`Widen to M+2 = ${M + 2} bits (result bits and round bit); the value is unchanged.`);
    b.wire(WI, 'sig_wide', `{sig, ${zeros(WI - W)}}`);
    sig = 'sig_wide';
  }
  const clz = clzModule(WI);
  deps.push(clz);
  b.blank().comment('1. Normalize: shift the leading one to the top; exp_lead is its exponent (biased).');
  b.wire(LW, 'lead_zeros');
  b.instance(clz.name, 'clz', [['value', sig], ['count', 'lead_zeros']]);
  b.wire(WI, 'norm', `${sig} << lead_zeros`);
  const expTopWide = XI === expWidth ? 'exp_top' : `{{${XI - expWidth}{exp_top[${expWidth - 1}]}}, exp_top}`;
  b.swire(XI, 'exp_lead', `$signed(${expTopWide}) - $signed(${zext('lead_zeros', LW, XI)})`);

  // 2. Below the normal range: subnormals stay at exponent 1 (shift right), or flush after rounding.
  // kept: the M+1 bits that become the significand; round_bit: the next one; the rest is sticky.
  const one = slit(XI, 1);
  let expBase: string;
  // Under rsr the R bits below the kept ones are `dropped`, which the draw is added to; the other
  // modes look at one, the round bit.
  const guard = rsr ? 'dropped' : 'round_bit';
  const below = rsr ? `then the ${R} bits the draw is added to` : 'then the round bit';
  if (o.subnormals) {
    const SW = bitsFor(M + 1 + G);
    const D = WI + M + 1 + G;
    b.blank().comment(
      '2. Subnormal result: below exponent 1 the significand shifts right onto exponent 1.',
      `   Shifting by M+1+${G} = ${M + 1 + G} or more leaves only sticky bits, so the shift saturates there.`,
    );
    b.wire(1, 'below_normal', `exp_lead < ${one}`);
    b.swire(XI, 'denorm_amount', `${one} - exp_lead`);
    b.wire(SW, 'denorm_shift', `~below_normal ? ${lit(SW, 0)} : (denorm_amount > ${slit(XI, M + 1 + G)}) ? ${lit(SW, M + 1 + G)} : ${slice('denorm_amount', XI, SW - 1, 0)}`);
    b.wire(D, 'denorm', `{norm, ${zeros(M + 1 + G)}} >> denorm_shift`);
    b.blank().comment(`3. Round: kept = ${M + 1} significand bits, ${below}; everything below is sticky.`);
    b.wire(M + 1, 'kept', slice('denorm', D, D - 1, D - M - 1));
    b.wire(G, guard, slice('denorm', D, WI + G - 1, WI));
    b.wire(1, 'sticky_all', `(|denorm[${WI - 1}:0]) | sticky`);
    b.swire(XI, 'exp_base', `below_normal ? ${one} : exp_lead`);
    expBase = 'exp_base';
  } else {
    b.blank().comment(
      '2. Subnormals off: round at M bits below the leading one whatever the exponent;',
      '   a result still below exponent 1 after rounding flushes to zero (step 5).',
    );
    b.blank().comment(`3. Round: kept = ${M + 1} significand bits, ${below}; everything below is sticky.`);
    b.wire(M + 1, 'kept', slice('norm', WI, WI - 1, WI - M - 1));
    b.wire(G, guard, slice('norm', WI, WI - M - 2, WI - M - 1 - G));
    b.wire(1, 'sticky_all', WI > M + 1 + G ? `(|${slice('norm', WI, WI - M - 2 - G, 0)}) | sticky` : 'sticky');
    expBase = 'exp_lead';
  }
  b.wire(1, 'inexact', rsr ? '(|dropped) | sticky_all' : 'round_bit | sticky_all');
  if (rsr) {
    b.comment(
      'rsr (docs/arithmetic.md section 2): n = floor((floor(x * 2^R) + r) / 2^R). floor(x * 2^R) is the kept bits',
      'followed by the dropped ones (the bits below only lower x within the same floor), so n is the kept bits',
      'plus the carry out of dropped + rnd.',
    );
  }

  let rounded: string;
  let roundedWidth: number;
  let expRes: string;
  let normalBit: string | null; // the significand's hidden bit after rounding (subnormals on)
  if (mode === 'rtz') {
    b.comment('rtz truncates: the kept bits are the result.');
    rounded = 'kept';
    roundedWidth = M + 1;
    expRes = expBase;
    normalBit = o.subnormals ? bit('kept', M + 1, M) : null;
  } else if (mode === 'rod') {
    b.comment(
      'rod truncates and sets the last kept bit when anything was dropped: no adder, and no carry',
      '(all ones stay all ones). A subnormal or zero truncation may become the smallest unit.',
    );
    b.wire(M + 1, 'rounded', M > 0 ? `{${slice('kept', M + 1, M, 1)}, kept[0] | inexact}` : 'kept | inexact');
    rounded = 'rounded';
    roundedWidth = M + 1;
    expRes = expBase;
    normalBit = o.subnormals ? bit('rounded', M + 1, M) : null;
  } else {
    const up = ROUND_UP[mode];
    b.wire(1, 'round_up', up.rule(bit('kept', M + 1, 0), 'sign'), up.why);
    b.wire(M + 2, 'rounded', `{1'b0, kept} + ${zext('round_up', 1, M + 2)}`);
    b.comment(
      `Rounding 1.1...1 up carries into 10.0...0: the significand becomes 1.0...0 one exponent higher;`,
      'its mantissa bits are zero either way. (A subnormal rounding up to 1.0 becomes the smallest normal.)',
    );
    b.wire(1, 'carry', `rounded[${M + 1}]`);
    b.swire(XI, 'exp_res', `${expBase} + $signed(${zext('carry', 1, XI)})`);
    rounded = 'rounded';
    roundedWidth = M + 2;
    expRes = 'exp_res';
    normalBit = o.subnormals ? `rounded[${M}] | carry` : null;
  }

  // 4. Classify.
  b.blank().comment('4. Classify the rounded result.');
  if (o.subnormals) {
    b.wire(1, 'is_normal', normalBit!, 'hidden bit set: exponent field exp_res');
    b.wire(1, 'is_zero', `(${rounded} == ${lit(roundedWidth, 0)})`, 'rounded to zero');
    b.wire(1, 'is_tiny', '~is_normal', 'subnormal or zero');
  } else {
    b.wire(1, 'is_zero', `(${rounded} == ${lit(roundedWidth, 0)}) | (${expRes} < ${one})`, 'flush: below the smallest normal after rounding');
    b.wire(1, 'is_tiny', 'is_zero');
  }
  const fieldMax = slit(XI, maxField);
  const bigger = maxFrac === o.hidden - 1 || M === 0
    ? `(${expRes} > ${fieldMax})`
    : `(${expRes} > ${fieldMax}) | ((${expRes} == ${fieldMax}) & (${slice(rounded, roundedWidth, M - 1, 0)} > ${hex(M, maxFrac)}))`;
  b.wire(1, 'is_overflow', bigger, `above the largest finite value, ${o.name} ${hex(o.width - 1, o.maxFiniteMag)}`);

  // 5. Pack.
  const ovfPos = overflowMagnitude(o, mode, 0);
  const ovfNeg = overflowMagnitude(o, mode, 1);
  const ovfText =
    o.overflow === 'saturate'
      ? 'saturate: overflow gives the largest finite magnitude'
      : ovfPos === o.infCode && ovfNeg === o.infCode
        ? 'overflow gives inf'
        : ovfPos === o.infCode
          ? `${mode}: overflow gives +inf, or the largest finite magnitude for a negative value`
          : ovfNeg === o.infCode
            ? `${mode}: overflow gives -inf, or the largest finite magnitude for a positive value`
            : `${mode}: overflow gives the largest finite magnitude, not inf`;
  b.blank().comment(`5. Pack. ${ovfText[0]!.toUpperCase()}${ovfText.slice(1)}.`);
  const fieldExpr = o.subnormals ? `is_normal ? ${slice(expRes, XI, E - 1, 0)} : ${lit(E, 0)}` : slice(expRes, XI, E - 1, 0);
  b.wire(E, 'field', fieldExpr);
  const finite = M > 0 ? `{sign, field, ${slice(rounded, roundedWidth, M - 1, 0)}}` : '{sign, field}';
  b.line(`assign code = is_zero     ? {sign, ${lit(E + M, 0)}}`);
  const ovf = ovfPos === ovfNeg ? hex(E + M, ovfPos) : `(sign ? ${hex(E + M, ovfNeg)} : ${hex(E + M, ovfPos)})`;
  b.line(`            : is_overflow ? {sign, ${ovf}}`);
  b.line(`            : ${finite};`);
  b.comment('A nonzero value that packs as zero or overflows is inexact whatever the rounding bits say.');
  b.line(`assign flags = {1'b0, is_zero, is_tiny, is_overflow, inexact | is_overflow | is_zero};  // invalid, zero, tiny, overflow, inexact`);

  return makeModule({
    kind: 'round',
    nameParts: [`w${W}`, `x${expWidth}`, 'to', o.name, mode, ...(rsr ? [`r${R}`] : [])],
    summary: [
      'Round-and-pack stage (docs/arithmetic.md section 2): rounds the magnitude sig * 2^(exp_top - bias - (W-1)),',
      'plus a nonzero fraction below sig[0] when sticky is set, once into the target format.',
      'sig must be nonzero; the operators mux their special results (zeros, inf, NaN) around this stage.',
      'flags: bit 0 inexact, 1 overflow, 2 tiny (subnormal or zero result), 3 zero, 4 invalid (always 0 here).',
    ],
    config: [
      ['output', describeFormat(o)],
      ['rounding', MODE_TEXT[mode]],
      ...(rsr ? [['random bits', String(R)] as [string, string]] : []),
      ['sig width', String(W)],
      ['exp_top width', `${expWidth} (signed)`],
    ],
    source: 'rtl-gen/lib/round.ts',
    ports: [
      { dir: 'input', name: 'sign', width: 1 },
      { dir: 'input', name: 'sig', width: W, comment: 'nonzero; leading zeros allowed' },
      { dir: 'input', name: 'sticky', width: 1, comment: 'a nonzero fraction below sig[0] was dropped' },
      { dir: 'input', name: 'exp_top', width: expWidth, signed: true, comment: 'exponent of sig[W-1], biased like the output' },
      ...(rsr ? [{ dir: 'input' as const, name: 'rnd', width: R, comment: 'the draw of the random stream (core/random-stream.ts)' }] : []),
      { dir: 'output', name: 'code', width: o.width },
      { dir: 'output', name: 'flags', width: 5, comment: 'invalid, zero, tiny, overflow, inexact' },
    ],
    body: b,
    deps,
  });
}
