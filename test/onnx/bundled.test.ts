// The models lbamac ships as ONNX (models/lenet5.onnx, trained by scripts/train-lenet.ts;
// models/mnist-mlp.onnx, exported by scripts/export-mlp-onnx.ts) and the held-out digits they are
// scored on (models/mnist-test-{x,y}.npy): on the project's float path and on onnxruntime within
// 1e-4 relative on all 2,000 test digits; the CNN at least as accurate as its training note says;
// the ONNX MLP predicting as the JSON MLP's float64 inference; the files up to date.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { mlpOnnxBytes, MLP_ONNX, TEST_X, TEST_Y, testDigitsNpy } from '../../scripts/export-mlp-onnx.js';
import { LENET_LAYERS, LENET_NOTE, LENET_ONNX } from '../../scripts/train-lenet.js';
import { loadProgram } from '../../onnx/interpreter.js';
import { decodeModel } from '../../onnx/model.js';
import { type Tensor, tensor } from '../../onnx/tensor.js';
import { packagePath } from '../../util/package-root.js';
import { argmax, CLASSES, digitsOf, forward64, loadModel, PIXELS } from '../../workloads/mnist.js';
import { maxAbs, maxDiff, runOrt } from './support.js';

const read = (file: string) => new Uint8Array(readFileSync(packagePath(file)));

/** A .npy file's dtype, shape and elements, read here independently of the writer. */
function parseNpy(bytes: Uint8Array): { descr: string; shape: number[]; data: Float64Array } {
  expect(Array.from(bytes.subarray(0, 8))).to.deep.equal([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  const length = bytes[8]! | (bytes[9]! << 8);
  const header = Buffer.from(bytes.subarray(10, 10 + length)).toString('latin1');
  expect((10 + length) % 64, 'data aligned to 64 bytes').to.equal(0);
  const descr = /'descr': '([^']+)'/.exec(header)![1]!;
  expect(header).to.contain("'fortran_order': False");
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1]!.split(',').filter((s) => s.trim() !== '').map(Number);
  const body = bytes.slice(10 + length);
  const data = descr === '<f4' ? Float64Array.from(new Float32Array(body.buffer)) : descr === '|u1' ? Float64Array.from(body) : null;
  expect(data, `dtype ${descr}`).to.not.equal(null);
  return { descr, shape, data: data! };
}

/** Runs a model on the float path 250 images at a time (Conv's im2col of 2,000 images would be large). */
function floatPath(bytes: Uint8Array, x: Tensor): Float64Array {
  const program = loadProgram(bytes);
  const n = x.dims[0]!;
  const out = new Float64Array(n * CLASSES);
  for (let i = 0; i < n; i += 250) {
    const m = Math.min(250, n - i);
    const part = tensor([m, 1, 28, 28], x.data.subarray(i * PIXELS, (i + m) * PIXELS));
    out.set(program.run({ x: part }).get('logits')!.data, i * CLASSES);
  }
  return out;
}

/** The test digits from the .npy files: the input tensor and the labels. */
function testSet(): { input: Tensor; labels: number[] } {
  const x = parseNpy(read(TEST_X));
  return { input: tensor(x.shape, x.data), labels: Array.from(parseNpy(read(TEST_Y)).data) };
}

function predictions(logits: Float64Array): number[] {
  return Array.from({ length: logits.length / CLASSES }, (_, i) => argmax(logits.subarray(i * CLASSES, (i + 1) * CLASSES)));
}

describe('bundled models: the test digits as .npy', () => {
  const mlp = loadModel();
  const digits = digitsOf(mlp.split.test);

  it('hold the MLP split\'s test digits, float32 pixels [n, 1, 28, 28] and uint8 labels', () => {
    const x = parseNpy(read(TEST_X));
    const y = parseNpy(read(TEST_Y));
    expect([x.descr, x.shape]).to.deep.equal(['<f4', [digits.length, 1, 28, 28]]);
    expect([y.descr, y.shape]).to.deep.equal(['|u1', [digits.length]]);
    expect(x.data).to.deep.equal(Float64Array.from(digits.flatMap((d) => Array.from(d.pixels, Math.fround))));
    expect(Array.from(y.data)).to.deep.equal(digits.map((d) => d.label));
  });

  it('are what scripts/export-mlp-onnx.ts writes', () => {
    const { x, y } = testDigitsNpy();
    expect(Buffer.compare(read(TEST_X), x)).to.equal(0);
    expect(Buffer.compare(read(TEST_Y), y)).to.equal(0);
  });
});

describe('bundled models: models/lenet5.onnx', function () {
  this.timeout(120000);
  let bytes: Uint8Array;
  let note: { parameters: number; accuracy: { test: { correct: number; count: number } } };
  let input: Tensor;
  let labels: number[];
  let ours: Float64Array;
  before(() => {
    bytes = read(LENET_ONNX);
    note = JSON.parse(readFileSync(packagePath(LENET_NOTE), 'utf8')) as typeof note;
    ({ input, labels } = testSet());
    ours = floatPath(bytes, input);
  });

  it('is the LeNet-5 of its note: Conv, Relu, MaxPool, Flatten, Gemm; the layers and parameters it states', () => {
    const model = decodeModel(bytes);
    expect(model.nodes.map((n) => n.opType)).to.deep.equal(['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm']);
    expect([...model.initializers.values()].reduce((s, t) => s + t.data.length, 0)).to.equal(note.parameters);
    for (const l of LENET_LAYERS) {
      const w = model.initializers.get(l.weights)!;
      // Conv weights are out × in × 5 × 5, Gemm weights out × in (transB): N rows of K.
      expect([w.dims[0], w.data.length / w.dims[0]!], l.node).to.deep.equal([l.N, l.K]);
    }
  });

  it('matches onnxruntime within 1e-4 relative on the 2,000 test digits', async () => {
    const ref = (await runOrt(bytes, { x: input })).get('logits')!;
    expect(ref.dims).to.deep.equal([labels.length, CLASSES]);
    expect(maxDiff(ours, ref.data)).to.be.at.most(1e-4 * maxAbs(ref.data));
  });

  it('is at least as accurate on the float path as its training note says', () => {
    const correct = predictions(ours).filter((p, i) => p === labels[i]).length;
    expect(note.accuracy.test.count).to.equal(labels.length);
    expect(correct).to.be.at.least(note.accuracy.test.correct);
    expect(correct / labels.length).to.be.at.least(0.985);
  });
});

describe('bundled models: models/mnist-mlp.onnx', function () {
  this.timeout(120000);
  const model = loadModel();
  let bytes: Uint8Array;
  let input: Tensor;
  let ours: Float64Array;
  before(() => {
    bytes = read(MLP_ONNX);
    ({ input } = testSet());
    ours = floatPath(bytes, input);
  });

  it('is what scripts/export-mlp-onnx.ts makes of models/mnist-mlp.json', () => {
    expect(Buffer.compare(bytes, mlpOnnxBytes())).to.equal(0);
  });

  it('matches onnxruntime within 1e-4 relative on the 2,000 test digits', async () => {
    const ref = (await runOrt(bytes, { x: input })).get('logits')!;
    expect(ref.dims).to.deep.equal([input.dims[0], CLASSES]);
    expect(maxDiff(ours, ref.data)).to.be.at.most(1e-4 * maxAbs(ref.data));
  });

  it('predicts what the JSON MLP\'s float64 inference predicts', () => {
    expect(predictions(ours)).to.deep.equal(digitsOf(model.split.test).map((d) => argmax(forward64(model, d.pixels))));
  });
});
