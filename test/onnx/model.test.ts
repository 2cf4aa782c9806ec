// Reading and writing ModelProto: what the builder writes decodes to the same graph, tensors come
// back from raw_data and from the typed fields, and a model lbamac cannot run fails with a message
// that names the operator and the node (or the tensor) before any work is done.
import { expect } from 'chai';
import { LbamacError } from '../../core/errors.js';
import { attr, encodeModel, type ModelSpec } from '../../onnx/builder.js';
import { loadProgram, Program } from '../../onnx/interpreter.js';
import { decodeModel } from '../../onnx/model.js';
import { ModelProto } from '../../onnx/proto.js';
import { tensor } from '../../onnx/tensor.js';
import { Rng } from '../../workloads/rng.js';
import { ints, randn } from './support.js';

const rng = new Rng(7);
const W = randn(rng, [2, 3]);

function spec(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    opset: 17,
    inputs: [{ name: 'x', dims: ['batch', 2] }],
    outputs: [{ name: 'y' }],
    initializers: { W, shape: ints([-1, 3]) },
    nodes: [
      { op: 'MatMul', name: 'mm', inputs: ['x', 'W'], outputs: ['h'] },
      { op: 'Reshape', inputs: ['h', 'shape'], outputs: ['y'] },
    ],
    ...overrides,
  };
}

function throwsLbamac(f: () => unknown, ...parts: string[]): void {
  expect(f).to.throw(LbamacError);
  try {
    f();
  } catch (e) {
    for (const p of parts) expect((e as Error).message).to.contain(p);
  }
}

describe('onnx model files', () => {
  for (const rawData of [true, false]) {
    it(`decodes what the builder writes (tensors in ${rawData ? 'raw_data' : 'float_data and int64_data'})`, () => {
      const m = decodeModel(encodeModel(spec({ rawData })));
      expect(m.opset).to.equal(17);
      expect(m.producer).to.equal('lbamac');
      expect(m.inputs).to.deep.equal([{ name: 'x', dtype: 'float32', dims: ['batch', 2] }]);
      expect(m.outputs.map((o) => o.name)).to.deep.equal(['y']);
      expect(m.initializers.get('W')).to.deep.equal(W);
      expect(m.initializers.get('shape')).to.deep.equal(ints([-1, 3]));
      expect(m.nodes.map((n) => [n.name, n.opType, n.inputs, n.outputs])).to.deep.equal([
        ['mm', 'MatMul', ['x', 'W'], ['h']],
        ['Reshape_1', 'Reshape', ['h', 'shape'], ['y']],
      ]);
    });
  }

  it('decodes every attribute type the operators read', () => {
    const t = tensor([2], Float64Array.of(1.5, -2));
    const m = decodeModel(
      encodeModel(
        spec({
          nodes: [
            { op: 'Identity', inputs: ['x'], outputs: ['y'], attrs: { i: attr.int(-3), f: attr.float(0.25), s: attr.string('SAME_UPPER'), is: attr.ints([1, 2]), fs: attr.floats([0.5]), t: attr.tensor(t) } },
          ],
        }),
      ),
    );
    expect(Object.fromEntries(m.nodes[0]!.attrs)).to.deep.equal({ i: -3, f: 0.25, s: 'SAME_UPPER', is: [1, 2], fs: [0.5], t });
  });

  it('does not count an initializer listed among the inputs (IR < 4 style) as an input to feed', () => {
    const m = decodeModel(encodeModel(spec({ inputs: [{ name: 'x', dims: ['batch', 2] }, { name: 'W', dims: [2, 3] }] })));
    expect(m.inputs.map((i) => i.name)).to.deep.equal(['x']);
  });

  it('runs a graph whose nodes are stored out of order', () => {
    const s = spec();
    const reversed = loadProgram(encodeModel({ ...s, nodes: [...s.nodes].reverse() }));
    expect(reversed.order.map((n) => n.opType)).to.deep.equal(['MatMul', 'Reshape']);
    const x = randn(rng, [3, 2]);
    expect(reversed.run({ x }).get('y')).to.deep.equal(loadProgram(encodeModel(s)).run({ x }).get('y'));
  });

  it('names the operator and the node of an unsupported operator', () => {
    throwsLbamac(() => loadProgram(encodeModel(spec({ nodes: [{ op: 'LSTM', name: 'rnn_7', inputs: ['x'], outputs: ['y'] }] }))), 'node rnn_7', 'LSTM', 'not supported', 'Conv');
    throwsLbamac(() => loadProgram(encodeModel(spec({ nodes: [{ op: 'Relu', domain: 'com.microsoft', name: 'r', inputs: ['x'], outputs: ['y'] }] }))), 'node r', 'com.microsoft.Relu');
  });

  it('names the node of an attribute it does not understand, or a value it cannot take', () => {
    throwsLbamac(() => loadProgram(encodeModel(spec({ nodes: [{ op: 'Relu', name: 'r', inputs: ['x'], outputs: ['y'], attrs: { alpha: attr.float(1) } }] }))), 'node r (Relu)', 'alpha');
    const p = loadProgram(
      encodeModel({
        opset: 17,
        inputs: [{ name: 'x', dims: [1, 1, 4, 4] }],
        outputs: [{ name: 'y' }],
        nodes: [{ op: 'MaxPool', name: 'pool', inputs: ['x'], outputs: ['y'], attrs: { kernel_shape: attr.ints([2, 2]), auto_pad: attr.string('SAME') } }],
      }),
    );
    throwsLbamac(() => p.run({ x: randn(rng, [1, 1, 4, 4]) }), 'node pool (MaxPool)', 'auto_pad', 'SAME_UPPER');
    const indices = spec({ nodes: [{ op: 'MaxPool', name: 'pool', inputs: ['x'], outputs: ['y', 'idx'], attrs: { kernel_shape: attr.ints([2]) } }] });
    throwsLbamac(() => loadProgram(encodeModel(indices)), 'node pool (MaxPool)', 'output 1');
  });

  it('rejects what it cannot read, saying what', () => {
    throwsLbamac(() => decodeModel(Uint8Array.of(0xff, 0xff, 0xff), 'm.onnx'), 'm.onnx', 'not an ONNX model');
    throwsLbamac(() => loadProgram(encodeModel(spec({ opset: 6 }))), 'operator set 6');
    const external = ModelProto.encode(
      ModelProto.fromObject({ opsetImport: [{ version: 17 }], graph: { initializer: [{ name: 'big', dims: [2], dataType: 1, dataLocation: 1, externalData: [{ key: 'location', value: 'w.bin' }] }] } }),
    ).finish();
    throwsLbamac(() => decodeModel(external, 'm.onnx'), 'initializer "big"', 'external file');
    const doubles = ModelProto.encode(ModelProto.fromObject({ opsetImport: [{ version: 17 }], graph: { initializer: [{ name: 'd', dims: [1], dataType: 11, doubleData: [1] }] } })).finish();
    throwsLbamac(() => decodeModel(doubles), 'initializer "d"', 'data type 11');
  });

  it('checks the inputs it is given against the model', () => {
    const p: Program = loadProgram(encodeModel(spec()));
    throwsLbamac(() => p.run({}), 'input "x" was not given');
    throwsLbamac(() => p.run({ x: randn(rng, [3, 4]) }), 'input "x"', '[3, 4]', '[batch, 2]');
    throwsLbamac(() => p.run({ x: randn(rng, [3, 2]), z: randn(rng, [1]) }), '"z" is not an input');
  });
});
