import { expect } from 'chai';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDir, makeDirSync } from '../../util/make-dir.js';
import { tempDir } from '../support/tmp.js';

describe('util/make-dir', () => {
  const dir = tempDir('make-dir');

  it('creates every missing level, and accepts a directory that is already there', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    makeDirSync(deep);
    expect(statSync(deep).isDirectory()).to.equal(true);
    makeDirSync(deep);
    const other = join(dir, 'x', 'y');
    await makeDir(other);
    await makeDir(other);
    expect(statSync(other).isDirectory()).to.equal(true);
  });

  it('refuses a level that is a file (ENOTDIR below it, EEXIST for itself)', async () => {
    const file = join(dir, 'file');
    writeFileSync(file, '');
    expect(() => makeDirSync(join(file, 'sub'))).to.throw().with.property('code', 'ENOTDIR');
    expect(() => makeDirSync(file)).to.throw().with.property('code', 'EEXIST');
    let err: unknown = null;
    await makeDir(file).catch((e: unknown) => (err = e));
    expect(err).to.have.property('code', 'EEXIST');
  });

  // Node's recursive mkdir never returns here (the kernel says ENOENT although /proc exists).
  const procfs = existsSync('/proc/self');
  (procfs ? it : it.skip)('fails at once where the system cannot create the directory (/proc)', async () => {
    expect(() => makeDirSync('/proc/lbamac-no-such-dir/sub')).to.throw().with.property('code', 'ENOENT');
    let err: unknown = null;
    await makeDir('/proc/lbamac-no-such-dir').catch((e: unknown) => (err = e));
    expect(err).to.have.property('code', 'ENOENT');
  });
});
