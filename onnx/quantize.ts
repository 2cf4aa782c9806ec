// The quantization policy of ONNX workloads (docs/onnx.md, "Quantization"). Every tensor entering
// a GEMM, activations and weights alike, is scaled by a power of two of its own and rounded into
// the configured input format (a for activations, w for weights) with the configured input
// rounding. Scaling by a power of two is exact, so the only error is the rounding into the format,
// and the GEMM's result is unscaled exactly.
//
//   scale "none":     x goes into the format as it is (scale 2^0).
//   scale "pow2-max": x · 2^s with the integer s that puts the tensor's largest magnitude in [1, 2)
//                     (workloads/matrix.ts scaleLog2, as the synthetic and MLP workloads scale);
//                     s = 0 for an all-zero tensor. Weights use their own maximum; activations the
//                     calibrated maximum of that tensor (the float path's, over every input), or
//                     without calibration the maximum of the batch at hand.
import { addConversions, type ConversionCounts, zeroConversions } from '../core/conversions.js';
import type { Format, RoundingMode } from '../core/format.js';
import { absMax, decode, mat, quantize, scaleLog2 } from '../workloads/matrix.js';
import { type Operand, type Quantizer, type Role } from './linear.js';
import type { Program } from './interpreter.js';
import type { Tensor } from './tensor.js';

export const SCALE_POLICIES = ['none', 'pow2-max'] as const;
export type ScalePolicy = (typeof SCALE_POLICIES)[number];

/** log2 of the scale a tensor with largest magnitude `max` gets. */
export function policyLog2Scale(policy: ScalePolicy, max: number): number {
  return policy === 'none' ? 0 : scaleLog2(max);
}

export interface QuantizerSetup {
  a: Format;
  w: Format;
  rounding: RoundingMode;
  scale: ScalePolicy;
  /** Largest magnitude of each activation tensor, by name (from `calibrate`). */
  calibration?: ReadonlyMap<string, number>;
}

export class FormatQuantizer implements Quantizer {
  /** What rounding into the format did, per tensor name, summed over runs; a constant tensor counts once. */
  readonly conversions = new Map<string, ConversionCounts>();
  /** The same, summed per role. */
  readonly totals: Record<Role, ConversionCounts> = { a: zeroConversions(), w: zeroConversions() };
  /** Constant tensors' operands by role and name (which decide the scale), made once. */
  private readonly constants = new Map<string, Operand>();

  /**
   * `shared`: a quantizer of the same setup that makes (and counts) the constant tensors' operands
   * instead, so that many runs (a sweep's points) quantize each weight once between them.
   */
  constructor(
    readonly setup: QuantizerSetup,
    private readonly shared?: FormatQuantizer,
  ) {}

  operand(role: Role, name: string, x: Float64Array, constant = false): Operand {
    if (constant && this.shared) return this.shared.operand(role, name, x, true);
    const key = `${role}:${name}`;
    const cached = constant ? this.constants.get(key) : undefined;
    if (cached) return cached;
    const { setup } = this;
    const max = (role === 'a' ? setup.calibration?.get(name) : undefined) ?? absMax(x);
    const s = policyLog2Scale(setup.scale, max);
    const q = quantize(mat(1, x.length, x), s, role === 'a' ? setup.a : setup.w, setup.rounding);
    const counts = this.conversions.get(name);
    if (counts) addConversions(counts, q.conversions);
    else this.conversions.set(name, { ...q.conversions });
    addConversions(this.totals[role], q.conversions);
    const out = { values: decode(q), log2Scale: s };
    if (constant) this.constants.set(key, out);
    return out;
  }
}

/** Leaves every value as it is and remembers the largest magnitude of each activation tensor. */
export class AbsMaxRecorder implements Quantizer {
  readonly absMax = new Map<string, number>();

  operand(role: Role, name: string, x: Float64Array): Operand {
    if (role === 'a') this.absMax.set(name, Math.max(this.absMax.get(name) ?? 0, absMax(x)));
    return { values: x, log2Scale: 0 };
  }
}

/** The activations' largest magnitudes on the float path over every batch: static scales that do not depend on batching. */
export function calibrate(program: Program, batches: Iterable<Readonly<Record<string, Tensor>>>): Map<string, number> {
  const recorder = new AbsMaxRecorder();
  for (const feeds of batches) program.run(feeds, { quantizer: recorder });
  return recorder.absMax;
}
