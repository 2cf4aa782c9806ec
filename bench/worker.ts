// Runs one named benchmark case in a fresh worker thread and posts its row back.
import { parentPort, workerData } from 'node:worker_threads';
import { benchCoreCase } from './core.js';

const { suite, index } = workerData as { suite: string; index: number };
if (suite === 'core') parentPort!.postMessage(benchCoreCase(index));
else throw new Error(`unknown bench suite ${suite}`);
