// Per-image time of an onnx sweep on this machine, for planning a cluster run (docs/sweeps.md,
// "Scale-out"): a ResNet-18-shaped model with random weights (scripts/resnet18.ts), random inputs,
// one worker thread.
//
//   npx tsx scripts/onnx-image-time.ts [--images N] [--size S] [--write DIR]
//
// Prints, per input image: the preparation a worker does once per input setup (the float path
// with its calibration, the quantized weights, the exact-accumulation reference), one sweep point
// (every Conv and Gemm on the array: e4m3 inputs, e4m7 and e4m6 accumulators with bias 10, rtz;
// the first point run twice, since it also lays out the weights), and onnxruntime's float32
// run; then what 1,000 images cost for the sweep of examples/onnx-cnn on this model. --write DIR keeps the model, inputs and labels there (the docs' cluster example).
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../config/resolve.js';
import { encodeNpy } from '../engine/npy.js';
import { encodeModel } from '../onnx/builder.js';
import { expandSweep, parseSweep } from '../sweep/grid.js';
import { type PointResult, runPoint } from '../sweep/point.js';
import { describeOnnx } from '../workloads/onnx.js';
import { ortAccuracy } from '../workloads/onnx-ort.js';
import { prepareWorkload } from '../workloads/prepare.js';
import { Rng } from '../workloads/rng.js';
import type { OnnxSpec } from '../workloads/schema.js';
import { resnet18 } from './resnet18.js';

function option(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

const images = Number(option('images', '1'));
const size = Number(option('size', '224'));
const dir = option('write', join(tmpdir(), `lbamac-resnet18-${process.pid}`));
mkdirSync(dir, { recursive: true });

const rng = new Rng(18);
const model = resnet18(18, size);
writeFileSync(join(dir, 'resnet18.onnx'), encodeModel(model));
const pixels = images * 3 * size * size;
writeFileSync(join(dir, 'x.npy'), encodeNpy({ dtype: 'float32', shape: [images, 3, size, size], data: Float64Array.from({ length: pixels }, () => Math.fround(rng.normal())) }));
// Random labels: the weights are random too, so accuracy means nothing here; the time is the point.
writeFileSync(join(dir, 'y.npy'), encodeNpy({ dtype: 'int64', shape: [images], data: Array.from({ length: images }, () => rng.int(1000)) }));

const lba = { exp: 4, bias: 10, subnormals: false, specials: 'none', overflow: 'saturate' };
const config = parseSweep(
  {
    name: 'resnet18-time',
    workloads: [{ name: 'resnet18', kind: 'onnx', model: 'resnet18.onnx', inputs: 'x.npy', labels: 'y.npy', batch: 1 }],
    blocks: [{ name: 'lba', preset: 'ocp-fp8', acc: { ...lba, man: [7, 6] }, rounding: ['rtz'] }],
  },
  'sweep',
  dir,
);
const spec = config.workloads[0] as OnnxSpec;
const info = describeOnnx(spec);
const macs = info.layers.reduce((n, l) => n + l.macsPerImage, 0);
const [first, second] = expandSweep(config).points;

const seconds = (f: () => void) => {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
};
const cfg = resolveConfig(first!.config);
const prep = seconds(() => prepareWorkload(spec, { a: cfg.a, w: cfg.w, inputRounding: cfg.rounding.input, sparsity: 'dense' })) / images;
// The first point also lays out the weights for the array (once per weight format, a few seconds
// for ResNet-18): a point's own cost is the mean of the two after it.
const [, other, again] = [first!, second!, first!].map((p) => runPoint(p)) as [PointResult, PointResult, PointResult];
const point = (other.seconds + again.seconds) / 2 / images;
const terms = other.terms / images;
const t0 = performance.now();
await ortAccuracy(spec);
const ort = (performance.now() - t0) / 1000 / images;

// The sweep of examples/onnx-cnn on this model: lba m = 3..10 rtz, an fp32 baseline, per-layer
// answers (a layer point per layer and per accumulator but the widest), one mixed network.
const widths = 8;
const layerPoints = info.layers.length * (widths - 1);
const sweepPoints = widths + 1 + layerPoints + 1;
const per1000 = 1000 * (sweepPoints * point + prep);
const f = (x: number, d = 1) => x.toFixed(d);
console.log(`ResNet-18-shaped model (random weights), ${size}×${size} inputs, ${info.layers.length} Conv/Gemm layers, ${f(macs / 1e9, 2)} G multiply-accumulates per image; files in ${dir}`);
console.log(`measured on ${images} image${images === 1 ? '' : 's'}, one thread (load average while measuring: ${loadavg().map((x) => x.toFixed(1)).join(', ')} on ${availableParallelism()} cores):`);
console.log(`  preparation (float path, calibration, quantized weights, exact-accumulation reference): ${f(prep)} s per image, once per worker and input setup`);
console.log(`  one sweep point: ${f(point)} s per image (${f(terms / 1e6, 0)} M nonzero products, ${f(terms / point / 1e6)} M per second, each layer's error against its exact sums included)`);
console.log(`  onnxruntime float32: ${f(ort, 3)} s per image (loading the model included)`);
console.log(`  peak memory: ${f(process.resourceUsage().maxRSS / 1024, 0)} MB (one worker's: the model, its quantized and laid-out weights, a batch's activations)`);
console.log(`1,000 images, the examples/onnx-cnn sweep on this model: ${widths + 1} grid and baseline points, ${layerPoints} layer points, 1 mixed = ${sweepPoints} points`);
console.log(`  ${sweepPoints} × ${f(point)} s + ${f(prep)} s preparation = ${f(per1000 / 3600, 0)} CPU-hours per 1,000 images (one worker's preparation; each worker repeats it)`);
