// The schedule: which port cycle each tile's inputs enter and when its outputs leave, for a job
// of M×K by K×N on the array an Arch describes. The simulator's feeder follows it; the RTL
// testbench drives the same cycles. docs/timing.md derives every formula here.
import { LbamacError } from '../core/errors.js';
import type { Arch } from './types.js';

export interface JobDims {
  M: number;
  N: number;
  K: number;
  /** C given: the OS array must load it before the first tile (without C, reset leaves +0). */
  hasC: boolean;
}

/** Output-stationary tile: an R×C block of D. */
export interface OsTile {
  index: number;
  /** First row and column of D the tile computes, and how many of its rows/columns are inside D. */
  m0: number;
  n0: number;
  rows: number;
  cols: number;
  /** Port cycle of the first of the R shift cycles that load this tile's C (and drain the previous
   *  tile's D); null for the first tile without C. */
  load: number | null;
  /** Port cycle of step 0; step t is presented in cycle compute + stride·t. */
  compute: number;
  /** Port cycle of the first shift that drains this tile's D (the next tile's load, or the final drain). */
  drain: number;
}

/** Weight-stationary tile: a K-slice of R terms by C columns of B, with all M rows of A streamed through. */
export interface WsTile {
  index: number;
  n0: number;
  cols: number;
  /** K-tile number and its first step; rows past the last step hold no weight. */
  kt: number;
  t0: number;
  terms: number;
  /** Port cycle of the first of R weight shift cycles (row 0 is presented first). */
  load: number;
  /** Port cycle A row 0 (and its partial sum) is presented; row m follows m cycles later. */
  stream: number;
  /** Last K tile: its partial sums are D. */
  last: boolean;
}

interface Common {
  /** Terms per output: K (dense) or 2·ceil(K/4) (2:4). */
  T: number;
  /** Steps per output: ceil(T/G), G terms each (a dot-product cell's lanes; T with one lane). The
   *  array takes one step per PE and cycle: the tiles below count steps. */
  S: number;
  /** Total cycles: from cycle 0 through the cycle the last D row is on the output port. */
  cycles: number;
}

export interface OsSchedule extends Common {
  kind: 'os';
  tiles: OsTile[];
  /** Port cycle of the first shift of the drain after the last tile. */
  finalDrain: number;
  /** Cycles from one tile's load to the next: 2R + L·S - 1 + D (arch.pipeline: D termDepth, L loop). */
  period: number;
  /** Cycles between a tile's terms: the accumulation loop's L (a cut adder makes a sum every other cycle). */
  stride: number;
  /** Tiles down M and across N; tile (mt, nt) is tiles[mt * nN + nt]. */
  nM: number;
  nN: number;
}

export interface WsSchedule extends Common {
  kind: 'ws';
  tiles: WsTile[];
  nK: number;
  nN: number;
}

export type Schedule = OsSchedule | WsSchedule;

export function termsOf(arch: Arch, K: number): number {
  return arch.sparsity === '2:4' ? 2 * Math.ceil(K / 4) : K;
}

/** Steps per output: the terms G at a time (docs/timing.md). */
export function stepsOf(arch: Arch, K: number): number {
  return Math.ceil(termsOf(arch, K) / (arch.dot?.lanes ?? 1));
}

function checkDims(d: JobDims): void {
  for (const key of ['M', 'N', 'K'] as const) {
    const v = d[key];
    if (!Number.isInteger(v) || v < 1) throw new LbamacError(`job: ${key} = ${v} is not allowed; every matrix needs at least one row and one column`);
  }
}

/** The tile-by-tile schedule (iterated: the feeder's plan). */
export function schedule(arch: Arch, d: JobDims): Schedule {
  checkDims(d);
  const R = arch.rows;
  const C = arch.cols;
  const { termDepth: D, loop: L } = arch.pipeline;
  const T = termsOf(arch, d.K);
  const S = stepsOf(arch, d.K);
  if (arch.dataflow === 'os') {
    const period = 2 * R + L * S - 1 + D;
    const tiles: OsTile[] = [];
    let load = d.hasC ? 0 : -R;
    for (let m0 = 0; m0 < d.M; m0 += R) {
      for (let n0 = 0; n0 < d.N; n0 += C) {
        tiles.push({ index: tiles.length, m0, n0, rows: Math.min(R, d.M - m0), cols: Math.min(C, d.N - n0), load: load < 0 ? null : load, compute: load + R, drain: load + period });
        load += period;
      }
    }
    return { kind: 'os', T, S, tiles, finalDrain: load, period, stride: L, nM: Math.ceil(d.M / R), nN: Math.ceil(d.N / C), cycles: load + R + C };
  }
  const nK = Math.ceil(S / R);
  const nN = Math.ceil(d.N / C);
  const tiles: WsTile[] = [];
  let load = 0;
  let last: WsTile | null = null;
  for (let n0 = 0; n0 < d.N; n0 += C) {
    for (let kt = 0; kt < nK; kt++) {
      if (last !== null) {
        const gap = kt > 0 ? wsGap(d.M, R, C, D, L) : wsLastOperands(d.M, R, L);
        load = last.stream + gap;
      }
      const t0 = kt * R;
      last = { index: tiles.length, n0, cols: Math.min(C, d.N - n0), kt, t0, terms: Math.min(R, S - t0), load, stream: load + R, last: kt === nK - 1 };
      tiles.push(last);
    }
  }
  return { kind: 'ws', T, S, tiles, nK, nN, cycles: last!.stream + d.M + L * R + C + D };
}

/** The closed-form cycle count (docs/timing.md); equals schedule(arch, d).cycles. */
export function latencyCycles(arch: Arch, d: JobDims): number {
  checkDims(d);
  const R = arch.rows;
  const C = arch.cols;
  const { termDepth: D, loop: L } = arch.pipeline;
  const S = stepsOf(arch, d.K);
  if (arch.dataflow === 'os') {
    const nT = Math.ceil(d.M / R) * Math.ceil(d.N / C);
    return (d.hasC ? R : 0) + nT * (2 * R + L * S - 1 + D) + C;
  }
  const nN = Math.ceil(d.N / C);
  const nK = Math.ceil(S / R);
  return R + nN * (nK - 1) * (R + wsGap(d.M, R, C, D, L)) + (nN - 1) * (R + wsLastOperands(d.M, R, L)) + d.M + L * R + C + D;
}

/** The port cycle in which D[i][j] (its final value) is on the output port. */
export function outputCycle(arch: Arch, s: Schedule, i: number, j: number): number {
  const R = arch.rows;
  const C = arch.cols;
  if (s.kind === 'os') {
    const tile = s.tiles[Math.floor(i / R) * s.nN + Math.floor(j / C)]!;
    return tile.drain + (i - tile.m0) + C;
  }
  const tile = s.tiles.find((t) => t.last && j >= t.n0 && j < t.n0 + C)!;
  return tile.stream + i + arch.pipeline.loop * R + C + arch.pipeline.termDepth;
}

/** WS: cycles from a tile's stream to its last operands in each column's bottom row (the next
 *  load may shift weights in that cycle): M - 1 + L(R-1). */
function wsLastOperands(M: number, R: number, L: number): number {
  return M - 1 + L * (R - 1);
}

/** WS: cycles from a K tile's stream to the next K tile's load. The next tile's partial sums are
 *  this tile's outputs, which leave the array L·R + C + D cycles after their row enters. */
function wsGap(M: number, R: number, C: number, D: number, L: number): number {
  return Math.max(wsLastOperands(M, R, L), (L - 1) * R + C + D + 1);
}
