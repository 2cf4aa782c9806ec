// The built-in sweep that `lbamac sweep` runs without --config: the low-bit-accumulator trade-off
// at a glance, in under 5 minutes on two cores: e4m3 inputs, exact products, and the accumulator
// varied (mantissa 1..10 bits in two exponent families, rounding rtz and rne, chunk none and 16);
// the paper's lba configuration as it stands, and fp32 accumulation as the baseline.
import type { SweepInput } from './schema.js';

export const DEFAULT_SWEEP: SweepInput = {
  name: 'default',
  description:
    "Accumulator mantissa 1..10 bits with 4 exponent bits (bias 10, flush to zero, no inf/NaN, saturation: the lba family, whose e4m7 is the paper's 12-bit accumulator) and with 5 exponent bits (IEEE-style, bias 15: e5m10 is fp16), rounding rtz and rne, chunk none and 16, on e4m3 inputs with exact products (fused), so that the accumulator is the only rounding after the inputs; the lba preset as the paper configures it (e4m7 products with bias 12, chunk 16, rtz); fp32 accumulation as the baseline.",
  workloads: [
    { name: 'gauss-k1024', kind: 'synthetic', dist: 'gaussian', M: 64, K: 1024, N: 64, seed: 1 },
    { name: 'laplace-k1024', kind: 'synthetic', dist: 'laplace', M: 64, K: 1024, N: 64, seed: 2 },
    { name: 'mnist-mlp', kind: 'mnist-mlp' },
  ],
  blocks: [
    {
      name: 'e4-b10',
      preset: 'ocp-fp8',
      acc: { exp: 4, man: { from: 1, to: 10 }, bias: 10, subnormals: false, specials: 'none', overflow: 'saturate' },
      rounding: ['rtz', 'rne'],
      chunk: [null, 16],
    },
    {
      name: 'e5-ieee',
      preset: 'ocp-fp8',
      acc: { exp: 5, man: { from: 1, to: 10 } },
      rounding: ['rtz', 'rne'],
      chunk: [null, 16],
    },
    { name: 'lba', preset: 'lba' },
    { name: 'fp32', role: 'baseline', preset: 'ocp-fp8' },
  ],
};
