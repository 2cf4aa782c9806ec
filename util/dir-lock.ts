// One process at a time per output directory. The lock is a file in the directory, created with
// O_EXCL ('wx': exactly one of two racing processes succeeds), naming its holder's pid and host.
// A lock whose holder died without releasing it (kill -9, a power cut) is taken over when the
// holder ran on this host and its pid is gone; a lock from another host cannot be checked and is
// reported. The holder releases the lock when done, on an error, on exit, and on SIGINT/SIGTERM.
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LbamacError } from '../core/errors.js';
import { tempSibling } from './atomic-write.js';
import { errorCode, fsUserError } from './fs-errors.js';

export const LOCK_FILE = '.lbamac.lock';

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  /** Tells this lock from a later one of the same pid. */
  token: string;
}

export interface DirLock {
  release(): void;
  /** The dead holder whose lock this one replaced, if any. */
  tookOver: LockOwner | null;
}

/** A lock file is written right after it is created; a reader may see it empty for that instant. */
const UNWRITTEN_RETRIES = 50;
const RETRY_MS = 20;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readOwner(path: string): LockOwner | 'gone' | 'unreadable' {
  for (let attempt = 0; attempt < UNWRITTEN_RETRIES; attempt++) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return 'gone';
      throw fsUserError(path, err);
    }
    try {
      const owner = JSON.parse(text) as LockOwner;
      if (Number.isInteger(owner.pid) && typeof owner.host === 'string' && typeof owner.token === 'string') return owner;
    } catch {
      // not yet written: wait
    }
    sleepSync(RETRY_MS);
  }
  return 'unreadable';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM'; // alive, but another user's
  }
}

function tryCreate(path: string, me: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw fsUserError(path, err);
  }
  try {
    writeSync(fd, JSON.stringify(me) + '\n');
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes the stale lock `owner` held. Two processes may find the same stale lock: each moves the
 * file aside under its own name and deletes it only if it is still that stale lock; a fresh lock
 * moved by mistake (the other process had already replaced it) is put back.
 */
function removeStale(path: string, owner: LockOwner): boolean {
  const aside = tempSibling(path, 'stale');
  try {
    renameSync(path, aside);
  } catch {
    return false;
  }
  const moved = readOwner(aside);
  if (typeof moved === 'object' && moved.token !== owner.token) {
    try {
      linkSync(aside, path);
    } catch {
      // a third process holds the lock by now; the one moved aside will find its lock gone
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

function heldBy(dir: string, owner: LockOwner, path: string): LbamacError {
  const who = `pid ${owner.pid} on ${owner.host}, since ${owner.since}`;
  return owner.host === hostname()
    ? new LbamacError(`${dir} is in use by another lbamac process (${who}); wait for it to finish, or use another --out`)
    : new LbamacError(`${dir} is in use by an lbamac process on another host (${who}); wait for it to finish, or delete ${path} if that process is gone`);
}

/** Takes the lock of `dir` (which must exist), or throws an LbamacError naming its holder. */
export function lockDir(dir: string): DirLock {
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    // Nobody else handles the signal: end the process as the signal would have.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const release = () => {
    process.off('exit', release);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const owner = readOwner(path);
    if (typeof owner === 'object' && owner.token === me.token) unlinkSync(path);
  };
  // Listening before the lock exists: a signal right after its creation must still remove it.
  process.on('exit', release);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let tookOver: LockOwner | null = null;
  try {
    while (!tryCreate(path, me)) {
      const owner = readOwner(path);
      if (owner === 'gone') continue;
      if (owner === 'unreadable') throw new LbamacError(`${path} is a lock file lbamac cannot read; if no lbamac process uses ${dir}, delete it`);
      if (owner.host !== me.host || isAlive(owner.pid)) throw heldBy(dir, owner, path);
      if (removeStale(path, owner)) tookOver = owner;
    }
  } catch (err) {
    release();
    throw err;
  }
  return { release, tookOver };
}
