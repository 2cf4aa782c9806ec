// The per-layer answers of a sweep (sweep/per-layer.ts) as the report shows them: a table per
// study in report.html, the same rows in per-layer.csv, and a plain form in results.json.
import { accName, accWidth, type CanonicalConfig } from '../config/canonical.js';
import type { Sweep } from '../sweep/grid.js';
import { type LayerStudy, layerStudies } from '../sweep/per-layer.js';
import type { PointResult } from '../sweep/point.js';
import { stableStringify } from '../util/stable-json.js';
import { HOLD_TOLERANCE } from './analysis.js';
import { escapeHtml } from './html.js';

const nameOf = (c: CanonicalConfig) => accName(c.acc);
const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '' : `${(100 * x).toFixed(1)}%`);
const sci = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '' : x.toExponential(2));

/** One row of the table: a layer's answer, or (layer null) the mixed network. */
export interface PerLayerRow {
  workload: string;
  block: string;
  /** The curve's widest accumulator: every other layer's while one is narrowed. */
  reference: string;
  tolerance: number;
  layer: string | null;
  op: string;
  K: number | null;
  M: number | null;
  N: number | null;
  calls: number | null;
  macsPerImage: number | null;
  /** The layer's narrowest accumulator; for the mixed row, every layer's. */
  narrowest: string | null;
  width: number | null;
  /** The layer's NRMSE in its narrowed point; for the mixed row, the output's. */
  nrmse: number | null;
  accuracy: number | null;
  areaPerPE: number | null;
  areaUnit: string | null;
  swamping: number | null;
  terms: number | null;
  accOverflow: number | null;
  accUnderflow: number | null;
  /** The points that give the row's numbers. */
  ids: string[];
}

/** The area of a configuration, from a point of it that has one (layer points borrow the grid's). */
function areaOf(results: readonly PointResult[], workload: string, c: CanonicalConfig) {
  const key = stableStringify(c);
  return results.find((r) => r.workload === workload && !r.perLayer && r.area !== null && stableStringify(r.config) === key)?.area ?? null;
}

function rowsOf(study: LayerStudy, results: readonly PointResult[]): PerLayerRow[] {
  const { reference: ref } = study;
  const base = { workload: study.workload, block: study.block, reference: ref.acc, tolerance: study.tolerance };
  const rows: PerLayerRow[] = study.layers.map((l) => {
    const shape = ref.layers.find((x) => x.name === l.name)!;
    const n = l.narrowest;
    const area = n ? areaOf(results, study.workload, n.config) : null;
    return {
      ...base,
      layer: l.name,
      op: shape.op ?? '',
      K: shape.K,
      M: shape.M,
      N: shape.N,
      calls: shape.calls ?? 1,
      macsPerImage: shape.macsPerImage ?? null,
      narrowest: n ? nameOf(n.config) : null,
      width: n ? accWidth(n.config.acc) : null,
      nrmse: n?.layer.metrics?.nrmse ?? null,
      accuracy: n?.point.accuracy ?? null,
      areaPerPE: area?.perPE ?? null,
      areaUnit: area?.unit ?? null,
      swamping: n?.layer.events.swamping ?? null,
      terms: n?.layer.terms ?? null,
      accOverflow: n?.layer.events.accOverflow ?? null,
      accUnderflow: n?.layer.events.accUnderflow ?? null,
      ids: l.candidates.map((c) => c.point.id),
    };
  });
  const mixed = study.mixed ? results.find((r) => r.id === study.mixed!.id) : ref;
  if (mixed) {
    rows.push({
      ...base,
      layer: null,
      op: 'mixed',
      K: null,
      M: null,
      N: null,
      calls: null,
      macsPerImage: ref.layers.reduce((s, l) => s + (l.macsPerImage ?? 0), 0),
      narrowest: null,
      width: null,
      nrmse: mixed.metrics.nrmse,
      accuracy: mixed.accuracy,
      areaPerPE: null,
      areaUnit: null,
      swamping: mixed.events.swamping,
      terms: mixed.terms,
      accOverflow: mixed.events.accOverflow,
      accUnderflow: mixed.events.accUnderflow,
      ids: [mixed.id, ref.id],
    });
  }
  return rows;
}

export function perLayerRows(sweep: Sweep, results: readonly PointResult[]): PerLayerRow[] {
  return layerStudies(sweep, results).flatMap((s) => rowsOf(s, results));
}

const CSV_COLUMNS: (keyof PerLayerRow)[] = ['workload', 'block', 'reference', 'tolerance', 'layer', 'op', 'K', 'M', 'N', 'calls', 'macsPerImage', 'narrowest', 'width', 'nrmse', 'accuracy', 'areaPerPE', 'areaUnit', 'swamping', 'terms', 'accOverflow', 'accUnderflow', 'ids'];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join(' ') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** per-layer.csv: one row per layer of each study, then its mixed network (layer empty, op "mixed"). */
export function perLayerCsv(rows: readonly PerLayerRow[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

/** The report's section: what the method is, then per study its table and the mixed network. */
export function perLayerHtml(rows: readonly PerLayerRow[], pointsCommand: (ids: readonly string[]) => string, allCommand: string): string {
  if (rows.length === 0) return '';
  const studies = new Map<string, PerLayerRow[]>();
  for (const r of rows) {
    const key = `${r.workload}|${r.block}|${r.reference}`;
    studies.set(key, [...(studies.get(key) ?? []), r]);
  }
  const head =
    '<tr><th>layer</th><th>op</th><th>K</th><th>M×N per input</th><th>MACs per input</th><th>narrowest accumulator</th><th>its area/PE</th><th>layer NRMSE</th><th>accuracy</th><th>swamped</th><th>acc overflow</th><th>acc underflow</th><th>recompute</th></tr>';
  const sections = [...studies.values()].map((group) => {
    const s = group[0]!;
    const layers = group.filter((r) => r.layer !== null);
    const mixed = group.find((r) => r.layer === null);
    const body = layers.map(
      (r) =>
        `<tr><td>${escapeHtml(r.layer!)}</td><td>${escapeHtml(r.op)}</td><td>${r.K}</td><td>${r.M}×${r.N}${r.calls! > 1 ? ` ×${r.calls}` : ''}</td><td>${r.macsPerImage}</td>` +
        `<td>${r.narrowest === null ? 'none: even the widest fails' : escapeHtml(`${r.narrowest} (${r.width} bits)`)}</td><td>${r.areaPerPE === null ? '' : `${r.areaPerPE} ${escapeHtml(r.areaUnit!)}`}</td><td>${sci(r.nrmse)}</td><td>${pct(r.accuracy)}</td>` +
        `<td>${r.swamping === null ? '' : `${r.swamping} (${pct(r.swamping / Math.max(1, r.terms!))})`}</td><td>${r.accOverflow ?? ''}</td><td>${r.accUnderflow ?? ''}</td><td class="cmdcell">${escapeHtml(pointsCommand(r.ids))}</td></tr>`,
    );
    const mixedText = mixed
      ? `<p>Every layer at its narrowest, as one network (the mixed configuration): accuracy ${pct(mixed.accuracy)}, output NRMSE ${sci(mixed.nrmse)} against exact accumulation, ${mixed.swamping} of ${mixed.terms} products swamped.${mixed.ids[0] === mixed.ids[1] ? ' Every narrowest is the widest, so it is the reference network.' : ' It is made from the layer points\' results, so the whole sweep (or lbamac merge) recomputes it:'}</p><div class="cmd">$ ${escapeHtml(mixed.ids[0] === mixed.ids[1] ? pointsCommand(mixed.ids) : allCommand)}</div>`
      : '';
    return (
      `<h3>${escapeHtml(`${s.workload}, block ${s.block}: the other layers at ${s.reference}`)}</h3>` +
      `<p>A layer's narrowest accumulator keeps its output within NRMSE ${s.tolerance} of the exact sums of its own operands and the accuracy within ${(100 * HOLD_TOLERANCE).toFixed(0)} point of the reference (every layer at ${escapeHtml(s.reference)}) when only that layer is narrowed, and so does every wider one.</p>` +
      `<table>${head}${body.join('')}</table>${mixedText}`
    );
  });
  return `<h2>Per-layer answers</h2><p>Also in <code>per-layer.csv</code>. Events of a layer are those of its narrowed run, over every input.</p>${sections.join('\n')}`;
}
