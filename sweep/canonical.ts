// Canonical forms and content hashes: a point's id is the hash of everything that decides its
// numbers (the resolved array configuration and the workload), so a result found in a results
// file is valid for any sweep that contains the same point, whatever its index or name.
import { readFileSync } from 'node:fs';
import type { CanonicalConfig } from '../config/canonical.js';
import { DEFAULT_MODEL } from '../workloads/mnist.js';
import { sha256 } from '../util/hash.js';
import { packagePath } from '../util/package-root.js';
import { stableStringify } from '../util/stable-json.js';
import type { WorkloadSpec } from '../workloads/schema.js';

/** Bumped whenever the meaning of a result field changes: old results then stop matching. */
export const RESULTS_VERSION = 1;

const modelHashes = new Map<string, string>();

/** What decides a workload's numbers: its spec without the label, and for the MLP the model file's hash. */
export function canonicalWorkload(w: WorkloadSpec): Record<string, unknown> {
  const { name: _name, ...rest } = w;
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

export function pointId(config: CanonicalConfig, workload: WorkloadSpec): string {
  return sha256(stableStringify({ v: RESULTS_VERSION, config, workload: canonicalWorkload(workload) })).slice(0, 12);
}
