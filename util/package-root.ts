// Where lbamac is installed, found from this file's own location, so that the sources (run by
// tsx) and the build (dist/) find the same package.json, models/, docs/ and out/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  name: string;
  version: string;
}

let found: { root: string; info: PackageInfo } | undefined;

/** The nearest directory above this file whose package.json is lbamac's, and that package.json. */
function lookup(): { root: string; info: PackageInfo } {
  if (found) return found;
  const here = fileURLToPath(import.meta.url);
  // A package.json of another name (dist/ might hold one) is passed over.
  for (let dir = dirname(here); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'lbamac') return (found = { root: dir, info: { name: pkg.name, version: pkg.version ?? '0.0.0' } });
    }
    if (dirname(dir) === dir) throw new Error(`lbamac's package.json not found above ${here}`);
  }
}

export function packageRoot(): string {
  return lookup().root;
}

/** Name and version from lbamac's package.json. */
export function packageInfo(): PackageInfo {
  return lookup().info;
}

/** A path from a config or the command line: absolute as is, else relative to the package root. */
export function packagePath(path: string): string {
  return isAbsolute(path) ? path : join(packageRoot(), path);
}
