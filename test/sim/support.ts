// Seeded random configurations and jobs for the simulator tests. Every failure names the seed, so
// `LBAMAC_SIM_SEED=<seed> npx mocha test/sim/random.test.ts` (or randomCase(seed)) replays it.
import { DETERMINISTIC_MODES, type FormatSpec, ROUNDING_MODES } from '../../core/format.js';
import { SIM_MAX_FIXED_WIDTH } from '../../core/fixed.js';
import { kulisch } from '../../core/kulisch.js';
import { FIXED_CUT_ORDER } from '../../arch/types.js';
import { exactProductFormat } from '../../core/exact-product.js';
import { buildsArch } from '../support/arch.js';
import { type ArrayConfig, outputFormat, resolveConfig } from '../../config/resolve.js';
import { mulberry32 as prng } from '../support/rng.js';


export class Rng {
  readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
}


function randomFormat(rng: Rng, exp: [number, number], man: [number, number]): FormatSpec {
  const e = rng.int(...exp);
  const m = rng.int(...man);
  let specials = rng.pick(['ieee', 'ieee', 'fn', 'none'] as const);
  if (specials === 'ieee' && m === 0) specials = 'fn';
  const overflow = specials === 'ieee' && rng.bool(0.7) ? 'inf' : 'saturate';
  const spec: FormatSpec = { exp: e, man: m, subnormals: rng.bool(0.75), specials, overflow };
  if (rng.bool(0.3)) spec.bias = 2 ** (e - 1) - 1 + rng.int(-3, 3);
  return spec;
}

export interface RandomCase {
  seed: number;
  raw: Record<string, unknown>;
  cfg: ArrayConfig;
  A: number[][];
  B: number[][];
  C?: number[][];
}

/** Codes biased toward the corners: zeros, specials, subnormals, extremes, then uniform. */
function randomCode(rng: Rng, width: number): number {
  const signBit = 2 ** (width - 1);
  const mag = signBit - 1;
  const r = rng.next();
  let c: number;
  if (r < 0.12) c = 0;
  else if (r < 0.2) c = rng.pick([mag, mag - 1, 1, 2, 3]);
  else if (r < 0.3) c = rng.int(0, Math.min(mag, 2 ** Math.max(0, width - 5)));
  else c = rng.int(0, mag);
  return rng.bool() ? c + signBit : c;
}

/** A random array configuration and a job on it; shapes 1×1 to 8×8 arrays, jobs up to 2× the array. */
export function randomCase(seed: number): RandomCase {
  const rng = new Rng(seed);
  const rows = rng.bool(0.2) ? 1 : rng.int(1, 8);
  const cols = rng.bool(0.2) ? 1 : rng.int(1, 8);
  const wide = rng.bool(0.12); // operands too wide for the product table: the generic path
  const a = wide ? randomFormat(rng, [5, 8], [6, 12]) : randomFormat(rng, [2, 5], [0, 4]);
  const w = randomFormat(rng, [2, 5], [0, 4]);
  const fused = rng.bool(0.3);
  const product = fused ? 'exact' : randomFormat(rng, [3, 8], [1, 12]);
  const acc = randomFormat(rng, [3, 8], [1, 12]);
  const chunked = rng.bool(0.35);
  const raw: Record<string, unknown> = {
    rows,
    cols,
    dataflow: rng.pick(['os', 'ws']),
    a,
    w,
    product,
    acc,
    rounding: { input: 'rne', product: rng.pick(ROUNDING_MODES), acc: rng.pick(ROUNDING_MODES), ...(chunked && rng.bool() ? { total: rng.pick(ROUNDING_MODES) } : {}) },
    sparsity: rng.bool(0.4) ? '2:4' : 'dense',
    pipeline: { stages: rng.bool(0.4) ? 0 : rng.int(1, fused ? 3 : 4) },
    flags: rng.bool(0.3),
  };
  if (chunked) {
    raw.chunk = rng.pick([1, 2, 3, 4, rows, rng.int(1, 9)]);
    if (rng.bool(0.6)) raw.total = randomFormat(rng, [4, 8], [3, 14]);
  }
  // rsr takes R random bits from the spec's ends and between, and a seed; only where a step that
  // runs rounds with it (config/resolve.ts refuses randomBits otherwise).
  const rounding = raw.rounding as Record<string, unknown>;
  const steps = [...(fused ? [] : [rounding.product]), rounding.acc, ...(chunked ? [rounding.total ?? rounding.acc] : [])];
  if (steps.includes('rsr')) Object.assign(rounding, { randomBits: rng.pick([1, 3, 8, 32, rng.int(1, 32)]), seed: rng.pick([0, 1, rng.int(0, 2 ** 32 - 1)]) });
  // An exact-product stage needs a format that holds every product; wide operands have none.
  if ((raw.pipeline as { stages: number }).stages > (fused ? 0 : 1) && !holdsExactProducts(raw)) raw.pipeline = { stages: fused ? 0 : 1 };
  // The cut adder's register needs an internal format for the sum (far-off biases have none), and
  // rounds the accumulator to odd, which rsr does not take (arch/build.ts refuses it).
  if (!buildsArch(raw)) raw.pipeline = { stages: fused ? 1 : 2 };
  // A share of dot-product cells, drawn from a stream of their own so that the other draws stay.
  const dot = randomDotCell(new Rng(seed ^ 0x1a9e5), raw);
  // Of the others, a share take a fixed-point accumulator instead (its own stream, so the float
  // configurations of the other seeds stay as they were; a dot-product cell cannot feed one).
  const fixedRng = new Rng(seed ^ 0x0f1c5ed0);
  if (fixedRng.bool(0.25) && dot === 0 && raw.lanes === undefined) fixedAccumulator(fixedRng, raw);
  const cfg = resolveConfig(raw);
  const M = rng.int(1, rng.bool(0.3) ? 2 * rows + 1 : rows);
  const N = rng.int(1, rng.bool(0.3) ? 2 * cols + 1 : cols);
  const K = rng.int(1, rng.bool(0.5) ? 13 : 2 * rows + 3) + dot;
  const A = Array.from({ length: M }, () => Array.from({ length: K }, () => randomCode(rng, cfg.a.width)));
  const B = Array.from({ length: K }, () => Array.from({ length: N }, () => randomCode(rng, cfg.w.width)));
  if (cfg.sparsity === '2:4') {
    // Keep at most 2 nonzeros per group of 4 along K; the others become zeros of any kind.
    for (let g = 0; 4 * g < K; g++) {
      for (let j = 0; j < N; j++) {
        const keep = new Set([rng.int(0, 3), rng.int(0, 3)]);
        for (let r = 0; r < 4 && 4 * g + r < K; r++) {
          if (!keep.has(r)) B[4 * g + r]![j] = rng.pick([0, 2 ** (cfg.w.width - 1), 0]);
        }
      }
    }
  }
  const out: RandomCase = { seed, raw, cfg, A, B };
  if (rng.bool(0.6)) {
    const f = outputFormat(cfg);
    out.C = Array.from({ length: M }, () => Array.from({ length: N }, () => randomCode(rng, f.width)));
  }
  return out;
}

/** The lane counts a dot-product cell may have (core/lanes.ts LANES). */
export const DOT_LANES = [1, 2, 4, 8, 16, 32] as const;

/**
 * Makes one configuration in five a dot-product cell (lanes G, alignBits narrow, medium or
 * "exact"): at most the one pipeline stage after the multipliers of rounded products, no rsr (the
 * array and the config refuse the rest), a chunk of whole steps. Returns the terms to add to K so that outputs take several steps.
 */
export function randomDotCell(rng: Rng, raw: Record<string, unknown>): number {
  if (!rng.bool(0.2)) return 0;
  const G = rng.pick(DOT_LANES);
  raw.lanes = G;
  raw.alignBits = rng.pick([rng.int(1, 4), rng.int(1, 14), rng.int(10, 40), 'exact'] as const);
  raw.pipeline = { stages: raw.product !== 'exact' && rng.bool(0.4) ? 1 : 0 };
  const r = raw.rounding as Record<string, unknown>;
  for (const step of ['product', 'acc', 'total']) if (r[step] === 'rsr') r[step] = rng.pick(ROUNDING_MODES.filter((m) => m !== 'rsr'));
  delete r.randomBits;
  delete r.seed;
  if (raw.chunk !== undefined) raw.chunk = G * rng.int(1, 3);
  return rng.int(0, 3 * G);
}

export function describeCase(c: RandomCase): string {
  return `seed ${c.seed}: ${c.A.length}×${c.B.length} by ${c.B.length}×${c.B[0]!.length}${c.C ? ' with C' : ''} on ${JSON.stringify(c.raw)}`;
}


/**
 * Makes raw's accumulator fixed-point (docs/arithmetic.md §3) into its float one as out: a
 * register from a few bits to the Kulisch width of its formats (up to the simulator's 50 bits),
 * either overflow rule, C onto the grid with any deterministic mode; no chunk and no rsr (the config
 * refuses both with a fixed accumulator), and the stages a fixed-point PE takes.
 */
export function fixedAccumulator(rng: Rng, raw: Record<string, unknown>): void {
  const out = raw.acc as FormatSpec;
  delete raw.chunk;
  delete raw.total;
  const modes = DETERMINISTIC_MODES;
  const r = raw.rounding as Record<string, unknown>;
  raw.rounding = {
    input: rng.pick(modes),
    product: r.product === 'rsr' ? rng.pick(modes) : r.product,
    acc: r.acc === 'rsr' ? rng.pick(modes) : r.acc,
  };
  const probe = resolveConfig({ ...raw, pipeline: { stages: 0 } });
  let msb: number;
  let lsb: number;
  const k = kulisch({ a: probe.a, w: probe.w, product: probe.product, k: 16 });
  if (rng.bool(0.3) && k.width <= SIM_MAX_FIXED_WIDTH) ({ msb, lsb } = k);
  else {
    lsb = rng.int(-24, 2);
    msb = lsb + rng.int(1, rng.bool(0.3) ? SIM_MAX_FIXED_WIDTH - 2 : 14);
  }
  raw.acc = { fixed: { msb, lsb }, overflow: rng.pick(['saturate', 'wrap']), out };
  const fused = raw.product === 'exact';
  const max = FIXED_CUT_ORDER[fused ? 'fused' : 'rounded'].length;
  let stages = Math.min((raw.pipeline as { stages: number }).stages, max);
  // A fused cell adds the exact product's code, and a cut inside the multiplier registers it.
  if ((fused || stages >= 2) && !holdsExactProducts(raw)) {
    if (fused) raw.product = randomFormat(rng, [3, 8], [1, 12]);
    stages = Math.min(stages, 1);
  }
  raw.pipeline = { stages };
}

/** The exact product of the config's a and w fits a format (core/exact-product.ts). */
function holdsExactProducts(raw: Record<string, unknown>): boolean {
  const cfg = resolveConfig({ ...raw, pipeline: { stages: 0 } });
  try {
    exactProductFormat(cfg.a, cfg.w);
    return true;
  } catch {
    return false;
  }
}
