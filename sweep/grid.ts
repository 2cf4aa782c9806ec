// From a sweep config to its points: every block's grid expanded in a fixed order, each point
// resolved (so a bad combination fails before any work) and named by its content hash.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LbamacError } from '../core/errors.js';
import { type FormatInput, type FormatSpec } from '../core/format.js';
import { dotCellOf, laneMessages } from '../core/lanes.js';
import { buildArch } from '../arch/build.js';
import { UNIT_KINDS } from '../arch/units.js';
import { canonicalConfig, type CanonicalConfig } from '../config/canonical.js';
import { describeZodError } from '../config/zod-errors.js';
import { overPreset, type RawConfig } from '../config/presets.js';
import { type ArrayConfig, resolveConfig } from '../config/resolve.js';
import { describeOnnx, resolveOnnxPaths } from '../workloads/onnx.js';
import type { WorkloadSpec } from '../workloads/schema.js';
import { unreadableReason } from '../util/fs-errors.js';
import { sha256 } from '../util/hash.js';
import { stableStringify } from '../util/stable-json.js';
import { pointId } from './canonical.js';
import { layerPoints } from './per-layer.js';
import { type AccGrid, type BlockConfig, type SweepConfig, sweepSchema } from './schema.js';

/**
 * grid and baseline: a block's configurations. layer: one ONNX layer narrowed to one of its block's
 * accumulators, the others at the block's widest (sweep/per-layer.ts); mixed: every layer at its own
 * narrowest, made from the layer points' results.
 */
export type PointRole = 'grid' | 'baseline' | 'layer' | 'mixed';

export interface PointSpec {
  /** Content hash of config, workload and per-layer configurations (canonical.ts). */
  id: string;
  /** Position in the expanded sweep: what --shard slices by (mixed points come after every other). */
  index: number;
  block: string;
  role: PointRole;
  config: CanonicalConfig;
  /** Layer and mixed points: the nodes whose configuration is not `config`. */
  perLayer?: Record<string, CanonicalConfig>;
  workload: WorkloadSpec;
  /** Whether the sweep's area provider is asked for this point's area: some block producing its configuration wants it. */
  wantsArea: boolean;
}

export interface Sweep {
  config: SweepConfig;
  /** Hash of the canonical sweep config: shards of one sweep share it. */
  hash: string;
  points: PointSpec[];
}

/**
 * Validates raw JSON into a SweepConfig; errors name the field. The files of onnx workloads are
 * made absolute against `baseDir` (the config file's directory; what the journal and the written
 * sweep.json then hold) and checked against each other.
 */
export function parseSweep(raw: unknown, where = 'sweep', baseDir = process.cwd()): SweepConfig {
  const r = sweepSchema.safeParse(raw);
  if (!r.success) throw new LbamacError(describeZodError(r.error, raw, where, sweepSchema));
  r.data.workloads = r.data.workloads.map((w) => (w.kind === 'onnx' ? resolveOnnxPaths(w, baseDir) : w));
  for (const w of r.data.workloads) if (w.kind === 'onnx') describeOnnx(w);
  const names = new Set<string>();
  for (const w of r.data.workloads) {
    if (names.has(w.name)) throw new LbamacError(`${where}.workloads: the name "${w.name}" is used twice`);
    names.add(w.name);
  }
  // Results, curves and report rows are named by block: two blocks of one name would merge.
  const blockNames = new Set<string>();
  r.data.blocks.forEach((b, i) => {
    if (blockNames.has(b.name)) throw new LbamacError(`${where}.blocks[${i}]: the name "${b.name}" is used twice; give each block its own`);
    blockNames.add(b.name);
  });
  r.data.blocks.forEach((b, i) => {
    for (const n of b.workloads ?? []) {
      if (!names.has(n)) throw new LbamacError(`${where}.blocks[${i}].workloads: no workload is named "${n}"; there are ${[...names].join(', ')}`);
    }
  });
  return r.data;
}

export function loadSweepFile(path: string): SweepConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')); // a byte-order mark, as some editors save
  } catch (err) {
    throw new LbamacError(`cannot read the sweep config ${path}: ${unreadableReason(err)}`);
  }
  return parseSweep(raw, path, dirname(resolve(path)));
}

function ints(v: number | number[] | { from: number; to: number; step: number }): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v;
  const out: number[] = [];
  for (let x = v.from; v.from <= v.to ? x <= v.to : x >= v.to; x += v.from <= v.to ? v.step : -v.step) out.push(x);
  return out;
}

function list<T>(v: T | T[] | undefined): (T | undefined)[] {
  return v === undefined ? [undefined] : Array.isArray(v) ? v : [v];
}

/** Accumulator formats of a block, in grid order (exp, bias, subnormals, specials, overflow, then man innermost). */
function accFormats(acc: BlockConfig['acc']): FormatInput[] | null {
  if (acc === undefined) return null;
  const out: FormatInput[] = [];
  for (const entry of Array.isArray(acc) ? acc : [acc]) {
    if (typeof entry === 'string') {
      out.push(entry);
      continue;
    }
    const g: AccGrid = entry;
    for (const exp of ints(g.exp))
      for (const bias of list(g.bias))
        for (const subnormals of list(g.subnormals))
          for (const specials of list(g.specials))
            for (const overflow of list(g.overflow))
              for (const man of ints(g.man)) {
                const f: FormatSpec = { exp, man };
                if (bias !== undefined && bias !== null) f.bias = bias;
                if (subnormals !== undefined) f.subnormals = subnormals;
                if (specials !== undefined) f.specials = specials;
                if (overflow !== undefined) f.overflow = overflow;
                out.push(f);
              }
  }
  return out;
}

function baseConfig(b: BlockConfig): RawConfig {
  return overPreset(b.preset ?? null, (b.config ?? {}) as RawConfig);
}

function describePoint(c: RawConfig): string {
  return stableStringify(c);
}

/** Whether a block's "area" selects this configuration of the block. */
/** Why the PE of a dot-product cell cannot be generated (pipeline stages, a window wider than the
 *  generator builds), or null. */
function dotCellRefusal(cfg: ArrayConfig): string | null {
  try {
    const arch = buildArch(cfg);
    for (const u of arch.pe.units) if (u.kind === 'dot') UNIT_KINDS.dot.verilog(u, arch);
    return null;
  } catch (e) {
    if (e instanceof LbamacError) return e.message;
    throw e;
  }
}

function blockWantsArea(area: BlockConfig['area'], cfg: ArrayConfig): boolean {
  if (area === undefined || typeof area === 'boolean') return area !== false;
  return (!area.man || area.man.includes(cfg.acc.man)) && (!area.rounding || area.rounding.includes(cfg.rounding.acc)) && (!area.chunk || area.chunk.includes(cfg.chunk));
}

/** Every point of the sweep, deduplicated by id (the first occurrence keeps its place). */
export function expandSweep(config: SweepConfig): Sweep {
  const points: PointSpec[] = [];
  const seen = new Set<string>();
  const areaConfigs = new Set<string>();
  const add = (p: Omit<PointSpec, 'id' | 'index' | 'wantsArea'>) => {
    const id = pointId(p.config, p.workload, p.perLayer);
    if (seen.has(id)) return;
    seen.add(id);
    points.push({ id, index: points.length, ...p, wantsArea: false });
  };
  config.blocks.forEach((b, bi) => {
    const base = baseConfig(b);
    const workloads = config.workloads.filter((w) => !b.workloads || b.workloads.includes(w.name));
    const accs = accFormats(b.acc) ?? [base.acc as FormatInput];
    for (const workload of workloads)
      for (const inputs of list(b.inputs))
        for (const product of list(b.product))
          for (const productRounding of list(b.productRounding))
            for (const sparsity of list(b.sparsity))
              for (const chunk of list(b.chunk))
                for (const rounding of list(b.rounding))
                  for (const stages of list(b.stages)) {
                    // One curve of the block: everything fixed but the accumulator.
                    const curve: CanonicalConfig[] = [];
                    for (const acc of accs) {
                      const raw: RawConfig = { ...base, acc, rounding: { ...base.rounding } };
                      if (stages !== undefined) raw.pipeline = { stages };
                      if (inputs) Object.assign(raw, inputs);
                      if (product !== undefined) raw.product = product;
                      if (productRounding !== undefined) raw.rounding!.product = productRounding;
                      if (sparsity !== undefined) raw.sparsity = sparsity;
                      if (chunk !== undefined) {
                        if (chunk === null) delete raw.chunk;
                        else raw.chunk = chunk;
                      }
                      if (raw.chunk === undefined) delete raw.total;
                      if (rounding !== undefined) {
                        raw.rounding!.acc = rounding;
                        raw.rounding!.total = rounding;
                      }
                      // The block's random bits and seed are for its rsr points: a block may list
                      // rsr beside deterministic modes, whose points draw nothing.
                      if (!Object.entries(raw.rounding!).some(([k, v]) => k !== 'randomBits' && k !== 'seed' && v === 'rsr')) {
                        delete raw.rounding!.randomBits;
                        delete raw.rounding!.seed;
                      }
                      let resolved: ArrayConfig;
                      try {
                        const where = `blocks[${bi}] (${b.name})`;
                        resolved = resolveConfig(raw, where);
                      } catch (err) {
                        throw new LbamacError(`${(err as Error).message}\nin the point ${describePoint(raw)}`);
                      }
                      const canonical = canonicalConfig(resolved);
                      curve.push(canonical);
                      add({ block: b.name, role: b.role, config: canonical, workload });
                      if (blockWantsArea(b.area, resolved)) {
                        // Refused here rather than by the area provider, hours into the sweep.
                        const why = config.area === 'none' || dotCellOf(resolved) === null ? null : dotCellRefusal(resolved);
                        if (why !== null) throw new LbamacError(laneMessages.noArea(`blocks[${bi}] (${b.name})`, why, config.area));
                        areaConfigs.add(stableStringify(canonical));
                      }
                    }
                    if (b.perLayer && workload.kind === 'onnx') {
                      const layers = describeOnnx(workload).layers.map((l) => l.name);
                      for (const lp of layerPoints(curve, layers)) add({ block: b.name, role: 'layer', workload, ...lp });
                    }
                  }
  });
  // Area belongs to a configuration, not to a block: once one block has it synthesized, every
  // point of that configuration gets it at no further cost.
  // Layer points borrow theirs from the grid points of the same configurations (the report's table).
  if (config.area !== 'none') for (const p of points) p.wantsArea = !p.perLayer && areaConfigs.has(stableStringify(p.config));
  return { config, hash: sha256(stableStringify(config)).slice(0, 12), points };
}

/** The points of shard i of n (1-based): those whose index is i-1 modulo n. */
export function shardPoints(points: PointSpec[], shard: { index: number; count: number } | null): PointSpec[] {
  if (!shard) return points;
  return points.filter((p) => p.index % shard.count === shard.index - 1);
}

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new LbamacError(`--shard ${text}: expected i/N with 1 <= i <= N, e.g. --shard 2/8`);
  return { index, count };
}
