import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../../core/errors.js';
import { fsUserError } from '../../util/fs-errors.js';
import { checkOutputDir, checkOutputFile } from '../../util/output-path.js';
import { tempDir } from '../support/tmp.js';

const failure = (code: string) => Object.assign(new Error(`${code}: raw message`), { code });

describe('util/fs-errors and util/output-path', () => {
  const dir = tempDir('fs-errors');
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  mkdirSync(join(dir, 'a-dir'));

  // Conditions a test cannot create for real as root (a read-only or full filesystem) are
  // injected here; test/cli/fs-errors.test.ts meets the others for real.
  for (const [code, remedy] of [
    ['EACCES', 'permission denied; choose a location you can write to'],
    ['EPERM', 'permission denied; choose a location you can write to'],
    ['EROFS', 'the filesystem is read-only; choose a location on a writable one'],
    ['ENOSPC', 'no space left on the device; free some space or choose another location'],
    ['EISDIR', 'it is a directory; name a file to write'],
    ['ENOENT', 'the system cannot create it there (no such file or directory); choose another location'],
    ['ENOTDIR', `${file} is a file, not a directory; choose another path`],
    ['EEXIST', `${file} is a file, not a directory; choose another path`],
  ]) {
    it(`${code}: one line naming the path and what to do`, () => {
      const err = fsUserError(join(file, 'out'), failure(code!));
      expect(err).to.be.instanceOf(LbamacError);
      expect((err as Error).message).to.equal(`cannot write ${join(file, 'out')}: ${remedy}`);
    });
  }

  it('leaves other errors (bugs) and LbamacErrors as they are', () => {
    const bug = failure('EBADF');
    expect(fsUserError('p', bug)).to.equal(bug);
    const mine = new LbamacError('already said');
    expect(fsUserError('p', mine)).to.equal(mine);
  });

  it('checks output paths before any work, creating nothing', () => {
    expect(() => checkOutputFile(join(file, 'sub', 'out.json'))).to.throw(LbamacError, `${file} is a file, not a directory`);
    expect(() => checkOutputFile(join(dir, 'a-dir'))).to.throw(LbamacError, 'it is a directory');
    expect(() => checkOutputDir(file)).to.throw(LbamacError, `cannot write ${file}: it is a file, not a directory`);
    expect(() => checkOutputDir(join(file, 'deeper', 'out'))).to.throw(LbamacError, `${file} is a file, not a directory`);
    checkOutputFile(join(dir, 'new', 'deeper', 'out.json'));
    checkOutputDir(join(dir, 'new', 'out'));
    checkOutputFile(file); // replacing an existing file is fine
    checkOutputDir(join(dir, 'a-dir'));
  });
});
