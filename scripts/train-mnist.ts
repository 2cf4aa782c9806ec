// Trains the MNIST classifier of the sweeps and writes models/mnist-mlp.json.
//
//   npx tsx scripts/train-mnist.ts            train (about half a minute) and write the model
//   npx tsx scripts/train-mnist.ts --check    recompute the float64 accuracy of the written model
//
// A 784-128-10 MLP (ReLU, softmax cross-entropy), float64, Adam, minibatches of 32, on 8,000 of
// the 10,000 digits of the `mnist` npm package; the other 2,000 are the test set. Everything is
// seeded: the same command writes the same file on every machine.
import { writeFileSync } from 'node:fs';
import { CLASSES, accuracy64, digitsOf, forward64, loadModel, makeSplit, type MlpModel, PIXELS } from '../workloads/mnist.js';
import { packagePath } from '../util/package-root.js';
import { Rng } from '../workloads/rng.js';

const SEED = 20230516;
const HIDDEN = 128;
const EPOCHS = 8;
const BATCH = 32;
const LR = 1e-3;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;
const TEST = 2000;
const DIGITS = 6; // significant digits kept in the file
const OUT = 'models/mnist-mlp.json';

interface Params {
  W1: Float64Array; // PIXELS × HIDDEN
  b1: Float64Array;
  W2: Float64Array; // HIDDEN × CLASSES
  b2: Float64Array;
}

function zeros(): Params {
  return { W1: new Float64Array(PIXELS * HIDDEN), b1: new Float64Array(HIDDEN), W2: new Float64Array(HIDDEN * CLASSES), b2: new Float64Array(CLASSES) };
}

function train(): MlpModel {
  const split = makeSplit(SEED, TEST);
  const trainSet = digitsOf(split.train);
  const testSet = digitsOf(split.test);
  const rng = new Rng(SEED + 1);
  // He initialisation for the ReLU layer, Glorot-like for the output layer.
  const p = zeros();
  for (let i = 0; i < p.W1.length; i++) p.W1[i] = rng.normal() * Math.sqrt(2 / PIXELS);
  for (let i = 0; i < p.W2.length; i++) p.W2[i] = rng.normal() * Math.sqrt(1 / HIDDEN);
  const g = zeros();
  const m = zeros();
  const v = zeros();
  const keys = ['W1', 'b1', 'W2', 'b2'] as const;
  const h = new Float64Array(HIDDEN);
  const logits = new Float64Array(CLASSES);
  const dlog = new Float64Array(CLASSES);
  const dh = new Float64Array(HIDDEN);
  const nz = new Int32Array(PIXELS);
  let t = 0;
  const order = trainSet.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    rng.shuffle(order);
    let loss = 0;
    for (let start = 0; start < order.length; start += BATCH) {
      const batch = order.slice(start, start + BATCH);
      for (const k of keys) g[k].fill(0);
      for (const idx of batch) {
        const d = trainSet[idx]!;
        const x = d.pixels;
        let n = 0;
        for (let k = 0; k < PIXELS; k++) if (x[k] !== 0) nz[n++] = k;
        h.set(p.b1);
        for (let q = 0; q < n; q++) {
          const k = nz[q]!;
          const xv = x[k]!;
          const off = k * HIDDEN;
          for (let j = 0; j < HIDDEN; j++) h[j]! += xv * p.W1[off + j]!;
        }
        for (let j = 0; j < HIDDEN; j++) if (h[j]! < 0) h[j] = 0;
        logits.set(p.b2);
        for (let j = 0; j < HIDDEN; j++) {
          const hv = h[j]!;
          if (hv === 0) continue;
          for (let c = 0; c < CLASSES; c++) logits[c]! += hv * p.W2[j * CLASSES + c]!;
        }
        let mx = -Infinity;
        for (let c = 0; c < CLASSES; c++) mx = Math.max(mx, logits[c]!);
        let z = 0;
        for (let c = 0; c < CLASSES; c++) z += Math.exp(logits[c]! - mx);
        for (let c = 0; c < CLASSES; c++) dlog[c] = Math.exp(logits[c]! - mx) / z - (c === d.label ? 1 : 0);
        loss += -(logits[d.label]! - mx - Math.log(z));
        for (let c = 0; c < CLASSES; c++) g.b2[c]! += dlog[c]!;
        for (let j = 0; j < HIDDEN; j++) {
          const hv = h[j]!;
          let s = 0;
          for (let c = 0; c < CLASSES; c++) {
            g.W2[j * CLASSES + c]! += hv * dlog[c]!;
            s += p.W2[j * CLASSES + c]! * dlog[c]!;
          }
          dh[j] = hv > 0 ? s : 0;
        }
        for (let j = 0; j < HIDDEN; j++) g.b1[j]! += dh[j]!;
        for (let q = 0; q < n; q++) {
          const k = nz[q]!;
          const xv = x[k]!;
          const off = k * HIDDEN;
          for (let j = 0; j < HIDDEN; j++) g.W1[off + j]! += xv * dh[j]!;
        }
      }
      // Adam on the batch mean.
      t++;
      const c1 = 1 - BETA1 ** t;
      const c2 = 1 - BETA2 ** t;
      for (const k of keys) {
        const P = p[k], G = g[k], Mm = m[k], V = v[k];
        for (let i = 0; i < P.length; i++) {
          const gi = G[i]! / batch.length;
          Mm[i] = BETA1 * Mm[i]! + (1 - BETA1) * gi;
          V[i] = BETA2 * V[i]! + (1 - BETA2) * gi * gi;
          P[i]! -= (LR * (Mm[i]! / c1)) / (Math.sqrt(V[i]! / c2) + EPS);
        }
      }
    }
    process.stderr.write(`epoch ${epoch + 1}/${EPOCHS}: mean training loss ${(loss / order.length).toFixed(4)}\n`);
  }

  const round = (x: number) => Number(x.toPrecision(DIGITS)) + 0; // + 0 turns -0 into 0
  const rows = (W: Float64Array, cols: number) => Array.from({ length: W.length / cols }, (_, r) => Array.from(W.subarray(r * cols, (r + 1) * cols), round));
  const model: MlpModel = {
    format: 'lbamac-mlp-v1',
    about: 'A 784-128-10 ReLU MLP for MNIST digits: the real-classifier workload of lbamac sweeps. W is inputs × outputs (the GEMM\'s B); logits = W2ᵀ·relu(W1ᵀ·x + b1) + b2.',
    made: {
      command: 'npx tsx scripts/train-mnist.ts',
      data: 'the 10,000 digits of the mnist npm package 1.1.0, pixels in [0, 1]',
      architecture: `${PIXELS}-${HIDDEN}-${CLASSES}, ReLU, softmax cross-entropy`,
      init: 'He normal (layer 1), N(0, 1/128) (layer 2), zero biases',
      optimizer: `Adam (lr ${LR}, betas ${BETA1}/${BETA2}, eps ${EPS}), minibatches of ${BATCH}, ${EPOCHS} epochs, float64`,
      seed: SEED,
      weights: `rounded to ${DIGITS} significant digits; every accuracy below is of the rounded weights`,
    },
    split: {
      method: `every (class, index) of the package, shuffled with lbamac's xoshiro128** seeded ${SEED}; the first ${TEST} are the test set, the other ${trainSet.length} the training set`,
      seed: SEED,
      trainCount: trainSet.length,
      testCount: TEST,
      test: split.test,
    },
    calibration: { inputAbsMax: [] },
    float64: { trainAccuracy: 0, testAccuracy: 0, testCorrect: 0, testCount: TEST },
    layers: [
      { inputs: PIXELS, outputs: HIDDEN, activation: 'relu', W: rows(p.W1, HIDDEN), b: Array.from(p.b1, round) },
      { inputs: HIDDEN, outputs: CLASSES, activation: 'none', W: rows(p.W2, CLASSES), b: Array.from(p.b2, round) },
    ],
  };
  // Accuracy and the static activation scales come from the rounded weights, as shipped.
  const absMax = model.layers.map(() => 0);
  for (const d of trainSet) {
    const trace: Float64Array[] = [];
    forward64(model, d.pixels, trace);
    trace.forEach((x, i) => {
      for (const v of x) absMax[i] = Math.max(absMax[i]!, Math.abs(v));
    });
  }
  model.calibration.inputAbsMax = absMax.map(round);
  const test = accuracy64(model, testSet);
  model.float64 = { trainAccuracy: accuracy64(model, trainSet).accuracy, testAccuracy: test.accuracy, testCorrect: test.correct, testCount: TEST };
  return model;
}

function check(): void {
  const model = loadModel(OUT);
  const test = accuracy64(model, digitsOf(model.split.test));
  const same = test.correct === model.float64.testCorrect;
  console.log(`${OUT}: float64 test accuracy ${(100 * test.accuracy).toFixed(2)}% (${test.correct}/${model.split.test.length}); the file says ${(100 * model.float64.testAccuracy).toFixed(2)}%: ${same ? 'reproduced' : 'DIFFERENT'}`);
  if (!same) process.exitCode = 1;
}

if (process.argv.includes('--check')) check();
else {
  const t0 = Date.now();
  const model = train();
  // One weight row per line: readable diffs, about 1 MB.
  const inline = (key: string, value: unknown): unknown =>
    key === 'W' ? (value as unknown[]).map((r) => JSON.stringify(r)) : key === 'test' || key === 'b' || key === 'inputAbsMax' ? JSON.stringify(value) : value;
  const text = JSON.stringify(model, inline, 1).replace(/"(\[[^"]*\])"/g, '$1');
  writeFileSync(packagePath(OUT), text + '\n');
  console.log(`wrote ${OUT}: float64 accuracy train ${(100 * model.float64.trainAccuracy).toFixed(2)}%, test ${(100 * model.float64.testAccuracy).toFixed(2)}% (${model.float64.testCorrect}/${TEST}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
