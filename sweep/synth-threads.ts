// Synthesis off the main thread. Yosys runs as WebAssembly in the thread that calls it and holds
// that thread for the whole synthesis (a second to several seconds per PE): in the sweep's main
// thread it would stop the dispatch of points to the point workers and serialize synthesis with
// the accuracy work. The sweep's area provider therefore hands each PE to a small pool of threads
// of its own (sweep/synth-worker.ts), started when first needed, one per core at most; the
// operating system shares the cores between them and the point workers, so both kinds of work
// progress together and the sweep ends when the total work is done.
import type { Worker } from 'node:worker_threads';
import { LbamacError } from '../core/errors.js';
import type { CanonicalConfig } from '../config/canonical.js';
import { startWorker } from './pool.js';
import type { SynthResult } from '../synth/synthesize.js';
import type { Target } from '../synth/targets.js';

export interface SynthRequest {
  id: number;
  config: CanonicalConfig;
  target: Target;
  cacheDir: string | null;
}

export type SynthReply = { id: number; ok: true; result: SynthResult } | { id: number; ok: false; user: boolean; message: string; stack: string };

interface Job {
  request: SynthRequest;
  resolve: (r: SynthResult) => void;
  reject: (e: Error) => void;
}

export class SynthThreads {
  private readonly idle: Worker[] = [];
  private readonly threads: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;

  constructor(private readonly maxThreads: number) {}

  /** The PE of `config`, synthesized for `target` on one of the threads. */
  synthesizePe(config: CanonicalConfig, target: Target, cacheDir: string | null): Promise<SynthResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, config, target, cacheDir }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const w = this.idle.pop() ?? (this.threads.length < this.maxThreads ? this.start() : null);
      if (!w) return;
      const job = this.queue.shift()!;
      this.running.set(w, job);
      // A thread with work keeps the process alive; an idle one does not, so a caller that never
      // calls close() still exits.
      w.ref();
      w.postMessage(job.request);
    }
  }

  private start(): Worker {
    const w = startWorker('synth-worker');
    this.threads.push(w);
    w.on('message', (msg: SynthReply) => {
      const job = this.running.get(w)!;
      this.running.delete(w);
      w.unref();
      this.idle.push(w);
      if (msg.ok) job.resolve(msg.result);
      else job.reject(msg.user ? new LbamacError(msg.message) : Object.assign(new Error(msg.message), { stack: msg.stack }));
      this.dispatch();
    });
    const lost = (err: Error) => {
      this.running.get(w)?.reject(err);
      this.running.delete(w);
      this.threads.splice(this.threads.indexOf(w), 1);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      this.dispatch();
    };
    w.on('error', lost);
    w.on('exit', (code) => {
      if (this.threads.includes(w)) lost(new Error(`a synthesis thread exited with code ${code}`));
    });
    return w;
  }

  /** Stops every thread; requests not finished yet are rejected. */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    this.idle.length = 0;
    for (const job of this.queue.splice(0)) job.reject(new Error('the synthesis threads were closed'));
    for (const job of this.running.values()) job.reject(new Error('the synthesis threads were closed'));
    this.running.clear();
    await Promise.all(threads.map((w) => w.terminate()));
  }
}
