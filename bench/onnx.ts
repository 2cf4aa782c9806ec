// ONNX Conv layers on the array against the same GEMM alone (issue 12, item 6: within 1.5×, im2col
// included). "Conv" is what a sweep point spends on the layer: the interpreter's Conv with the
// activation quantized, im2col, the codes and the nonzero index of A, the sweep's GEMM, and the
// output unscaled with its bias (the weights prepared once, as in a sweep). "GEMM" is sweepGemm
// alone on the same A and B, already coded, indexed and checked finite: what a synthetic workload of the shape
// costs per point. "Conv + error" adds what per-layer answers need: each layer's exact sums.
import { resolveConfig } from '../config/resolve.js';
import { ArrayBackend } from '../onnx/array-backend.js';
import { attr, encodeModel } from '../onnx/builder.js';
import { loadProgram } from '../onnx/interpreter.js';
import { float64Backend, type GemmBackend } from '../onnx/linear.js';
import { calibrate, FormatQuantizer } from '../onnx/quantize.js';
import { sizeOf, type Tensor, tensor } from '../onnx/tensor.js';
import { prepareB, sweepGemm } from '../sweep/gemm.js';
import { allFinite, mat, nonzeroByRow, quantize } from '../workloads/matrix.js';
import { Rng } from '../workloads/rng.js';

interface Case {
  label: string;
  channels: number;
  outChannels: number;
  size: number;
  kernel: number;
  pad: number;
  batch: number;
}

export const ONNX_CASES: Case[] = [
  { label: 'LeNet-5 conv1: 1→6 channels, 5×5 on 28×28, 32 inputs', channels: 1, outChannels: 6, size: 28, kernel: 5, pad: 0, batch: 32 },
  { label: 'LeNet-5 conv2: 6→16 channels, 5×5 on 12×12, 32 inputs', channels: 6, outChannels: 16, size: 12, kernel: 5, pad: 0, batch: 32 },
  { label: 'ResNet-18 layer4 conv: 512→512 channels, 3×3 on 7×7 (K = 4608), 1 input', channels: 512, outChannels: 512, size: 7, kernel: 3, pad: 1, batch: 1 },
];

/** e4m3 inputs, exact products, the lba family's e4m7 accumulator (bias 10, flush to zero, saturating), rtz. */
const CONFIG = { a: 'e4m3', w: 'e4m3', product: 'exact', acc: 'e4m7_b10_ftz_none_sat', rounding: { input: 'rne', product: 'rne', acc: 'rtz' } };

export interface OnnxBenchRow {
  label: string;
  M: number;
  K: number;
  N: number;
  convSeconds: number;
  gemmSeconds: number;
  /** convSeconds / gemmSeconds: the target is at most 1.5. */
  ratio: number;
  /** With each GEMM's exact sums as well (a sweep point's per-layer error). */
  convMeasuredSeconds: number;
}

function randn(rng: Rng, dims: number[], scale: number, relu = false): Tensor {
  return tensor(dims, Float64Array.from({ length: sizeOf(dims) }, () => Math.fround(relu ? Math.max(0, rng.normal()) : rng.normal() * scale)));
}

/** The operands one GEMM call received. */
class Capture implements GemmBackend {
  call: { A: Float64Array; B: Float64Array; M: number; K: number; N: number } | null = null;
  constructor(private readonly inner: GemmBackend) {}
  gemm(A: Float64Array, B: Float64Array, M: number, K: number, N: number, node: string): Float64Array {
    this.call = { A, B, M, K, N };
    return this.inner.gemm(A, B, M, K, N, node);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function benchOnnxCase(index: number, rounds = 5): OnnxBenchRow {
  const c = ONNX_CASES[index]!;
  const rng = new Rng(11 + index);
  const taps = c.kernel * c.kernel;
  const program = loadProgram(
    encodeModel({
      opset: 17,
      inputs: [{ name: 'x', dims: ['batch', c.channels, c.size, c.size] }],
      outputs: [{ name: 'y' }],
      initializers: { w: randn(rng, [c.outChannels, c.channels, c.kernel, c.kernel], Math.sqrt(2 / (c.channels * taps))), b: randn(rng, [c.outChannels], 0.1) },
      nodes: [{ op: 'Conv', name: 'conv', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { pads: attr.ints([c.pad, c.pad, c.pad, c.pad]) } }],
    }),
  );
  // Post-ReLU activations: about half of them zero, as a Conv inside a network sees them.
  const x = randn(rng, [c.batch, c.channels, c.size, c.size], 1, c.channels > 1);
  const cfg = resolveConfig(CONFIG);
  const setup = { a: cfg.a, w: cfg.w, rounding: cfg.rounding.input, scale: 'pow2-max' as const, calibration: calibrate(program, [{ x }]) };
  const constants = new FormatQuantizer(setup);
  const conv = (measure: boolean) => () => program.run({ x }, { quantizer: new FormatQuantizer(setup, constants), backend: new ArrayBackend(cfg, { measure }) });

  // The same GEMM, its operands coded and indexed beforehand.
  const capture = new Capture(float64Backend);
  program.run({ x }, { quantizer: new FormatQuantizer(setup, constants), backend: capture });
  const { A, B, M, K, N } = capture.call!;
  const codes = quantize(mat(M, K, A), 0, cfg.a, 'rne');
  const rows = nonzeroByRow(codes);
  const finite = allFinite(codes);
  const prepared = prepareB(quantize(mat(K, N, B), 0, cfg.w, 'rne'), false);
  const gemm = () => sweepGemm(cfg, codes, prepared, rows, finite);

  const variants = [conv(false), gemm, conv(true)];
  for (const v of variants) v(); // warm-up (and the weights prepared once)
  const times = variants.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    variants.forEach((v, i) => {
      const t0 = performance.now();
      v();
      times[i]!.push((performance.now() - t0) / 1000);
    });
  }
  const [convSeconds, gemmSeconds, convMeasuredSeconds] = times.map(median) as [number, number, number];
  return { label: c.label, M, K, N, convSeconds, gemmSeconds, ratio: convSeconds / gemmSeconds, convMeasuredSeconds };
}
