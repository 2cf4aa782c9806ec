// Outputs are written whole or not at all: a file or directory appears under its name only once
// complete, so a failed or interrupted run never leaves a truncated D.json, a half-written RTL
// directory or half a Verilator build that a later step could mistake for a result.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LbamacError } from '../core/errors.js';

/**
 * A fresh name beside `path` for its temporary stand-in: in the same directory, so the final
 * rename stays on one filesystem and is atomic; hidden, and unique across processes.
 */
export function tempSibling(path: string, suffix = 'tmp'): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.${suffix}`);
}

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

/** Creates `path` (which must not exist) with the text, on disk before it returns. */
async function writeNew(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync(); // the data is on disk before a name points at it
  } finally {
    await handle.close();
  }
}

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (err) {
    throw userError(path, err);
  }
  const temp = tempSibling(path);
  try {
    await writeNew(temp, text);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw userError(path, err);
  }
}

/**
 * A directory of files, written into a fresh sibling that then takes the target's name. An
 * existing target is replaced only when it holds a previous output of the same kind (its
 * `marker` file); anything else is refused.
 */
export async function writeDirAtomic(target: string, files: readonly { path: string; text: string }[], marker: string): Promise<void> {
  const dir = resolve(target);
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(marker)) {
      throw new LbamacError(`${target} exists and is not an output of this command (no ${marker} in it); choose an empty or new directory`);
    }
  }
  await mkdir(dirname(dir), { recursive: true });
  const temp = tempSibling(dir);
  const old = tempSibling(dir, 'old');
  try {
    await mkdir(temp);
    for (const f of files) await writeNew(join(temp, f.path), f.text);
    if (existsSync(dir)) await rename(dir, old);
    await rename(temp, dir);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(dir)) await rename(old, dir);
    throw err;
  }
  await rm(old, { recursive: true, force: true });
}

/**
 * Moves a finished directory from its temporary name to `dir`, unless another process got there
 * first: the same content under the same name (a cache entry), so theirs stays and `temp` goes.
 */
export function publishDirOnce(temp: string, dir: string): void {
  try {
    renameSync(temp, dir);
  } catch {
    rmSync(temp, { recursive: true, force: true });
  }
}
