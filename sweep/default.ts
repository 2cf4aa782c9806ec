// The built-in sweep that `lbamac sweep` runs without --config: the low-bit-accumulator trade-off
// at a glance, in about 2.5 minutes on two idle cores (528 points and 15 PE syntheses, about 5.6
// CPU-minutes with an empty synthesis cache; up to 5 minutes on shared cores). e4m3 inputs with exact products (fused), so the
// accumulator is the only rounding after the inputs, varied over mantissa 1..10 bits in the lba
// family (4 exponent bits, bias 10, flush to zero, no inf/NaN, saturation: its e4m7 is the
// paper's 12-bit accumulator) with rounding rtz and rne and chunk none and 16, and in the
// IEEE-style 5-exponent-bit family (bias 15, rtz and rne, no chunk: e5m10 is fp16, and
// e5m10/e5m7/e5m6 are the paper's table 8 formats); the lba preset as the paper configures it;
// fp32 as the baseline. Workloads: Gaussian matrices with K from 64 to 4096 (how the needed
// mantissa grows with K), heavier-tailed Laplace ones, and the MNIST classifier on its 2000
// held-out test digits; the other accumulator architectures (presets, stochastic rounding) beside.
// Area per PE from Yosys (technology-independent gates+FFs) for a representative subset,
// synthesized while the points run: the lba family with rtz and no chunk (m = 1..10: the
// accuracy-against-area trade-off), the lba preset and the fp32 baseline (the ratio the paper
// estimates), the fixed-point registers and the rsr cell at m = 7; 15 PEs of 1 to 30 s each.
import type { SweepInput } from './schema.js';

/** Every workload but the CNN, which runs the lba curve and the baseline only (time). */
const SYNTHETIC = ['gauss-k64', 'gauss-k256', 'gauss-k1024', 'gauss-k4096', 'laplace-k1024', 'uniform-k4096'];
const CLASSIC = ['mnist-mlp', ...SYNTHETIC];

export const DEFAULT_SWEEP: SweepInput = {
  name: 'default',
  description:
    "Accumulator mantissa 1..10 bits with 4 exponent bits (bias 10, flush to zero, no inf/NaN, saturation: the lba family, whose e4m7 is the paper's 12-bit accumulator; rounding rtz and rne, chunk none and 16) and with 5 exponent bits (IEEE-style, bias 15, rtz and rne: e5m10 is fp16), on e4m3 inputs with exact products (fused), so that the accumulator is the only rounding after the inputs; the lba preset as the paper configures it (e4m7 products with bias 12, chunk 16, rtz); fp32 accumulation as the baseline. Area per PE (Yosys, gates+FFs) for the 4-exponent-bit rtz unchunked accumulators, the lba preset and fp32. Workloads: Gaussian matrices with K = 64 to 4096, Laplace (heavier-tailed) with K = 1024, and a 784-128-10 MLP classifying the 2000 MNIST test digits.",
  area: 'yosys-gates',
  workloads: [
    { name: 'mnist-mlp', kind: 'mnist-mlp', testDigits: 2000 },
    // The bundled LeNet-5 (docs/onnx.md) on 300 of its held-out digits: 85 M MACs a point. Paths
    // are relative to the package (the default sweep has no file of its own).
    { name: 'lenet5', kind: 'onnx', model: 'models/lenet5.onnx', inputs: 'models/mnist-test-x.npy', labels: 'models/mnist-test-y.npy', limit: 300, batch: 50 },
    { name: 'gauss-k64', kind: 'synthetic', dist: 'gaussian', M: 32, K: 64, N: 32, seed: 1 },
    { name: 'gauss-k256', kind: 'synthetic', dist: 'gaussian', M: 32, K: 256, N: 32, seed: 1 },
    { name: 'gauss-k1024', kind: 'synthetic', dist: 'gaussian', M: 32, K: 1024, N: 32, seed: 1 },
    { name: 'gauss-k4096', kind: 'synthetic', dist: 'gaussian', M: 32, K: 4096, N: 32, seed: 1 },
    { name: 'laplace-k1024', kind: 'synthetic', dist: 'laplace', M: 32, K: 1024, N: 32, seed: 2 },
    // Positive inputs, so that every output's relative error is the accumulator's (the tensorcore finding).
    { name: 'uniform-k4096', kind: 'synthetic', dist: 'uniform', M: 16, K: 4096, N: 16, seed: 3 },
  ],
  blocks: [
    {
      name: 'e4-b10',
      preset: 'ocp-fp8',
      acc: { exp: 4, man: { from: 1, to: 10 }, bias: 10, subnormals: false, specials: 'none', overflow: 'saturate' },
      rounding: ['rtz', 'rne'],
      chunk: [null, 16],
      area: { rounding: ['rtz'], chunk: [null] },
      workloads: CLASSIC,
    },
    // The CNN on the lba family with rtz, unchunked (the curve with area), and its baseline below.
    {
      name: 'e4-b10-cnn',
      preset: 'ocp-fp8',
      acc: { exp: 4, man: { from: 1, to: 10 }, bias: 10, subnormals: false, specials: 'none', overflow: 'saturate' },
      rounding: ['rtz'],
      area: false,
      workloads: ['lenet5'],
    },
    { name: 'e5-ieee', preset: 'ocp-fp8', acc: { exp: 5, man: { from: 1, to: 10 } }, rounding: ['rtz', 'rne'], chunk: [null], area: false, workloads: CLASSIC },
    { name: 'lba', preset: 'lba', workloads: CLASSIC },
    { name: 'lba-floor', preset: 'lba-floor', area: false, workloads: CLASSIC },
    // Other accumulator architectures beside the FMA cells: a tensor-core-like dot-product cell
    // with and without promotion into fp32 (no area: Yosys takes over 15 CPU-minutes on its
    // 32-lane PE), and exact and int32-wide fixed-point registers with their PEs' area.
    { name: 'tensorcore-fp8', preset: 'tensorcore-fp8', chunk: [128, null], area: false, workloads: CLASSIC },
    { name: 'kulisch-fp8', preset: 'kulisch-fp8', workloads: CLASSIC },
    { name: 'int32-fixed', preset: 'int32-fixed', workloads: CLASSIC },
    // Stochastic rounding (8 random bits per draw) on the lba family beside its rtz and rne curves,
    // with the cost of the draw units at m = 7. Synthetic workloads only: an rsr point runs the
    // core's general path, a Threefry draw per term, several times slower per MAC than the others.
    {
      name: 'e4-b10-rsr',
      preset: 'ocp-fp8',
      acc: { exp: 4, man: { from: 3, to: 10 }, bias: 10, subnormals: false, specials: 'none', overflow: 'saturate' },
      rounding: ['rsr'],
      config: { rounding: { randomBits: 8, seed: 1 } },
      area: { man: [7] },
      workloads: SYNTHETIC,
    },
    { name: 'fp32', role: 'baseline', preset: 'ocp-fp8' },
  ],
};
