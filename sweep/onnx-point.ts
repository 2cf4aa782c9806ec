// One point on an onnx workload: every input through the interpreter with each Conv, Gemm and
// MatMul on the emulated array (per-layer points give some nodes a configuration of their own),
// activations quantized as they arrive and the weights taken from the preparation (quantized and
// laid out once per input setup). Measured: top-1 accuracy, the output's error against exact
// accumulation of the same quantized operands (the preparation's run), and per layer its events
// and its error against the exact sums of its own operands.
import { addConversions, zeroConversions } from '../core/conversions.js';
import { LbamacError } from '../core/errors.js';
import { formatSpecOf } from '../core/format.js';
import type { CanonicalConfig } from '../config/canonical.js';
import { type ArrayConfig, resolveConfig } from '../config/resolve.js';
import { ArrayBackend } from '../onnx/array-backend.js';
import { pruned24 } from '../onnx/prune.js';
import { FormatQuantizer } from '../onnx/quantize.js';
import { stableStringify } from '../util/stable-json.js';
import { workloadMessages } from '../workloads/messages.js';
import { type PreparedOnnx, runNetwork, top1 } from '../workloads/onnx.js';
import { errorMetrics } from './metrics.js';
import type { Body, LayerResult } from './point.js';

/** What the quantizer decides: the layers of one run must agree on it (they share the quantized activations). */
const inputSide = (c: ArrayConfig) => stableStringify([formatSpecOf(c.a), formatSpecOf(c.w), c.rounding.input, c.sparsity]);

export function runOnnx(cfg: ArrayConfig, p: PreparedOnnx, perLayer: Readonly<Record<string, CanonicalConfig>>): Body {
  const { data } = p;
  const names = data.info.layers.map((l) => l.name);
  const layers = new Map<string, ArrayConfig>();
  for (const [node, c] of Object.entries(perLayer)) {
    if (!names.includes(node)) throw new LbamacError(workloadMessages.unknownLayer(p.spec.name, node, names));
    const resolved = resolveConfig(c, `layer ${node}`);
    if (inputSide(resolved) !== inputSide(cfg)) throw new Error(`layer ${node}: a per-layer configuration must keep the point's input formats, input rounding and sparsity`);
    layers.set(node, resolved);
  }
  const backend = new ArrayBackend(cfg, { layers, measure: true });
  const quantizer = new FormatQuantizer(p.setup, p.constants);
  const scores = runNetwork(data, { quantizer, backend: p.pruner ? pruned24(backend, p.pruner) : backend });
  const results: LayerResult[] = data.info.layers.map((l) => {
    const totals = backend.perNode.get(l.name)!;
    const pruned = p.pruner?.perNode.get(l.name);
    return { name: l.name, op: l.op, M: l.M, K: l.K, N: l.N, calls: l.calls, macsPerImage: l.macsPerImage, terms: totals.terms, events: totals.events, metrics: totals.error!.result(), ...(pruned ? { pruned } : {}) };
  });
  const constants = p.constants.totals;
  return {
    layers: results,
    events: backend.events,
    metrics: errorMetrics(scores, p.exact),
    refMethod: [...backend.perNode.values()].some((t) => t.refMethod === 'expansion') ? 'expansion' : 'float64',
    inputs: { a: addConversions(addConversions(zeroConversions(), constants.a), quantizer.totals.a), w: addConversions(addConversions(zeroConversions(), constants.w), quantizer.totals.w) },
    accuracy: top1(scores, data.labels, data.info.classes),
    accuracyFloat64: data.accuracyFloat,
    accuracyExactAcc: p.accuracyExactAcc,
    images: data.info.images,
    classes: data.info.classes,
  };
}
