// Where a sweep writes when --out is not given: out/sweep-NAME, with shards and --only runs in
// subdirectories so that they never overwrite the full sweep's outputs.
import { join } from 'node:path';
import type { Selection } from './journal.js';
import type { SweepConfig } from './schema.js';

export function defaultOutDir(config: Pick<SweepConfig, 'name'>, selection: Selection): string {
  const base = join('out', `sweep-${config.name}`);
  if (selection.shard) return join(base, `shard-${selection.shard.index}-of-${selection.shard.count}`);
  if (selection.only) return join(base, 'only');
  return base;
}
