// Output paths checked before the work that fills them: a sweep or a synthesis run should not
// spend minutes and then fail because its --out lies under a file or in a read-only directory.
// The checks create nothing; the writes that follow still report whatever goes wrong then.
import { accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fsRefusal, fsUserError, nearestExisting } from './fs-errors.js';

/** Throws the user error for `path` unless files can be created in `dir` (creating it first if it is missing). */
function checkCanCreateIn(path: string, dir: string): void {
  const base = nearestExisting(dir);
  if (!base.isDirectory) throw fsRefusal(path, 'ENOTDIR');
  try {
    accessSync(base.path, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw fsUserError(path, err);
  }
}

/** Throws an LbamacError now if `path` cannot be written as a file. */
export function checkOutputFile(path: string): void {
  const target = resolve(path);
  const existing = nearestExisting(target);
  if (existing.path === target && existing.isDirectory) throw fsRefusal(path, 'EISDIR');
  checkCanCreateIn(path, dirname(target));
}

/** Throws an LbamacError now if `path` cannot be (created and) written into as a directory. */
export function checkOutputDir(path: string): void {
  checkCanCreateIn(path, resolve(path));
}
