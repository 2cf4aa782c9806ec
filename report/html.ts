// report.html: one self-contained page (inline CSS, inline SVG figures, the results as inline
// JSON; no script, no external URL) that a browser opens from disk. Every number is printed
// next to the command that recomputes it.
import { accName } from '../config/canonical.js';
import { PRESETS } from '../config/presets.js';
import type { Sweep } from '../sweep/grid.js';
import type { PointResult } from '../sweep/point.js';
import { findings, seriesOf, type Series } from './analysis.js';
import { architectureRows, architectureWorkloads, REPRESENTATIVE_MAN, workloadCell } from './architectures.js';
import { perLayerHtml, type PerLayerRow } from './per-layer.js';
import type { Figure } from './plots.js';

export interface ReportContext {
  sweep: Sweep;
  results: readonly PointResult[];
  figures: ReadonlyArray<Figure & { svg: string }>;
  /** The command that recomputes the whole report. */
  allCommand: string;
  /** The command that recomputes the given points. */
  pointsCommand: (ids: readonly string[]) => string;
  /** Per-layer answers (report/per-layer.ts); empty without per-layer blocks. */
  perLayer: readonly PerLayerRow[];
  version: string;
  generated: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '' : `${(100 * x).toFixed(1)}%`);
const sci = (x: number | null) => (x === null || !Number.isFinite(x) ? '' : x.toExponential(2));

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
code, .cmd { font: 12px ui-monospace, monospace; background: #f4f4f4; padding: 1px 4px; border-radius: 3px; }
.cmd { display: block; margin: 0.3em 0 1em; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.cmdcell { text-align: left; font: 11px ui-monospace, monospace; word-break: break-all; max-width: 420px; }
figure { margin: 1em 0 2em; } figcaption { font-size: 12px; color: #555; max-width: 900px; }
.finding { background: #f8f8fb; border-left: 3px solid #88a; padding: 0.5em 1em; margin: 1em 0; }
`;

function cmd(text: string): string {
  return `<div class="cmd">$ ${escapeHtml(text)}</div>`;
}

function pivot(title: string, series: Series[], value: (r: PointResult) => string, ctx: ReportContext): string {
  const mans = [...new Set(series.flatMap((s) => s.points.map((p) => p.accMan)))].sort((a, b) => a - b);
  const head = `<tr><th>accumulator</th>${mans.map((m) => `<th>m = ${m}</th>`).join('')}<th>recompute this row</th></tr>`;
  const rows = series.map((s) => {
    const cells = mans.map((m) => {
      const p = s.points.find((q) => q.accMan === m);
      return `<td title="${p ? escapeHtml(`${p.acc} · ${p.id}`) : ''}">${p ? escapeHtml(value(p)) : ''}</td>`;
    });
    return `<tr><td>${escapeHtml(s.label)}</td>${cells.join('')}<td class="cmdcell">${escapeHtml(ctx.pointsCommand(s.points.map((p) => p.id)))}</td></tr>`;
  });
  return `<h3>${escapeHtml(title)}</h3><table>${head}${rows.join('')}</table>`;
}

function tables(ctx: ReportContext): string {
  const series = seriesOf(ctx.results);
  const out: string[] = [];
  for (const w of [...new Set(series.map((s) => s.workload))]) {
    const mine = series.filter((s) => s.workload === w);
    const kind = mine[0]!.kind;
    if (kind !== 'synthetic') out.push(pivot(`${w}: test accuracy`, mine, (p) => pct(p.accuracy), ctx));
    out.push(pivot(`${w}: NRMSE${kind === 'mnist-mlp' ? ' (first layer)' : kind === 'onnx' ? ' (output)' : ''}`, mine, (p) => sci(p.metrics.nrmse), ctx));
    out.push(pivot(`${w}: swamped products`, mine, (p) => pct(p.swampingRate), ctx));
  }
  return out.join('\n');
}

/** Every architecture of the sweep in one table (report/architectures.ts). */
function architectureTable(ctx: ReportContext): string {
  const rows = architectureRows(ctx.results);
  if (rows.length < 2) return '';
  const workloads = architectureWorkloads(ctx.results);
  const head = `<tr><th>block</th><th>architecture</th><th>accumulator</th><th>bits</th><th>rounding</th><th>chunk</th><th>area/PE</th>${workloads.map((w) => `<th>${escapeHtml(w)}</th>`).join('')}<th>recompute this row</th></tr>`;
  const body = rows.map((r) => {
    const ids = [...r.points.values()].map((p) => p.id);
    const cells = workloads.map((w) => `<td>${escapeHtml(workloadCell(r.points.get(w)))}</td>`).join('');
    const area = r.area ? `${r.area.perPE} ${escapeHtml(r.area.unit)}` : '';
    return `<tr><td>${escapeHtml(r.block)}${r.baseline ? ' (baseline)' : ''}</td><td style="text-align:left">${escapeHtml(r.architecture)}</td><td>${escapeHtml(r.acc)}</td><td>${r.accBits}</td><td>${r.rounding}</td><td>${r.chunk ?? ''}</td><td>${area}</td>${cells}<td class="cmdcell">${escapeHtml(ctx.pointsCommand(ids))}</td></tr>`;
  });
  return `<h2>Accumulator architectures side by side</h2>
<p>One row per block's curve (shown at accumulator mantissa ${REPRESENTATIVE_MAN}, the paper's e4m7, when the curve spans it, else at its widest) and per baseline. Classifiers: test accuracy; synthetic matrices: NRMSE of D against the exact result and, in brackets, the largest relative error of an output. Area per PE where the block synthesized it.</p>
<table>${head}${body.join('')}</table>`;
}

/** Layer and mixed points: the nodes on their own accumulators. */
function perLayerLabel(r: PointResult): string {
  return Object.entries(r.perLayer ?? {})
    .map(([node, c]) => `${node}: ${accName(c.acc)}`)
    .join(', ');
}

function pointTable(results: readonly PointResult[], ctx: ReportContext): string {
  const head = '<tr><th>id</th><th>block</th><th>per layer</th><th>workload</th><th>inputs</th><th>product</th><th>accumulator</th><th>rounding</th><th>chunk</th><th>sparsity</th><th>stages</th><th>NRMSE</th><th>accuracy</th><th>swamped</th><th>area/PE</th><th>recompute</th></tr>';
  const rows = results.map(
    (r) =>
      `<tr><td>${r.id}</td><td>${escapeHtml(r.block)}</td><td>${escapeHtml(perLayerLabel(r))}</td><td>${escapeHtml(r.workload)}</td><td>${escapeHtml(`${r.a}×${r.w}`)}</td><td>${escapeHtml(r.product)}</td><td>${escapeHtml(r.acc)}</td><td>${r.rounding}</td><td>${r.chunk ?? ''}</td><td>${r.sparsity}</td><td>${r.config.pipeline?.stages ?? 0}</td>` +
      `<td>${sci(r.metrics.nrmse)}</td><td>${pct(r.accuracy)}</td><td>${pct(r.swampingRate)}</td><td>${r.area ? `${r.area.perPE} ${escapeHtml(r.area.unit)}${r.area.detail?.ff !== undefined ? ` (${r.area.detail.ff} FF, depth ${r.area.detail.depth ?? '?'})` : ''}` : ''}</td><td class="cmdcell">${escapeHtml(r.role === 'mixed' ? ctx.allCommand : ctx.pointsCommand([r.id]))}</td></tr>`,
  );
  return `<table>${head}${rows.join('')}</table>`;
}

function presetNotes(ctx: ReportContext): string {
  const used = [...new Set(ctx.sweep.config.blocks.map((b) => b.preset).filter((p): p is string => p !== undefined))];
  if (used.length === 0) return '';
  const items = used.map((name) => {
    const p = PRESETS[name]!;
    return `<li><b>${escapeHtml(name)}</b>: ${escapeHtml(p.summary)}<ul>${p.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></li>`;
  });
  return `<h2>Presets used, and what is assumed</h2><ul>${items.join('')}</ul>`;
}

/** JSON inside a script element: "</" would end the element, so it is escaped. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function reportHtml(ctx: ReportContext): string {
  const { sweep, results } = ctx;
  const cfg = sweep.config;
  const found = findings(results);
  const figures = ctx.figures.map(
    (f) => `<figure id="${escapeHtml(f.file.replace(/\.svg$/, ''))}"><h3>${escapeHtml(f.title)}</h3>${f.svg}<figcaption>${escapeHtml(f.caption)} (also <code>plots/${escapeHtml(f.file)}</code>)</figcaption>${cmd(ctx.allCommand)}</figure>`,
  );
  const withArea = results.filter((r) => r.area !== null).length;
  // The Pareto plot needs a classifier's accuracy: a sweep of synthetic workloads alone has none.
  const paretoPlot = ctx.figures.some((f) => f.file === 'accuracy-vs-area.svg');
  const areaNote =
    cfg.area === 'none'
      ? `<p>No area provider is configured (the sweep's <code>"area"</code> is <code>"none"</code>)${paretoPlot ? ': the Pareto plot uses accumulator width in bits instead of synthesized area' : ''}. Set <code>"area"</code> to a provider (e.g. <code>"yosys-gates"</code>) for area per PE.</p>`
      : `<p>${withArea} of the ${results.length} points have an area per PE from <code>${escapeHtml(cfg.area)}</code> (synthesized once per configuration, cached)${withArea < results.length ? `; the others are left out by their blocks' <code>"area"</code>${paretoPlot ? ' and are not on the area plot' : ''}` : ''}.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lbamac sweep ${escapeHtml(cfg.name)}</title><style>${STYLE}</style></head>
<body>
<h1>lbamac sweep <code>${escapeHtml(cfg.name)}</code></h1>
${cfg.description ? `<p>${escapeHtml(cfg.description)}</p>` : ''}
<p>${results.length} points (sweep hash <code>${sweep.hash}</code>), area provider <code>${escapeHtml(cfg.area)}</code>; lbamac ${escapeHtml(ctx.version)}, written ${escapeHtml(ctx.generated)}. Everything on this page is recomputed by:</p>
${cmd(ctx.allCommand)}
<p>Each number below also has the command that recomputes just its points next to it (the point ids are content hashes of the configuration and workload; <code>results.csv</code> and <code>results.json</code> hold every field).</p>
<h2>Findings</h2>
${found.length ? found.map((f) => `<div class="finding"><h3>${escapeHtml(f.title)}</h3><p>${escapeHtml(f.lead)}</p>${f.items.length ? `<ul>${f.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : ''}${f.ids.length ? cmd(ctx.pointsCommand(f.ids)) : ''}</div>`).join('\n') : '<p>No accumulator grid in this selection: nothing to compare.</p>'}
${architectureTable(ctx)}
<h2>Figures</h2>
${areaNote}
${figures.join('\n')}
<h2>Tables</h2>
${tables(ctx)}
${perLayerHtml(ctx.perLayer, ctx.pointsCommand, ctx.allCommand)}
${presetNotes(ctx)}
<h2>Every point</h2>
<details><summary>${results.length} points</summary>${pointTable(results, ctx)}</details>
<script type="application/json" id="lbamac-results">${inlineJson({ sweep: cfg, hash: sweep.hash, results })}</script>
</body></html>
`;
}
