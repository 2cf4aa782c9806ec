// `npm run bench`: every benchmark, side by side in one run; a table on stdout, JSON in out/.
// `npm run bench -- sweep onnx` runs only the suites named (core, sim, sweep, onnx, verilator).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { BENCH_K, BENCH_SIGMA, CORE_CASES, type CoreBenchRow } from './core.js';
import { formatRate } from './measure.js';
import { ONNX_CASES, type OnnxBenchRow } from './onnx.js';
import { SIM_BENCH_K, SIM_CASES, type SimBenchRow } from './sim.js';
import { SWEEP_BENCH_SHAPE, SWEEP_CASES, type SweepBenchRow } from './sweep.js';
import { VERILATOR_CASES, type VerilatorBenchRow } from './verilator.js';

function inWorker<T>(suite: string, index: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: { suite, index } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

const report: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
const SUITES = ['core', 'sim', 'sweep', 'onnx', 'verilator'];
const only = process.argv.slice(2);
for (const name of only) if (!SUITES.includes(name)) throw new Error(`bench: unknown suite ${name} (the suites: ${SUITES.join(', ')})`);
const wanted = (suite: string) => only.length === 0 || only.includes(suite);

if (wanted('core')) {
  console.log(`core: rounded multiply-adds per second, one thread; K = ${BENCH_K} dot products of N(0, ${BENCH_SIGMA}^2) inputs`);
  console.log('  target: MacKernel >= 1/10 of the float64 loop');
  const core: CoreBenchRow[] = [];
  for (let i = 0; i < CORE_CASES.length; i++) {
    const r = await inWorker<CoreBenchRow>('core', i);
    core.push(r);
    console.log(`  ${r.label} (${r.path} path)`);
    const [kernel, generic] = CORE_CASES[i]!.fixed !== undefined ? ['FixedKernel', 'bigint kernel'] : r.path === 'dot' ? ['DotKernel', 'generic ops'] : ['MacKernel', 'generic ops'];
    console.log(`    ${kernel} ${formatRate(r.kernel.opsPerSecond)}  ${generic} ${r.generic === null ? '-' : formatRate(r.generic.opsPerSecond)}  float64 ${formatRate(r.float64.opsPerSecond)}  kernel/float64 = 1/${(1 / r.ratio).toFixed(1)}`);
  }
  report.core = core;
}

if (wanted('sim')) {
  console.log(`sim: simulated PE-cycles per second (rows · cols · cycles / wall time), one thread; 2 × 2 tiles, K = ${SIM_BENCH_K}`);
  console.log('  target: 3× Verilator\'s rate on the generated RTL of the 16×16 array, 2× on the 8×8 (see verilator below); then the dot-product cell and the fixed-point register');
  const sim: SimBenchRow[] = [];
  for (let i = 0; i < SIM_CASES.length; i++) {
    const r = await inWorker<SimBenchRow>('sim', i);
    sim.push(r);
    console.log(`  ${r.label}: ${r.job.M}×${r.job.K} by ${r.job.K}×${r.job.N}, ${r.cycles} cycles`);
    const step = r.wasmStep ? `WebAssembly step, ${r.overJsStep.toFixed(2)}× the JavaScript step` : 'JavaScript step';
    console.log(`    ${formatRate(r.peCyclesPerSecond)} PE-cycles (${formatRate(r.cyclesPerSecond)} cycles)  ${step}  peak RSS ${r.maxRssMB.toFixed(0)} MB  worker heap ${r.heapMB.toFixed(1)} MB`);
  }
  report.sim = sim;
}

if (wanted('sweep')) {
  const shape = SWEEP_BENCH_SHAPE;
  console.log(`sweep: rounded multiply-accumulates per second through the sweep engine, beside a float64 multiply-accumulate loop over the same matrices on as many threads; Gaussian ${shape.M}×${shape.K} by ${shape.K}×${shape.N}, e4m3 inputs, e4/e5 accumulators`);
  console.log('  target: >= 50 M/s per thread, scaling with threads');
  const sweep: SweepBenchRow[] = [];
  for (let i = 0; i < SWEEP_CASES.length; i++) {
    const r = await inWorker<SweepBenchRow>('sweep', i);
    sweep.push(r);
    const perThread = r.macsPerSecond / r.threads;
    const scaling = r.threads > 1 ? `  ${(r.macsPerSecond / sweep[0]!.macsPerSecond).toFixed(2)}× one thread` : '';
    const met = perThread >= 50e6 ? 'met' : 'NOT met';
    console.log(`  ${r.label}: ${formatRate(r.macsPerSecond)} MACs, ${formatRate(perThread)} per thread (${met})${scaling}  (${r.points} points, ${(r.terms / 1e6).toFixed(0)}M MACs in ${r.seconds.toFixed(1)} s)`);
    console.log(`    float64 loop ${formatRate(r.float64MacsPerSecond)}  engine/float64 = 1/${(1 / r.ratio).toFixed(1)}`);
  }
  report.sweep = sweep;
}

if (wanted('onnx')) {
  console.log('onnx: a Conv layer through the interpreter on the array (im2col, codes, GEMM, output) against the same GEMM alone, one thread; e4m3 inputs, e4m7 b10 rtz accumulator');
  console.log('  target: Conv <= 1.5 × GEMM');
  const onnx: OnnxBenchRow[] = [];
  for (let i = 0; i < ONNX_CASES.length; i++) {
    const r = await inWorker<OnnxBenchRow>('onnx', i);
    onnx.push(r);
    const met = r.ratio <= 1.5 ? 'met' : 'NOT met';
    console.log(`  ${r.label}: ${r.M}×${r.K} by ${r.K}×${r.N}`);
    console.log(`    Conv ${(1000 * r.convSeconds).toFixed(0)} ms  GEMM ${(1000 * r.gemmSeconds).toFixed(0)} ms  Conv/GEMM = ${r.ratio.toFixed(2)} (${met})  Conv with per-layer error ${(1000 * r.convMeasuredSeconds).toFixed(0)} ms`);
  }
  report.onnx = onnx;
}

if (wanted('verilator')) {
  console.log('verilator: the generated RTL under Verilator (-O3; build timed apart) beside the simulator, same arrays and stimulus as sim');
  const verilator: VerilatorBenchRow[] = [];
  for (let i = 0; i < VERILATOR_CASES.length; i++) {
    const r = await inWorker<VerilatorBenchRow>('verilator', i);
    verilator.push(r);
    const build = r.verilator.buildSeconds === null ? 'build cached' : `build ${r.verilator.buildSeconds.toFixed(0)} s`;
    console.log(`  ${r.label}: ${r.job.M}×${r.job.K} by ${r.job.K}×${r.job.N}, ${r.cycles} cycles`);
    const target = VERILATOR_CASES[i]!.targetOverVerilator;
    const met = 1 / r.ratio >= target ? 'met' : 'NOT met';
    console.log(`    Verilator ${formatRate(r.verilator.cyclesPerSecond)} cycles (${build})  simulator ${formatRate(r.sim.cyclesPerSecond)} cycles  simulator/Verilator = ${(1 / r.ratio).toFixed(2)} (target ${target}: ${met})`);
  }
  report.verilator = verilator;
}

mkdirSync('out', { recursive: true });
writeFileSync('out/bench.json', JSON.stringify(report, null, 2) + '\n');
console.log('wrote out/bench.json');
