// Outputs are written whole or not at all: a file or directory appears under its name only once
// complete, so a failed or interrupted run never leaves a truncated D.json, a half-written RTL
// directory or half a Verilator build that a later step could mistake for a result.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LbamacError } from '../core/errors.js';
import { fsUserError } from './fs-errors.js';
import { makeDir } from './make-dir.js';

/**
 * A fresh name beside `path` for its temporary stand-in: in the same directory, so the final
 * rename stays on one filesystem and is atomic; hidden, and unique across processes.
 */
export function tempSibling(path: string, suffix = 'tmp'): string {
  const tail = `.${process.pid}.${randomBytes(4).toString('hex')}.${suffix}`;
  // A name the system takes (255 bytes at most) stays one: the target's name is cut to fit.
  let base = `.${basename(path)}`;
  while (Buffer.byteLength(base + tail) > NAME_MAX) base = base.slice(0, -1);
  return join(dirname(path), base + tail);
}

/** The longest file name (bytes) of the usual filesystems (ext4, xfs, btrfs, tmpfs, APFS). */
const NAME_MAX = 255;

/**
 * Removes the stand-ins of `path` that a killed process left (its pid no longer runs): without
 * this a `kill -9` during a write would leave a hidden partial copy beside the output for good.
 */
export function removeStaleSiblings(path: string): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return; // no directory yet: nothing left behind
  }
  for (const name of names) {
    const m = /^(\d+)\.[0-9a-f]{8}\.(tmp|old)$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '');
    if (m !== null && !running(Number(m[1]))) rmSync(join(dirname(path), name), { recursive: true, force: true });
  }
}

function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid runs, as another user's process.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a directory entry is a stand-in that tempSibling named (left behind only by a crash). */
export function isTempSibling(name: string): boolean {
  return /^\..+\.\d+\.[0-9a-f]{8}\.\w+$/.test(name);
}

/** Creates `path` (which must not exist) with the text (UTF-8) or bytes, on disk before it returns. */
async function writeNew(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync(); // the data is on disk before a name points at it
  } finally {
    await handle.close();
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await makeDir(dirname(path));
  } catch (err) {
    throw fsUserError(path, err);
  }
  removeStaleSiblings(path);
  const temp = tempSibling(path);
  try {
    await writeNew(temp, data);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw fsUserError(path, err);
  }
}

export interface OutputDirOptions {
  /** The file whose presence marks a complete output (written last when writing in place). */
  marker: string;
  /** The files an earlier output of the same kind left in the directory (its manifest's list). */
  previous: readonly string[];
  /** Write into a directory that holds other files too, leaving those alone. */
  force: boolean;
}

/**
 * A directory of outputs. A new or empty directory, or one holding only an earlier output's files,
 * is written whole: into a fresh sibling that then takes the target's name. Any other file in it
 * is the user's: the directory is refused, or with `force` written into in place, the user's
 * files kept and of the earlier output only what its manifest lists removed.
 */
export async function writeDirAtomic(target: string, files: readonly { path: string; text: string }[], opts: OutputDirOptions): Promise<void> {
  const dir = resolve(target);
  try {
    const entries = existsSync(dir) ? readdirSync(dir) : [];
    const foreign = entries.filter((n) => !opts.previous.includes(n) && !isTempSibling(n)).sort();
    if (foreign.length === 0) await replaceDir(dir, files);
    else if (opts.force) await writeInPlace(dir, files, opts);
    else throw new LbamacError(`${target} holds ${foreign[0]}, which no earlier output there lists; choose an empty or new directory, or use --force to write beside it`);
  } catch (err) {
    throw fsUserError(target, err);
  }
}

async function replaceDir(dir: string, files: readonly { path: string; text: string }[]): Promise<void> {
  await makeDir(dirname(dir));
  removeStaleSiblings(dir);
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

/** The marker goes first and comes back last, so that a half-updated directory never looks complete. */
async function writeInPlace(dir: string, files: readonly { path: string; text: string }[], opts: OutputDirOptions): Promise<void> {
  await rm(join(dir, opts.marker), { force: true });
  const marker = files.find((f) => f.path === opts.marker);
  for (const f of files) if (f !== marker) await writeFileAtomic(join(dir, f.path), f.text);
  const written = new Set(files.map((f) => f.path));
  // Only plain names: a manifest edited to list ../something must not delete outside the directory.
  for (const name of opts.previous) if (!written.has(name) && basename(name) === name) await rm(join(dir, name), { force: true });
  if (marker) await writeFileAtomic(join(dir, marker.path), marker.text);
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
