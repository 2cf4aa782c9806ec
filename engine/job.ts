// Loading a GEMM job: the config and the A, B (and optional C) matrices, checked and converted to
// codes. Everything a user can get wrong in these files is an LbamacError naming the file, the
// position and the value, so the engines only ever see well-formed input.
import { readFile } from 'node:fs/promises';
import { isZeroCode, roundingCode, toFloat64 } from '../core/arith.js';
import { ConversionTally, type ConversionCounts } from '../core/conversions.js';
import { LbamacError } from '../core/errors.js';
import type { Format } from '../core/format.js';
import { type ArrayConfig, outputFormat, resolveConfig } from '../config/resolve.js';
import { jobMessages as msg } from './messages.js';

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

export async function loadJob(paths: JobPaths): Promise<Job> {
  const names: JobNames = { config: paths.configPath, a: paths.aPath, b: paths.bPath };
  if (paths.cPath !== undefined) names.c = paths.cPath;
  const [cfgRaw, aRaw, bRaw, cRaw] = await Promise.all([
    readJson(paths.configPath),
    readJson(paths.aPath),
    readJson(paths.bPath),
    paths.cPath === undefined ? undefined : readJson(paths.cPath),
  ]);
  return parseJob(cfgRaw, aRaw, bRaw, cRaw, names);
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

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new LbamacError(msg.unreadable(path, e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.message));
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LbamacError(msg.badJson(path, (err as Error).message));
  }
}

/** The pure part of loadJob: already-parsed JSON in, codes out. cRaw undefined means no C. */
export function parseJob(cfgRaw: unknown, aRaw: unknown, bRaw: unknown, cRaw: unknown, names: JobNames): Job {
  let cfg: ArrayConfig;
  try {
    cfg = resolveConfig(cfgRaw);
  } catch (err) {
    if (err instanceof LbamacError) throw new LbamacError(msg.badConfig(names.config, err.message));
    throw err;
  }
  const rounding = roundingCode(cfg.rounding.input);
  const aTally = new ConversionTally(cfg.a, rounding);
  const bTally = new ConversionTally(cfg.w, rounding);
  const A = parseMatrix(aRaw, names.a, aTally);
  const B = parseMatrix(bRaw, names.b, bTally);
  const [M, K] = shape(A);
  const [Kb, N] = shape(B);
  if (Kb !== K) throw new LbamacError(msg.innerMismatch(names.a, dims(M, K), names.b, dims(Kb, N)));
  if (cfg.sparsity === '2:4') checkSparsity(B, bRaw as unknown[][], cfg.w, names.b);
  const job: Job = { cfg, A, B, conversions: { A: matrixConversions(aTally), B: matrixConversions(bTally) } };
  if (cRaw !== undefined) {
    const cName = names.c ?? 'C';
    const cTally = new ConversionTally(outputFormat(cfg), rounding);
    const C = parseMatrix(cRaw, cName, cTally);
    const [Mc, Nc] = shape(C);
    if (Mc !== M || Nc !== N) throw new LbamacError(msg.cMismatch(cName, dims(Mc, Nc), dims(M, N)));
    job.C = C;
    job.conversions.C = matrixConversions(cTally);
  }
  return job;
}

function shape(m: number[][]): [number, number] {
  return [m.length, m[0]!.length];
}

function dims(rows: number, cols: number): string {
  return `${rows}×${cols}`;
}

/** A rectangular, non-empty JSON matrix converted element by element into codes of the tally's format. */
export function parseMatrix(raw: unknown, file: string, tally: ConversionTally): number[][] {
  if (!Array.isArray(raw)) throw new LbamacError(msg.notMatrix(file, raw));
  if (raw.length === 0) throw new LbamacError(msg.noRows(file));
  let cols = -1;
  return raw.map((row: unknown, i) => {
    if (!Array.isArray(row)) throw new LbamacError(msg.rowNotArray(file, i, row));
    if (cols < 0) {
      if (row.length === 0) throw new LbamacError(msg.emptyRow(file));
      cols = row.length;
    } else if (row.length !== cols) {
      throw new LbamacError(msg.ragged(file, i, row.length, cols));
    }
    return row.map((el: unknown, j) => parseElement(el, tally, file, i, j));
  });
}

const SPECIAL_VALUES: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };
const HEX_RE = /^0x[0-9a-f]+$/i;

function parseElement(el: unknown, tally: ConversionTally, file: string, i: number, j: number): number {
  const f = tally.format;
  if (typeof el === 'number') {
    // JSON.parse turns a literal such as 1e999 into Infinity; that is a typo, not an infinity.
    if (!Number.isFinite(el)) throw new LbamacError(msg.nonFinite(file, i, j, el));
    return tally.convert(el);
  }
  if (typeof el === 'string') {
    const special = SPECIAL_VALUES[el];
    if (special !== undefined) return tally.convert(special);
    if (HEX_RE.test(el)) {
      // BigInt so that a long pattern is reported as too large instead of losing digits.
      const code = BigInt(el);
      if (code >= 2n ** BigInt(f.width)) throw new LbamacError(msg.hexTooLarge(file, i, j, el, f.name, f.width, '0x' + (2 ** f.width - 1).toString(16)));
      return Number(code);
    }
  }
  throw new LbamacError(msg.badElement(file, i, j, el));
}

/** docs/arithmetic.md §4: at most 2 nonzeros in every aligned group of 4 along K, for every
 *  column. */
function checkSparsity(B: number[][], raw: unknown[][], w: Format, file: string): void {
  const K = B.length;
  const N = B[0]!.length;
  for (let g = 0; 4 * g < K; g++) {
    for (let j = 0; j < N; j++) {
      const rows: number[] = [];
      for (let k = 4 * g; k < Math.min(4 * g + 4, K); k++) if (!isZeroCode(B[k]![j]!, w)) rows.push(k);
      if (rows.length > 2) throw new LbamacError(msg.sparsity(file, j, g, rows, rows.map((k) => raw[k]![j])));
    }
  }
}
