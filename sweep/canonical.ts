// Canonical forms and content hashes: a point's id is the hash of everything that decides its
// numbers (the resolved array configuration and the workload), so a result found in a results
// file is valid for any sweep that contains the same point, whatever its index or name.
import { readFileSync } from 'node:fs';
import { formatSpecOf, type FormatSpec } from '../core/format.js';
import type { ArrayConfig } from '../config/resolve.js';
import { DEFAULT_MODEL } from '../workloads/mnist.js';
import { sha256 } from '../util/hash.js';
import { packagePath } from '../util/package-root.js';
import type { WorkloadSpec } from '../workloads/schema.js';

/** Bumped whenever the meaning of a result field changes: old results then stop matching. */
export const RESULTS_VERSION = 1;

/** JSON with object keys sorted at every level. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** A resolved config as a complete config input (every format field explicit): valid for resolveConfig. */
export interface CanonicalConfig {
  rows: number;
  cols: number;
  dataflow: 'os' | 'ws';
  a: Required<FormatSpec>;
  w: Required<FormatSpec>;
  product: Required<FormatSpec> | 'exact';
  acc: Required<FormatSpec>;
  total?: Required<FormatSpec>;
  rounding: { input: string; product: string; acc: string; total: string };
  chunk?: number;
  sparsity: 'dense' | '2:4';
}

export function canonicalConfig(c: ArrayConfig): CanonicalConfig {
  return {
    rows: c.rows,
    cols: c.cols,
    dataflow: c.dataflow,
    a: formatSpecOf(c.a),
    w: formatSpecOf(c.w),
    product: c.product === null ? 'exact' : formatSpecOf(c.product),
    acc: formatSpecOf(c.acc),
    ...(c.chunk === null ? {} : { total: formatSpecOf(c.total), chunk: c.chunk }),
    rounding: { ...c.rounding },
    sparsity: c.sparsity,
  };
}

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
