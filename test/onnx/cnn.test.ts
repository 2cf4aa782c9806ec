// A whole CNN on the float path (no quantization, float64 GEMMs, float32 elsewhere) against
// onnxruntime, within the 1e-4 relative of issue 12, and the same answers whatever the batching.
import { expect } from 'chai';
import { encodeModel } from '../../onnx/builder.js';
import { loadProgram } from '../../onnx/interpreter.js';
import { tensor } from '../../onnx/tensor.js';
import { Rng } from '../../workloads/rng.js';
import { expectMatchesOrt, randn, slice, smallCnn } from './support.js';

describe('onnx: a small CNN on the float path', () => {
  const rng = new Rng(99);
  const model = smallCnn(rng);
  const x = randn(rng, [6, 1, 16, 16]);

  it('matches onnxruntime within 1e-4 relative', () => expectMatchesOrt(model, { x }, 1e-4));

  it('gives each image the same outputs alone as in a batch', () => {
    const p = loadProgram(encodeModel(model));
    const whole = p.run({ x }).get('probs')!;
    const parts = [slice(x, 0, 1), slice(x, 1, 3), slice(x, 4, 2)].map((b) => p.run({ x: b }).get('probs')!);
    expect(tensor(whole.dims, Float64Array.from(parts.flatMap((t) => Array.from(t.data))))).to.deep.equal(whole);
  });
});
