// A sweep worker thread: receives points, computes them (sweep/point.ts) and posts the results
// back. Prepared workloads stay cached in the thread, so each is built once per worker.
import { parentPort } from 'node:worker_threads';
import { LbamacError } from '../core/errors.js';
import type { PointSpec } from './grid.js';
import { runPoint } from './point.js';
import type { FromWorker, ToWorker } from './pool.js';

const port = parentPort!;
port.on('message', (msg: ToWorker) => {
  let reply: FromWorker;
  try {
    reply = { kind: 'result', result: runPoint(msg.point as PointSpec) };
  } catch (err) {
    const e = err as Error;
    reply = { kind: 'error', user: err instanceof LbamacError, message: e.message, stack: e.stack ?? '' };
  }
  port.postMessage(reply);
});
