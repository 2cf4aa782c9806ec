// Workload descriptions as a sweep config writes them (zod: validation, defaults, TS types).
import { z } from 'zod';
import { SCALE_POLICIES } from '../onnx/quantize.js';

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit')
  .describe('a short label used in outputs and plots');

export const distributionSchema = z.enum(['gaussian', 'laplace', 'student-t', 'uniform']).describe('gaussian: N(0,1); laplace: heavier tails; student-t: heavy tails (nu degrees of freedom); uniform: U(0,1), positive (sums without cancellation)');

export const syntheticSchema = z
  .object({
    name,
    kind: z.literal('synthetic'),
    dist: distributionSchema.describe('distribution of the activations A (and of the weights B unless wDist is given)'),
    wDist: distributionSchema.optional().describe('distribution of the weights B; default: dist'),
    nu: z.number().int().min(1).max(64).default(3).describe('degrees of freedom of student-t'),
    relu: z.boolean().default(false).describe('A = max(0, x): post-ReLU activations'),
    M: z.number().int().min(1).max(4096).default(64).describe('rows of A (outputs per column)'),
    K: z.number().int().min(1).max(65536).describe('reduction length: products summed per output'),
    N: z.number().int().min(1).max(4096).default(64).describe('columns of B'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  })
  .strict();

export const mnistSchema = z
  .object({
    name,
    kind: z.literal('mnist-mlp'),
    model: z.string().optional().describe('model JSON; default: the trained models/mnist-mlp.json shipped with lbamac'),
    testDigits: z.number().int().min(1).max(2000).default(2000).describe('how many of the test split\'s digits to classify (the first ones)'),
  })
  .strict();

export const onnxSchema = z
  .object({
    name,
    kind: z.literal('onnx'),
    model: z.string().min(1).describe('the .onnx model; a relative path is relative to the sweep config file'),
    inputs: z.string().min(1).describe('.npy of float inputs, one per row of the first axis (e.g. N×1×28×28), fed to the model\'s one input; relative to the sweep config file'),
    labels: z.string().min(1).describe('.npy of the N class labels (integers), for top-1 accuracy; relative to the sweep config file'),
    output: z.string().optional().describe('the graph output holding the class scores; default: the first'),
    scale: z.enum(SCALE_POLICIES).default('pow2-max').describe('per-tensor scale before rounding into the input formats: pow2-max puts each tensor\'s largest magnitude (activations: calibrated over the inputs) in [1, 2); none rounds the values as they are (docs/onnx.md)'),
    limit: z.number().int().min(1).optional().describe('use only the first N inputs'),
    batch: z.number().int().min(1).max(4096).default(32).describe('inputs per interpreter run: memory against per-run overhead; the results do not depend on it'),
  })
  .strict();

export const workloadSchema = z.discriminatedUnion('kind', [syntheticSchema, mnistSchema, onnxSchema]);

export type WorkloadInput = z.input<typeof workloadSchema>;
export type WorkloadSpec = z.output<typeof workloadSchema>;
export type SyntheticSpec = z.output<typeof syntheticSchema>;
export type MnistSpec = z.output<typeof mnistSchema>;
export type OnnxSpec = z.output<typeof onnxSchema>;
