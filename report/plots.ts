// The report's figures: vega-lite specifications built from the results, rendered to SVG in node
// by vega (no browser, no canvas: text widths are vega's estimates). The SVGs are standalone
// files and are inlined in report.html.
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { PointResult } from '../sweep/point.js';
import { chanceOf, HOLD_TOLERANCE, isClassifier, paretoFront, type Series, seriesOf } from './analysis.js';

export interface Figure {
  /** File name under plots/. */
  file: string;
  title: string;
  caption: string;
  spec: TopLevelSpec;
  /** The points drawn. */
  ids: string[];
}

const WIDTH = 300;
const HEIGHT = 220;
/** Pixels between the labels of reference rules. */
const RULE_LABEL_STEP = 95;

/** One row per grid point of the given series, for line charts against the mantissa. */
function seriesRows(series: readonly Series[], value: (r: PointResult) => number | null) {
  return series.flatMap((s) =>
    s.points.flatMap((p) => {
      const v = value(p);
      return v === null || !Number.isFinite(v) ? [] : [{ layer: 'curve', workload: s.workload, series: s.label, block: p.block, man: p.accMan, value: v, acc: p.acc, id: p.id }];
    }),
  );
}

function seriesOrder(series: readonly Series[]): string[] {
  return [...new Set(series.map((s) => s.label))];
}

function facet(workloads: string[]) {
  return workloads.length > 1 ? { facet: { field: 'workload', type: 'nominal' as const, title: null, sort: workloads }, columns: 3 } : null;
}

/** Line chart of a metric against accumulator mantissa bits, faceted by workload, with reference rules. */
function bitsChart(opts: {
  title: string;
  series: Series[];
  value: (r: PointResult) => number | null;
  yTitle: string;
  yFormat?: string;
  log?: boolean;
  rules: Array<{ workload: string; label: string; value: number }>;
}): TopLevelSpec {
  const rules = opts.rules.filter((r) => Number.isFinite(r.value) && (!opts.log || r.value > 0));
  // Rule labels side by side along the top of each panel's rules, so that close rules stay legible.
  const labelX = (r: (typeof rules)[number]) => 4 + RULE_LABEL_STEP * rules.filter((x) => x.workload === r.workload).indexOf(r);
  const rows = [...seriesRows(opts.series, opts.value), ...rules.map((r) => ({ layer: 'rule', workload: r.workload, series: r.label, value: r.value, lx: labelX(r) }))];
  const workloads = [...new Set(opts.series.map((s) => s.workload))];
  const y = { field: 'value', type: 'quantitative' as const, title: opts.yTitle, scale: opts.log ? { type: 'log' as const } : { zero: false }, ...(opts.yFormat ? { axis: { format: opts.yFormat } } : {}) };
  const layers = [
    {
      transform: [{ filter: "datum.layer === 'curve'" }],
      mark: { type: 'line' as const, point: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'man', type: 'quantitative' as const, title: 'accumulator mantissa bits', axis: { tickMinStep: 1 } },
        y,
        color: { field: 'series', type: 'nominal' as const, title: 'accumulator', sort: seriesOrder(opts.series), legend: { labelLimit: 400 } },
        // Curves of different blocks can coincide (e.g. two exponent widths that never reach their range limits): dashes keep both visible.
        strokeDash: { field: 'block', type: 'nominal' as const, title: 'block', scale: { range: [[1, 0], [6, 4], [2, 2], [8, 2, 2, 2]] }, legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300, encode: { symbols: { update: { stroke: { value: '#444' } } } } } },
        tooltip: [{ field: 'acc' }, { field: 'value', format: '.4g' }, { field: 'id' }],
      },
    },
    {
      transform: [{ filter: "datum.layer === 'rule'" }],
      mark: { type: 'rule' as const, strokeDash: [4, 3], color: '#666' },
      encoding: { y },
    },
    {
      transform: [{ filter: "datum.layer === 'rule'" }],
      mark: { type: 'text' as const, align: 'left' as const, dx: 3, dy: -5, fontSize: 9, color: '#444' },
      encoding: { y, x: { field: 'lx', type: 'quantitative' as const, scale: null }, text: { field: 'series' } },
    },
  ];
  const f = facet(workloads);
  const common = { title: opts.title, data: { values: rows }, background: 'white' };
  if (f) return { ...common, ...f, spec: { width: WIDTH * 0.8, height: HEIGHT * 0.8, layer: layers }, resolve: { scale: { y: 'independent' } } } as TopLevelSpec;
  return { ...common, width: WIDTH, height: HEIGHT, layer: layers } as TopLevelSpec;
}

function baselineRules(results: readonly PointResult[], value: (r: PointResult) => number | null) {
  return results.filter((r) => r.role === 'baseline').flatMap((r) => {
    const v = value(r);
    return v === null ? [] : [{ workload: r.workload, label: `${r.block} (${r.acc})`, value: v }];
  });
}

export function errorFigure(results: readonly PointResult[]): Figure | null {
  const series = seriesOf(results);
  if (series.length === 0) return null;
  const nrmse = (r: PointResult) => (r.metrics.nrmse !== null && r.metrics.nrmse > 0 ? r.metrics.nrmse : null);
  return {
    file: 'error-vs-acc-bits.svg',
    title: 'Error against accumulator mantissa bits',
    caption:
      'NRMSE of D against the exact result of the same quantized inputs (docs/arithmetic.md §6; for the MLP its first layer; for an ONNX model its output against exact accumulation of every layer), log scale. Dashed: the baseline blocks. Zero errors are not drawn.',
    spec: bitsChart({ title: 'NRMSE vs accumulator mantissa bits', series, value: nrmse, yTitle: 'NRMSE (log)', log: true, rules: baselineRules(results, nrmse) }),
    ids: series.flatMap((s) => s.points.map((p) => p.id)),
  };
}

export function swampingFigure(results: readonly PointResult[]): Figure | null {
  const series = seriesOf(results);
  if (series.length === 0) return null;
  return {
    file: 'swamping-vs-acc-bits.svg',
    title: 'Swamping against accumulator mantissa bits',
    caption: 'Share of the nonzero products that left the accumulator unchanged (docs/arithmetic.md §5, every GEMM of the point).',
    spec: bitsChart({ title: 'swamped products vs accumulator mantissa bits', series, value: (r) => r.swampingRate, yTitle: 'swamped products', yFormat: '.0%', rules: [] }),
    ids: series.flatMap((s) => s.points.map((p) => p.id)),
  };
}

/** "MNIST" when the classifiers are all the MNIST MLP; the plots' titles say what they show. */
function classifierWord(points: readonly PointResult[]): string {
  return points.every((r) => r.kind === 'mnist-mlp') ? 'MNIST' : 'test';
}

export function accuracyFigure(results: readonly PointResult[]): Figure | null {
  const series = seriesOf(results).filter((s) => s.kind !== 'synthetic');
  if (series.length === 0) return null;
  const classified = results.filter(isClassifier);
  const rules = [
    ...baselineRules(classified, (r) => r.accuracy),
    ...[...new Set(classified.map((r) => r.workload))].flatMap((w) => {
      const r = classified.find((x) => x.workload === w)!;
      return [
        ...(typeof r.accuracyOrt === 'number' ? [{ workload: w, label: 'onnxruntime fp32', value: r.accuracyOrt }] : []),
        { workload: w, label: 'exact accumulation', value: r.accuracyExactAcc! },
        { workload: w, label: 'chance', value: chanceOf(r) },
      ];
    }),
  ];
  const word = classifierWord(classified);
  const mnist = word === 'MNIST';
  return {
    file: 'accuracy-vs-acc-bits.svg',
    title: `${mnist ? 'MNIST accuracy' : 'Test accuracy'} against accumulator mantissa bits`,
    caption: mnist
      ? 'Test accuracy of the MLP with every GEMM through the bit-exact array. Dashed: the baseline blocks, exact accumulation of the same FP8 inputs, and chance (10%).'
      : 'Test accuracy with every GEMM (the MLP\'s layers; an ONNX model\'s Conv, Gemm and MatMul) through the bit-exact array. Dashed: the baseline blocks, onnxruntime\'s float32 accuracy, exact accumulation of the same quantized inputs, and chance.',
    spec: bitsChart({ title: `${mnist ? 'MNIST MLP accuracy' : 'test accuracy'} vs accumulator mantissa bits`, series, value: (r) => r.accuracy, yTitle: 'test accuracy', yFormat: '.0%', rules }),
    ids: series.flatMap((s) => s.points.map((p) => p.id)),
  };
}

/**
 * Accuracy against area per PE, with the Pareto front: the classifiers' grid points that have an area
 * (blocks may leave theirs out); without any, accuracy against accumulator width instead.
 */
export function paretoFigure(results: readonly PointResult[], areaName: string): Figure | null {
  const classified = results.filter((r) => isClassifier(r) && r.accuracy !== null);
  const word = classifierWord(classified);
  const grid = classified.filter((r) => r.role === 'grid');
  if (grid.length === 0) return null;
  const withArea = grid.some((r) => r.area !== null);
  const pts = withArea ? grid.filter((r) => r.area !== null) : grid;
  const unit = withArea ? pts[0]!.area!.unit : 'bits';
  const x = (r: PointResult) => (withArea ? r.area!.perPE : r.accWidth);
  const baseArea = new Map(classified.filter((r) => r.role === 'baseline' && r.area !== null).map((r) => [r.workload, r.area!.perPE]));
  const ratio = (r: PointResult) => {
    const b = baseArea.get(r.workload);
    return withArea && b ? r.area!.perPE / b : null;
  };
  const labels = new Map(seriesOf(results).flatMap((s) => s.points.map((p) => [p.id, s.label] as const)));
  const front = paretoFront(pts, x, (r) => r.accuracy!);
  // Label the front's steps of at least half a point, so that the labels stay legible.
  // Consecutive labels alternate sides (below right, above left) so that close steps stay apart.
  const labelled = new Map<string, 'below' | 'above'>();
  let last = -Infinity;
  for (const r of front) {
    if (r.accuracy! - last >= HOLD_TOLERANCE / 2) {
      labelled.set(r.id, labelled.size % 2 === 0 ? 'below' : 'above');
      last = r.accuracy!;
    }
  }
  const onFront = new Set(front.map((r) => r.id));
  const short = (r: PointResult) => {
    const q = ratio(r);
    return `e${r.accExp}m${r.accMan}${q === null ? '' : ` (${Math.round(100 * q)}%)`}`;
  };
  const rows = [
    ...pts.map((r) => ({ layer: 'point', x: x(r), accuracy: r.accuracy, ratio: ratio(r), series: labels.get(r.id) ?? r.block, acc: r.acc, short: short(r), front: onFront.has(r.id), label: labelled.get(r.id) ?? null, id: r.id })),
    // Baselines (fp32 accumulation) as horizontal rules: their width or area would squeeze the axis.
    ...classified
      .filter((r) => r.role === 'baseline')
      .map((r) => ({ layer: 'baseline', accuracy: r.accuracy, text: `${r.block} (${r.acc}${withArea ? (r.area ? `, ${r.area.perPE} ${unit}` : '') : `, ${r.accWidth} bits`})` })),
  ];
  const xTitle = withArea ? `area per PE (${unit}, ${pts[0]!.area!.source})` : 'accumulator width (bits)';
  const title = withArea ? `${word} accuracy vs area per PE` : `${word} accuracy vs accumulator width (no area: the sweep's area provider is "${areaName}")`;
  const counted = `${pts.length} of the ${grid.length} ${word} grid points have an area${pts.length < grid.length ? ' and are drawn (the blocks\' "area" leaves the others out)' : ''}`;
  const y = { field: 'accuracy', type: 'quantitative' as const, title: 'test accuracy', axis: { format: '.0%' } };
  const enc = { x: { field: 'x', type: 'quantitative' as const, title: xTitle, scale: { zero: false } }, y };
  const only = (layer: string, extra = '') => [{ filter: `datum.layer === '${layer}'${extra}` }];
  return {
    file: 'accuracy-vs-area.svg',
    title: withArea ? 'Accuracy against area: the Pareto front' : 'Accuracy against accumulator width: the Pareto front',
    caption: withArea
      ? `${counted}; the line joins the Pareto front (no cheaper point is as accurate). Area from the provider "${areaName}"; the percentages are areas relative to the baseline's PE (fp32 accumulation). Dashed: the baseline blocks.`
      : `No area provider was configured (sweep "area": "${areaName}"), so the x axis is the accumulator width in bits instead of synthesized area. The line joins the Pareto front (no narrower accumulator is as accurate). Dashed: the baseline blocks.`,
    spec: {
      title,
      background: 'white',
      width: WIDTH * 1.4,
      height: HEIGHT * 1.2,
      data: { values: rows },
      layer: [
        { transform: only('point'), mark: { type: 'point', filled: true, opacity: 0.7 }, encoding: { ...enc, color: { field: 'series', type: 'nominal', title: 'accumulator', legend: { labelLimit: 400 } }, tooltip: [{ field: 'acc' }, { field: 'accuracy', format: '.2%' }, { field: 'x', title: unit }, { field: 'ratio', title: 'of fp32 area', format: '.0%' }, { field: 'id' }] } },
        { transform: only('point', ' && datum.front'), mark: { type: 'line', interpolate: 'step-after', color: '#222' }, encoding: enc },
        { transform: only('point', " && datum.label === 'below'"), mark: { type: 'text', dx: 4, dy: 10, align: 'left', fontSize: 9 }, encoding: { ...enc, text: { field: 'short' } } },
        { transform: only('point', " && datum.label === 'above'"), mark: { type: 'text', dx: -4, dy: -6, align: 'right', fontSize: 9 }, encoding: { ...enc, text: { field: 'short' } } },
        { transform: only('baseline'), mark: { type: 'rule', strokeDash: [4, 3], color: '#666' }, encoding: { y } },
        // At the right end, below the rule: the front's labels climb toward it from the left.
        { transform: only('baseline'), mark: { type: 'text', align: 'right', dy: 11, fontSize: 9, color: '#444' }, encoding: { y, x: { value: WIDTH * 1.4 - 4 }, text: { field: 'text' } } },
      ],
    } as TopLevelSpec,
    ids: [...pts, ...classified.filter((r) => r.role === 'baseline')].map((r) => r.id),
  };
}

export function figuresOf(results: readonly PointResult[], areaName: string): Figure[] {
  return [accuracyFigure(results), paretoFigure(results, areaName), errorFigure(results), swampingFigure(results)].filter((f): f is Figure => f !== null);
}

/** SVG text of a vega-lite spec. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
