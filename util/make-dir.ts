// Directories made one level at a time. Node's recursive mkdir retries forever, and ignores
// Ctrl-C while it does, where the kernel answers "no such file or directory" for a name whose
// parent exists (under /proc, for one): a mistyped --out would hang the command. Made level by
// level, the same refusal is an error the caller reports.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errorCode } from './fs-errors.js';

/** `path` and its missing ancestors, outermost first; `path` itself when a file stands there
 *  (its mkdir then fails with EEXIST, as mkdir -p does). */
function missingLevels(path: string): string[] {
  const levels: string[] = [];
  for (let p = resolve(path); !existsSync(p); p = dirname(p)) {
    levels.unshift(p);
    if (dirname(p) === p) break;
  }
  if (levels.length === 0 && !statSync(path).isDirectory()) levels.push(resolve(path));
  return levels;
}

/** An EEXIST is fine when a directory stands there (another process made it first). */
function rethrowUnlessDirectory(p: string, err: unknown): void {
  if (errorCode(err) !== 'EEXIST' || !statSync(p).isDirectory()) throw err;
}

/** Creates `path` and its missing parents (mkdir -p). */
export function makeDirSync(path: string): void {
  for (const p of missingLevels(path)) {
    try {
      mkdirSync(p);
    } catch (err) {
      rethrowUnlessDirectory(p, err);
    }
  }
}

/** Creates `path` and its missing parents (mkdir -p). */
export async function makeDir(path: string): Promise<void> {
  for (const p of missingLevels(path)) {
    try {
      await mkdir(p);
    } catch (err) {
      rethrowUnlessDirectory(p, err);
    }
  }
}
