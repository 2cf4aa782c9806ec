// Where the package lives, from this file, so that the sources (tsx) and dist/ find models/ alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The nearest directory above this file holding lbamac's package.json. */
export function projectRoot(): string {
  if (root !== null) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'lbamac') return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`lbamac's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** A path from a config: absolute as is, else relative to the project root. */
export function projectPath(path: string): string {
  return isAbsolute(path) ? path : join(projectRoot(), path);
}
