// Special results shared by the operators: NaN and infinity codes, and the output multiplexer.
import type { Format, RoundingMode } from '../../core/format.js';
import type { Body } from '../back/module.js';
import { joinTerms, lit } from '../back/verilog.js';

/** The codes special results take in f (docs/arithmetic.md §2, "Special operands and exact
 *  results"). */
export function specialCodes(f: Format): { nan: number; infMag: number } {
  return {
    // The canonical NaN, or the largest positive finite value where the format has no NaN.
    nan: f.nanCode >= 0 ? f.nanCode : f.maxFiniteMag,
    // An exact infinity stays infinite where the format has inf, else saturates.
    infMag: f.infCode >= 0 ? f.infCode : f.maxFiniteMag,
  };
}

/** What an exact zero sum of operands of opposite signs gives (docs/arithmetic.md §2), for the
 *  Verilog comments. */
export function zeroSumText(mode: RoundingMode): string {
  return mode === 'rdn' ? 'the result is -0 (rdn: toward -inf)' : 'the result is +0';
}

/**
 * The mux arms of an adder's exact zero results, given its operand signs and the `both_zero` and
 * `cancel` wires: two zeros keep a sign they share; opposite zeros and an exact cancellation
 * give +0, or -0 under rdn.
 */
export function zeroSumArms(mode: RoundingMode, xSign: string, ySign: string, width: number): [string, string][] {
  const rdn = mode === 'rdn';
  return [
    ['both_zero', `{${xSign} ${rdn ? '|' : '&'} ${ySign}, ${lit(width - 1, 0)}}`],
    ['cancel', rdn ? `{1'b1, ${lit(width - 1, 0)}}` : lit(width, 0)],
  ];
}

/** `assign out = c0 ? v0 : c1 ? v1 : ... : otherwise;` laid out one arm a line. */
export function emitMux(b: Body, out: string, arms: [string, string][], otherwise: string): void {
  if (arms.length === 0) {
    b.line(`assign ${out} = ${otherwise};`);
    return;
  }
  const cw = Math.max(...arms.map(([c]) => c.length));
  const lead = `assign ${out} = `;
  const cont = ' '.repeat(lead.length - 2) + ': ';
  arms.forEach(([c, v], i) => b.line(`${i === 0 ? lead : cont}${c.padEnd(cw)} ? ${v}`));
  b.line(`${cont}${otherwise};`);
}

/**
 * `flags`: an invalid operation raises only invalid; a NaN operand, an exact infinity and the
 * exact results named in `exact` (zeros, cancellation) raise nothing; else the rounder's flags.
 */
export function emitFlagsMux(b: Body, s: { hasNaN: boolean; hasInf: boolean; hasInvalid: boolean }, exact: string[]): void {
  const quiet = joinTerms([s.hasNaN && !s.hasInvalid && 'is_nan', s.hasInf && 'is_inf', ...exact], '|', '');
  const arms: [string, string][] = [];
  if (s.hasInvalid) arms.push(['is_nan', `{invalid, ${lit(4, 0)}}`]);
  arms.push([quiet, lit(5, 0)]);
  emitMux(b, 'flags', arms, 'round_flags');
}
