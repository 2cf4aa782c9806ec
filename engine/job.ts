// Loading a GEMM job: the config and the A, B (and optional C) matrices, checked and converted to
// codes. Everything a user can get wrong in these files is an LbamacError naming the file, the
// position and the value, so the engines only ever see well-formed input. Matrices are JSON or
// .npy files (engine/matrix.ts); the config is JSON.
import { readFile } from 'node:fs/promises';
import { roundingCode, toFloat64 } from '../core/arith.js';
import { ConversionTally, type ConversionCounts } from '../core/conversions.js';
import { LbamacError } from '../core/errors.js';
import { type ArrayConfig, outputFormat, resolveConfig } from '../config/resolve.js';
import { type Matrix, toMatrix, transposed } from './matrix.js';
import { jobMessages as msg } from './messages.js';
import { hasNpyMagic, parseNpy } from './npy.js';
import { checkSparsity, prune24 } from './sparsity.js';
import { unreadableReason } from '../util/fs-errors.js';

export interface Job {
  cfg: ArrayConfig;
  /** M×K codes in cfg.a. */
  A: number[][];
  /** K×N codes in cfg.w, dense even in 2:4 mode. */
  B: number[][];
  /** M×N codes in outputFormat(cfg). */
  C?: number[][];
  /** What converting each matrix's real values into its format did. */
  conversions: { A: MatrixConversions; B: MatrixConversions; C?: MatrixConversions };
  /** With the prune option: how many of B's nonzero weights pruning zeroed. */
  pruned?: { zeroed: number; nonzeros: number };
}

export interface MatrixConversions extends ConversionCounts {
  /** The format the values went into. */
  format: string;
  /** The overflowed input of largest magnitude and the value it became (either may be ±Infinity). */
  largestOverflow: { value: number; became: number } | null;
}

function matrixConversions(t: ConversionTally): MatrixConversions {
  const o = t.largestOverflow;
  return { format: t.format.name, ...t.counts, largestOverflow: o === null ? null : { value: o.value, became: toFloat64(o.code, t.format) } };
}

export interface JobPaths {
  configPath: string;
  aPath: string;
  bPath: string;
  cPath?: string;
}

/** How each input is named in messages (file names, or labels in tests). */
export interface JobNames {
  config: string;
  a: string;
  b: string;
  c?: string;
}

/** How B's file holds B: K×N (kn), or N×K (nk), the way a PyTorch Linear stores its weight. */
export type BLayout = 'kn' | 'nk';
export const B_LAYOUTS: readonly BLayout[] = ['kn', 'nk'];

export interface JobOptions {
  /** Default kn. */
  bLayout?: BLayout;
  /** Make a dense B 2:4 sparse by magnitude (engine/sparsity.ts) instead of rejecting it; needs a 2:4 config. */
  prune?: '2:4';
}

export async function loadJob(paths: JobPaths, options: JobOptions = {}): Promise<Job> {
  const names: JobNames = { config: paths.configPath, a: paths.aPath, b: paths.bPath };
  if (paths.cPath !== undefined) names.c = paths.cPath;
  const [cfgRaw, aRaw, bRaw, cRaw] = await Promise.all([
    readJson(paths.configPath),
    readMatrixFile(paths.aPath),
    readMatrixFile(paths.bPath),
    paths.cPath === undefined ? undefined : readMatrixFile(paths.cPath),
  ]);
  return parseJob(cfgRaw, aRaw, bRaw, cRaw, names, options);
}

/** The array configuration alone (for runs whose matrices are generated, not read). */
export async function loadConfig(path: string): Promise<ArrayConfig> {
  const raw = await readJson(path);
  try {
    return resolveConfig(raw);
  } catch (err) {
    if (err instanceof LbamacError) throw new LbamacError(msg.badConfig(path, err.message));
    throw err;
  }
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new LbamacError(msg.unreadable(path, unreadableReason(err)));
  }
}

function parseJsonText(text: string, path: string): unknown {
  try {
    // Editors on Windows save a byte-order mark; JSON.parse rejects it.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    // JSON.parse quotes the text around the error: keep it on one line and printable.
    throw new LbamacError(msg.badJson(path, (err as Error).message.replace(/[\x00-\x1f\x7f-\x9f\ufffd]+/g, ' ')));
  }
}

async function readJson(path: string): Promise<unknown> {
  return parseJsonText((await readBytes(path)).toString('utf8'), path);
}

/** Parsed JSON, or an NpyArray for a .npy file: known by its name, so that a damaged one is
 *  reported as a .npy file, or by its magic string, so that a renamed one still reads. */
async function readMatrixFile(path: string): Promise<unknown> {
  const bytes = await readBytes(path);
  if (path.toLowerCase().endsWith('.npy') || hasNpyMagic(bytes)) return parseNpy(bytes, path);
  // Two look-alikes users have at hand, named for what they are.
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) throw new LbamacError(msg.npzOrZip(path));
  const text = bytes.toString('utf8');
  if (/^\uFEFF?[^[{\n]*,[^\n]*(\n|$)/.test(text) && !/^\uFEFF?\s*[[{]/.test(text)) throw new LbamacError(msg.looksLikeCsv(path));
  return parseJsonText(text, path);
}

/** The first bytes of a zip archive (a NumPy .npz file is one). */
const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

/**
 * The pure part of loadJob: each matrix already parsed (JSON, or an NpyArray), codes out. cRaw
 * undefined means no C.
 */
export function parseJob(cfgRaw: unknown, aRaw: unknown, bRaw: unknown, cRaw: unknown, names: JobNames, options: JobOptions = {}): Job {
  let cfg: ArrayConfig;
  try {
    cfg = resolveConfig(cfgRaw);
  } catch (err) {
    if (err instanceof LbamacError) throw new LbamacError(msg.badConfig(names.config, err.message));
    throw err;
  }
  const nk = options.bLayout === 'nk';
  if (options.prune !== undefined && cfg.sparsity !== options.prune) throw new LbamacError(msg.pruneNeedsSparse(names.config, options.prune));
  const rounding = roundingCode(cfg.rounding.input);
  const aTally = new ConversionTally(cfg.a, rounding);
  const bTally = new ConversionTally(cfg.w, rounding);
  const A = toMatrix(aRaw, names.a, aTally).codes;
  const bFile = toMatrix(bRaw, names.b, bTally);
  const b: Matrix = nk ? transposed(bFile) : bFile;
  const [M, K] = shape(A);
  const [Kb, N] = shape(b.codes);
  if (Kb !== K) throw new LbamacError(msg.innerMismatch(names.a, [M, K], names.b, shape(bFile.codes), nk));
  const job: Job = { cfg, A, B: b.codes, conversions: { A: matrixConversions(aTally), B: matrixConversions(bTally) } };
  if (options.prune !== undefined) job.pruned = prune24(b.codes, cfg.w);
  else if (cfg.sparsity === '2:4') checkSparsity(b, cfg.w, names.b, nk);
  if (cRaw !== undefined) {
    const cName = names.c ?? 'C';
    const cTally = new ConversionTally(outputFormat(cfg), rounding);
    const C = toMatrix(cRaw, cName, cTally).codes;
    const [Mc, Nc] = shape(C);
    if (Mc !== M || Nc !== N) throw new LbamacError(msg.cMismatch(cName, [Mc, Nc], [M, N]));
    job.C = C;
    job.conversions.C = matrixConversions(cTally);
  }
  return job;
}

function shape(m: number[][]): [number, number] {
  return [m.length, m[0]!.length];
}
