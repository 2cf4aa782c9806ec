// Seeded random array configurations for the co-simulation tests. The features the issue asks to
// cover rotate with the index (dataflow, sparsity, chunking, fused cell, rounding modes, specials,
// subnormals), so the first 30 configurations hold every value of each, every rounding mode
// (stochastic rounding, rsr, included) in each step that rounds, a fused cell's accumulator
// included; ten of every 30 are dot-product cells (DOT_CELLS) and seven fixed-point accumulators
// (fixedIndex), never both; the rest (shape up to 4x4, formats, biases, pipeline, rsr's R and
// seed, alignBits) is random.
// Failures name the index and seed to replay.
import { DETERMINISTIC_MODES, type FormatSpec, ROUNDING_MODES, type Specials } from '../../core/format.js';
import { SIM_MAX_FIXED_WIDTH } from '../../core/fixed.js';
import { FIXED_CUT_ORDER } from '../../arch/types.js';
import { type ArrayConfig, resolveConfig } from '../../config/resolve.js';
import { Rng } from '../../workloads/rng.js';

const MODES = ROUNDING_MODES;
/**
 * The dot-product cells among every 30 configurations (indices without rsr; their pipeline stages
 * become 0 or 1, the one cut a dot-product cell takes, and the other indices of their cell kind
 * still cover the rest): every lane count, narrow,
 * medium and exact windows, OS and WS, dense and 2:4, fused and rounded, with and without
 * chunks and flags (the fused ones moved where the rotation puts no fused cell).
 */
const DOT_CELLS: Record<number, { lanes: number; window: 'narrow' | 'medium' | 'exact'; stages?: number; place?: Record<string, string> }> = {
  0: { lanes: 4, window: 'narrow' }, // rounded, OS, dense, chunked, flags
  1: { lanes: 16, window: 'exact' }, // rounded, WS, dense, flags
  3: { lanes: 2, window: 'medium', place: { dataflow: 'os' } }, // fused, OS, 2:4, chunked
  7: { lanes: 8, window: 'exact', place: { dataflow: 'os', sparsity: 'dense' } }, // fused, OS, dense
  10: { lanes: 1, window: 'narrow' }, // rounded, OS, 2:4, flags
  11: { lanes: 32, window: 'medium' }, // fused, WS, 2:4, chunked, flags
  12: { lanes: 16, window: 'narrow', stages: 1 }, // rounded, OS, dense, chunked, the products' register
  21: { lanes: 8, window: 'medium', place: { sparsity: '2:4' } }, // rounded, WS, 2:4, chunked, flags
  22: { lanes: 4, window: 'exact', stages: 1 }, // rounded, OS, 2:4, the products' register
  25: { lanes: 2, window: 'narrow', stages: 1 }, // rounded, WS, dense, flags, the products' register
};
const RANDOM_BITS = [1, 3, 8, 32];
const SPECIALS: Specials[] = ['ieee', 'fn', 'none'];

export interface CosimConfig {
  index: number;
  raw: Record<string, unknown>;
  cfg: ArrayConfig;
}

function format(rng: Rng, exp: [number, number], man: [number, number], specials: Specials, subnormals: boolean): FormatSpec {
  const e = exp[0] + rng.int(exp[1] - exp[0] + 1);
  const m = man[0] + rng.int(man[1] - man[0] + 1);
  const sp: Specials = specials === 'ieee' && m === 0 ? 'fn' : specials;
  const spec: FormatSpec = { exp: e, man: m, subnormals, specials: sp, overflow: sp === 'ieee' && rng.uniform() < 0.7 ? 'inf' : 'saturate' };
  if (rng.uniform() < 0.3) spec.bias = 2 ** (e - 1) - 1 + rng.int(7) - 3;
  return spec;
}

/** Configuration `index` of the sequence for `seed`. */
export function cosimConfig(index: number, seed: number): CosimConfig {
  const rng = new Rng(seed * 1000 + index);
  const i = index;
  const fused = i % 4 === 3;
  const chunked = i % 3 !== 1;
  const specials = (k: number) => SPECIALS[(Math.floor(i / 2) + k) % 3]!;
  const sub = (k: number) => (Math.floor(i / 4) + k) % 2 === 0;
  const raw: Record<string, unknown> = {
    rows: 1 + rng.int(4),
    cols: 1 + rng.int(4),
    dataflow: i % 2 === 0 ? 'os' : 'ws',
    a: format(rng, [2, 5], [0, 4], specials(0), sub(0)),
    w: format(rng, [2, 5], [0, 4], specials(1), sub(1)),
    product: fused ? 'exact' : format(rng, [3, 8], [1, 12], specials(2), sub(0)),
    acc: format(rng, [3, 8], [1, 12], specials(0), sub(1)),
    // The fused cells (every 4th index) step through the accumulator modes too: i + i/4 moves on
    // by 5 from one to the next, which walks all 7 modes; the offset 4 puts rsr in an accumulator
    // where no pipeline stage cuts the adder (arch/build.ts refuses that); likewise the chunked
    // ones (two of every three indices) through the total modes with i + i/3.
    rounding: { product: MODES[i % 7], acc: MODES[(i + Math.floor(i / 4) + 4) % 7], total: MODES[(i + Math.floor(i / 3)) % 7] },
    sparsity: Math.floor(i / 2) % 2 === 0 ? 'dense' : '2:4',
    // Every stage count of each cell kind comes round: fused 0-3, rounded 0-4.
    pipeline: { stages: fused ? Math.floor(i / 4) % 4 : Math.floor(i / 2) % 5 },
    flags: i % 5 < 2,
  };
  if (chunked) {
    raw.chunk = 1 + rng.int(5);
    if (rng.uniform() < 0.7) raw.total = format(rng, [4, 8], [3, 14], specials(1), sub(0));
  }
  const r = raw.rounding as Record<string, string | number>;
  const stochastic = (!fused && r.product === 'rsr') || r.acc === 'rsr' || (chunked && r.total === 'rsr');
  if (stochastic) {
    r.randomBits = RANDOM_BITS[i % RANDOM_BITS.length]!;
    r.seed = rng.int(2 ** 32);
  }
  const dot = DOT_CELLS[i % 30];
  if (dot !== undefined) {
    if (stochastic) throw new Error(`test: cosim config ${i} rounds with rsr, which a dot-product cell does not take`);
    Object.assign(raw, { lanes: dot.lanes, alignBits: dot.window === 'exact' ? 'exact' : dot.window === 'narrow' ? 1 + rng.int(4) : 5 + rng.int(10), pipeline: { stages: dot.stages ?? 0 } }, dot.place ?? {});
    if (chunked) raw.chunk = dot.lanes * (1 + rng.int(3));
  }
  if (fixedIndex(i)) fixedAccumulator(rng, raw, i);
  return { index, raw, cfg: resolveConfig(raw) };
}

/** The indices that take a fixed-point accumulator, none of them a dot-product cell's (DOT_CELLS):
 *  OS 4, 6, 14, 16, 28 and WS 9, 23, fused and not, dense and 2:4, 0 to 3 stages, saturate and
 *  wrap, WS state buses wider than 32 bits (9, 23); rsr becomes rne there, so the float
 *  configurations' rotations must still cover every mode (checked in cosimulate.test.ts). */
const FIXED_INDICES = new Set([4, 6, 9, 14, 16, 23, 28]);

export function fixedIndex(i: number): boolean {
  return FIXED_INDICES.has(i % 30);
}

/**
 * raw's accumulator made fixed-point, its float format the out: saturate and wrap by turns, a
 * register wider than 29 bits (a state bus wider than 32 bits) at every other OS index and every
 * WS one (wide ports), C onto the grid with a mode of its own; no chunk (the config refuses it), and the stages
 * the fixed-point PE takes (FIXED_CUT_ORDER).
 */
function fixedAccumulator(rng: Rng, raw: Record<string, unknown>, i: number): void {
  delete raw.chunk;
  delete raw.total;
  const r = raw.rounding as Record<string, string | number>;
  const deterministic = (m: string | number) => (m === 'rsr' ? 'rne' : m);
  raw.rounding = { input: DETERMINISTIC_MODES[Math.floor(i / 5) % 6]!, product: deterministic(r.product!), acc: deterministic(r.acc!) };
  const wide = Math.floor(i / 6) % 2 === 1;
  const width = wide ? 30 + rng.int(SIM_MAX_FIXED_WIDTH - 29) : 3 + rng.int(18);
  const lsb = -rng.int(25);
  raw.acc = { fixed: { msb: lsb + width - 2, lsb }, overflow: i % 4 < 2 ? 'saturate' : 'wrap', out: raw.acc };
  const fused = raw.product === 'exact';
  const stages = (raw.pipeline as { stages: number }).stages;
  raw.pipeline = { stages: Math.min(stages, FIXED_CUT_ORDER[fused ? 'fused' : 'rounded'].length) };
}

export function describeConfig(c: CosimConfig, seed: number): string {
  return `config ${c.index} (seed ${seed}): ${JSON.stringify(c.raw)}`;
}

