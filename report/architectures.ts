// The accumulator architectures of a sweep side by side: one row per configuration family (a
// block's curve, or a block's single configuration), with its accuracy or error on every workload
// and its area per PE. A curve that spans accumulator widths is represented by one width, so that
// FMA cells, dot-product cells, fixed-point registers and stochastic rounding meet at comparable
// cost: the 7-bit mantissa (the paper's e4m7, a 12-bit accumulator with 4 exponent bits) when the
// curve has it, else its widest.
import type { PointResult } from '../sweep/point.js';
import { isClassifier, seriesOf, workloadsOf } from './analysis.js';

/** The mantissa a width-spanning curve is shown at. */
export const REPRESENTATIVE_MAN = 7;

export interface ArchitectureRow {
  block: string;
  /** What kind of accumulator: FMA cell, dot-product cell, fixed-point register, and how it rounds. */
  architecture: string;
  acc: string;
  accBits: number;
  rounding: string;
  chunk: number | null;
  baseline: boolean;
  area: PointResult['area'];
  /** Per workload: the point of this configuration on it. */
  points: Map<string, PointResult>;
}

/** The architecture of a configuration in words (docs/arithmetic.md §2-§3). */
export function architectureOf(r: PointResult): string {
  const c = r.config;
  const stochastic = (c.rounding.acc === 'rsr' || c.rounding.product === 'rsr') && c.rounding.randomBits !== undefined ? `, stochastic rounding (${c.rounding.randomBits} random bits)` : '';
  if ('fixed' in c.acc) return `fixed-point register, bits 2^${c.acc.fixed.msb}..2^${c.acc.fixed.lsb} (${c.acc.overflow}), one rounding at the end`;
  const lanes = c.lanes ?? 1;
  if (lanes > 1 || (c.alignBits !== undefined && c.alignBits !== 'exact'))
    return `dot-product cell, ${lanes} products per step, ${c.alignBits === 'exact' || c.alignBits === undefined ? 'exact alignment' : `${c.alignBits} bits kept`}${stochastic}`;
  return `${r.product === 'exact' ? 'fused' : 'rounded-product'} FMA cell${stochastic}`;
}

/** The rows: every baseline and every grid curve of the sweep (per-layer points are not architectures). */
export function architectureRows(results: readonly PointResult[]): ArchitectureRow[] {
  const rows = new Map<string, ArchitectureRow>();
  const add = (key: string, p: PointResult) => {
    let row = rows.get(key);
    if (!row) {
      row = { block: p.block, architecture: architectureOf(p), acc: p.acc, accBits: p.accWidth, rounding: p.rounding, chunk: p.chunk, baseline: p.role === 'baseline', area: p.area, points: new Map() };
      rows.set(key, row);
    }
    if (!row.points.has(p.workload)) row.points.set(p.workload, p);
    row.area ??= p.area;
  };
  for (const s of seriesOf(results)) {
    const p = s.points.find((q) => q.accMan === REPRESENTATIVE_MAN) ?? s.points[s.points.length - 1]!;
    // The series key without its workload: one row per curve across workloads.
    add(`${s.key.slice(s.key.indexOf('|') + 1)}|${p.accMan}`, p);
  }
  for (const p of results.filter((r) => r.role === 'baseline')) add(`baseline|${p.block}|${p.acc}`, p);
  return [...rows.values()];
}

/** The cell of one workload: a classifier's test accuracy, else the NRMSE and the maximum relative error. */
export function workloadCell(p: PointResult | undefined): string {
  if (!p) return '';
  if (isClassifier(p) && p.accuracy !== null) return `${(100 * p.accuracy).toFixed(1)}%`;
  const nrmse = p.metrics.nrmse;
  const max = p.metrics.maxRelError;
  return `${Number.isFinite(nrmse) ? nrmse.toExponential(1) : 'n/a'}${max !== null && Number.isFinite(max) ? ` (max ${(100 * max).toPrecision(2)}%)` : ''}`;
}

export function architectureWorkloads(results: readonly PointResult[]): string[] {
  return workloadsOf(results.filter((r) => r.role === 'grid' || r.role === 'baseline'));
}
