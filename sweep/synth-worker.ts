// A synthesis thread (synth-threads.ts): receives one configuration at a time, synthesizes its PE
// with Yosys (cached on disk) and posts the result back.
import { parentPort } from 'node:worker_threads';
import { LbamacError } from '../core/errors.js';
import { resolveConfig } from '../config/resolve.js';
import { SynthCache } from '../synth/cache.js';
import { synthesizeConfig } from '../synth/config.js';
import type { SynthReply, SynthRequest } from './synth-threads.js';

const port = parentPort!;
port.on('message', (msg: SynthRequest) => {
  const cache = msg.cacheDir === null ? null : new SynthCache(msg.cacheDir);
  Promise.resolve()
    .then(() => synthesizeConfig(resolveConfig(msg.config, 'synthesis request'), msg.target, 'pe', cache))
    .then(
    (result): void => port.postMessage({ id: msg.id, ok: true, result } satisfies SynthReply),
    (err: unknown): void => {
      const e = err as Error;
      port.postMessage({ id: msg.id, ok: false, user: err instanceof LbamacError, message: e.message, stack: e.stack ?? '' } satisfies SynthReply);
    },
  );
});
