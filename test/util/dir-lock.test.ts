import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LbamacError } from '../../core/errors.js';
import { LOCK_FILE, lockDir, type LockOwner } from '../../util/dir-lock.js';
import { packageRoot } from '../../util/package-root.js';
import { tempDir } from '../support/tmp.js';

/** The pid of a process that has exited (pids are not reused that fast). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockOwner;
const plant = (dir: string, owner: Partial<LockOwner>) => writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ since: '2020-01-01T00:00:00.000Z', token: 'planted', ...owner }));

describe('util/dir-lock', function () {
  this.timeout(30_000);

  it('records pid and host; a second taker is refused naming the holder; release removes the lock', () => {
    const dir = tempDir('lock');
    const lock = lockDir(dir);
    expect(lock.tookOver).to.equal(null);
    expect(lockOf(dir)).to.include({ pid: process.pid, host: hostname() });
    expect(() => lockDir(dir)).to.throw(LbamacError, `${dir} is in use by another lbamac process (pid ${process.pid} on ${hostname()}, since`);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).to.equal(false);
    lockDir(dir).release();
  });

  it('release leaves a lock that is no longer its own', () => {
    const dir = tempDir('lock');
    const lock = lockDir(dir);
    plant(dir, { pid: process.pid, host: hostname(), token: 'someone-else' });
    lock.release();
    expect(lockOf(dir).token).to.equal('someone-else');
  });

  it('takes over the lock of a dead process on this host and says whose it was', () => {
    const dir = tempDir('lock');
    const pid = deadPid();
    plant(dir, { pid, host: hostname() });
    const lock = lockDir(dir);
    expect(lock.tookOver).to.include({ pid, host: hostname(), token: 'planted' });
    expect(lockOf(dir).pid).to.equal(process.pid);
    lock.release();
  });

  it('refuses a lock from another host (it cannot tell whether that process runs), and an unreadable one', () => {
    const dir = tempDir('lock');
    plant(dir, { pid: deadPid(), host: 'elsewhere.invalid' });
    expect(() => lockDir(dir)).to.throw(LbamacError, /in use by an lbamac process on another host \(pid \d+ on elsewhere\.invalid.*delete .*\.lbamac\.lock if that process is gone/);
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    expect(() => lockDir(dir)).to.throw(LbamacError, /is a lock file lbamac cannot read; if no lbamac process uses .*, delete it/);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`a process ended by ${signal} releases its lock, and still ends by the signal`, async () => {
      const dir = tempDir('lock');
      const code = `const { lockDir } = await import(${JSON.stringify(join(packageRoot(), 'util', 'dir-lock.ts'))}); lockDir(${JSON.stringify(dir)}); setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: packageRoot(), stdio: 'ignore' });
      const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      while (!existsSync(join(dir, LOCK_FILE))) await new Promise((r) => setTimeout(r, 20));
      child.kill(signal);
      expect(await exit).to.equal(signal);
      expect(existsSync(join(dir, LOCK_FILE))).to.equal(false);
    });
  }
});
