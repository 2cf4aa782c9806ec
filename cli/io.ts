// Output files are written whole or not at all: a failed or interrupted run never leaves a
// truncated D.json that a later step could mistake for a result.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LbamacError } from '../core/errors.js';

/** Filesystem refusals the user can fix (a directory in the way, permissions, a full disk). */
const USER_FS_ERRORS: Record<string, string> = {
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the filesystem is read-only',
  ENOSPC: 'no space left on the device',
};

function userError(path: string, err: unknown): unknown {
  const why = USER_FS_ERRORS[(err as NodeJS.ErrnoException).code ?? ''];
  return why === undefined ? err : new LbamacError(`cannot write ${path}: ${why}; nothing was written`);
}

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw userError(path, err);
  }
  // Same directory as the target, so the rename stays on one filesystem and is atomic.
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync(); // the data is on disk before the name points at it
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw userError(path, err);
  }
}
