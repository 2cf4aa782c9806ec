// Canonical forms and content hashes: a point's id is the hash of everything that decides its
// numbers (the resolved array configuration and the workload), so a result found in a results
// file is valid for any sweep that contains the same point, whatever its index or name.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { LbamacError } from '../core/errors.js';
import type { CanonicalConfig } from '../config/canonical.js';
import { workloadMessages } from '../workloads/messages.js';
import { DEFAULT_MODEL } from '../workloads/mnist.js';
import { sha256 } from '../util/hash.js';
import { packagePath } from '../util/package-root.js';
import { stableStringify } from '../util/stable-json.js';
import type { WorkloadSpec } from '../workloads/schema.js';

/** Bumped whenever the meaning of a result field changes: old results then stop matching. */
export const RESULTS_VERSION = 1;

const modelHashes = new Map<string, string>();

const fileHashes = new Map<string, string>();

/** The SHA-256 of a file's bytes (cached per path for the process), read in pieces: inputs may be large. */
function fileHash(what: string, path: string): string {
  let h = fileHashes.get(path);
  if (h !== undefined) return h;
  const hash = createHash('sha256');
  const buf = Buffer.alloc(1 << 22);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new LbamacError(workloadMessages.hashRead(what, path, (err as Error).message));
  }
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  fileHashes.set(path, (h = hash.digest('hex').slice(0, 16)));
  return h;
}

/**
 * What decides a workload's numbers: its spec without the label; for the MLP the model file's
 * hash; for an onnx workload the files' hashes instead of their paths (the same files elsewhere
 * give the same ids), and not the batch (results do not depend on it).
 */
export function canonicalWorkload(w: WorkloadSpec): Record<string, unknown> {
  const { name: _name, ...rest } = w;
  if (w.kind === 'onnx') {
    const { model, inputs, labels, batch: _batch, ...options } = w as typeof rest & { kind: 'onnx' };
    return { ...options, modelSha256: fileHash('model', model), inputsSha256: fileHash('inputs', inputs), labelsSha256: fileHash('labels', labels) };
  }
  if (w.kind !== 'mnist-mlp') return rest;
  const path = packagePath(w.model ?? DEFAULT_MODEL);
  let h = modelHashes.get(path);
  if (h === undefined) {
    try {
      h = sha256(readFileSync(path, 'utf8')).slice(0, 16);
    } catch {
      h = 'missing';
    }
    modelHashes.set(path, h);
  }
  return { ...rest, model: w.model ?? DEFAULT_MODEL, modelSha256: h };
}

/** `perLayer` (layer and mixed points) adds the nodes' own configurations; without it, ids are as they always were. */
export function pointId(config: CanonicalConfig, workload: WorkloadSpec, perLayer?: Record<string, CanonicalConfig>): string {
  return sha256(stableStringify({ v: RESULTS_VERSION, config, workload: canonicalWorkload(workload), ...(perLayer ? { perLayer } : {}) })).slice(0, 12);
}
