import { expect } from 'chai';
import type { GemmBackend } from '../../onnx/linear.js';
import { Pruner, pruned24 } from '../../onnx/prune.js';

describe('onnx/prune: 2:4 pruning of each GEMM B along K', () => {
  // K = 6 (a full group and a partial one of 2), N = 2.
  const B = Float64Array.of(
    1, -8, //
    -3, 0,
    2, 0.5,
    0.5, -0.5,
    4, 1,
    -4, 2,
  );

  it('keeps the 2 largest magnitudes of each aligned group of 4 per column (ties: the lower row), counts per node, and prunes a B once', () => {
    const pruner = new Pruner();
    const out = pruner.prune(B, 6, 2, 'fc');
    // Column 0: group 1, -3, 2, 0.5 keeps -3 and 2; the partial group 4, -4 keeps both.
    // Column 1: -8, 0, 0.5, -0.5 keeps -8 and 0.5 (the tie with -0.5 keeps the lower row).
    expect(Array.from(out)).to.deep.equal([0, -8, -3, 0, 2, 0.5, 0, 0, 4, 1, -4, 2]);
    expect(pruner.perNode.get('fc')).to.deep.equal({ zeroed: 3, nonzeros: 11 });
    expect(pruner.prune(B, 6, 2, 'fc')).to.equal(out);
    expect(pruner.perNode.get('fc')).to.deep.equal({ zeroed: 3, nonzeros: 11 });
    expect(Array.from(B)).to.deep.equal([1, -8, -3, 0, 2, 0.5, 0.5, -0.5, 4, 1, -4, 2]);
  });

  it('hands the wrapped backend the pruned B', () => {
    const seen: Float64Array[] = [];
    const inner: GemmBackend = { gemm: (_A, b) => (seen.push(b), new Float64Array(2)) };
    pruned24(inner, new Pruner()).gemm(new Float64Array(6), B, 1, 6, 2, 'fc');
    expect(Array.from(seen[0]!)).to.deep.equal([0, -8, -3, 0, 2, 0.5, 0, 0, 4, 1, -4, 2]);
  });
});
