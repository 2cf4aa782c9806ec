// The synthesis cache: one JSON file per result, named by the hash of everything that decides
// it, written atomically (a crash leaves either the old entry or the new one, never half of one).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { sha256 } from '../util/hash.js';
import { packageRoot } from '../util/package-root.js';
import { stableStringify } from '../util/stable-json.js';

/** Where results go unless the caller says otherwise: <package>/.lbamac-cache/synth (git-ignored). */
export function defaultCacheDir(): string {
  return process.env.LBAMAC_SYNTH_CACHE ?? join(packageRoot(), '.lbamac-cache', 'synth');
}

/** The cache key of a set of inputs: SHA-256 of their canonical JSON. */
export function cacheKey(inputs: unknown): string {
  return sha256(stableStringify(inputs));
}

export class SynthCache {
  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** The stored value, or null when absent or unreadable (an unreadable entry is recomputed and overwritten). */
  async get<T>(key: string): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path(key), 'utf8');
    } catch {
      return null;
    }
    try {
      const entry = JSON.parse(text) as { key?: string; value?: T };
      return entry.key === key && entry.value !== undefined ? entry.value : null;
    } catch {
      return null;
    }
  }

  private warned = false;

  /** Stores value with the inputs that produced it (for a human reading the cache). A cache that
   *  cannot be written costs only the reuse: one warning, and the result is still returned. */
  async put(key: string, inputs: unknown, value: unknown): Promise<void> {
    try {
      await writeFileAtomic(this.path(key), JSON.stringify({ key, inputs, value }, null, 1) + '\n');
    } catch (e) {
      if (!this.warned) process.stderr.write(`lbamac: warning: the synthesis cache ${this.dir} cannot be written (${(e as Error).message}); results are not kept\n`);
      this.warned = true;
    }
  }
}
