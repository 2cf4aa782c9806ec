import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LbamacError } from '../../core/errors.js';
import { publishDirOnce, tempSibling, writeDirAtomic, writeFileAtomic } from '../../util/atomic-write.js';
import { tempDir } from '../support/tmp.js';

describe('util/atomic-write', () => {
  const dir = tempDir('atomic');

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

  it('replaces a directory of outputs whole, and refuses one that is not an output', async () => {
    const out = join(dir, 'rtl');
    await writeDirAtomic(out, [{ path: 'manifest.json', text: '{}' }, { path: 'a.v', text: 'one' }], 'manifest.json');
    await writeDirAtomic(out, [{ path: 'manifest.json', text: '{}' }, { path: 'b.v', text: 'two' }], 'manifest.json');
    expect(readdirSync(out).sort()).to.deep.equal(['b.v', 'manifest.json']);
    expect(readdirSync(dir).filter((n) => n.startsWith('.rtl.'))).to.deep.equal([]);
    const other = join(dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    let caught: unknown;
    await writeDirAtomic(other, [{ path: 'a.v', text: 'x' }], 'manifest.json').catch((err: unknown) => (caught = err));
    expect(caught).to.be.instanceOf(LbamacError);
    expect(readdirSync(other)).to.deep.equal(['notes.txt']);
  });

  it('publishes a finished directory once: a second finisher leaves the first in place', () => {
    const target = join(dir, 'cache', 'key');
    const first = tempSibling(target);
    const second = tempSibling(target);
    expect(first).to.not.equal(second);
    for (const [t, text] of [[first, 'first'], [second, 'second']] as const) {
      mkdirSync(t, { recursive: true });
      writeFileSync(join(t, 'exe'), text);
    }
    publishDirOnce(first, target);
    publishDirOnce(second, target);
    expect(readFileSync(join(target, 'exe'), 'utf8')).to.equal('first');
    expect(existsSync(second)).to.equal(false);
  });
});
