// The sweep as a library: expand the config, pick this run's points (all, one shard, or a list of
// ids), skip those a resumed journal already holds, compute the rest on worker threads, journal
// each as it finishes, and write the outputs (report/write.ts). `lbamac sweep` and `lbamac merge`
// are thin wrappers over runSweep and mergeSweeps.
import { join } from 'node:path';
import { LbamacError } from '../core/errors.js';
import { resolveConfig } from '../config/resolve.js';
import { type AreaProvider, areaProvider, type AreaResult } from './area.js';
import { stableStringify } from '../util/stable-json.js';
import { RESULTS_VERSION } from './canonical.js';
import { describeOnnx } from '../workloads/onnx.js';
import { ortAccuracy } from '../workloads/onnx-ort.js';
import { expandSweep, type PointSpec, shardPoints, type Sweep } from './grid.js';
import { layerStudies } from './per-layer.js';
import { type JournalContents, type JournalHeader, JournalWriter, readJournal, type Selection, writeWholeJournal } from './journal.js';
import type { PointResult } from './point.js';
import { claimOutDir, defaultOutDir } from './outdir.js';
import type { LockOwner } from '../util/dir-lock.js';
import { defaultWorkers, runInWorkers } from './pool.js';
import type { SweepConfig } from './schema.js';

export const ALL_POINTS: Selection = { shard: null, only: null };

export interface SweepProgress {
  /** Points of this run finished so far, resumed ones included. */
  done: number;
  total: number;
  /** Points taken from the journal of an earlier run. */
  resumed: number;
  elapsedSeconds: number;
  /** Estimated seconds left; null until a point of this run has finished. */
  etaSeconds: number | null;
  last: PointResult | null;
}

export interface SweepRunOptions {
  config: SweepConfig;
  outDir: string;
  selection?: Selection;
  resume?: boolean;
  /** Start over in a directory that holds results (of this sweep or another) or other files. */
  force?: boolean;
  /** Told when the directory's lock was left by a process that no longer runs, and taken over. */
  onStaleLock?: (dir: string, owner: LockOwner) => void;
  /** Worker threads; default one per core. */
  workers?: number;
  onProgress?: (p: SweepProgress) => void;
}

export interface SweepRunResult {
  sweep: Sweep;
  outDir: string;
  selection: Selection;
  /** This run's points, in sweep order. */
  results: PointResult[];
  computed: number;
  resumed: number;
  /** Files written besides the journal (none for a shard: `lbamac merge` writes them). */
  files: string[];
}

export function selectPoints(sweep: Sweep, selection: Selection): PointSpec[] {
  const byShard = shardPoints(sweep.points, selection.shard);
  if (!selection.only) return byShard;
  const ids = new Set(sweep.points.map((p) => p.id));
  const unknown = selection.only.filter((id) => !ids.has(id));
  if (unknown.length) throw new LbamacError(`--only: no point of the sweep "${sweep.config.name}" has the id ${unknown.join(', ')} (ids are in results.csv and report.html)`);
  const wanted = new Set(selection.only);
  return byShard.filter((p) => wanted.has(p.id));
}

function headerOf(sweep: Sweep, selection: Selection): JournalHeader {
  return { journal: 'lbamac-sweep-journal', resultsVersion: RESULTS_VERSION, sweepHash: sweep.hash, selection, sweep: sweep.config };
}

/** About a fifth of the MNIST pixels are nonzero; the array skips the zero ones. */
const MNIST_NONZERO_PIXELS = 0.19;

/** The outputs, loaded when needed: vega and vega-lite take a while to import, and other commands never need them. */
async function writeOutputs(...args: Parameters<typeof import('../report/write.js').writeSweepOutputs>): Promise<string[]> {
  const { writeSweepOutputs } = await import('../report/write.js');
  return writeSweepOutputs(...args);
}

/** Nominal multiply-adds of a point: to schedule the big ones first (fewer idle workers at the end) and to estimate. */
function nominalCost(p: PointSpec): number {
  const w = p.workload;
  if (w.kind === 'synthetic') return w.M * w.K * w.N;
  if (w.kind === 'mnist-mlp') return w.testDigits * (784 * MNIST_NONZERO_PIXELS * 128 + 128 * 10);
  const info = describeOnnx(w);
  return info.images * info.layers.reduce((n, l) => n + l.macsPerImage, 0);
}

/**
 * onnxruntime's accuracy for every onnx workload of `points`, all started at once (onnxruntime runs
 * on a thread of its own while the workers compute); each awaited when a point of it is journaled.
 */
function startOrt(points: readonly PointSpec[]): Map<string, Promise<number>> {
  const out = new Map<string, Promise<number>>();
  for (const { workload: w } of points) {
    if (w.kind !== 'onnx' || out.has(w.name)) continue;
    const a = ortAccuracy(w);
    a.catch(() => {});
    out.set(w.name, a);
  }
  return out;
}

/**
 * Area per PE of every distinct configuration of `points` that wants area, all asked at once so
 * that synthesis runs while the workers compute the points (each answer is awaited when its
 * first point arrives).
 */
function startAreas(provider: AreaProvider, points: readonly PointSpec[]): Map<string, Promise<AreaResult | null>> {
  const areas = new Map<string, Promise<AreaResult | null>>();
  for (const p of points) {
    const key = stableStringify(p.config);
    if (!p.wantsArea || areas.has(key)) continue;
    const area = provider.areaPerPE(resolveConfig(p.config, `point ${p.id}`));
    // A failure surfaces when a point of this configuration arrives; until then it is not unhandled.
    area.catch(() => {});
    areas.set(key, area);
  }
  return areas;
}

/** Per workload: the points finished in this run and those still to do, in seconds and nominal cost. */
class Eta {
  private readonly byWorkload = new Map<string, { doneN: number; doneSeconds: number; doneCost: number; leftN: number; leftCost: number }>();
  private leftPoints = 0;

  constructor(
    pending: readonly PointSpec[],
    private readonly workers: number,
  ) {
    for (const p of pending) {
      const w = this.entry(p.workload.name);
      w.leftN++;
      w.leftCost += nominalCost(p);
      this.leftPoints++;
    }
  }

  private entry(name: string) {
    let w = this.byWorkload.get(name);
    if (!w) this.byWorkload.set(name, (w = { doneN: 0, doneSeconds: 0, doneCost: 0, leftN: 0, leftCost: 0 }));
    return w;
  }

  finished(p: PointSpec, seconds: number): void {
    const w = this.entry(p.workload.name);
    const cost = nominalCost(p);
    w.doneN++;
    w.doneSeconds += seconds;
    w.doneCost += cost;
    w.leftN--;
    w.leftCost -= cost;
    this.leftPoints--;
  }

  /**
   * Seconds left: each pending point costs the mean time of this run's finished points of its
   * workload or, for a workload not seen yet, its nominal cost at the mean seconds per unit of cost.
   */
  seconds(): number | null {
    let seconds = 0;
    let cost = 0;
    for (const w of this.byWorkload.values()) {
      seconds += w.doneSeconds;
      cost += w.doneCost;
    }
    if (cost === 0) return null;
    let left = 0;
    for (const w of this.byWorkload.values()) left += w.doneN > 0 ? (w.leftN * w.doneSeconds) / w.doneN : (w.leftCost * seconds) / cost;
    return left / Math.max(1, Math.min(this.workers, this.leftPoints));
  }
}

export async function runSweep(opts: SweepRunOptions): Promise<SweepRunResult> {
  const selection = opts.selection ?? ALL_POINTS;
  const sweep = expandSweep(opts.config);
  const selected = selectPoints(sweep, selection);
  const claim = claimOutDir(opts.outDir, {
    sweep,
    selection,
    points: selected.length,
    resume: opts.resume ?? false,
    resumable: true,
    force: opts.force ?? false,
    ...(opts.onStaleLock ? { onStaleLock: opts.onStaleLock } : {}),
  });
  try {
    return await runClaimed(opts, sweep, selection, selected, claim.earlier);
  } finally {
    claim.release();
  }
}

/** Mixed points (sweep/per-layer.ts) of every per-layer study whose points all have results. */
function mixedPoints(sweep: Sweep, results: readonly PointResult[]): PointSpec[] {
  const byId = new Map<string, PointSpec>();
  // Two blocks with the same curve make the same mixed point: once.
  for (const s of layerStudies(sweep, results)) if (s.mixed && !byId.has(s.mixed.id)) byId.set(s.mixed.id, s.mixed);
  return [...byId.values()];
}

/** Points computed on the workers, each handed to `journal` once its area and onnxruntime accuracy (when it has them) are known. */
async function computePoints(
  pending: readonly PointSpec[],
  workers: number,
  provider: AreaProvider,
  journal: (r: PointResult, spec: PointSpec) => void,
): Promise<void> {
  const queue = [...pending].sort((x, y) => nominalCost(y) - nominalCost(x) || x.index - y.index);
  const byId = new Map(queue.map((p) => [p.id, p]));
  const areas = startAreas(provider, pending);
  const ort = startOrt(pending);
  // Points whose area is still being synthesized wait here, not in the workers' queue: they are
  // journaled as soon as their area arrives, in whatever order.
  const waiting: Promise<void>[] = [];
  let failure: unknown = null;
  await runInWorkers(queue, workers, (r) => {
    if (failure) throw failure;
    const spec = byId.get(r.id)!;
    const area = areas.get(stableStringify(spec.config));
    const accuracyOrt = ort.get(spec.workload.name);
    const finish = ([a, o]: [AreaResult | null, number | undefined]) => {
      r.area = a;
      if (o !== undefined) r.accuracyOrt = o;
      journal(r, spec);
    };
    if (!area && !accuracyOrt) return finish([null, undefined]);
    const journaled = Promise.all([area ?? null, accuracyOrt]).then(finish);
    journaled.catch((err: unknown) => (failure ??= err));
    waiting.push(journaled);
  });
  await Promise.all(waiting);
}

async function runClaimed(opts: SweepRunOptions, sweep: Sweep, selection: Selection, selected: PointSpec[], earlier: JournalContents | null): Promise<SweepRunResult> {
  const t0 = performance.now();
  const provider = areaProvider(opts.config.area);
  const done = new Map<string, PointResult>();
  // Every point of an earlier journal, mixed points included (they are not among `selected`).
  const before = new Map((earlier?.results ?? []).map((r) => [r.id, r]));
  const writer = earlier ? JournalWriter.reopen(opts.outDir, earlier) : await JournalWriter.create(opts.outDir, headerOf(sweep, selection));
  const workers = opts.workers ?? defaultWorkers();
  let total = 0;
  let resumed = 0;
  let computed = 0;
  let eta = new Eta([], workers);
  const report = (last: PointResult | null) =>
    opts.onProgress?.({ done: done.size, total, resumed, elapsedSeconds: (performance.now() - t0) / 1000, etaSeconds: eta.seconds(), last });
  /** Takes the points of the earlier journal, computes the others. */
  const run = async (points: readonly PointSpec[]) => {
    total += points.length;
    for (const p of points) if (before.has(p.id)) done.set(p.id, before.get(p.id)!);
    const pending = points.filter((p) => !done.has(p.id));
    resumed += points.length - pending.length;
    computed += pending.length;
    eta = new Eta(pending, workers);
    report(null);
    await computePoints(pending, workers, provider, (r, spec) => {
      writer.append(r);
      done.set(r.id, r);
      eta.finished(spec, r.seconds);
      report(r);
    });
  };
  let points = selected;
  try {
    await run(selected);
    // Mixed points need the layer points' results: a full run makes them, a shard leaves them to merge.
    if (!selection.shard && !selection.only) {
      const mixed = mixedPoints(sweep, selected.map((p) => done.get(p.id)!));
      await run(mixed);
      points = [...selected, ...mixed];
    }
  } finally {
    writer.close();
    await provider.close?.();
  }
  const results = points.map((p) => done.get(p.id)!);
  const files = selection.shard ? [] : await writeOutputs(opts.outDir, sweep, results, selection);
  return { sweep, outDir: opts.outDir, selection, results, computed, resumed, files };
}

export interface MergeResult {
  sweep: Sweep;
  outDir: string;
  results: PointResult[];
  files: string[];
}

export interface MergeOptions {
  /** Default: the full sweep's default directory, out/sweep-NAME. */
  outDir?: string;
  /** Replace results already in the output directory. */
  force?: boolean;
  onStaleLock?: (dir: string, owner: LockOwner) => void;
  /** Worker threads for the points only merge can make (per-layer studies' mixed points); default one per core. */
  workers?: number;
}

/** Joins the journals of a sweep's shards (or of any runs of the same sweep) into full outputs. */
export async function mergeSweeps(dirs: readonly string[], opts: MergeOptions = {}): Promise<MergeResult> {
  if (dirs.length === 0) throw new LbamacError('merge: name at least one shard directory (each holds a journal.jsonl)');
  const journals = dirs.map((d) => {
    const j = readJournal(d);
    if (!j) throw new LbamacError(`merge: ${join(d, 'journal.jsonl')} does not exist`);
    return { dir: d, ...j };
  });
  const first = journals[0]!;
  for (const j of journals) {
    if (j.header.sweepHash !== first.header.sweepHash) {
      throw new LbamacError(`merge: ${j.dir} belongs to another sweep (hash ${j.header.sweepHash}) than ${first.dir} (hash ${first.header.sweepHash})`);
    }
  }
  const sweep = expandSweep(first.header.sweep);
  const out = opts.outDir ?? defaultOutDir(sweep.config, ALL_POINTS);
  const claim = claimOutDir(out, {
    sweep,
    selection: ALL_POINTS,
    points: sweep.points.length,
    resume: false,
    resumable: false,
    force: opts.force ?? false,
    ...(opts.onStaleLock ? { onStaleLock: opts.onStaleLock } : {}),
  });
  try {
    const byId = new Map<string, PointResult>();
    for (const j of journals) for (const r of j.results) if (!byId.has(r.id)) byId.set(r.id, r);
    const missing = sweep.points.filter((p) => !byId.has(p.id));
    if (missing.length) {
      const shards = [...new Set(journals.map((j) => j.header.selection.shard?.count).filter((c) => c !== undefined))];
      const hint = shards.length === 1 ? ` (with --shard i/${shards[0]}: shards ${[...new Set(missing.map((p) => (p.index % shards[0]!) + 1))].join(', ')})` : '';
      throw new LbamacError(`merge: ${missing.length} of ${sweep.points.length} points are in none of the journals${hint}; finish those runs (--resume continues them) and merge again`);
    }
    // The shards leave the mixed points to merge: they need every layer point's result.
    const mixed = mixedPoints(sweep, sweep.points.map((p) => byId.get(p.id)!));
    const pending = mixed.filter((p) => !byId.has(p.id));
    if (pending.length) {
      const provider = areaProvider(sweep.config.area);
      try {
        await computePoints(pending, opts.workers ?? defaultWorkers(), provider, (r) => byId.set(r.id, r));
      } finally {
        await provider.close?.();
      }
    }
    const results = [...sweep.points, ...mixed].map((p) => byId.get(p.id)!);
    await writeWholeJournal(out, headerOf(sweep, ALL_POINTS), results);
    const files = await writeOutputs(out, sweep, results, ALL_POINTS);
    return { sweep, outDir: out, results, files };
  } finally {
    claim.release();
  }
}
