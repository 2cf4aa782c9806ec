// A sweep's output directory: where it goes when --out is not given, and who may write into it.
// One run at a time (a lock), and never over results the user did not ask to replace: a
// finished or interrupted run of the same sweep needs --resume (continue) or --force (start
// over), another sweep's results or files that are not a sweep's need --force.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../core/errors.js';
import { isTempSibling } from '../util/atomic-write.js';
import { type DirLock, LOCK_FILE, lockDir, type LockOwner } from '../util/dir-lock.js';
import { fsUserError } from '../util/fs-errors.js';
import { checkOutputDir } from '../util/output-path.js';
import { makeDirSync } from '../util/make-dir.js';
import type { Sweep } from './grid.js';
import { describeSelection, JOURNAL_FILE, type JournalContents, readJournal, sameSelection, type Selection } from './journal.js';
import type { SweepConfig } from './schema.js';

/** The files a finished sweep writes beside its journal (report/write.ts), and its plots directory. */
export const OUTPUT_FILES = { sweep: 'sweep.json', results: 'results.json', csv: 'results.csv', perLayer: 'per-layer.csv', report: 'report.html' } as const;
export const PLOTS_DIR = 'plots';

export function defaultOutDir(config: Pick<SweepConfig, 'name'>, selection: Selection): string {
  const base = join('out', `sweep-${config.name}`);
  if (selection.shard) return join(base, `shard-${selection.shard.index}-of-${selection.shard.count}`);
  if (selection.only) return join(base, 'only');
  return base;
}

/** What may sit in an output directory besides a sweep's files: the lock, a crash's temporary files, the default shard and --only subdirectories. */
function belongsToSweeps(name: string): boolean {
  return name === LOCK_FILE || isTempSibling(name) || name === 'only' || /^shard-\d+-of-\d+$/.test(name);
}

export interface ClaimRequest {
  sweep: Sweep;
  selection: Selection;
  /** How many points the selection holds. */
  points: number;
  resume: boolean;
  /** Whether the command can continue a partial run (sweep can, merge starts over). */
  resumable: boolean;
  force: boolean;
  onStaleLock?: (dir: string, owner: LockOwner) => void;
}

export interface OutDirClaim {
  /** The journal to continue (with resume), or null to start one. */
  earlier: JournalContents | null;
  release(): void;
}

/** Deletes what an earlier run wrote (and nothing else): --force starts over. */
function removeSweepOutputs(dir: string): void {
  for (const name of [JOURNAL_FILE, ...Object.values(OUTPUT_FILES)]) rmSync(join(dir, name), { force: true });
  const plots = join(dir, PLOTS_DIR);
  let names: string[] = [];
  try {
    names = readdirSync(plots);
  } catch {
    return; // no plots yet
  }
  for (const name of names) if (name.endsWith('.svg')) rmSync(join(plots, name), { force: true });
}

/** Whether this run may use the directory as it is; throws the LbamacError saying why not. */
function checkContents(dir: string, req: ClaimRequest): JournalContents | null {
  const earlier = readJournal(dir);
  const name = (c: SweepConfig, hash: string) => `"${c.name}" (hash ${hash})`;
  if (earlier) {
    const theirs = earlier.header;
    if (theirs.sweepHash !== req.sweep.hash) {
      throw new LbamacError(`${dir} belongs to another sweep: ${name(theirs.sweep, theirs.sweepHash)}, this one is ${name(req.sweep.config, req.sweep.hash)}; use another --out, or --force to replace its results`);
    }
    if (!sameSelection(theirs.selection, req.selection)) {
      throw new LbamacError(`${dir} holds ${describeSelection(theirs.selection)}, this run asks for ${describeSelection(req.selection)} (of the sweep ${name(theirs.sweep, theirs.sweepHash)}); use another --out, or --force to replace them`);
    }
    if (!req.resume) {
      const state = earlier.results.length >= req.points ? 'finished' : `partial (${earlier.results.length} of ${req.points} points)`;
      const remedy = req.resumable ? 'use --resume to continue or --force to start over' : 'use --force to replace them';
      throw new LbamacError(`${dir} already holds the ${state} results of the sweep ${name(theirs.sweep, theirs.sweepHash)}; ${remedy}`);
    }
    return earlier;
  }
  const foreign = readdirSync(dir).filter((n) => !belongsToSweeps(n)).sort();
  if (foreign.length > 0) throw new LbamacError(`${dir} holds ${foreign[0]} but no sweep journal; choose an empty or new directory, or use --force to write into it`);
  return null;
}

/**
 * Takes `dir` for a run: checks it can be written, creates it, locks it, and checks that its
 * contents may be continued or replaced. The caller releases the claim when the run ends.
 */
export function claimOutDir(dir: string, req: ClaimRequest): OutDirClaim {
  checkOutputDir(dir);
  try {
    makeDirSync(dir);
  } catch (err) {
    throw fsUserError(dir, err);
  }
  const lock: DirLock = lockDir(dir);
  if (lock.tookOver) req.onStaleLock?.(dir, lock.tookOver);
  try {
    if (req.force) {
      removeSweepOutputs(dir);
      return { earlier: null, release: lock.release };
    }
    return { earlier: checkContents(dir, req), release: lock.release };
  } catch (err) {
    lock.release();
    throw fsUserError(dir, err);
  }
}
