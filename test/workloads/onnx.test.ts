// The onnx workload's schema and files: paths relative to the sweep config, every file checked
// against the others before any point runs, each error naming the file and the value.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../../core/errors.js';
import { encodeNpy } from '../../engine/npy.js';
import { attr, encodeModel } from '../../onnx/builder.js';
import { tensor } from '../../onnx/tensor.js';
import { loadSweepFile, parseSweep } from '../../sweep/grid.js';
import { describeOnnx } from '../../workloads/onnx.js';
import { Rng } from '../../workloads/rng.js';
import { randn, smallCnn, writeWorkload } from '../onnx/support.js';
import { tempDir } from '../support/tmp.js';

describe('workloads/onnx: the workload and its files', () => {
  const dir = tempDir('onnx-wl');
  const rng = new Rng(7);
  const cnn = smallCnn(rng);
  writeWorkload(dir, cnn, randn(rng, [5, 1, 16, 16]));
  const blocks = [{ name: 'e5', preset: 'ocp-fp8', acc: 'e5m7' }];
  const sweep = (over: Record<string, unknown> = {}) => ({ name: 's', workloads: [{ name: 'cnn', kind: 'onnx', model: 'm.onnx', inputs: 'x.npy', labels: 'y.npy', ...over }], blocks });
  const fails = (over: Record<string, unknown>, pattern: RegExp) => expect(() => parseSweep(sweep(over), 'sweep', dir)).to.throw(LbamacError, pattern);

  it('resolves the files against the sweep config file\'s directory and records them absolute', () => {
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(sweep()));
    const cfg = loadSweepFile(join(dir, 'sweep.json'));
    expect(cfg.workloads[0]).to.include({ model: join(dir, 'm.onnx'), inputs: join(dir, 'x.npy'), labels: join(dir, 'y.npy'), scale: 'pow2-max', batch: 32 });
    // The recorded config parses to itself (what a report's sweep.json and merge read).
    expect(parseSweep(JSON.parse(JSON.stringify(cfg)))).to.deep.equal(cfg);
  });

  it('describes the layers, classes and batching', () => {
    const info = describeOnnx(parseSweep(sweep({ limit: 4, batch: 3 }), 'sweep', dir).workloads[0] as never);
    expect(info).to.deep.include({ images: 4, batch: 3, input: 'x', output: 'probs', classes: 10 });
    expect(info.layers.map((l) => [l.name, l.op, l.M, l.K, l.N, l.calls, l.macsPerImage])).to.deep.equal([
      ['conv1', 'Conv', 256, 9, 4, 1, 256 * 9 * 4],
      ['conv2', 'Conv', 36, 36, 8, 1, 36 * 36 * 8],
      ['fc1', 'Gemm', 1, 72, 16, 1, 72 * 16],
      ['fc2', 'MatMul', 1, 16, 10, 1, 160],
    ]);
  });

  it('names a missing file', () => {
    fails({ model: 'nope.onnx' }, /workload cnn: cannot read the model .*nope\.onnx/);
    fails({ inputs: 'nope.npy' }, /workload cnn: cannot read the inputs .*nope\.npy/);
    fails({ labels: 'nope.npy' }, /workload cnn: cannot read the labels .*nope\.npy/);
  });

  it('names the inputs whose shape does not fit the model, and the axis', () => {
    writeFileSync(join(dir, 'x-wide.npy'), encodeNpy({ dtype: 'float32', shape: [5, 1, 16, 17], data: new Float64Array(5 * 16 * 17) }));
    fails({ inputs: 'x-wide.npy' }, /the inputs .*x-wide\.npy have shape \[5, 1, 16, 17\]; axis 3 is 17, but the model's input "x" is \[batch, 1, 16, 16\]/);
    writeFileSync(join(dir, 'x-flat.npy'), encodeNpy({ dtype: 'float32', shape: [5, 256], data: new Float64Array(5 * 256) }));
    fails({ inputs: 'x-flat.npy' }, /have shape \[5, 256\], but the model's input "x" is \[batch, 1, 16, 16\]: expected one input per row/);
    writeFileSync(join(dir, 'x-codes.npy'), encodeNpy({ dtype: 'uint8', shape: [5, 1, 16, 16], data: new Float64Array(5 * 256) }));
    fails({ inputs: 'x-codes.npy' }, /the inputs .*x-codes\.npy hold uint8; inputs are real values: save them as float32/);
  });

  it('names labels of the wrong count, shape or value', () => {
    const labels = (name: string, shape: number[], data: number[], dtype: 'int64' | 'float32' = 'int64') => writeFileSync(join(dir, name), encodeNpy({ dtype, shape, data }));
    labels('y4.npy', [4], [0, 1, 2, 3]);
    fails({ labels: 'y4.npy' }, /the labels .*y4\.npy hold 4 labels, but the inputs .*x\.npy hold 5 inputs/);
    labels('y2d.npy', [5, 2], Array(10).fill(0));
    fails({ labels: 'y2d.npy' }, /the labels .*y2d\.npy have shape \[5, 2\]; expected one label per input: \(N,\) or \(N, 1\)/);
    labels('yneg.npy', [5], [0, 1, -1, 3, 4]);
    fails({ labels: 'yneg.npy' }, /the labels .*yneg\.npy: label 2 is -1; labels are class indices/);
    labels('yfrac.npy', [5], [0, 1, 2.5, 3, 4], 'float32');
    fails({ labels: 'yfrac.npy' }, /label 2 is 2\.5/);
    labels('ybig.npy', [5], [0, 1, 2, 10, 4]);
    fails({ labels: 'ybig.npy' }, /label 3 is 10, but the model's output has 10 classes \(0\.\.9\)/);
    // (N, 1) labels and integer-valued floats are fine.
    labels('ycol.npy', [5, 1], [0, 1, 2, 3, 4], 'float32');
    expect(() => parseSweep(sweep({ labels: 'ycol.npy' }), 'sweep', dir)).not.to.throw();
  });

  it('names the options that do not fit: limit, output, scale; and unknown fields', () => {
    fails({ limit: 6 }, /"limit": 6, but the inputs .*x\.npy hold only 5 inputs/);
    fails({ output: 'nope' }, /"output": "nope" is not an output of the model .*m\.onnx; its outputs are "probs", "logits"/);
    fails({ scale: 'max' }, /scale/);
    fails({ batches: 3 }, /unknown key "batches"/);
  });

  it('refuses an unsupported operator, naming it and its node, before any point runs', () => {
    const spec = { ...cnn, nodes: cnn.nodes.map((n) => (n.op === 'Relu' && n.inputs[0] === 'c2' ? { ...n, op: 'LeakyRelu', name: 'act2' } : n)) };
    writeFileSync(join(dir, 'leaky.onnx'), encodeModel(spec));
    fails({ model: 'leaky.onnx' }, /node act2: operator LeakyRelu is not supported; lbamac runs /);
  });

  it('feeds models with one input only', () => {
    const two = {
      opset: 17,
      inputs: [{ name: 'x', dims: ['n', 2] }, { name: 'z', dims: ['n', 2] }],
      outputs: [{ name: 'y' }],
      nodes: [{ op: 'Add', inputs: ['x', 'z'], outputs: ['s'] }, { op: 'Gemm', name: 'g', inputs: ['s', 'w'], outputs: ['y'] }],
      initializers: { w: tensor([2, 2], Float64Array.of(1, 0, 0, 1)) },
    };
    writeFileSync(join(dir, 'two.onnx'), encodeModel(two));
    fails({ model: 'two.onnx' }, /the model .*two\.onnx has 2 inputs \("x", "z"\); an onnx workload feeds models with exactly one/);
  });

  it('a model that fixes its batch runs in batches of that size', () => {
    const fixed = { ...cnn, inputs: [{ name: 'x', dims: [5, 1, 16, 16] }], nodes: cnn.nodes.map((n) => ({ ...n, attrs: n.op === 'Softmax' ? { axis: attr.int(1) } : n.attrs })) };
    writeFileSync(join(dir, 'fixed.onnx'), encodeModel(fixed));
    expect(describeOnnx(parseSweep(sweep({ model: 'fixed.onnx' }), 'sweep', dir).workloads[0] as never).batch).to.equal(5);
    fails({ model: 'fixed.onnx', limit: 3 }, /fixes the batch of its input "x" at 5, and 3 inputs do not divide into batches of 5/);
  });
});
