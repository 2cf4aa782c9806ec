// Filesystem refusals the user can fix (a file where a directory should be, permissions, a
// read-only or full disk) become one-line LbamacErrors naming the path and what to do; any other
// error is left as it is (a bug, reported with its stack).
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LbamacError } from '../core/errors.js';

/** The deepest part of `path` that exists, and whether it is a directory. */
export function nearestExisting(path: string): { path: string; isDirectory: boolean } {
  let p = resolve(path);
  for (;;) {
    try {
      return { path: p, isDirectory: statSync(p).isDirectory() };
    } catch {
      const up = dirname(p);
      if (up === p) return { path: p, isDirectory: true };
      p = up;
    }
  }
}

/** The file that stands where `path` needs a directory, if any. */
function fileInTheWay(path: string): string | null {
  const base = nearestExisting(path);
  return base.isDirectory ? null : base.path;
}

function notADirectory(path: string): string {
  const file = fileInTheWay(path);
  return `${file === resolve(path) ? 'it' : (file ?? 'a part of the path')} is a file, not a directory; choose another path`;
}

/** Why, and what to do, by error code. */
const REMEDIES: Record<string, (path: string) => string> = {
  EACCES: () => 'permission denied; choose a location you can write to',
  EPERM: () => 'permission denied; choose a location you can write to',
  EROFS: () => 'the filesystem is read-only; choose a location on a writable one',
  ENOSPC: () => 'no space left on the device; free some space or choose another location',
  ENOTDIR: notADirectory,
  // mkdir of a directory whose name a file already has.
  EEXIST: notADirectory,
  EISDIR: () => 'it is a directory; name a file to write',
  ENOENT: () => 'the system cannot create it there (no such file or directory); choose another location',
  ENAMETOOLONG: () => 'a name in it is longer than the system allows (255 bytes per name, 4096 per path); choose a shorter one',
};

export function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** Why a file could not be read, in a user's words: a missing file or a directory by name, any
 *  other failure by its message. */
export function unreadableReason(err: unknown): string {
  const code = errorCode(err);
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
}

/** `err` as an LbamacError about writing `path` when the user can fix its cause; otherwise `err` itself. */
export function fsUserError(path: string, err: unknown): unknown {
  if (err instanceof LbamacError) return err;
  const remedy = REMEDIES[errorCode(err) ?? ''];
  return remedy === undefined ? err : new LbamacError(`cannot write ${path}: ${remedy(path)}`);
}

/** The LbamacError a failure with this code would give, without making it fail first. */
export function fsRefusal(path: string, code: string): unknown {
  return fsUserError(path, Object.assign(new Error(code), { code }));
}
