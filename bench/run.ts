// `npm run bench`: every benchmark, side by side in one run; a table on stdout, JSON in out/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { BENCH_K, BENCH_SIGMA, CORE_CASES, type CoreBenchRow } from './core.js';
import { formatRate } from './measure.js';

function inWorker<T>(suite: string, index: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: { suite, index } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

const report: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };

console.log(`core: rounded multiply-adds per second, one thread; K = ${BENCH_K} dot products of N(0, ${BENCH_SIGMA}^2) inputs`);
console.log('  target: MacKernel >= 1/10 of the float64 loop');
const core: CoreBenchRow[] = [];
for (let i = 0; i < CORE_CASES.length; i++) {
  const r = await inWorker<CoreBenchRow>('core', i);
  core.push(r);
  console.log(`  ${r.label} (${r.path} path)`);
  console.log(`    MacKernel ${formatRate(r.kernel.opsPerSecond)}  generic ops ${formatRate(r.generic.opsPerSecond)}  float64 ${formatRate(r.float64.opsPerSecond)}  kernel/float64 = 1/${(1 / r.ratio).toFixed(1)}`);
}
report.core = core;

mkdirSync('out', { recursive: true });
writeFileSync('out/bench.json', JSON.stringify(report, null, 2) + '\n');
console.log('wrote out/bench.json');
