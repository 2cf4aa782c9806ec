// The fixed-point (Kulisch-style) accumulator of docs/arithmetic.md §3 ("Fixed-point
// accumulation"): what a user writes, its limits and validation, its name, and every message a user
// sees about one (config errors, the stages and widths the array and the simulator take).
import { LbamacError } from './errors.js';
import type { Format } from './format.js';

export type FixedOverflow = 'saturate' | 'wrap';

/** What a config's `acc: { fixed: { msb, lsb }, overflow }` says. */
export interface FixedSpec {
  msb: number;
  lsb: number;
  overflow: FixedOverflow;
}

/**
 * A validated register: two's complement, multiples of 2^lsb in [-2^(msb+1), 2^(msb+1) - 2^lsb],
 * so `width` = msb + 2 - lsb bits (the sign bit weighs -2^(msb+1)).
 */
export interface FixedAccumulator {
  readonly msb: number;
  readonly lsb: number;
  readonly overflow: FixedOverflow;
  readonly width: number;
}

/**
 * Allowed ranges. Bit positions reach past every value a format can hold (biases up to ±2^20
 * put products near ±2^21); 4096 bits hold the Kulisch register of any two formats with room to
 * spare (fp32 × fp32 over 2^20 terms needs 575), and keep the BigInt register of the wide
 * kernel small.
 */
export const FIXED_LIMITS = {
  bit: { min: -(2 ** 22), max: 2 ** 22 },
  width: { min: 3, max: 4096 },
} as const;

/** The widest register the simulator holds: its state bus (width + 3 bits) in a float64, exactly. */
export const SIM_MAX_FIXED_WIDTH = 50;

export const fixedMessages = {
  notInteger: (where: string, field: string, v: unknown) =>
    `${where}.fixed: ${field} = ${JSON.stringify(v)} is not allowed; expected an integer from ${FIXED_LIMITS.bit.min} to ${FIXED_LIMITS.bit.max}`,
  badOverflow: (where: string, v: unknown) => `${where}: overflow = ${JSON.stringify(v)} is not allowed; expected "saturate" or "wrap"`,
  badMsb: (where: string, msb: number, lsb: number) =>
    `${where}.fixed: msb = ${msb} is not allowed with lsb = ${lsb}; expected msb from ${lsb + FIXED_LIMITS.width.min - 2} to ${lsb + FIXED_LIMITS.width.max - 2}, ` +
    `so that the register (msb + 2 - lsb bits, two's complement) has ${FIXED_LIMITS.width.min} to ${FIXED_LIMITS.width.max} bits; it would have ${msb + 2 - lsb}`,
  chunk: (where: string, chunk: number) =>
    `${where}.chunk = ${chunk} is not allowed with a fixed-point accumulator (${where}.acc.fixed): its register adds every product exactly, so there is nothing to chunk; remove chunk`,
  stages: (stages: number, max: number, fused: boolean) =>
    `array: pipeline.stages = ${stages} is not allowed with a fixed-point accumulator: its register adds a product in one cycle, so there is no float adder to cut inside, ` +
    `and a PE takes at most ${max} stages (${fused ? 'after the multiplier, before it' : 'after the multiplier, inside it, before it'}); set pipeline.stages to 0..${max}`,
  exactProduct: (a: string, w: string, why: string) =>
    `array: a fixed-point accumulator with product "exact" adds the exact product of ${a} and ${w}, which has no format (${why}); set product to a format (e.g. "e5m10")`,
  simWidth: (label: string, width: number) =>
    `simulator: the accumulator ${label} has a ${width}-bit register; a PE's state (register, zero sign, special: ${width + 3} bits) must fit the 53 bits ` +
    `a float64 holds exactly, so the simulator takes registers of at most ${SIM_MAX_FIXED_WIDTH} bits; ` +
    'compute D with `lbamac gemm --engine core` (any width up to 4096 bits), or narrow acc.fixed (msb + 2 - lsb); ' +
    '`lbamac verify` and `gemm --engine verilator` check the RTL against the simulator, so the limit holds for them too',
};

function checkBit(where: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < FIXED_LIMITS.bit.min || v > FIXED_LIMITS.bit.max) {
    throw new LbamacError(fixedMessages.notInteger(where, field, v));
  }
  return v;
}

/** Validates a FixedSpec; `where` names the accumulator in messages (e.g. "config.acc"). */
export function makeFixed(spec: FixedSpec, where = 'acc'): FixedAccumulator {
  const msb = checkBit(where, 'msb', spec.msb);
  const lsb = checkBit(where, 'lsb', spec.lsb);
  if (spec.overflow !== 'saturate' && spec.overflow !== 'wrap') throw new LbamacError(fixedMessages.badOverflow(where, spec.overflow));
  const width = msb + 2 - lsb;
  if (width < FIXED_LIMITS.width.min || width > FIXED_LIMITS.width.max) throw new LbamacError(fixedMessages.badMsb(where, msb, lsb));
  return Object.freeze({ msb, lsb, overflow: spec.overflow, width });
}

/** e.g. "fixed(msb 29, lsb -18, saturate) into fp16": ASCII, for config summaries and messages. */
export function fixedLabel(f: FixedAccumulator, out: Pick<Format, 'name'>): string {
  return `fixed(msb ${f.msb}, lsb ${f.lsb}, ${f.overflow}) into ${out.name}`;
}
