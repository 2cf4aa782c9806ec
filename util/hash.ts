// Content hashes: SHA-256 in hex, the one hash behind cache keys, sweep point ids and the short
// module names of the generated Verilog. Stable across runs, machines and Node versions.
import { createHash } from 'node:crypto';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The SHA-256 of several fields, each followed by a NUL: moving text from one field to the next
 * changes the hash, which plain concatenation would not.
 */
export function sha256Fields(fields: Iterable<string>): string {
  const hash = createHash('sha256');
  for (const f of fields) hash.update(f).update('\0');
  return hash.digest('hex');
}

/** Eight hex digits of the SHA-256 of a text: short enough for a Verilog module name. */
export function shortHash(text: string): string {
  return sha256(text).slice(0, 8);
}
