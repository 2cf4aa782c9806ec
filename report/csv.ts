// results.csv: one row per point, flat columns (RFC 4180 quoting), in sweep order.
import { accName } from '../config/canonical.js';
import type { PointResult } from '../sweep/point.js';

const COLUMNS: Array<[string, (r: PointResult) => unknown]> = [
  ['index', (r) => r.index],
  ['id', (r) => r.id],
  ['block', (r) => r.block],
  ['role', (r) => r.role],
  // Layer and mixed points: node=accumulator for each node on its own configuration.
  ['perLayer', (r) => (r.perLayer ? Object.entries(r.perLayer).map(([node, c]) => `${node}=${accName(c.acc)}`).join(';') : '')],
  ['workload', (r) => r.workload],
  ['kind', (r) => r.kind],
  ['M', (r) => r.M],
  ['K', (r) => r.K],
  ['N', (r) => r.N],
  ['a', (r) => r.a],
  ['w', (r) => r.w],
  ['product', (r) => r.product],
  ['acc', (r) => r.acc],
  ['accExp', (r) => r.accExp],
  ['accMan', (r) => r.accMan],
  ['accBias', (r) => r.accBias],
  ['accWidth', (r) => r.accWidth],
  ['accSubnormals', (r) => r.accSubnormals],
  ['accSpecials', (r) => r.accSpecials],
  ['accOverflow', (r) => r.accOverflow],
  ['rounding', (r) => r.rounding],
  ['roundingProduct', (r) => r.roundingProduct],
  ['roundingInput', (r) => r.roundingInput],
  ['chunk', (r) => r.chunk],
  ['sparsity', (r) => r.sparsity],
  ['stages', (r) => r.config.pipeline?.stages ?? 0],
  ['nrmse', (r) => r.metrics.nrmse],
  ['meanRelError', (r) => r.metrics.meanRelError],
  ['maxRelError', (r) => r.metrics.maxRelError],
  ['nonFinite', (r) => r.metrics.nonFinite],
  ['accuracy', (r) => r.accuracy],
  ['accuracyFloat64', (r) => r.accuracyFloat64],
  ['accuracyExactAcc', (r) => r.accuracyExactAcc],
  ['accuracyOrt', (r) => r.accuracyOrt],
  ['terms', (r) => r.terms],
  ['swamping', (r) => r.events.swamping],
  ['swampingRate', (r) => r.swampingRate],
  ['productOverflow', (r) => r.events.productOverflow],
  ['productUnderflow', (r) => r.events.productUnderflow],
  ['accOverflow', (r) => r.events.accOverflow],
  ['accUnderflow', (r) => r.events.accUnderflow],
  ['nan', (r) => r.events.nan],
  // Empty for points from journals written before input conversions were counted.
  ['aOverflow', (r) => r.inputs?.a.overflow],
  ['aUnderflow', (r) => r.inputs?.a.underflow],
  ['aInexact', (r) => r.inputs?.a.inexact],
  ['wOverflow', (r) => r.inputs?.w.overflow],
  ['wUnderflow', (r) => r.inputs?.w.underflow],
  ['wInexact', (r) => r.inputs?.w.inexact],
  ['areaPerPE', (r) => r.area?.perPE],
  ['areaUnit', (r) => r.area?.unit],
  ['areaSource', (r) => r.area?.source],
  ['ffPerPE', (r) => r.area?.detail?.ff],
  ['logicDepthPerPE', (r) => r.area?.detail?.depth],
  ['refMethod', (r) => r.refMethod],
  ['seconds', (r) => r.seconds],
];

export const CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function resultsCsv(results: readonly PointResult[]): string {
  return [CSV_COLUMNS.join(','), ...results.map((r) => COLUMNS.map(([, get]) => cell(get(r))).join(','))].join('\n') + '\n';
}
