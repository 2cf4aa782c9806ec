// One point of a sweep: its workload, prepared for its inputs (cached), run through the sweep's
// GEMM with its accumulator configuration; error metrics against the exact reference, the event
// counts of docs/arithmetic.md §5 and, for the classifiers (the MLP, ONNX models), the accuracy.
import type { PruneCount } from '../onnx/prune.js';
import { addConversions, type ConversionCounts, zeroConversions } from '../core/conversions.js';
import { type EventCounts, addEvents, zeroEvents } from '../core/events.js';
import { type ArrayConfig, resolveConfig } from '../config/resolve.js';
import { fixedLabel } from '../core/fixed.js';
import { allFinite, decode, mat, nonzeroByRow, quantize } from '../workloads/matrix.js';
import { countCorrect, layerOutput, type PreparedMnist, type PreparedSynthetic, prepareWorkload } from '../workloads/prepare.js';
import type { AreaResult } from './area.js';
import type { CanonicalConfig } from '../config/canonical.js';
import type { WorkloadSpec } from '../workloads/schema.js';
import type { PointRole, PointSpec } from './grid.js';
import { runOnnx } from './onnx-point.js';
import { sweepGemm } from './gemm.js';
import { type ErrorMetrics, errorMetrics } from './metrics.js';
import { exactGemm } from './reference.js';

export interface LayerResult {
  name: string;
  /** The MLP: every test digit's GEMM. ONNX: one GEMM for one input (workloads/onnx.ts LayerShape). */
  M: number;
  K: number;
  N: number;
  /** ONNX only: the node's operator, its GEMMs per input (groups) and dense multiply-accumulates per input. */
  op?: string;
  calls?: number;
  macsPerImage?: number;
  /** Summed over every input. */
  terms: number;
  events: EventCounts;
  /** Against the exact Σ of this layer's own (quantized) inputs; null when they hold inf or NaN. */
  metrics: ErrorMetrics | null;
  /** ONNX on a 2:4 array: the node's weights pruning zeroed (onnx/prune.ts). */
  pruned?: PruneCount;
}

/** Everything a sweep records about one point (one line of results.jsonl). */
export interface PointResult {
  id: string;
  index: number;
  block: string;
  role: PointRole;
  workload: string;
  kind: WorkloadSpec['kind'];
  /** The first GEMM's shape (for the MLP: the test digits × 784 × 128 layer). */
  M: number;
  K: number;
  N: number;
  a: string;
  w: string;
  product: string;
  acc: string;
  accExp: number;
  accMan: number;
  accBias: number;
  accWidth: number;
  accSubnormals: boolean;
  accSpecials: string;
  accOverflow: string;
  rounding: string;
  roundingProduct: string;
  roundingInput: string;
  chunk: number | null;
  sparsity: 'dense' | '2:4';
  /** Error of the first GEMM against its exact reference (docs/arithmetic.md §6); ONNX: of the
   *  model's output against exact accumulation of the same quantized operands. */
  metrics: ErrorMetrics;
  /** Events of every GEMM of the point (docs/arithmetic.md §5). */
  events: EventCounts;
  /** What quantizing the inputs of every GEMM of the point did (a: activations, w: weights);
   *  absent from journals written before it was recorded. */
  inputs?: { a: ConversionCounts; w: ConversionCounts };
  /** Multiply-accumulate steps with nonzero operands (zeros add nothing and are skipped). */
  terms: number;
  /** swamping / terms. */
  swampingRate: number;
  /** The classifiers only: test accuracy through the array, and the baselines on the same inputs
   *  (accuracyFloat64: the MLP's float64 model, an ONNX model's float path). */
  accuracy: number | null;
  accuracyFloat64: number | null;
  accuracyExactAcc: number | null;
  /** ONNX: onnxruntime's float32 accuracy (added by sweep/run.ts), the inputs classified and their classes. */
  accuracyOrt?: number;
  images?: number;
  classes?: number;
  /** Layer and mixed points: the configuration of each node that differs from `config`'s. */
  perLayer?: Record<string, CanonicalConfig>;
  layers: LayerResult[];
  refMethod: string;
  /** Area per PE from the sweep's area provider (sweep/area.ts), or null. */
  area: AreaResult | null;
  /** Wall time of the point's computation, seconds (the only field that varies between runs). */
  seconds: number;
  config: PointSpec['config'];
}

function formatLabel(f: ArrayConfig['acc'] | null): string {
  return f === null ? 'exact' : f.name;
}

function baseRecord(p: PointSpec, cfg: ArrayConfig): Omit<PointResult, keyof Body | 'terms' | 'swampingRate' | 'seconds' | 'M' | 'K' | 'N'> {
  return {
    id: p.id,
    index: p.index,
    block: p.block,
    role: p.role,
    workload: p.workload.name,
    kind: p.workload.kind,
    a: cfg.a.name,
    w: cfg.w.name,
    product: formatLabel(cfg.product),
    // A fixed-point register is named by its label and its width in bits; its float fields are
    // those of its output format.
    acc: cfg.fixed === undefined ? cfg.acc.name : fixedLabel(cfg.fixed, cfg.acc),
    accExp: cfg.acc.exp,
    accMan: cfg.acc.man,
    accBias: cfg.acc.bias,
    accWidth: cfg.fixed === undefined ? cfg.acc.width : cfg.fixed.msb + 2 - cfg.fixed.lsb,
    accSubnormals: cfg.acc.subnormals,
    accSpecials: cfg.acc.specials,
    accOverflow: cfg.acc.overflow,
    rounding: cfg.rounding.acc,
    roundingProduct: cfg.rounding.product,
    roundingInput: cfg.rounding.input,
    chunk: cfg.chunk,
    sparsity: cfg.sparsity,
    area: null,
    config: p.config,
    ...(p.perLayer ? { perLayer: p.perLayer } : {}),
  };
}

export function runPoint(p: PointSpec): PointResult {
  const t0 = performance.now();
  const cfg = resolveConfig(p.config, `point ${p.id}`);
  const prep = prepareWorkload(p.workload, { a: cfg.a, w: cfg.w, inputRounding: cfg.rounding.input, sparsity: cfg.sparsity });
  if (p.perLayer && prep.kind !== 'onnx') throw new Error(`point ${p.id}: per-layer configurations are for onnx workloads`);
  const body = prep.kind === 'synthetic' ? runSynthetic(cfg, prep) : prep.kind === 'mnist-mlp' ? runMnist(cfg, prep) : runOnnx(cfg, prep, p.perLayer ?? {});
  const terms = body.layers.reduce((s, l) => s + l.terms, 0);
  const first = body.layers[0]!;
  return {
    ...baseRecord(p, cfg),
    ...body,
    M: first.M,
    K: first.K,
    N: first.N,
    terms,
    swampingRate: terms > 0 ? body.events.swamping / terms : 0,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** What running a workload gives, by kind. */
export interface Body {
  layers: LayerResult[];
  /** Every GEMM's. */
  events: EventCounts;
  metrics: ErrorMetrics;
  refMethod: string;
  inputs: { a: ConversionCounts; w: ConversionCounts };
  accuracy: number | null;
  accuracyFloat64: number | null;
  accuracyExactAcc: number | null;
  images?: number;
  classes?: number;
}

function eventsOf(layers: readonly LayerResult[]): EventCounts {
  return layers.reduce((e, l) => addEvents(e, l.events), zeroEvents());
}

function runSynthetic(cfg: ArrayConfig, p: PreparedSynthetic): Body {
  const r = sweepGemm(cfg, p.A, p.B, p.rows);
  const { M, K, N } = p.spec;
  const layers = [{ name: 'A·B', M, K, N, terms: r.terms, events: r.events, metrics: errorMetrics(r.D, p.ref) }];
  return {
    layers,
    events: eventsOf(layers),
    metrics: layers[0]!.metrics,
    refMethod: p.refMethod,
    inputs: { a: p.A.conversions, w: p.wConversions },
    accuracy: null,
    accuracyFloat64: null,
    accuracyExactAcc: null,
  };
}

function runMnist(cfg: ArrayConfig, p: PreparedMnist): Body {
  const M = p.labels.length;
  let X = p.X;
  let rows = p.rows;
  let h: Float64Array = new Float64Array(0);
  const layers: LayerResult[] = [];
  const inputs = { a: zeroConversions(), w: zeroConversions() };
  p.layers.forEach((l, i) => {
    const r = sweepGemm(cfg, X, l.B, rows);
    let ref: Float64Array | null = p.ref;
    if (i > 0) ref = allFinite(X) ? exactGemm(decode(X), l.Bvalues, M, l.K, l.N, rows).values : null;
    layers.push({ name: `layer ${i + 1}`, M, K: l.K, N: l.N, terms: r.terms, events: r.events, metrics: ref ? errorMetrics(r.D, ref) : null });
    addConversions(inputs.a, X.conversions);
    addConversions(inputs.w, l.wConversions);
    h = layerOutput(l, r.D, M);
    const next = p.layers[i + 1];
    if (next) {
      X = quantize(mat(M, l.N, h), next.sIn, cfg.a, cfg.rounding.input);
      rows = nonzeroByRow(X);
    }
  });
  return {
    layers,
    events: eventsOf(layers),
    metrics: layers[0]!.metrics!,
    refMethod: p.refMethod,
    inputs,
    accuracy: countCorrect(h, p.labels) / M,
    accuracyFloat64: p.accuracyFloat64,
    accuracyExactAcc: p.accuracyExactAcc,
  };
}
