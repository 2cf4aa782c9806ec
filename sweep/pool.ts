// Points computed on worker threads, one per core by default. Each worker takes the next point
// as soon as it posts a result; results are handed to the caller one at a time, in the order
// they arrive, so the caller can journal each before the next.
//
// The worker entry is sweep/worker.ts under tsx (tests, `node --import tsx`) and the compiled
// sweep/worker.js next to this file in dist/ (the CLI); likewise sweep/synth-worker for the
// synthesis threads (synth-threads.ts). Node does not pass tsx's loader hooks to worker threads,
// so a .ts worker starts from a one-line bootstrap that registers tsx first.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LbamacError } from '../core/errors.js';
import type { PointSpec } from './grid.js';
import type { PointResult } from './point.js';

export interface ToWorker {
  point: PointSpec;
}

export type FromWorker = { kind: 'result'; result: PointResult } | { kind: 'error'; user: boolean; message: string; stack: string };

export function defaultWorkers(): number {
  return availableParallelism();
}

/** A worker thread running the module `entry` of this directory (its name without extension). */
export function startWorker(entry: string): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, here));
  const target = new URL(`./${entry}.ts`, here).href;
  const bootstrap = `import(${JSON.stringify(tsxEsmApi(here))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/**
 * The URL of tsx's ESM API, from its package.json's export map. Not import.meta.resolve: tsx may
 * have loaded this file as CommonJS (mocha requires ESM when it can), where import.meta is only
 * partly emulated; and not require.resolve, which picks the CommonJS build.
 */
function tsxEsmApi(from: string): string {
  const pkgPath = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}

/**
 * Computes every point on up to `workers` threads. `onResult` is awaited for each result before
 * the next result is handed over. The first failure stops every worker and rejects.
 */
export function runInWorkers(points: readonly PointSpec[], workers: number, onResult: (r: PointResult) => Promise<void> | void): Promise<void> {
  if (points.length === 0) return Promise.resolve();
  const count = Math.max(1, Math.min(workers, points.length));
  return new Promise<void>((resolve, reject) => {
    const pool: Worker[] = [];
    let next = 0;
    let finished = 0;
    let failed = false;
    let chain: Promise<void> = Promise.resolve();
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const w of pool) void w.terminate();
      reject(err);
    };
    const feed = (w: Worker) => {
      if (next < points.length) w.postMessage({ point: points[next++]! } satisfies ToWorker);
      else void w.terminate();
    };
    for (let i = 0; i < count; i++) {
      const w = startWorker('worker');
      pool.push(w);
      w.on('message', (msg: FromWorker) => {
        if (failed) return;
        if (msg.kind === 'error') {
          fail(msg.user ? new LbamacError(msg.message) : Object.assign(new Error(msg.message), { stack: msg.stack }));
          return;
        }
        feed(w);
        chain = chain.then(async () => {
          if (failed) return;
          await onResult(msg.result);
          if (++finished === points.length) resolve();
        });
        chain.catch(fail);
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (!failed && finished < points.length && code !== 0 && code !== 1) fail(new Error(`a sweep worker exited with code ${code}`));
      });
      feed(w);
    }
  });
}
