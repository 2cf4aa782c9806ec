// Seeded random array configurations for the rtl-gen array tests: shapes up to 4 x 4 and every
// option the config has (formats from test/rtl-gen/units.ts's generator of valid formats): a
// quarter are dot-product cells, and of the rest a quarter take a fixed-point accumulator.
import { type ArrayConfig, resolveConfig } from '../../config/resolve.js';
import { DETERMINISTIC_MODES, formatSpecOf, ROUNDING_MODES } from '../../core/format.js';
import { FIXED_CUT_ORDER } from '../../arch/types.js';
import { buildsArch } from '../support/arch.js';
import { randomFormat, randInt, rng } from './units.js';

const fmtOf = (r: () => number, exp: [number, number], man: [number, number]) => formatSpecOf(randomFormat(r, { exp, man }));

export function randomArrayConfig(seed: number): { cfg: ArrayConfig; raw: Record<string, unknown> } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const fmt = (exp: [number, number], man: [number, number]) => fmtOf(r, exp, man);
  const fused = r() < 0.35;
  const chunked = r() < 0.5;
  const square = r() < 0.3;
  const raw: Record<string, unknown> = {
    rows: square ? 4 : randInt(r, 1, 4),
    cols: square ? 4 : randInt(r, 1, 4),
    dataflow: pick(['os', 'ws'] as const),
    sparsity: pick(['dense', '2:4'] as const),
    a: fmt([2, 5], [0, 4]),
    w: fmt([2, 5], [0, 4]),
    product: fused ? 'exact' : fmt([3, 8], [1, 12]),
    acc: fmt([3, 8], [1, 12]),
    rounding: { product: pick(ROUNDING_MODES), acc: pick(ROUNDING_MODES), total: pick(ROUNDING_MODES) } as Record<string, unknown>,
    pipeline: { stages: randInt(r, 0, fused ? 3 : 4) },
    flags: r() < 0.4,
  };
  if (chunked) {
    raw.chunk = randInt(r, 1, 8);
    raw.total = fmt([4, 8], [3, 14]);
  }
  // rsr takes R and a seed where a step that runs rounds with it (config/resolve.ts).
  const rounding = raw.rounding as Record<string, unknown>;
  if ((!fused && rounding.product === 'rsr') || rounding.acc === 'rsr' || (chunked && rounding.total === 'rsr')) Object.assign(rounding, { randomBits: randInt(r, 1, 32), seed: randInt(r, 0, 2 ** 32 - 1) });
  // A far-off accumulator bias leaves a cut adder's internal sum register without a format, and an
  // rsr accumulator cannot take the cut (buildArch says so): such a draw keeps the stages below it.
  const cutAdder = fused ? 2 : 3;
  if ((raw.pipeline as { stages: number }).stages >= cutAdder && !buildsArch(raw)) raw.pipeline = { stages: cutAdder - 1 };
  // One in four is a dot-product cell: G lanes, a narrow, medium or exact window; at most the
  // products' register as a pipeline stage and no rsr (the rest is not in such a cell yet), a
  // chunk of whole steps.
  if (r() < 0.25) {
    const G = pick([1, 2, 4, 8, 16, 32]);
    Object.assign(raw, { lanes: G, alignBits: pick([randInt(r, 1, 4), randInt(r, 5, 16), 'exact']), pipeline: { stages: 0 } });
    if (r() < 0.5) raw.product = 'exact';
    else if (r() < 0.5) raw.pipeline = { stages: 1 };
    if (chunked) raw.chunk = G * randInt(r, 1, 3);
    for (const step of ['product', 'acc', 'total']) if (rounding[step] === 'rsr') rounding[step] = 'rne';
    delete rounding.randomBits;
    delete rounding.seed;
  }
  // A share of the others take a fixed-point accumulator (a stream of their own: the others stay
  // as they were; a dot-product cell cannot feed one).
  const fr = rng(seed ^ 0x0f1c5ed0);
  if (fr() < 0.25 && raw.lanes === undefined) fixedAccumulator(fr, raw);
  return { cfg: resolveConfig(raw), raw };
}

/** raw's accumulator made fixed-point into its float format: 3 to 72 bits (the generator is not
 *  bound by the simulator's 50), either overflow rule, no chunk, no rsr, the stages it takes. */
function fixedAccumulator(r: () => number, raw: Record<string, unknown>): void {
  delete raw.chunk;
  delete raw.total;
  const rounding = raw.rounding as Record<string, unknown>;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const deterministic = (m: unknown) => (m === 'rsr' ? pick(DETERMINISTIC_MODES) : m);
  raw.rounding = { input: pick(DETERMINISTIC_MODES), product: deterministic(rounding.product), acc: deterministic(rounding.acc) };
  const lsb = randInt(r, -24, 2);
  raw.acc = { fixed: { msb: lsb + (r() < 0.4 ? randInt(r, 50, 70) : randInt(r, 1, 20)), lsb }, overflow: pick(['saturate', 'wrap'] as const), out: raw.acc };
  const fused = raw.product === 'exact';
  const stages = Math.min((raw.pipeline as { stages: number }).stages, FIXED_CUT_ORDER[fused ? 'fused' : 'rounded'].length);
  raw.pipeline = { stages };
  // An exact product without a format (wide operands): a rounded product, no cut inside the multiplier.
  if (!buildsArch(raw)) {
    if (fused) raw.product = fmtOf(r, [3, 8], [1, 12]);
    raw.pipeline = { stages: Math.min(stages, 1) };
  }
}

