import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../../core/errors.js';
import { parseFormatName } from '../../core/format.js';
import { absMax, decode, mat, prune24, scaleLog2 } from '../../workloads/matrix.js';
import { accuracy64, digitsOf, loadModel, makeSplit } from '../../workloads/mnist.js';
import { prepareWorkload, type PreparedMnist, type PreparedSynthetic } from '../../workloads/prepare.js';
import { syntheticMatrices } from '../../workloads/synthetic.js';
import { workloadSchema } from '../../workloads/schema.js';
import { tempDir } from '../support/tmp.js';

const e4m3 = parseFormatName('e4m3');
const setup = { a: e4m3, w: e4m3, inputRounding: 'rne' as const, sparsity: 'dense' as const };

describe('workloads: synthetic matrices, MNIST, preparation', function () {
  this.timeout(120_000);

  it('synthetic matrices are reproducible from the seed, with weights scaled by 1/sqrt(K)', () => {
    const spec = workloadSchema.parse({ name: 'g', kind: 'synthetic', dist: 'gaussian', M: 16, K: 400, N: 16, seed: 3 });
    if (spec.kind !== 'synthetic') throw new Error('unreachable');
    const one = syntheticMatrices(spec);
    expect(syntheticMatrices(spec)).to.deep.equal(one);
    expect(syntheticMatrices({ ...spec, seed: 4 }).A.data).to.not.deep.equal(one.A.data);
    const varB = one.B.data.reduce((s, x) => s + x * x, 0) / one.B.data.length;
    expect(varB * 400).to.be.closeTo(1, 0.1);
    const relu = syntheticMatrices({ ...spec, relu: true });
    expect(Math.min(...relu.A.data)).to.equal(0);
  });

  it('per-tensor scales put the largest magnitude in [1, 2); 2:4 pruning keeps the 2 largest of every 4', () => {
    for (const max of [1e-3, 0.75, 1, 1.999, 2, 300]) {
      const scaled = max * 2 ** scaleLog2(max);
      expect(scaled, String(max)).to.be.at.least(1).and.lessThan(2);
    }
    const b = mat(8, 1, Float64Array.from([1, -4, 3, 2, 0.5, 0.25, -0.75, 0]));
    expect(Array.from(prune24(b).data)).to.deep.equal([0, -4, 3, 0, 0.5, 0, -0.75, 0]);
  });

  it('a prepared synthetic workload: quantized inputs with the reference their exact product', () => {
    const spec = workloadSchema.parse({ name: 'g', kind: 'synthetic', dist: 'laplace', M: 8, K: 64, N: 8, seed: 2 });
    const p = prepareWorkload(spec, setup) as PreparedSynthetic;
    expect(prepareWorkload(spec, setup)).to.equal(p); // cached
    const A = decode(p.A);
    const B = decode(p.B.codes);
    expect(absMax(A)).to.be.at.least(1).and.lessThan(2);
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        let s = 0;
        for (let k = 0; k < 64; k++) s += A[i * 64 + k]! * B[k * 8 + j]!; // exact: e4m3 products and sums this short fit float64
        expect(p.ref[i * 8 + j]).to.equal(s);
      }
  });

  it('the MNIST split and the float64 accuracy of the shipped model are reproduced', () => {
    const model = loadModel();
    const split = makeSplit(model.split.seed, model.split.testCount);
    expect(split.test).to.deep.equal(model.split.test);
    const { correct } = accuracy64(model, digitsOf(split.test));
    expect(correct).to.equal(model.float64.testCorrect);
  });

  it('the prepared MLP with exact accumulation stays close to the float64 model', () => {
    const spec = workloadSchema.parse({ name: 'm', kind: 'mnist-mlp', testDigits: 300 });
    const p = prepareWorkload(spec, setup) as PreparedMnist;
    expect(p.labels).to.have.length(300);
    expect(Math.abs(p.accuracyExactAcc - p.accuracyFloat64)).to.be.lessThan(0.03);
  });

  it('a model file that is not one is an error naming it', () => {
    const bad = join(tempDir('model'), 'bad.json');
    writeFileSync(bad, '{"format":"other"}');
    expect(() => loadModel(bad)).to.throw(LbamacError, /bad\.json is not an lbamac-mlp-v1 model/);
  });
});
