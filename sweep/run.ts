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
import { expandSweep, type PointSpec, shardPoints, type Sweep } from './grid.js';
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
  return w.kind === 'synthetic' ? w.M * w.K * w.N : w.testDigits * (784 * MNIST_NONZERO_PIXELS * 128 + 128 * 10);
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
    force: opts.force ?? false,
    ...(opts.onStaleLock ? { onStaleLock: opts.onStaleLock } : {}),
  });
  try {
    return await runClaimed(opts, sweep, selection, selected, claim.earlier);
  } finally {
    claim.release();
  }
}

async function runClaimed(opts: SweepRunOptions, sweep: Sweep, selection: Selection, selected: PointSpec[], earlier: JournalContents | null): Promise<SweepRunResult> {
  const t0 = performance.now();
  const provider = areaProvider(opts.config.area);
  const done = new Map<string, PointResult>();
  const ids = new Set(selected.map((p) => p.id));
  let writer: JournalWriter;
  if (earlier) {
    for (const r of earlier.results) if (ids.has(r.id)) done.set(r.id, r);
    writer = JournalWriter.reopen(opts.outDir, earlier);
  } else {
    writer = await JournalWriter.create(opts.outDir, headerOf(sweep, selection));
  }
  const resumed = done.size;
  const pending = selected.filter((p) => !done.has(p.id));
  const queue = [...pending].sort((x, y) => nominalCost(y) - nominalCost(x) || x.index - y.index);
  const workers = opts.workers ?? defaultWorkers();
  const byId = new Map(queue.map((p) => [p.id, p]));
  const eta = new Eta(queue, workers);
  const report = (last: PointResult | null) =>
    opts.onProgress?.({ done: done.size, total: selected.length, resumed, elapsedSeconds: (performance.now() - t0) / 1000, etaSeconds: eta.seconds(), last });
  report(null);
  // Points whose area is still being synthesized wait here, not in the workers' queue: they are
  // journaled as soon as their area arrives, in whatever order.
  const waiting: Promise<void>[] = [];
  let areaFailure: unknown = null;
  try {
    const areas = startAreas(provider, pending);
    await runInWorkers(queue, workers, (r) => {
      if (areaFailure) throw areaFailure;
      const spec = byId.get(r.id)!;
      const finish = (area: AreaResult | null) => {
        r.area = area;
        writer.append(r);
        done.set(r.id, r);
        eta.finished(spec, r.seconds);
        report(r);
      };
      const area = areas.get(stableStringify(spec.config));
      if (!area) return finish(null);
      const journaled = area.then(finish);
      journaled.catch((err: unknown) => (areaFailure ??= err));
      waiting.push(journaled);
    });
    await Promise.all(waiting);
  } finally {
    writer.close();
    await provider.close?.();
  }
  const results = selected.map((p) => done.get(p.id)!);
  const files = selection.shard ? [] : await writeOutputs(opts.outDir, sweep, results, selection);
  return { sweep, outDir: opts.outDir, selection, results, computed: pending.length, resumed, files };
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
    const results = sweep.points.map((p) => byId.get(p.id)!);
    await writeWholeJournal(out, headerOf(sweep, ALL_POINTS), results);
    const files = await writeOutputs(out, sweep, results, ALL_POINTS);
    return { sweep, outDir: out, results, files };
  } finally {
    claim.release();
  }
}
