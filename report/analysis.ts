// What a sweep's results say, computed from them: the series of the plots (one curve per
// combination of everything but the accumulator mantissa), where each classifier's curve (the MNIST
// MLP, an ONNX model) holds and where it collapses, the swamping behind it, and the comparison with the paper's ResNet18 numbers.
// Every sentence is built from measured values and lists the ids of the points it cites, so the
// report can print the command that recomputes them next to it.
import type { LayerResult, PointResult } from '../sweep/point.js';

export interface Series {
  key: string;
  label: string;
  workload: string;
  kind: PointResult['kind'];
  /** Grid points of one curve, by ascending accumulator mantissa. */
  points: PointResult[];
}

export interface Finding {
  title: string;
  /** The opening sentence, then one item per curve or comparison (the report lists them). */
  lead: string;
  items: string[];
  /** lead and items as one paragraph. */
  text: string;
  /** The points whose numbers the text quotes. */
  ids: string[];
}

function finding(title: string, lead: string, items: string[], ids: string[]): Finding {
  return { title, lead, items, text: [lead, ...items].join(' '), ids };
}

/** Accuracy within this much of the reference "holds". */
export const HOLD_TOLERANCE = 0.01;
/** Accuracy of guessing among the 10 digits. */
export const CHANCE = 0.1;

/** Accuracy of guessing: among the 10 digits, or among an ONNX model's classes. */
export function chanceOf(r: PointResult): number {
  return r.classes ? 1 / r.classes : CHANCE;
}

/** Points whose workload classifies (the MNIST MLP, ONNX models): they have an accuracy. */
export function isClassifier(r: PointResult): boolean {
  return r.kind !== 'synthetic';
}

/**
 * The paper's ResNet18 ImageNet top-1 without fine-tuning (Blumenfeld, Hubara and Soudry 2023,
 * table 8), quoted, not measured: accumulator mantissa bits (exponent 5) to accuracy.
 */
export const PAPER_RESNET18 = [
  { man: 10, top1: 0.695 },
  { man: 7, top1: 0.57 },
  { man: 6, top1: 0.205 },
] as const;
/** ResNet18's longest dot product: a 3×3 convolution over 512 channels. */
export const RESNET18_MAX_K = 3 * 3 * 512;

const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${(100 * x).toFixed(digits)}%`);
const num = (x: number, digits = 1) => x.toFixed(digits);

type Field = { name: string; get: (r: PointResult) => string; show: (v: string) => string };

const FIELDS: Field[] = [
  { name: 'inputs', get: (r) => `${r.a}×${r.w}`, show: (v) => v },
  { name: 'product', get: (r) => r.product, show: (v) => `product ${v}` },
  { name: 'exp', get: (r) => String(r.accExp), show: (v) => `e${v}` },
  { name: 'bias', get: (r) => String(r.accBias), show: (v) => `bias ${v}` },
  { name: 'subnormals', get: (r) => String(r.accSubnormals), show: (v) => (v === 'true' ? 'subnormals' : 'ftz') },
  { name: 'specials', get: (r) => r.accSpecials, show: (v) => `specials ${v}` },
  { name: 'overflow', get: (r) => r.accOverflow, show: (v) => (v === 'saturate' ? 'sat' : 'inf') },
  { name: 'rounding', get: (r) => r.rounding, show: (v) => v },
  { name: 'chunk', get: (r) => String(r.chunk), show: (v) => (v === 'null' ? 'no chunk' : `chunk ${v}`) },
  { name: 'sparsity', get: (r) => r.sparsity, show: (v) => v },
  { name: 'stages', get: (r) => String(r.config.pipeline?.stages ?? 0), show: (v) => `${v} stage${v === '1' ? '' : 's'}` },
];

/** The curves of the grid points: everything but the mantissa (and the workload) fixed. */
export function seriesOf(results: readonly PointResult[]): Series[] {
  const grid = results.filter((r) => r.role === 'grid');
  const blocks = new Set(grid.map((r) => r.block));
  // A field that differs only between blocks is told apart by the block's name already.
  const varies = (f: Field) => [...blocks].some((b) => new Set(grid.filter((r) => r.block === b).map(f.get)).size > 1);
  const shown = FIELDS.filter(varies);
  const bySeries = new Map<string, Series>();
  for (const r of grid) {
    const parts = [...(blocks.size > 1 ? [r.block] : []), ...shown.map((f) => f.show(f.get(r)))];
    const label = parts.length ? parts.join(' ') : r.block;
    const key = `${r.workload}|${r.block}|${FIELDS.map((f) => f.get(r)).join('|')}`;
    let s = bySeries.get(key);
    if (!s) bySeries.set(key, (s = { key, label, workload: r.workload, kind: r.kind, points: [] }));
    s.points.push(r);
  }
  for (const s of bySeries.values()) s.points.sort((x, y) => x.accMan - y.accMan);
  return [...bySeries.values()];
}

export function workloadsOf(results: readonly PointResult[]): string[] {
  return [...new Set(results.map((r) => r.workload))];
}

/** The accuracy a curve is held against: the baseline block's on the same workload, else exact accumulation. */
export interface Reference {
  accuracy: number;
  label: string;
  ids: string[];
}

export function accuracyReference(results: readonly PointResult[], workload: string): Reference | null {
  const mine = results.filter((r) => r.workload === workload && r.accuracy !== null);
  const base = mine.find((r) => r.role === 'baseline');
  if (base) return { accuracy: base.accuracy!, label: `the ${base.acc} accumulator of the baseline block ${base.block}`, ids: [base.id] };
  const any = mine[0];
  return any ? { accuracy: any.accuracyExactAcc!, label: 'exact accumulation of the same quantized inputs', ids: [any.id] } : null;
}

export interface Collapse {
  series: Series;
  reference: Reference;
  /** Smallest mantissa from which every wider one is within HOLD_TOLERANCE of the reference. */
  holdsFrom: PointResult | null;
  /** Largest mantissa whose accuracy lost more than half of the reference's margin over chance. */
  collapsedAt: PointResult | null;
  /** The accuracy below which a point counts as collapsed. */
  collapseBelow: number;
}

export function collapseOf(series: Series, reference: Reference): Collapse {
  const pts = series.points.filter((p) => p.accuracy !== null);
  let holdsFrom: PointResult | null = null;
  for (let i = pts.length - 1; i >= 0 && pts[i]!.accuracy! >= reference.accuracy - HOLD_TOLERANCE; i--) holdsFrom = pts[i]!;
  const chance = chanceOf(series.points[0]!);
  const collapseBelow = chance + (reference.accuracy - chance) / 2;
  const collapsed = pts.filter((p) => p.accuracy! < collapseBelow);
  return { series, reference, holdsFrom, collapsedAt: collapsed.length ? collapsed[collapsed.length - 1]! : null, collapseBelow };
}

/** Mean nonzero terms per output of a layer (zeros are skipped by the array too). */
export function layerMeanTerms(r: PointResult, l: LayerResult): number {
  return l.terms / (l.M * l.N * (l.calls ?? 1) * (r.images ?? 1));
}

/** The layer whose dot products the swamping argument is about: the MLP's first; a network's longest (most nonzero terms per output). */
export function longestLayer(r: PointResult): LayerResult {
  if (r.kind !== 'onnx') return r.layers[0]!;
  return r.layers.reduce((x, y) => (layerMeanTerms(r, y) > layerMeanTerms(r, x) ? y : x));
}

/** Mean nonzero terms per output of the longest layer's dot products. */
export function meanTerms(r: PointResult): number {
  return layerMeanTerms(r, longestLayer(r));
}

function at(series: Series, man: number): PointResult | undefined {
  return series.points.find((p) => p.accMan === man);
}

function describeCollapse(c: Collapse): { text: string; ids: string[] } {
  const { series: s, holdsFrom: h, collapsedAt: k } = c;
  const ids: string[] = [];
  const parts: string[] = [];
  if (h) {
    ids.push(h.id);
    const below = at(s, h.accMan - 1);
    parts.push(`within ${num(100 * HOLD_TOLERANCE, 0)} point of it from e${h.accExp}m${h.accMan} up (${pct(h.accuracy)}, ${pct(h.swampingRate)} of the products swamped)`);
    if (below && below !== k) {
      ids.push(below.id);
      parts.push(`${pct(below.accuracy)} at m = ${below.accMan}`);
    }
  } else {
    const top = s.points[s.points.length - 1]!;
    ids.push(top.id);
    parts.push(`never within ${num(100 * HOLD_TOLERANCE, 0)} point of it (${pct(top.accuracy)} at the widest mantissa, m = ${top.accMan})`);
  }
  if (k) {
    ids.push(k.id);
    parts.push(`collapsed (below ${pct(c.collapseBelow)}, half-way to chance) at m = ${k.accMan} and below: ${pct(k.accuracy)}, with ${pct(k.swampingRate)} of the products swamped`);
  } else {
    parts.push(`never below ${pct(c.collapseBelow)} (half-way to chance) in the mantissas swept`);
  }
  return { text: `${s.label}: ${parts.join('; ')}.`, ids };
}

/** What a classifier's accuracy is set against: for the MLP its float64 model; for a network onnxruntime's float32 and the project's float path. */
function baselinesText(r: PointResult): string {
  if (r.kind !== 'onnx') return `float64 model ${pct(r.accuracyFloat64)}, quantized inputs with exact accumulation ${pct(r.accuracyExactAcc)}`;
  return `onnxruntime float32 ${pct(r.accuracyOrt)}, the float path ${pct(r.accuracyFloat64)}, quantized inputs with exact accumulation ${pct(r.accuracyExactAcc)}`;
}

function classifierFindings(results: readonly PointResult[], workload: string): Finding[] {
  const ref = accuracyReference(results, workload);
  const series = seriesOf(results).filter((s) => s.workload === workload);
  if (!ref || series.length === 0) return [];
  const sample = series[0]!.points[0]!;
  const out: Finding[] = [];
  const collapses = series.map((s) => collapseOf(s, ref));
  const narrowest = collapses.map((c) => {
    const h = c.holdsFrom;
    return h ? `${c.series.label}: ${h.acc} (${h.accWidth} bits, ${pct(h.accuracy)})` : `${c.series.label}: none of those swept`;
  });
  out.push(
    finding(
      `${workload}: at a glance`,
      `The narrowest accumulator whose accuracy stays within ${num(100 * HOLD_TOLERANCE, 0)} point of ${ref.label} (${pct(ref.accuracy)}), per curve:`,
      narrowest,
      [...ref.ids, ...collapses.flatMap((c) => (c.holdsFrom ? [c.holdsFrom.id] : []))],
    ),
  );
  const lines = collapses.map(describeCollapse);
  out.push(
    finding(
      `${workload}: where accuracy collapses`,
      `Test accuracy of the ${sample.kind === 'onnx' ? `${sample.images} inputs` : `${sample.M} digits`} through the array against ${ref.label}: ${pct(ref.accuracy)} (${baselinesText(sample)}).`,
      lines.map((l) => l.text),
      [...ref.ids, ...lines.flatMap((l) => l.ids)],
    ),
  );
  out.push(whyFinding(workload, sample, collapses));
  const area = areaFinding(results, workload, ref, series);
  if (area) out.push(area);
  const paper = paperFinding(workload, series, sample);
  if (paper) out.push(paper);
  return out;
}

/** The measured collapse set against the swamping argument: log2 of the dot-product length. */
function whyFinding(workload: string, sample: PointResult, collapses: Collapse[]): Finding {
  const l1 = longestLayer(sample);
  const n = meanTerms(sample);
  const others = sample.layers.filter((l) => l !== l1).map((l) => `K = ${l.K} in ${l.name}`);
  const opening =
    sample.kind === 'onnx'
      ? `Why: the longest dot products are ${l1.name}'s (${l1.op}), with K = ${l1.K} terms, of which ${num(n)} on average are nonzero (zero activations are skipped)${others.length ? `; the other layers have ${others.join(', ')}` : ''}. `
      : `Why: the first layer's dot products have K = ${l1.K} terms, of which ${num(n)} on average are nonzero (blank pixels are skipped)${others.length ? `; then ${others.join(', ')}` : ''}. `;
  const text: string[] = [
    opening +
      `A running sum of n comparable products is up to n times larger than each of them, and a product below the accumulator's last mantissa place is swamped (lost entirely, or rounded to one place). ` +
      `With m mantissa bits that starts once the sum is about 2^m products large, so swamping sets in once m is below about log2(${num(n)}) = ${num(Math.log2(n))} bits. ` +
      `What it costs depends on the rounding: rtz drops every swamped product's contribution toward zero, a bias that grows with each term, while rne rounds half of them up and the errors largely cancel.`,
  ];
  const ids: string[] = [sample.id];
  const chunked = collapses.filter((c) => c.series.points[0]!.chunk !== null);
  const plain = collapses.filter((c) => c.series.points[0]!.chunk === null);
  for (const c of chunked) {
    const twin = plain.find((p) => p.series.label === c.series.label.replace(`chunk ${c.series.points[0]!.chunk}`, 'no chunk'));
    if (!twin || !c.holdsFrom || !twin.holdsFrom) continue;
    const size = c.series.points[0]!.chunk!;
    ids.push(c.holdsFrom.id, twin.holdsFrom.id);
    const moved = twin.holdsFrom.accMan - c.holdsFrom.accMan;
    text.push(
      `Chunking (${c.series.label} against ${twin.series.label}): a chunk accumulator sums only ${size} products (log2 ${size} = ${num(Math.log2(size))}) and the total adds about ${num(n / size)} chunk sums, ` +
        `so accuracy holds from m = ${c.holdsFrom.accMan} instead of m = ${twin.holdsFrom.accMan} (${moved > 0 ? `${moved} bit${moved > 1 ? 's' : ''} fewer` : moved === 0 ? 'no change' : `${-moved} bit${moved < -1 ? 's' : ''} more`}).`,
    );
  }
  for (const c of collapses.filter((x) => x.series.points[0]!.rounding === 'rtz')) {
    const twin = collapses.find((p) => p.series.points[0]!.rounding === 'rne' && p.series.label === c.series.label.replace(/\brtz\b/, 'rne'));
    if (!twin || !c.holdsFrom || !twin.holdsFrom) continue;
    ids.push(c.holdsFrom.id, twin.holdsFrom.id);
    text.push(`Rounding (${c.series.label} against ${twin.series.label}): accuracy holds from m = ${c.holdsFrom.accMan} with rtz and from m = ${twin.holdsFrom.accMan} with rne, where ${pct(c.holdsFrom.swampingRate)} and ${pct(twin.holdsFrom.swampingRate)} of the products are swamped.`);
  }
  return finding(`${workload}: why there`, text[0]!, text.slice(1), ids);
}

/** The paper's estimate for its 12-bit accumulators (appendix E, analytical): about 63% fewer gates than fp32. */
export const PAPER_GATE_SAVING_12BIT = 0.63;

/** The fp32-accumulation baseline whose synthesized area the grid's areas are compared with. */
export function areaBaseline(results: readonly PointResult[], workload: string): PointResult | null {
  return results.find((r) => r.workload === workload && r.role === 'baseline' && r.area !== null) ?? null;
}

/** Accuracy against synthesized area: the Pareto front, each step's area as a share of the baseline's, and the cheapest point that holds. */
function areaFinding(results: readonly PointResult[], workload: string, ref: Reference, series: Series[]): Finding | null {
  const mine = results.filter((r) => r.workload === workload && r.role === 'grid' && r.accuracy !== null);
  const withArea = mine.filter((r) => r.area !== null);
  if (withArea.length === 0) return null;
  const unit = withArea[0]!.area!.unit;
  const base = areaBaseline(results, workload);
  const share = (r: PointResult) => (base ? ` = ${pct(r.area!.perPE / base.area!.perPE, 0)} of fp32's` : '');
  const labels = new Map(series.flatMap((s) => s.points.map((p) => [p.id, s.label] as const)));
  const describe = (r: PointResult) => `${r.acc} (${labels.get(r.id) ?? r.block}): ${r.area!.perPE} ${unit}${share(r)}, ${pct(r.accuracy)}`;
  const front = paretoFront(withArea, (r) => r.area!.perPE, (r) => r.accuracy!);
  const holding = front.find((r) => r.accuracy! >= ref.accuracy - HOLD_TOLERANCE) ?? null;
  const ids = [...front.map((r) => r.id), ...(base ? [base.id] : [])];
  const text: string[] = [
    `Area per PE (${unit}, ${withArea[0]!.area!.source}; the multiplier, the accumulator and the PE's registers) for ${withArea.length} of the ${mine.length} grid points of ${workload}${withArea.length < mine.length ? `; the others were not synthesized (their blocks' "area" leaves them out) and are not on the area plot` : ''}.` +
      (base ? ` The baseline ${base.block} (${base.acc} accumulation): ${base.area!.perPE} ${unit}.` : ' No baseline block has area, so no ratio to fp32 accumulation is given.'),
    `The Pareto front (no cheaper synthesized point is as accurate), by area: ${front.map(describe).join('; ')}.`,
  ];
  if (holding) {
    text.push(`The cheapest within ${num(100 * HOLD_TOLERANCE, 0)} point of ${ref.label} (${pct(ref.accuracy)}): ${describe(holding)}${base ? `, ${pct(1 - holding.area!.perPE / base.area!.perPE, 0)} less area than fp32 accumulation` : ''}.`);
  }
  const twelve = withArea.filter((r) => r.accWidth === 12);
  if (base && twelve.length) {
    ids.push(...twelve.map((r) => r.id));
    text.push(
      `12-bit accumulators: ${twelve.map((r) => `${describe(r)} (${pct(1 - r.area!.perPE / base.area!.perPE, 0)} fewer)`).join('; ')}; ` +
        `the paper estimates about ${pct(PAPER_GATE_SAVING_12BIT, 0)} fewer gates for its 12-bit accumulator (its appendix E, analytical, quoted, not measured here).`,
    );
  }
  return finding(`${workload}: accuracy against area`, text[0]!, text.slice(1), ids);
}

/** Ours at e5m10, e5m7 and e5m6 against the paper's ResNet18 (table 8, no fine-tuning). */
function paperFinding(workload: string, series: Series[], sample: PointResult): Finding | null {
  const e5 = series.filter((s) => s.points[0]!.accExp === 5 && PAPER_RESNET18.every((q) => at(s, q.man)));
  if (e5.length === 0) return null;
  const paperTop = PAPER_RESNET18[0].top1;
  const keepPaper = PAPER_RESNET18.map((q) => q.top1 / paperTop);
  const firstPaperDrop = PAPER_RESNET18.find((q) => q.top1 / paperTop < 0.5);
  const ids: string[] = [];
  const ours = e5.map((s) => {
    const pts = PAPER_RESNET18.map((q) => at(s, q.man)!);
    ids.push(...pts.map((p) => p.id));
    const keep = pts.map((p) => p.accuracy! / pts[0]!.accuracy!);
    const last = PAPER_RESNET18[PAPER_RESNET18.length - 1]!.man;
    const verdict = keep[keep.length - 1]! >= 0.5 ? `not collapsed at e5m${last}` : `collapsed at e5m${last} as well`;
    return `${s.label}: ${pts.map((p) => `${pct(p.accuracy)} at e5m${p.accMan}`).join(', ')}, i.e. ${keep.map((k) => pct(k, 0)).join(', ')} of its e5m10 accuracy (${verdict})`;
  });
  const n = meanTerms(sample);
  const gap = Math.log2(RESNET18_MAX_K / n);
  return finding(
    `${workload}: against the paper's ResNet18`,
    `The paper reports ResNet18 ImageNet top-1 without fine-tuning of ${PAPER_RESNET18.map((q) => `${pct(q.top1)} with e5m${q.man}`).join(', ')} accumulators (its table 8, quoted, not measured here): ` +
      `${keepPaper.map((k) => pct(k, 0)).join(', ')} of its e5m10 accuracy${firstPaperDrop ? `, collapsing at e5m${firstPaperDrop.man}` : ''}.`,
    [
      `Our ${sample.kind === 'onnx' ? 'network' : 'MLP'} measures, ${ours.join('; ')}.`,
      `ResNet18's longest dot products have K = ${RESNET18_MAX_K} terms against our ${num(n)} nonzero ones; log2 of the ratio is ${num(gap)} bits, and by the swamping argument above a collapse moves up by about that many mantissa bits for the longer sums.`,
    ],
    ids,
  );
}

/** For synthetic matrices: the narrowest mantissa with NRMSE below 1%, per curve, and how it moves with K. */
export const NRMSE_TARGET = 0.01;

function syntheticFindings(results: readonly PointResult[]): Finding[] {
  const series = seriesOf(results).filter((s) => s.kind === 'synthetic');
  if (series.length === 0) return [];
  const lines: string[] = [];
  const ids: string[] = [];
  const byLabel = new Map<string, Series[]>();
  for (const s of series) byLabel.set(s.label, [...(byLabel.get(s.label) ?? []), s]);
  for (const [label, group] of byLabel) {
    const cells = group
      .map((s) => {
        const p = s.points[0]!;
        const ok = s.points.find((_, i) => s.points.slice(i).every((x) => x.metrics.nrmse !== null && x.metrics.nrmse < NRMSE_TARGET));
        if (ok) ids.push(ok.id);
        return { K: p.K, text: `${s.workload} (K = ${p.K}): ${ok ? `m ≥ ${ok.accMan} (NRMSE ${ok.metrics.nrmse.toExponential(1)}, ${pct(ok.swampingRate)} swamped)` : `no mantissa swept reaches it`}` };
      })
      .sort((x, y) => x.K - y.K);
    lines.push(`${label}: ${cells.map((c) => c.text).join('; ')}.`);
  }
  return [finding('synthetic matrices: the mantissa needed for 1% NRMSE', `Narrowest accumulator mantissa from which the NRMSE of D against the exact result stays below ${pct(NRMSE_TARGET, 0)}, per curve and workload:`, lines, ids)];
}

/** DeepSeek-V3 (technical report, §3.3.2): the maximum relative error of an H800 FP8 GEMM with K = 4096 without promotion, quoted. */
export const DEEPSEEK_MAX_REL = 0.02;

/**
 * The tensorcore-fp8 preset's error on random K = 4096 GEMMs with and without promotion into fp32
 * every 128 terms (its chunk), beside DeepSeek-V3's "nearly 2%": points of the preset on the
 * synthetic workloads with K = 4096.
 */
function tensorcoreFinding(results: readonly PointResult[]): Finding[] {
  const tc = results.filter((r) => r.kind === 'synthetic' && r.K === 4096 && r.config.lanes === 32 && r.config.alignBits === 14 && r.acc === 'e8m13');
  const promoted = tc.filter((r) => r.chunk === 128);
  const plain = tc.filter((r) => r.chunk === null);
  if (promoted.length === 0 || plain.length === 0) return [];
  const items = plain.map((p) => {
    const q = promoted.find((r) => r.workload === p.workload);
    const pair = (r: PointResult) => `maximum relative error ${pct(r.metrics.maxRelError)}, mean ${pct(r.metrics.meanRelError)}, NRMSE ${r.metrics.nrmse.toExponential(1)}`;
    return `${p.workload}: without promotion ${pair(p)}` + (q ? `; promoted every 128 terms ${pair(q)}.` : '.');
  });
  return [
    finding(
      'an FP8 tensor core (tensorcore-fp8): promotion every 128 terms',
      `The tensorcore-fp8 preset (32-lane dot-product cell keeping 14 bits by truncation, e8m13 partial sums) on random K = 4096 GEMMs; DeepSeek-V3 reports a maximum relative error of nearly ${pct(DEEPSEEK_MAX_REL, 0)} for such GEMMs without promotion. Relative errors are per output against the exact result, over outputs whose exact value is nonzero (outputs near zero dominate the maximum):`,
      items,
      [...plain, ...promoted].map((r) => r.id),
    ),
  ];
}

export function findings(results: readonly PointResult[]): Finding[] {
  const classifiers = workloadsOf(results).filter((w) => results.some((r) => r.workload === w && isClassifier(r)));
  return [...classifiers.flatMap((w) => classifierFindings(results, w)), ...syntheticFindings(results), ...tensorcoreFinding(results)];
}

/** Points with the best accuracy for their x (area or width): nothing cheaper is at least as accurate. */
export function paretoFront<T>(items: readonly T[], x: (t: T) => number, y: (t: T) => number): T[] {
  const sorted = [...items].sort((a, b) => x(a) - x(b) || y(b) - y(a));
  const front: T[] = [];
  let best = -Infinity;
  for (const t of sorted) {
    if (y(t) > best) {
      front.push(t);
      best = y(t);
    }
  }
  return front;
}
