// Per-layer answers (issue 12, item 5): for each Conv, Gemm and MatMul layer of an onnx workload,
// the narrowest accumulator of a block's curve that the layer tolerates on its own, then all the
// layers at their own narrowest as one network.
//
// The method, in three steps:
//   1. A block with "perLayer" adds, per curve (the block's accumulators with everything else
//      fixed) and per layer L, one "layer" point for each accumulator X but the widest: L on X,
//      every other layer on the widest. They are ordinary points (journaled, sharded, merged).
//   2. L tolerates X when, in L's point on X, L's output is within the tolerance of the exact
//      sums of its own operands (NRMSE) and the network's accuracy is within 1 point of the
//      reference (every layer on the widest: the curve's widest grid point). L's narrowest is the
//      narrowest X such that every X' from the widest down to X is tolerated (as the report reads
//      a curve's "holds from"); none when even the widest fails the tolerance.
//   3. The "mixed" point runs every layer on its narrowest (the widest where there is none). It
//      depends on step 2's results, so it is made after the other points: by the full run, or by
//      `lbamac merge` after the shards.
import { accMan, accWidth, type CanonicalConfig } from '../config/canonical.js';
import { HOLD_TOLERANCE } from '../report/analysis.js';
import { stableStringify } from '../util/stable-json.js';
import { pointId } from './canonical.js';
import type { PointSpec, Sweep } from './grid.js';
import type { LayerResult, PointResult } from './point.js';
import { LAYER_NRMSE_TOLERANCE } from './schema.js';

const width = (c: CanonicalConfig) => accWidth(c.acc);

/** Widest first (ties: the longer mantissa first, then the order given). */
function widestFirst(configs: readonly CanonicalConfig[]): CanonicalConfig[] {
  return [...configs].sort((x, y) => width(y) - width(x) || accMan(y.acc) - accMan(x.acc));
}

/** Step 1: the layer points of one curve. */
export function layerPoints(curve: readonly CanonicalConfig[], layers: readonly string[]): { config: CanonicalConfig; perLayer: Record<string, CanonicalConfig> }[] {
  const [widest, ...others] = widestFirst(curve);
  if (!widest) return [];
  const same = stableStringify(widest);
  return layers.flatMap((layer) => others.filter((c) => stableStringify(c) !== same).map((c) => ({ config: widest, perLayer: { [layer]: c } })));
}

export interface LayerCandidate {
  /** The layer's configuration: the widest's (the reference point) or a layer point's. */
  config: CanonicalConfig;
  point: PointResult;
  /** The layer as it ran in that point. */
  layer: LayerResult;
  holds: boolean;
}

export interface LayerAnswer {
  name: string;
  /** Widest first. */
  candidates: LayerCandidate[];
  narrowest: LayerCandidate | null;
}

export interface LayerStudy {
  block: string;
  workload: string;
  tolerance: number;
  /** Every layer on the curve's widest accumulator. */
  reference: PointResult;
  layers: LayerAnswer[];
  /** Step 3's point; null when every layer's narrowest is the widest (the mixed network is the reference). */
  mixed: PointSpec | null;
}

/** The studies whose points all have results (a shard's or an --only run's may not), in sweep order. */
export function layerStudies(sweep: Sweep, results: readonly PointResult[]): LayerStudy[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const groups = new Map<string, PointSpec[]>();
  for (const p of sweep.points) {
    if (p.role !== 'layer') continue;
    const key = stableStringify([p.block, p.workload.name, p.config]);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const studies: LayerStudy[] = [];
  for (const group of groups.values()) {
    const { block, workload, config } = group[0]!;
    const reference = byId.get(pointId(config, workload));
    const points = group.map((p) => byId.get(p.id));
    if (!reference || points.some((r) => !r)) continue;
    const option = sweep.config.blocks.find((b) => b.name === block)?.perLayer;
    const tolerance = typeof option === 'object' ? option.tolerance : LAYER_NRMSE_TOLERANCE;
    const holds = (point: PointResult, layer: LayerResult) =>
      layer.metrics !== null && layer.metrics.nrmse <= tolerance && point.accuracy !== null && point.accuracy >= reference.accuracy! - HOLD_TOLERANCE;
    const layers = reference.layers.map((refLayer): LayerAnswer => {
      const candidate = (point: PointResult, c: CanonicalConfig): LayerCandidate => {
        const layer = point.layers.find((l) => l.name === refLayer.name)!;
        return { config: c, point, layer, holds: holds(point, layer) };
      };
      const mine = group.flatMap((p, i) => (p.perLayer?.[refLayer.name] ? [candidate(points[i]!, p.perLayer[refLayer.name]!)] : []));
      const order = widestFirst([config, ...mine.map((c) => c.config)]);
      const candidates = order.map((c) => (c === config ? candidate(reference, config) : mine.find((m) => m.config === c)!));
      const failed = candidates.findIndex((c) => !c.holds);
      const narrowest = failed === 0 ? null : candidates[(failed < 0 ? candidates.length : failed) - 1]!;
      return { name: refLayer.name, candidates, narrowest };
    });
    const perLayer: Record<string, CanonicalConfig> = {};
    for (const l of layers) if (l.narrowest && l.narrowest.config !== config) perLayer[l.name] = l.narrowest.config;
    const mixed: PointSpec | null =
      Object.keys(perLayer).length === 0
        ? null
        : { id: pointId(config, workload, perLayer), index: sweep.points.length + studies.length, block, role: 'mixed', config, perLayer, workload, wantsArea: false };
    studies.push({ block, workload: workload.name, tolerance, reference, layers, mixed });
  }
  return studies;
}
