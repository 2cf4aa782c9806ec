// Runs one named benchmark case in a fresh worker thread and posts its row back.
import { parentPort, workerData } from 'node:worker_threads';
import { benchCoreCase } from './core.js';
import { benchOnnxCase } from './onnx.js';
import { benchSimCase } from './sim.js';
import { benchSweepCase, float64Rate } from './sweep.js';
import { benchVerilatorCase } from './verilator.js';

const { suite, index } = workerData as { suite: string; index: number };
if (suite === 'core') parentPort!.postMessage(benchCoreCase(index));
else if (suite === 'sim') parentPort!.postMessage(benchSimCase(index));
else if (suite === 'sweep') parentPort!.postMessage(await benchSweepCase(index));
// The sweep case's float64 loop on one of several threads; `index` is how long, in seconds.
else if (suite === 'sweep-float64') parentPort!.postMessage(float64Rate(index));
else if (suite === 'onnx') parentPort!.postMessage(benchOnnxCase(index));
else if (suite === 'verilator') parentPort!.postMessage(benchVerilatorCase(index));
else throw new Error(`unknown bench suite ${suite}`);
