// onnx workloads through the sweep: a small CNN end to end (accuracy, the baselines, events per
// layer, outputs), per-layer answers on a network whose answer is known by construction, shards
// merged into the unsharded results (mixed points made by merge), and one layer's GEMM bit-exact
// with `lbamac gemm --engine core`.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addEvents, zeroEvents } from '../../core/events.js';
import { encodeNpy, parseNpy } from '../../engine/npy.js';
import { resolveConfig } from '../../config/resolve.js';
import { ArrayBackend } from '../../onnx/array-backend.js';
import type { GemmBackend } from '../../onnx/linear.js';
import { pruned24 } from '../../onnx/prune.js';
import { FormatQuantizer } from '../../onnx/quantize.js';
import { tensor } from '../../onnx/tensor.js';
import { expandSweep, parseSweep, type PointSpec } from '../../sweep/grid.js';
import { layerStudies } from '../../sweep/per-layer.js';
import { runPoint, type PointResult } from '../../sweep/point.js';
import { mergeSweeps, runSweep, type SweepRunResult } from '../../sweep/run.js';
import { prepareOnnx, runNetwork } from '../../workloads/onnx.js';
import { Rng } from '../../workloads/rng.js';
import type { OnnxSpec } from '../../workloads/schema.js';
import { lbamac } from '../cli/run.js';
import { randn, smallCnn, writeWorkload } from '../onnx/support.js';
import { tempDir } from '../support/tmp.js';
import { timeless } from './fixtures.js';

const plain = (rs: readonly PointResult[]) => JSON.parse(JSON.stringify(rs.map(timeless))) as unknown[];

/** The lba family: 4 exponent bits, bias 10, flush to zero, no inf/NaN, saturation; rtz. */
const lba = (from: number, to: number) => ({ exp: 4, man: { from, to }, bias: 10, subnormals: false, specials: 'none', overflow: 'saturate' });

/**
 * Conv2's first GEMM of a point as the sweep runs it (through its preparation's pruning on a 2:4
 * array), checked against `lbamac gemm --engine core` on the same operands; returns the array's
 * per-node totals and the B the GEMM was given.
 */
function conv2AgainstGemmCore(point: PointSpec): { array: ArrayBackend; B: Float64Array; K: number; N: number } {
  const cfg = resolveConfig(point.config);
  const prep = prepareOnnx(point.workload as OnnxSpec, { a: cfg.a, w: cfg.w, inputRounding: cfg.rounding.input, sparsity: cfg.sparsity });
  const array = new ArrayBackend(cfg);
  let call: { A: Float64Array; B: Float64Array; M: number; K: number; N: number; D: Float64Array } | null = null;
  const capture: GemmBackend = {
    gemm(A, B, M, K, N, node) {
      const D = array.gemm(A, B, M, K, N, node);
      if (node === 'conv2' && !call) call = { A, B, M, K, N, D };
      return D;
    },
  };
  runNetwork(prep.data, { quantizer: new FormatQuantizer(prep.setup, prep.constants), backend: prep.pruner ? pruned24(capture, prep.pruner) : capture });
  const { A, B, M, K, N, D } = call!;
  const files = tempDir('onnx-gemm');
  writeFileSync(join(files, 'config.json'), JSON.stringify(point.config));
  writeFileSync(join(files, 'a.npy'), encodeNpy({ dtype: 'float64', shape: [M, K], data: A }));
  writeFileSync(join(files, 'b.npy'), encodeNpy({ dtype: 'float64', shape: [K, N], data: B }));
  const run = lbamac('gemm', '--config', join(files, 'config.json'), '--a', join(files, 'a.npy'), '--b', join(files, 'b.npy'), '--engine', 'core', '--values', join(files, 'd.npy'));
  expect(run.status, run.stderr).to.equal(0);
  const values = parseNpy(readFileSync(join(files, 'd.npy')), 'd.npy');
  expect(values.shape).to.deep.equal([M, N]);
  expect(Array.from(values.data)).to.deep.equal(Array.from(D));
  return { array, B, K, N };
}

describe('sweep: onnx workloads', function () {
  this.timeout(300_000);

  describe('a small CNN end to end', () => {
    const dir = tempDir('onnx-sweep');
    const rng = new Rng(99);
    writeWorkload(dir, smallCnn(rng), randn(rng, [6, 1, 16, 16]));
    const config = parseSweep(
      {
        name: 'cnn',
        workloads: [{ name: 'cnn', kind: 'onnx', model: 'm.onnx', inputs: 'x.npy', labels: 'y.npy', batch: 4 }],
        blocks: [
          { name: 'lba', preset: 'ocp-fp8', acc: lba(5, 8), rounding: ['rne'], perLayer: { tolerance: 0.05 } },
          { name: 'fp32', role: 'baseline', preset: 'ocp-fp8' },
        ],
      },
      'sweep',
      dir,
    );
    const sweep = expandSweep(config);
    let full: SweepRunResult;
    const out = join(dir, 'out');

    before(async () => {
      full = await runSweep({ config, outDir: out, workers: 2 });
    });

    it('runs grid, layer and mixed points, with accuracy, the baselines and events per layer', () => {
      const roles = full.results.map((r) => r.role);
      expect(roles.filter((r) => r === 'grid')).to.have.length(4);
      expect(roles.filter((r) => r === 'layer')).to.have.length(4 * 3);
      expect(roles.filter((r) => r === 'baseline')).to.have.length(1);
      expect(roles.filter((r) => r === 'mixed')).to.have.length(1);
      for (const r of full.results) {
        expect(r.kind).to.equal('onnx');
        expect(r.images).to.equal(6);
        expect(r.accuracy).to.be.within(0, 1);
        // The labels are the float path's predictions; onnxruntime agrees with it.
        expect([r.accuracyFloat64, r.accuracyOrt]).to.deep.equal([1, 1]);
        expect(r.layers.map((l) => l.name)).to.deep.equal(['conv1', 'conv2', 'fc1', 'fc2']);
        expect(r.layers.reduce((e, l) => addEvents(e, l.events), zeroEvents())).to.deep.equal(r.events);
        expect(r.terms).to.equal(r.layers.reduce((n, l) => n + l.terms, 0));
      }
      const fp32 = full.results.find((r) => r.role === 'baseline')!;
      expect(fp32.accuracy).to.equal(fp32.accuracyExactAcc);
      // Narrower accumulators swamp more.
      const grid = full.results.filter((r) => r.role === 'grid');
      expect(grid[0]!.events.swamping).to.be.greaterThan(grid[3]!.events.swamping);
      expect(grid[0]!.metrics.nrmse).to.be.greaterThan(grid[3]!.metrics.nrmse);
    });

    it('computes each point on the workers as runPoint does here', () => {
      // A grid, a layer and the baseline point (onnxruntime's accuracy is the main thread's).
      const some = [sweep.points[0]!, sweep.points.find((p) => p.role === 'layer')!, sweep.points.find((p) => p.role === 'baseline')!];
      const theirs = some.map((p) => ({ ...full.results.find((r) => r.id === p.id)!, accuracyOrt: undefined }));
      expect(plain(theirs)).to.deep.equal(plain(some.map(runPoint)));
    });

    it('writes the per-layer table and the report', () => {
      const csv = readFileSync(join(out, 'per-layer.csv'), 'utf8').trim().split('\n');
      expect(csv).to.have.length(1 + 4 + 1); // header, a row per layer, the mixed network
      expect(csv[1]).to.match(/^cnn,lba,e4m8_b10_ftz_none,0.05,conv1,Conv,9,256,4,1,9216,/);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).to.include('Per-layer answers').and.include('onnxruntime float32 100.0%');
      expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).perLayer).to.have.length(5);
    });

    it('shards merged equal the unsharded run, mixed points made by merge', async () => {
      const shards = [1, 2].map((i) => join(dir, `shard-${i}`));
      for (const [i, d] of shards.entries()) {
        const r = await runSweep({ config, outDir: d, selection: { shard: { index: i + 1, count: 2 }, only: null }, workers: 1 });
        expect(r.results.some((x) => x.role === 'mixed')).to.equal(false);
      }
      const merged = await mergeSweeps(shards, { outDir: join(dir, 'merged'), workers: 2 });
      expect(plain(merged.results)).to.deep.equal(plain(full.results));
      expect(readFileSync(join(dir, 'merged', 'per-layer.csv'), 'utf8')).to.equal(readFileSync(join(out, 'per-layer.csv'), 'utf8'));
    });

    it('one layer\'s GEMM as the sweep runs it equals lbamac gemm --engine core on its operands', () => {
      const point = sweep.points.find((p) => p.role === 'grid')!;
      // The captured run is the point's: the same events in every layer.
      expect(conv2AgainstGemmCore(point).array.perNode.get('conv2')!.events).to.deep.equal(runPoint(point).layers[1]!.events);
    });
  });

  describe('a 2:4 sparse array on the small CNN: every GEMM on weights pruned along K', () => {
    const dir = tempDir('onnx-sparse');
    const rng = new Rng(99);
    writeWorkload(dir, smallCnn(rng), randn(rng, [6, 1, 16, 16]));
    const workloads = [{ name: 'cnn', kind: 'onnx', model: 'm.onnx', inputs: 'x.npy', labels: 'y.npy', batch: 4 }];
    const block = { name: 'lba', preset: 'ocp-fp8', acc: lba(7, 7), rounding: ['rne'] };
    const run = (sparsity: string) => runSweep({ config: parseSweep({ name: 'cnn', workloads, blocks: [{ ...block, sparsity: [sparsity] }] }, 'sweep', dir), outDir: join(dir, sparsity.replace(':', '-')), workers: 1 });

    it('prunes each layer (counted per layer), runs fewer terms than the dense array, and is bit-exact with gemm --engine core on the pruned B', async () => {
      const [dense, sparse] = [(await run('dense')).results[0]!, (await run('2:4')).results[0]!];
      for (const [i, l] of sparse.layers.entries()) {
        expect(l.pruned, l.name).to.not.equal(undefined);
        expect(l.pruned!.zeroed, l.name).to.be.greaterThan(0).and.below(l.pruned!.nonzeros);
        expect(l.terms, l.name).to.be.below(dense.layers[i]!.terms);
        expect(dense.layers[i]!.pruned).to.equal(undefined);
      }
      const point = expandSweep(parseSweep({ name: 'cnn', workloads, blocks: [{ ...block, sparsity: ['2:4'] }] }, 'sweep', dir)).points[0]!;
      const { array, B, K, N } = conv2AgainstGemmCore(point);
      expect(array.perNode.get('conv2')!.events).to.deep.equal(sparse.layers[1]!.events);
      // At most 2 nonzeros in every aligned group of 4 along K, in every column.
      for (let j = 0; j < N; j++) for (let g = 0; g < K; g += 4) expect([0, 1, 2, 3].filter((r) => g + r < K && B[(g + r) * N + j] !== 0).length).to.be.at.most(2);
    });
  });

  describe('per-layer answers where the answer is known by construction', () => {
    // x = 1 → "wide": K = 1, 32 copies of x → "long": K = 32, logits [Σ h, Σ h/2] = [32, 16].
    // Every value is a power of two, so only the sums round. "wide" is exact on any accumulator.
    // "long" with rtz: m mantissa bits hold the integers up to 2^(m+1), so Σ of 32 ones stalls at
    // 16 with m = 3 (each further 1 is half an ulp and truncated) and is exact from m = 4.
    const dir = tempDir('onnx-known');
    const n = 3;
    writeWorkload(
      dir,
      {
        opset: 17,
        inputs: [{ name: 'x', dims: ['n', 1] }],
        outputs: [{ name: 'logits' }],
        initializers: { w1: tensor([1, 32], new Float64Array(32).fill(1)), w2: tensor([32, 2], Float64Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? 1 : 0.5))) },
        nodes: [
          { op: 'Gemm', name: 'wide', inputs: ['x', 'w1'], outputs: ['h'] },
          { op: 'Gemm', name: 'long', inputs: ['h', 'w2'], outputs: ['logits'] },
        ],
      },
      tensor([n, 1], new Float64Array(n).fill(1)),
    );
    const config = parseSweep(
      {
        name: 'known',
        workloads: [{ name: 'known', kind: 'onnx', model: 'm.onnx', inputs: 'x.npy', labels: 'y.npy' }],
        blocks: [{ name: 'lba', preset: 'ocp-fp8', acc: lba(3, 6), rounding: ['rtz'], perLayer: true }],
      },
      'sweep',
      dir,
    );

    it('the long layer needs m = 4, the short one any; mixed, they are exact', async () => {
      const r = await runSweep({ config, outDir: join(dir, 'out'), workers: 2 });
      const [study] = layerStudies(r.sweep, r.results);
      expect(study!.reference.acc).to.equal('e4m6_b10_ftz_none');
      const narrowest = Object.fromEntries(study!.layers.map((l) => [l.name, l.narrowest && resolveConfig(l.narrowest.config).acc.man]));
      expect(narrowest).to.deep.equal({ wide: 3, long: 4 });
      const long = study!.layers.find((l) => l.name === 'long')!;
      // On m = 3 the long layer is half its exact value (NRMSE 0.5) and swamps.
      const m3 = long.candidates[long.candidates.length - 1]!;
      expect(m3.layer.metrics!.nrmse).to.equal(0.5);
      expect(m3.holds).to.equal(false);
      expect(m3.layer.events.swamping).to.be.greaterThan(0);
      const mixed = r.results.find((x) => x.role === 'mixed')!;
      expect(mixed.id).to.equal(study!.mixed!.id);
      expect(Object.keys(mixed.perLayer!)).to.deep.equal(['wide', 'long']);
      expect(mixed.metrics.nrmse).to.equal(0);
      expect(mixed.accuracy).to.equal(1);
    });
  });
});
