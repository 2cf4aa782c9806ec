import { expect } from 'chai';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../cli/io.js';
import { LbamacError } from '../../core/errors.js';
import { tempDir } from '../support/tmp.js';

describe('cli/io writeFileAtomic', () => {
  const dir = tempDir('io');

  it('creates parent directories and replaces an existing file, leaving no temp file', async () => {
    const path = join(dir, 'a', 'b', 'out.json');
    await writeFileAtomic(path, 'first');
    await writeFileAtomic(path, 'second');
    expect(readFileSync(path, 'utf8')).to.equal('second');
    expect(readdirSync(join(dir, 'a', 'b'))).to.deep.equal(['out.json']);
  });

  it('on failure leaves the directory as it was', async () => {
    const sub = join(dir, 'fail');
    mkdirSync(join(sub, 'taken'), { recursive: true });
    writeFileSync(join(sub, 'taken', 'x'), '');
    // The target is a non-empty directory, so the final rename fails.
    let caught: unknown;
    await writeFileAtomic(join(sub, 'taken'), 'text').catch((err: unknown) => (caught = err));
    // A user error naming the path, not a crash.
    expect(caught).to.be.instanceOf(LbamacError);
    expect((caught as Error).message).to.equal(`cannot write ${join(sub, 'taken')}: it is a directory; nothing was written`);
    expect(readdirSync(sub)).to.deep.equal(['taken']);
  });
});
