// The trained MNIST MLP that lbamac ships (models/mnist-mlp.json), written as ONNX (Gemm + Relu per
// layer): the float path against onnxruntime within 1e-4 relative on real digits, and the same
// predictions as the MLP's own float64 inference.
import { expect } from 'chai';
import { encodeModel, type ModelSpec } from '../../onnx/builder.js';
import { loadProgram } from '../../onnx/interpreter.js';
import { tensor } from '../../onnx/tensor.js';
import { argmax, CLASSES, digitsOf, forward64, loadModel, type MlpModel, PIXELS } from '../../workloads/mnist.js';
import { maxAbs, maxDiff, runOrt } from './support.js';

function mlpSpec(m: MlpModel): ModelSpec {
  const initializers = Object.fromEntries(
    m.layers.flatMap((l, i) => [
      [`W${i}`, tensor([l.inputs, l.outputs], Float64Array.from(l.W.flat()))],
      [`b${i}`, tensor([l.outputs], Float64Array.from(l.b))],
    ]),
  );
  const nodes = m.layers.flatMap((l, i) => {
    const out = i === m.layers.length - 1 ? 'logits' : `h${i + 1}`;
    const gemm = { op: 'Gemm', name: `layer${i + 1}`, inputs: [i === 0 ? 'x' : `h${i}`, `W${i}`, `b${i}`], outputs: [l.activation === 'relu' ? `g${i + 1}` : out] };
    return l.activation === 'relu' ? [gemm, { op: 'Relu', inputs: [`g${i + 1}`], outputs: [out] }] : [gemm];
  });
  return { opset: 17, inputs: [{ name: 'x', dims: ['batch', PIXELS] }], outputs: [{ name: 'logits' }], initializers, nodes };
}

describe('onnx: the shipped MNIST MLP as an ONNX model', function () {
  this.timeout(120000);
  const model = loadModel();
  const digits = digitsOf(model.split.test.slice(0, 200));
  const x = tensor([digits.length, PIXELS], Float64Array.from(digits.flatMap((d) => Array.from(d.pixels))));
  const bytes = encodeModel(mlpSpec(model));

  it('matches onnxruntime within 1e-4 relative', async () => {
    const ref = (await runOrt(bytes, { x })).get('logits')!;
    const ours = loadProgram(bytes).run({ x }).get('logits')!;
    expect(ours.dims).to.deep.equal([digits.length, CLASSES]);
    expect(maxDiff(ours.data, ref.data)).to.be.at.most(1e-4 * maxAbs(ref.data));
  });

  it('predicts what the float64 MLP predicts', () => {
    const logits = loadProgram(bytes).run({ x }).get('logits')!.data;
    const ours = digits.map((_, i) => argmax(logits.subarray(i * CLASSES, (i + 1) * CLASSES)));
    expect(ours).to.deep.equal(digits.map((d) => argmax(forward64(model, d.pixels))));
  });
});
