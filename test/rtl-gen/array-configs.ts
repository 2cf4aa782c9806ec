// Seeded random array configurations for the rtl-gen array tests: shapes up to 4 x 4 and every
// option the config has (dot-product cells included) (formats from test/rtl-gen/units.ts's generator of valid formats).
import { type ArrayConfig, resolveConfig } from '../../config/resolve.js';
import { formatSpecOf, ROUNDING_MODES } from '../../core/format.js';
import { buildsArch } from '../support/arch.js';
import { randomFormat, randInt, rng } from './units.js';

export function randomArrayConfig(seed: number): { cfg: ArrayConfig; raw: Record<string, unknown> } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const fmt = (exp: [number, number], man: [number, number]) => formatSpecOf(randomFormat(r, { exp, man }));
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
  return { cfg: resolveConfig(raw), raw };
}

