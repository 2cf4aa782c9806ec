// The LeNet trainer without training: its backward pass against central differences of its loss,
// and its ONNX export computing what its own forward pass computes (weight layouts, flatten order).
import { expect } from 'chai';
import { encodeModel } from '../../onnx/builder.js';
import { loadProgram } from '../../onnx/interpreter.js';
import { digitTensor, lenetSpec, Net } from '../../scripts/train-lenet.js';
import { digitsOf, loadModel, makeSplit } from '../../workloads/mnist.js';
import { Rng } from '../../workloads/rng.js';

describe('scripts/train-lenet', () => {
  const { seed, testCount } = loadModel().split;
  const digits = digitsOf(makeSplit(seed, testCount).train.slice(0, 6));

  /** A randomly initialised net with small random biases too, so every bias gradient is exercised. */
  function randomNet(seed: number): Net {
    const rng = new Rng(seed);
    const net = new Net();
    net.init(rng);
    for (let i = 0; i < net.params.length; i++) net.params[i]! += 0.01 * rng.normal();
    return net;
  }

  it('computes the gradient of its loss (central differences, 400 parameters)', () => {
    const net = randomNet(5);
    const rng = new Rng(6);
    const d = digits[3]!;
    const loss = (): number => {
      net.load(d, 1, -2);
      net.grads.fill(0);
      return net.backward(d.label);
    };
    loss();
    const g = Float64Array.from(net.grads);
    // Every conv1 weight and bias (the first 156), then parameters drawn from all layers.
    const picks = [...Array.from({ length: 156 }, (_, i) => i), ...Array.from({ length: 244 }, () => rng.int(net.params.length))];
    for (const i of picks) {
      const saved = net.params[i]!;
      const h = 1e-5;
      net.params[i] = saved + h;
      const up = loss();
      net.params[i] = saved - h;
      const down = loss();
      net.params[i] = saved;
      const numeric = (up - down) / (2 * h);
      expect(Math.abs(numeric - g[i]!), `parameter ${i}`).to.be.at.most(1e-6 * Math.max(1, Math.abs(numeric)));
    }
  });

  it('writes an ONNX model that computes its own forward pass', () => {
    const net = randomNet(7);
    const logits = loadProgram(encodeModel(lenetSpec(net.tensors()))).run({ x: digitTensor(digits) }).get('logits')!.data;
    // The ONNX model holds float32 weights and rounds every tensor to float32: close, not equal.
    digits.forEach((d, i) => {
      net.load(d);
      const own = net.forward();
      const scale = Math.max(...Array.from(own, Math.abs));
      for (let c = 0; c < 10; c++) expect(Math.abs(logits[i * 10 + c]! - own[c]!), `digit ${i}, logit ${c}`).to.be.at.most(1e-5 * scale);
    });
  });
});
